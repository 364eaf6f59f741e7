#!/usr/bin/env bash
# The README's main command: the demo stack (root Pulumi.yaml, program examples/demo/) against the local
# Alibaba Cloud simulator, on a fresh clone or a used one.
#
#   bash scripts/demo.sh            install what is missing, start the simulator, `pulumi up` two snapshot
#                                   copies (one re-encrypted with KMS) at a visible pace, print the outputs,
#                                   show that `pulumi preview` then has no changes, stop the simulator
#   bash scripts/demo.sh --destroy  start the simulator on the same state, `pulumi destroy`, show that the
#                                   simulator holds no copies, stop it
#
# Everything stays inside the repository and is git-ignored: the Pulumi state (.pulumi-state/, a file://
# backend), the stack config (Pulumi.demo.yaml), the simulator's world (.sim-state/demo.json) and its log.
# Running the demo twice is fine: the second `pulumi up` finds nothing to do.
#
# Environment (all optional):
#   DEMO_SIM_SPEED  simulator clock speed factor (default 20: a 20 GiB copy, ~10 simulated minutes, takes ~30 s)
#   DEMO_SIM_PORT   simulator port (default 18787). Keep it the same between runs: the stack records the
#                   endpoint with its provider, and refresh and destroy use the recorded one.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$REPO_ROOT"

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
MODE=up
case "${1:-}" in
  "") ;;
  --destroy) MODE=destroy ;;
  -h | --help)
    usage
    exit 0
    ;;
  *)
    usage >&2
    exit 2
    ;;
esac

STACK=demo
SIM_SPEED="${DEMO_SIM_SPEED:-20}"
SIM_PORT="${DEMO_SIM_PORT:-18787}"
SIM_DIR="$REPO_ROOT/.sim-state"
SIM_STATE="$SIM_DIR/demo.json"
SIM_LOG="$SIM_DIR/demo-simulator.log"
SIM_PID=""
SIM_ENDPOINT=""

# A local backend and a fixed passphrase: this is a demo against a simulator, and the only secrets in the
# stack config are the simulator's seeded demo credentials. Use a real secrets provider for real stacks.
export PULUMI_BACKEND_URL="file://$REPO_ROOT/.pulumi-state"
export PULUMI_CONFIG_PASSPHRASE="snapshot-copy-demo-passphrase"
unset PULUMI_CONFIG_PASSPHRASE_FILE

if [[ -t 1 ]]; then
  CYAN=$'\033[1;36m' DIM=$'\033[2m' RESET=$'\033[0m'
else
  CYAN="" DIM="" RESET=""
fi
STEP_STARTED=$SECONDS
section() {
  printf '\n%s━━ %s %s%s\n' "$CYAN" "$*" "${DIM}(t+$((SECONDS - STEP_STARTED))s)" "$RESET"
}
note() { printf '%s%s%s\n' "$DIM" "$*" "$RESET"; }

start_simulator() {
  mkdir -p "$SIM_DIR"
  local world="default seed"
  if [[ -s "$SIM_STATE" ]]; then world="state loaded from ${SIM_STATE#"$REPO_ROOT"/}"; fi
  # In its own session (setsid), so Ctrl-C reaches `pulumi` but not the simulator: Pulumi then cancels
  # gracefully, finishing the operations in flight against a simulator that still answers, and the EXIT
  # trap stops the simulator afterwards. (Stopped first, the copies in flight would retry for 10 minutes.)
  local detach=()
  if command -v setsid >/dev/null 2>&1; then detach=(setsid); fi
  "${detach[@]}" node dist/simulator/cli.js --port "$SIM_PORT" --state "$SIM_STATE" --speed "$SIM_SPEED" \
    >"$SIM_LOG" 2>&1 &
  SIM_PID=$!
  local i
  for ((i = 0; i < 150; i++)); do
    SIM_ENDPOINT="$(sed -n 's/^alibaba-sim listening on \(http:[^ ]*\).*/\1/p' "$SIM_LOG")"
    [[ -n "$SIM_ENDPOINT" ]] && break
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
      SIM_PID=""
      cat "$SIM_LOG" >&2
      echo "the simulator did not start (log above, also in $SIM_LOG)" >&2
      if grep -q EADDRINUSE "$SIM_LOG"; then
        echo "port $SIM_PORT is in use: stop what listens there (another demo still running?) or set" \
          "DEMO_SIM_PORT, and use the same port for --destroy" >&2
      fi
      exit 1
    fi
    sleep 0.1
  done
  [[ -n "$SIM_ENDPOINT" ]] || {
    echo "the simulator printed no ready line within 15 s; see $SIM_LOG" >&2
    exit 1
  }
  echo "simulator: $SIM_ENDPOINT (pid $SIM_PID, clock x$SIM_SPEED, $world)"
}

