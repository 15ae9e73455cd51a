#!/usr/bin/env bash
# The conformance suite: builds the Rust runner and the harness CLI (release, shared
# target dir), checks the driver itself, then runs every scenario through every runner
# of runners.json against fresh nats-servers. Arguments go to run.py, e.g.
#   tests/conformance/run.sh --only rust --scenario publish_dedup
#   tests/conformance/run.sh --readme
# Assumes ./scripts/setup.sh ran (it creates .venv with the pinned nats-server).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT"

cargo build --release -p jetbridge-harness -p jetbridge-conformance

PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY="$(command -v python3)"
"$PY" "$HERE/test_run.py"
exec "$PY" "$HERE/run.py" "$@"
