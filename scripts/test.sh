#!/usr/bin/env bash
# The README's test command; CI runs exactly this (.ci/run). On a fresh clone it installs what is missing
# (npm dependencies; the Pulumi CLI, built from Go modules the first time, see scripts/install-pulumi.sh),
# then runs, stopping at the first failing stage:
#
#   1. lint        eslint, prettier --check, and the import rules of .dependency-cruiser.js (npm run lint)
#   2. type-check  tsc --noEmit over provider, simulator, tests, bench, examples (npm run typecheck)
#   3. build       dist/ (the engine tests load the package by its own name, which resolves to dist/)
#   4. jest        every layer: unit, simulator, provider (parallel), then engine (the real `pulumi` CLI
#                  against the simulator, serial) — see jest.config.js
#
# The last line is the summary, exactly `jest: N passed, N failed`; the exit status is non-zero on any
# failure. Extra arguments go to jest (e.g. `bash scripts/test.sh --selectProjects engine`).
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
log "Tests: unit, simulator, provider, engine (jest)"

results="$REPO_ROOT/.jest-results.json"
rm -f "$results"
status=0
npx jest --json --outputFile="$results" "$@" || status=$?

# Counts from jest's JSON report. A suite that could not run (e.g. it does not compile) counts as a failure;
# so does a jest run that failed without writing a report (e.g. the engine globalSetup could not get pulumi).
summary="$(node -e '
  const fs = require("fs");
  const [file, status] = [process.argv[1], Number(process.argv[2])];
  let passed = 0, failed = 0;
  if (fs.existsSync(file)) {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed = r.numPassedTests;
    failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  } else {
    console.error("jest wrote no report; counting the run as one failure");
  }
  if (status !== 0 && failed === 0) failed = 1;
  console.log(`jest: ${passed} passed, ${failed} failed`);
' "$results" "$status")"
log "scripts/test.sh finished in $((SECONDS - started)) s"
echo "$summary"
[[ "$status" -eq 0 && "$summary" == *", 0 failed" ]]