# SIGTERM makes the simulator save its state and exit 0.
stop_simulator() {
  if [[ -n "$SIM_PID" ]] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill -TERM "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
    echo "simulator stopped; its state is kept in ${SIM_STATE#"$REPO_ROOT"/}"
  fi
  SIM_PID=""
}
trap stop_simulator EXIT

# Prints one line per copy the simulator holds (copies are the snapshots with a SourceSnapshotId).
show_simulator_copies() {
  node -e '
    fetch(process.argv[1] + "/__sim/state").then((r) => r.json()).then((s) => {
      const copies = s.snapshots.filter((x) => x.SourceSnapshotId);
      const sources = s.snapshots.length - copies.length;
      console.log(`the simulator holds ${copies.length} snapshot cop${copies.length === 1 ? "y" : "ies"}` +
        ` (besides its ${sources} seeded source snapshots)`);
      for (const c of copies)
        console.log(`  ${c.SnapshotId}  ${c.RegionId.padEnd(14)} ${c.Status.padEnd(12)} ${c.Progress.padStart(4)}` +
          `  from ${c.SourceRegionId}/${c.SourceSnapshotId}${c.Encrypted ? `  encrypted with ${c.KMSKeyId}` : ""}`);
    }).catch((e) => { console.error(`cannot read the simulator state: ${e.message}`); process.exit(1); });
  ' "$SIM_ENDPOINT"
}

# Stack `demo` on the local backend, its config pointing the provider at the simulator. The credentials are
# the simulator's seeded demo account (simulator/seed.ts), stored as secrets as real keys would be.
select_stack() {
  mkdir -p "$REPO_ROOT/.pulumi-state"
  pulumi stack select "$STACK" --create >/dev/null
  local creds
  creds="$(node -p 'const s = require("./dist/simulator/seed"); `${s.DEFAULT_ACCESS_KEY_ID} ${s.DEFAULT_ACCESS_KEY_SECRET}`')"
  pulumi config set-all \
    --plaintext alicloud:region=cn-hangzhou \
    --secret "alicloud:accessKey=${creds% *}" \
    --secret "alicloud:secretKey=${creds#* }" \
    --plaintext "snapshotCopy:ecsEndpoint=$SIM_ENDPOINT" \
    --plaintext "snapshotCopy:kmsEndpoint=$SIM_ENDPOINT"
  echo "stack: $STACK (backend $PULUMI_BACKEND_URL; demo passphrase set in PULUMI_CONFIG_PASSPHRASE)"
  pulumi config
}

section "Setting up: dependencies, build, Pulumi CLI"
ensure_node_modules
ensure_build
ensure_pulumi
echo "pulumi $(pulumi version) at $(command -v pulumi)"

section "Starting the local Alibaba Cloud simulator (ECS + KMS)"
start_simulator
select_stack

if [[ "$MODE" == destroy ]]; then
  section "pulumi destroy: cancel or delete every copy"
  pulumi destroy --yes
  section "What the simulator holds now"
  show_simulator_copies
  section "Done in $((SECONDS - STEP_STARTED))s"
  echo "Run 'bash scripts/demo.sh' to create the copies again."
  exit 0
fi

section "pulumi up: copy s-sim0001 from cn-hangzhou to cn-shanghai, and to eu-central-1 re-encrypted with KMS"
note "The simulator's clock runs ${SIM_SPEED}x: 'min left' in the progress lines is simulated time."
pulumi up --yes --suppress-outputs

section "Stack outputs"
pulumi stack output --json

section "What the simulator holds"
show_simulator_copies

section "pulumi preview --expect-no-changes: the stack matches what was declared"
pulumi preview --expect-no-changes

section "Done in $((SECONDS - STEP_STARTED))s"
echo "Run 'bash scripts/demo.sh' again (nothing changes) or 'bash scripts/demo.sh --destroy' to remove the copies."
