#!/usr/bin/env bash
# The demo: the seed guide's walkthrough (create ORDERS, publish with and
# without dedup, durable pull with fetch/ack/nak, a push consumer, replay from
# the start, a sequence, a time and the last message) in every language,
# against NATS_URL or, when unset, a local nats-server started for the demo.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

./scripts/setup.sh
step "build"
cargo build --release -p jetbridge-harness -p jetbridge-examples
start_local_server

step "Rust walkthrough (examples/rust)"
"$CARGO_TARGET_DIR/release/walkthrough" | tee "$CARGO_TARGET_DIR/walkthrough-rust.txt"

for demo in examples/python/demo.sh examples/node/demo.sh examples/c/demo.sh examples/go/demo.sh; do
  if [ -x "$demo" ]; then
    lang="$(basename "$(dirname "$demo")")"
    step "$lang walkthrough ($demo)"
    "$demo" | tee "$CARGO_TARGET_DIR/walkthrough-$lang.txt"
    if cmp -s "$CARGO_TARGET_DIR/walkthrough-rust.txt" "$CARGO_TARGET_DIR/walkthrough-$lang.txt"; then
      echo "($lang printed exactly what Rust printed)"
    else
      echo "($lang output differs from Rust:)"
      diff "$CARGO_TARGET_DIR/walkthrough-rust.txt" "$CARGO_TARGET_DIR/walkthrough-$lang.txt" || true
    fi
  fi
done
