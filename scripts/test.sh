#!/usr/bin/env bash
# The README's test command; CI runs exactly this (.ci/run). On a fresh clone it installs what is missing
# (npm dependencies; the Pulumi CLI, built from Go modules the first time, see scripts/install-pulumi.sh;
# the second toolchain, see below), then runs, stopping at the first failing stage of 1-3:
#
#   1. lint        eslint, prettier --check, and the import rules of .dependency-cruiser.js (npm run lint)
#   2. type-check  tsc --noEmit over provider, simulator, tests, bench, examples (npm run typecheck)
#   3. build       dist/ (the engine tests load the package by its own name, which resolves to dist/)
#   4. jest        every layer: unit, simulator, provider (parallel), then engine (the real `pulumi` CLI
#                  against the simulator, serial) — see jest.config.js — on the repository's toolchain:
#                  the Node.js on PATH (20+), @pulumi/pulumi 3.248.0, pulumi v3.248.0
#   5. jest again  the same layers on the second toolchain: Node.js 22, the newest @pulumi/pulumi 3.x and
#                  the pulumi CLI of that release (scripts/install-node22.sh, `scripts/install-pulumi.sh
#                  cli-next`), in a copy of the repository beside its own node_modules. It runs whatever
#                  stage 4 found.
#
# The last line is the summary of both jest runs added up, exactly `jest: N passed, N failed` (the lines
# before it give each run's counts); the exit status is non-zero on any failure. Extra arguments go to both
# jest runs (e.g. `bash scripts/test.sh --selectProjects engine`).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$REPO_ROOT"
started=$SECONDS

ensure_node_modules
log "Lint (eslint, prettier --check, import rules)"
npm run --silent lint
log "Type-check (tsc --noEmit)"
npm run --silent typecheck
ensure_build
ensure_pulumi
# "Node.js X, @pulumi/pulumi Y, pulumi Z" for the toolchain on PATH, run from directory $1.
toolchain() {
  (cd "$1" && printf 'Node.js %s, @pulumi/pulumi %s, pulumi %s' "$(node --version)" \
    "$(node -p 'require("@pulumi/pulumi/version").version')" "$(pulumi version)")
}

# One jest run over every layer, from the current directory; its JSON report goes to $1, the other arguments
# to jest. Never fails: the report's counts, or its absence, say how it went.
run_jest() {
  local results="$1"
  shift
  rm -f "$results"
  npx jest --json --outputFile="$results" "$@" || true
}

# 4. The repository's own toolchain.
first_results="$REPO_ROOT/.jest-results.json"
log "Tests on $(toolchain "$REPO_ROOT"): unit, simulator, provider, engine (jest)"
run_jest "$first_results" "$@"

# 5. The second toolchain.
second_results="$REPO_ROOT/.jest-results.node22.json"
rm -f "$second_results"
log "Installing the second toolchain (scripts/install-pulumi.sh cli-next, scripts/install-node22.sh)"
if next_cli="$(bash "$REPO_ROOT/scripts/install-pulumi.sh" cli-next)" &&
  next_dir="$(bash "$REPO_ROOT/scripts/install-node22.sh")"; then
  (
    cd "$next_dir"
    export PATH="$next_dir/node_modules/.bin:$next_cli:$PATH"
    export ENGINE_TESTS_PULUMI_BIN="$next_cli" PULUMI_HOME="$REPO_ROOT/.tools/pulumi-next-home"
    mkdir -p "$PULUMI_HOME"
    log "Tests on $(toolchain "$next_dir"): unit, simulator, provider, engine (jest, in $next_dir)"
    run_jest "$second_results" "$@"
  )
else
  log "error: the second toolchain could not be installed"
fi

# The counts of both runs from jest's JSON reports, added up. A suite that could not run (e.g. it does not
# compile) counts as a failure; so does a run that failed without a failed test, or wrote no report (e.g. the
# engine globalSetup could not get pulumi, or the second toolchain could not be installed).
summary="$(node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  for (const [label, file] of [["toolchain 1", process.argv[1]], ["toolchain 2 (Node.js 22)", process.argv[2]]]) {
    let p = 0, f = 1;
    if (fs.existsSync(file)) {
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      p = r.numPassedTests;
      f = r.numFailedTests + r.numRuntimeErrorTestSuites;
      if (!r.success && f === 0) f = 1;
    } else {
      console.error(`${label}: jest wrote no report; counting the run as one failure`);
    }
    console.error(`${label}: ${p} tests passed, ${f} failed`);
    passed += p;
    failed += f;
  }
  console.log(`jest: ${passed} passed, ${failed} failed`);
' "$first_results" "$second_results")"
log "scripts/test.sh finished in $((SECONDS - started)) s"
echo "$summary"
[[ "$summary" == *", 0 failed" ]]
