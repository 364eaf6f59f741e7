#!/usr/bin/env bash
# Makes a Pulumi CLI and the Node.js language host available and prints, as the only line on stdout, the
# absolute directory holding `pulumi`, `pulumi-language-nodejs` and (when @pulumi/pulumi is installed)
# `pulumi-resource-pulumi-nodejs`. Progress goes to stderr.
#
#   bin="$(scripts/install-pulumi.sh)" && export PATH="$bin:$PATH"           # CLI v3.248.0, .tools/pulumi/bin
#   bin="$(scripts/install-pulumi.sh cli-next)"                              # CLI v3.276.0, .tools/pulumi-next/bin
#
# The argument names a wrapper module under scripts/pulumi-build/ (default `cli`); the CLI version is the
# pkg/v3 version its go.mod requires. `cli-next` is the CLI of the second toolchain (Node.js 22 and the
# newest @pulumi/pulumi, see scripts/install-node22.sh).
#
# The official binary download is unreachable here, so the binaries are built from Go modules (Go module
# proxy only) inside the wrapper modules committed under scripts/pulumi-build/ (go.mod + go.sum + tools.go):
#
#   cli/          github.com/pulumi/pulumi/pkg/v3@v3.248.0 -> `pulumi`
#   cli-next/     github.com/pulumi/pulumi/pkg/v3@v3.276.0 -> `pulumi` (needs go >= 1.26.6)
#   nodejs-host/  github.com/pulumi/pulumi/sdk/v3@v3.68.0  -> `pulumi-language-nodejs` (for both CLIs)
#
# Why the language host is not the CLI's version: after v3.68 it moved to its own module,
# github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, which has no tags; the pseudo-version
# of the pkg/v3.248.0 commit would be derived from
#   go list -m -json github.com/pulumi/pulumi/pkg/v3@v3.248.0   -> Origin.Hash dc7edd58bc13179f81b80983aab4eb7f74a01b41
#   go list -m -json github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@dc7edd58bc13...
# but the proxy reachable here refuses that module outright (403 "This module version is not available",
# for @v/list, @latest and the commit hash alike; the same for v3.276.0). sdk/v3 v3.68.0 is the newest
# sdk/v3 version served here that still contains the host as a package; the newer CLIs talk to it through
# the RPCs they keep for older hosts (GetRequiredPlugins instead of GetRequiredPackages, no Handshake).
# `pulumi up`, preview, refresh, destroy, TypeScript programs and dynamic providers work with it: every
# engine test runs on it, with CLI v3.248.0 + @pulumi/pulumi 3.248.0 and CLI v3.276.0 + @pulumi/pulumi
# 3.276.0 (README "Compatibility"). See scripts/pulumi-build/nodejs-host/go.mod.
#
# Reuse: a `pulumi` of the same minor version (e.g. v3.248.x) already on PATH, with a
# `pulumi-language-nodejs` next to it or on PATH, is used as is. Otherwise the build goes to
# <repo>/.tools/pulumi/bin (`cli`) or <repo>/.tools/pulumi-next/bin (`cli-next`) and is reused on later
# runs (stamp file + `pulumi version` check), so a second run takes well under a second.
#
# Needs: go >= 1.25.11 (>= 1.26.6 for cli-next; GOTOOLCHAIN=local unless set), the default module cache
# (~1.6 GB of modules per CLI version) and about 4 minutes (wall) on 2 cores for a cold build.
set -euo pipefail

CLI_MODULE="${1:-cli}"
NODEJS_HOST_SDK_VERSION=v3.68.0 # see the header and scripts/pulumi-build/nodejs-host/go.mod

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(dirname "$SCRIPT_DIR")"
BUILD_MODULES="$SCRIPT_DIR/pulumi-build"
case "$CLI_MODULE" in
  cli) TOOLS_DIR="$REPO_ROOT/.tools/pulumi" ;;
  cli-next) TOOLS_DIR="$REPO_ROOT/.tools/pulumi-next" ;;
  *)
    printf 'install-pulumi: error: unknown CLI module "%s" (use cli or cli-next, see scripts/pulumi-build/)\n' "$CLI_MODULE" >&2
    exit 2
    ;;
esac
# The CLI version is the one the wrapper module's go.mod requires.
PULUMI_VERSION="$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi/pkg/v3" { print $3 }' \
  "$BUILD_MODULES/$CLI_MODULE/go.mod")"
BIN_DIR="$TOOLS_DIR/bin"
STAMP="$BIN_DIR/.build-stamp"
NODE_PROVIDER_SRC="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

