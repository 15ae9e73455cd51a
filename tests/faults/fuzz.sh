#!/usr/bin/env bash
# Fuzzing (plan test 24): with a nightly toolchain, every cargo-fuzz target
# in core/fuzz for FUZZ_SECONDS each (default 600); without one, the property
# tests with PROPTEST_CASES (default 200000). A crash fails the run; add its
# input as a regression test.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"
seconds="${FUZZ_SECONDS:-600}"
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  if [ ! -x .tools/bin/cargo-fuzz ]; then
    cargo install cargo-fuzz --version 0.13.2 --locked --root .tools
  fi
  for target in validators publish_reply delivery_metadata dapr urls credentials; do
    step "fuzz $target for ${seconds}s"
    (cd core/fuzz && PATH="$ROOT/.tools/bin:$PATH" CARGO_TARGET_DIR="$CARGO_TARGET_DIR/fuzz" \
      cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" 2>&1 | tail -n 40)
  done
else
  step "no nightly toolchain: property tests with ${PROPTEST_CASES:-200000} cases"
  PROPTEST_CASES="${PROPTEST_CASES:-200000}" cargo test --release -p jetbridge --lib fuzz::props
fi
