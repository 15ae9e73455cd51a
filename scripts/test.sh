#!/usr/bin/env bash
# Runs every test of JetBridge against real nats-servers it starts itself:
# the Rust core and harness, each binding (Python, Node, C, Go), the
# artifacts of scripts/dist.sh installed without a Rust toolchain
# (scripts/dist-test.sh), the cross-language conformance suite, the cross-language trace
# test, the CI tier of the fault suite, and the
# benchmark in quick mode (correctness only; no timing is asserted).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

step "setup (Python venv with the pinned nats-server and test tools)"
./scripts/setup.sh

step "build (release, one shared target dir)"
cargo build --release -p jetbridge -p jetbridge-harness -p jetbridge-examples

step "generated types are current (jb-gen --check: each binding's types from the core's declarations)"
cargo run --release --quiet -p jetbridge-gen -- --check

step "Rust: core and harness tests"
cargo test --release -p jetbridge -p jetbridge-harness -p jetbridge-examples -- --test-threads=2

step "harness: the Python and Node wrappers of jb-harness"
.venv/bin/python tests/harness/python/test_jb_harness.py
node --test tests/harness/node/

# Every script runs unconditionally: a missing or non-executable one fails the run.
for binding in bindings-python bindings-node bindings-c; do
  step "$binding"
  "$binding/scripts/test.sh"
done

step "dist: every artifact, then each installed without a Rust toolchain"
./scripts/dist.sh
./scripts/dist-test.sh

step "tests/conformance/run.sh"
tests/conformance/run.sh
oldest="$ROOT/.tools/nats-server-oldest/bin/nats-server"
step "tests/conformance/run.sh against the oldest supported server, $("$oldest" --version)"
NATS_SERVER_BIN="$oldest" tests/conformance/run.sh --no-build
step "tests/trace/run.sh: one OpenTelemetry trace through Node, Python, Go, C and Rust"
tests/trace/run.sh --svg tests/out/trace.svg
step "tests/faults/run.sh --tier ci"
tests/faults/run.sh --tier ci
step "bench/run.sh --quick"
bench/run.sh --quick

step "all tests passed"