log() { printf 'install-pulumi: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# Prints the version `pulumi version` reports for the given binary (empty if it fails).
pulumi_version_of() { "$1" version 2>/dev/null | head -n1 | tr -d '[:space:]' || true; }

# Copies the dynamic-provider shim of @pulumi/pulumi into $1. The shim only runs
# `node $(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))`, resolved from the plugin's working
# directory (the Pulumi program's), so a copy works as well as the original and survives `npm ci`.
install_node_provider() {
  local dir="$1"
  if [[ ! -f "$NODE_PROVIDER_SRC" ]]; then
    log "note: $NODE_PROVIDER_SRC not found (run npm ci first); pulumi-resource-pulumi-nodejs not installed"
    return 0
  fi
  if ! cmp -s "$NODE_PROVIDER_SRC" "$dir/pulumi-resource-pulumi-nodejs" 2>/dev/null; then
    cp "$NODE_PROVIDER_SRC" "$dir/pulumi-resource-pulumi-nodejs.tmp.$$"
    chmod +x "$dir/pulumi-resource-pulumi-nodejs.tmp.$$"
    mv -f "$dir/pulumi-resource-pulumi-nodejs.tmp.$$" "$dir/pulumi-resource-pulumi-nodejs"
    log "installed pulumi-resource-pulumi-nodejs (from node_modules/@pulumi/pulumi) into $dir"
  fi
}

# 1. An existing pulumi of the same minor version (e.g. v3.248.x) on PATH with a language host next to it or
#    on PATH (our own build dir, when already on PATH, is handled by the cache check below instead, so a
#    changed go.mod rebuilds).
if existing="$(command -v pulumi 2>/dev/null)"; then
  existing_dir="$(cd "$(dirname "$existing")" && pwd -P)"
  own_dir=""
  if [[ -d "$BIN_DIR" ]]; then own_dir="$(cd "$BIN_DIR" && pwd -P)"; fi
  ver="$(pulumi_version_of "$existing")"
  if [[ "$existing_dir" != "$own_dir" && "$ver" == "${PULUMI_VERSION%.*}".* ]]; then
    if [[ -x "$existing_dir/pulumi-language-nodejs" ]] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
      log "using pulumi $ver already on PATH: $existing"
      if [[ ! -x "$existing_dir/pulumi-resource-pulumi-nodejs" ]] &&
        ! command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1; then
        log "note: no pulumi-resource-pulumi-nodejs beside it or on PATH (needed by dynamic providers)"
      fi
      printf '%s\n' "$existing_dir"
      exit 0
    fi
    log "pulumi $ver on PATH has no pulumi-language-nodejs beside it or on PATH; building our own"
  fi
fi

# 2. The cached build, or a fresh one.
command -v go >/dev/null 2>&1 || die "go is required to build the Pulumi CLI (e.g. apt-get install golang-go >= 1.25)"

# Anything that changes the binaries must change this key.
BUILD_TAGS=osusergo,grpcnotrace
stamp_key() {
  {
    printf 'pulumi=%s host-sdk=%s tags=%s\n' "$PULUMI_VERSION" "$NODEJS_HOST_SDK_VERSION" "$BUILD_TAGS"
    cat "$BUILD_MODULES/$CLI_MODULE/go.mod" "$BUILD_MODULES/$CLI_MODULE/go.sum" \
      "$BUILD_MODULES/nodejs-host/go.mod" "$BUILD_MODULES/nodejs-host/go.sum"
  } | sha256sum | cut -d' ' -f1
}
KEY="$(stamp_key)"

cache_ok() {
  [[ -x "$BIN_DIR/pulumi" && -x "$BIN_DIR/pulumi-language-nodejs" && -f "$STAMP" ]] &&
    [[ "$(cat "$STAMP")" == "$KEY" ]] &&
    [[ "$(pulumi_version_of "$BIN_DIR/pulumi")" == "$PULUMI_VERSION" ]]
}

mkdir -p "$BIN_DIR"
# Serialize concurrent runs (e.g. test.sh and demo.sh started together) so only one builds.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TOOLS_DIR/.install.lock"
  if ! flock -n 9; then
    log "another install-pulumi.sh is running; waiting for it"
    flock 9
  fi
fi

if ! cache_ok; then
  rm -f "$STAMP"
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  export CGO_ENABLED=0
  # -mod=readonly: build exactly what the committed go.mod/go.sum pin (never rewrite them).
  export GOFLAGS="-mod=readonly -buildvcs=false"
  log "building Pulumi $PULUMI_VERSION from Go modules into $BIN_DIR ($(go version | cut -d' ' -f3)); a cold build downloads ~1.6 GB of modules and takes several minutes"
  start=$SECONDS

  build() { # build <module dir> <package> <output name> <version stamped into the binary>
    local mod="$1" pkg="$2" out="$3" ver="$4" tmp="$BIN_DIR/.$3.tmp.$$"
    log "go build $pkg -> $out"
    (cd "$mod" && go build -o "$tmp" -trimpath -tags "$BUILD_TAGS" \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$ver" "$pkg") >&2 ||
      {
        rm -f "$tmp"
        die "building $out failed"
      }
    mv -f "$tmp" "$BIN_DIR/$out"
  }
  build "$BUILD_MODULES/nodejs-host" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
    pulumi-language-nodejs "$NODEJS_HOST_SDK_VERSION"
  build "$BUILD_MODULES/$CLI_MODULE" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi pulumi "$PULUMI_VERSION"

  got="$(pulumi_version_of "$BIN_DIR/pulumi")"
  [[ "$got" == "$PULUMI_VERSION" ]] || die "built pulumi reports version '$got', expected $PULUMI_VERSION"
  printf '%s\n' "$KEY" >"$STAMP"
  log "built in $((SECONDS - start))s"
fi

install_node_provider "$BIN_DIR"
printf '%s\n' "$BIN_DIR"
