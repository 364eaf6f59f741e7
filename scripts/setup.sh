#!/usr/bin/env bash
# Shared set-up for the README's two commands (scripts/demo.sh and scripts/test.sh), sourced, not run.
# A fresh clone needs nothing else: dependencies, the build and the Pulumi CLI are all installed from here.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() {
  if [[ -t 2 ]]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi
}

# npm ci when node_modules is missing or older than the lock file (a fresh clone, or a pull that changed deps).
ensure_node_modules() {
  if [[ ! -f "$REPO_ROOT/node_modules/.package-lock.json" || "$REPO_ROOT/package-lock.json" -nt "$REPO_ROOT/node_modules/.package-lock.json" ]]; then
    log "Installing npm dependencies (npm ci)"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund)
  fi
}

# The demo stack and the engine tests load the package by its own name (package.json "exports"), so dist/ must exist.
ensure_build() {
  log "Building the package (tsc)"
  (cd "$REPO_ROOT" && npx tsc -p tsconfig.build.json)
}

# Puts pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs on PATH, building the CLI from Go modules
# the first time (see scripts/install-pulumi.sh), and keeps every Pulumi file inside the repository.
ensure_pulumi() {
  local bin
  bin="$(bash "$REPO_ROOT/scripts/install-pulumi.sh")"
  export PATH="$bin:$PATH"
  export PULUMI_HOME="${PULUMI_HOME:-$REPO_ROOT/.tools/pulumi-home}"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_NODEJS_TRANSPILE_ONLY=true
  mkdir -p "$PULUMI_HOME"
}
