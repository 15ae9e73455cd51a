#!/usr/bin/env bash
# The fault suite. `--tier ci` (default): each fault once with reduced
# counts, inside CI's time. `--tier long`: the plan's full counts, the
# 30-minute soak (JB_SOAK_SEED=<n> replays a soak) and fuzzing
# (tests/faults/fuzz.sh, FUZZ_SECONDS per target, default 300). Writes
# tests/faults/out/<tier>/report.{md,json}; exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"
tier=ci
if [ "${1:-}" = "--tier" ]; then tier="${2:-ci}"; shift 2; fi
cargo build --release -p jetbridge-faults -p jetbridge-harness
# The suite's own checks first: checker, premise checks, outcome rules.
cargo test --release -p jetbridge-faults --lib
status=0
"$CARGO_TARGET_DIR/release/jb-faults" --tier "$tier" --out "tests/faults/out/$tier" "$@" || status=$?
if [ "$tier" = long ]; then
  FUZZ_SECONDS="${FUZZ_SECONDS:-300}" tests/faults/fuzz.sh || status=$?
fi
exit "$status"
