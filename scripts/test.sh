#!/usr/bin/env bash
# Runs every test of JetBridge against real nats-servers it starts itself:
# the Rust core and harness, each binding (Python, Node, C, Go), the
# cross-language conformance suite, the CI tier of the fault suite, and the
# benchmark in quick mode (correctness only; no timing is asserted).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "setup (Python venv with the pinned nats-server and test tools)"
./scripts/setup.sh

step "build (release, one shared target dir)"
cargo build --release -p jetbridge -p jetbridge-harness -p jetbridge-examples

step "Rust: core and harness tests"
cargo test --release -p jetbridge -p jetbridge-harness -p jetbridge-examples -- --test-threads=2

step "harness: the Python and Node wrappers of jb-harness"
.venv/bin/python tests/harness/python/test_jb_harness.py
node --test tests/harness/node/

for binding in bindings-python bindings-node bindings-c; do
  if [ -x "$binding/scripts/test.sh" ]; then
    step "$binding"
    "$binding/scripts/test.sh"
  fi
done

for suite in tests/conformance/run.sh tests/faults/run.sh bench/run.sh; do
  if [ -x "$suite" ]; then
    step "$suite"
    case "$suite" in
      bench/*) "$suite" --quick ;;
      tests/faults/*) "$suite" --tier ci ;;
      *) "$suite" ;;
    esac
  fi
done

step "all tests passed"
