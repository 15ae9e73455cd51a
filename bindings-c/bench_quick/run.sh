#!/usr/bin/env bash
# Side-by-side throughput, one server, one run (report only; not a test):
#   pipelined publish of 200,000 x 128 B (window 1,024) and durable
#   consume-and-ack of 200,000 (fetch batches of 500), through
#   the raw Rust core, the C ABI, nats.c, the Go package and nats.go.
#
#   bindings-c/bench_quick/run.sh [rounds=3] [messages=200000]
#
# Needs: libnats-dev (apt-get install -y libnats-dev), Go, the Go proxy for
# nats.go on first build. Streams are memory-backed, so the numbers measure
# the clients rather than the disk. nats.c/nats.go run twice: as they are,
# and with a Nats-Msg-Id on every message ("+id"), as JetBridge always sends.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
c_dir=$(cd "$here/.." && pwd)
repo=$(cd "$c_dir/.." && pwd)
rounds=${1:-3}
n=${2:-200000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
out=$c_dir/build/bench
prefix=$c_dir/build/prefix
mkdir -p "$out"

make -s -C "$c_dir" install PREFIX="$prefix" CARGO_TARGET_DIR="$CARGO_TARGET_DIR"
(cd "$repo" && cargo build --release -q -p jetbridge-harness)
cp "$repo/Cargo.lock" "$here/core/Cargo.lock"
(cd "$here/core" && cargo build --release -q)
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig LD_LIBRARY_PATH=$prefix/lib
# shellcheck disable=SC2046
gcc -O2 -Wall -Wextra "$here/jb_c.c" $(pkg-config --cflags --libs jetbridge) -o "$out/jb_c"
gcc -O2 -Wall -Wextra "$here/natsc.c" -lnats -o "$out/natsc"
(source "$c_dir/scripts/go_env.sh" && cd "$here/jb-go" && go build -o "$out/jb_go" .)
(cd "$here/natsgo" && go build -o "$out/natsgo" .)

export JB_HARNESS_BIN=$CARGO_TARGET_DIR/release/jb-harness
export BENCH_N=$n BENCH_ROUNDS=$rounds BENCH_OUT=$out BENCH_CORE=$CARGO_TARGET_DIR/release/jb-bench-quick-core
"$c_dir/scripts/with_servers.py" -- bash -c '
  set -e
  for r in $(seq "$BENCH_ROUNDS"); do
    for mode in publish consume; do
      "$BENCH_CORE" $mode $BENCH_N
      "$BENCH_OUT/jb_c" $mode $BENCH_N
      "$BENCH_OUT/natsc" $mode $BENCH_N
      BENCH_MSG_ID=1 "$BENCH_OUT/natsc" $mode $BENCH_N
      "$BENCH_OUT/jb_go" $mode $BENCH_N
      "$BENCH_OUT/natsgo" $mode $BENCH_N
      BENCH_MSG_ID=1 "$BENCH_OUT/natsgo" $mode $BENCH_N
    done
  done' | tee "$out/results.txt"

python3 - "$out/results.txt" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
best = {}
for name, mode, n, secs, rate in rows:
    best.setdefault((name, mode), []).append(float(rate))
med = {k: statistics.median(v) for k, v in best.items()}
print(f"\nmedian msgs/s over {max(len(v) for v in best.values())} rounds")
names = ["core", "c-abi", "nats.c", "nats.c+id", "go-jetbridge", "nats.go", "nats.go+id"]
print(f"{'client':<14}{'publish':>12}{'consume+ack':>14}")
for name in names:
    print(f"{name:<14}{med.get((name,'publish'),0):>12.0f}{med.get((name,'consume'),0):>14.0f}")
def ratio(a, b, mode):
    return med[(a, mode)] / med[(b, mode)]
print()
for a, b in [("c-abi", "core"), ("c-abi", "nats.c"), ("c-abi", "nats.c+id"),
             ("go-jetbridge", "nats.go"), ("go-jetbridge", "nats.go+id")]:
    print(f"{a}/{b}: publish {ratio(a, b, 'publish'):.2f}  consume {ratio(a, b, 'consume'):.2f}")
PY
