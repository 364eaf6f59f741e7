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
# Skips tsc when dist/ is newer than every source file (provider/, simulator/, the tsconfigs), as the engine tests'
# globalSetup.ts does. A rebuild starts from an empty dist/, so the output of a deleted or moved module cannot
# linger there and be loaded by name.
ensure_build() {
  if ! build_is_stale; then
    log "Build is up to date (dist/ is newer than every source file)"
    return
  fi
  log "Building the package (rm -rf dist; tsc)"
  (cd "$REPO_ROOT" && rm -rf dist && npx tsc -p tsconfig.build.json)
}

# True (status 0) when dist/ is missing or a source file is newer than it. tsc rewrites every output file, so the
# two entry points' outputs carry the time of the last build.
build_is_stale() {
  local out newer
  for out in dist/provider/lifecycle/index.js dist/simulator/index.js; do
    [[ -f "$REPO_ROOT/$out" ]] || return 0
    newer="$(cd "$REPO_ROOT" && find provider simulator tsconfig.json tsconfig.build.json -newer "$out" \
      \( -name '*.ts' -o -name '*.json' \) -print -quit)"
    [[ -z "$newer" ]] || return 0
  done
  return 1
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
