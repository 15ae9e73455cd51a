#!/usr/bin/env bash
# The cross-language trace test (tests/trace/run.py): builds the Go and C step
# programs (the Node, Python and Rust ones come with their bindings' and the
# core's builds), then runs it. Arguments go to run.py (--svg PATH).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
mkdir -p "$TARGET/trace"
bash bindings-c/scripts/build_trace_step.sh
(
  source bindings-c/scripts/go_env.sh
  cd bindings-c/go/otel
  go build -o "$TARGET/trace/jb-trace-step-go" ./cmd/jb-trace-step
)
exec "$ROOT/.venv/bin/python" tests/trace/run.py "$@"
