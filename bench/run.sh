#!/usr/bin/env bash
# JetBridge side-by-side benchmark: builds every entry, starts its own
# nats-server (project harness, --sync-interval default), runs every workload
# for every entry interleaved, checks every run, and writes
# bench/out/<mode>/{results.md,results.json,chart.svg,runs.jsonl}.
#
#   bench/run.sh [--quick] [--entries a,b] [--workloads W1,W3] [--reps N] [--no-publish]
#
# --quick: reduced counts, one repetition, correctness only (the test command).
# A full run of everything also writes the committed bench/results.md,
# results.json and chart.svg (unless --no-publish).
# Assumes ./scripts/setup.sh ran (it creates .venv with nats-server, maturin,
# nats-py, matplotlib). Idempotent; any cwd.
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
venv="$repo/.venv"
target="${CARGO_TARGET_DIR:-$repo/target}"
export CARGO_TARGET_DIR="$target"

quick=0 publish=1 entries="" workloads="" reps=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-publish) publish=0 ;;
    --entries) entries="$2"; shift ;;
    --workloads) workloads="$2"; shift ;;
    --reps) reps="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mode=$([ "$quick" = 1 ] && echo quick || echo full)
out="$bench/out/$mode"
bin="$bench/out/bin"
prefix="$bench/out/prefix"
mkdir -p "$out" "$bin"

if [ ! -x "$venv/bin/python" ]; then
  echo "error: $venv is missing; run ./scripts/setup.sh first" >&2
  exit 1
fi
py="$venv/bin/python"

# Which languages the selected entries need (all by default).
wants() { [ -z "$entries" ] || echo ",$entries," | grep -Eq ",($1)(\+ids)?,"; }
unavailable=()
mark() { # mark ENTRY REASON...
  local e="$1"; shift
  echo "   !! $e unavailable: $*" >&2
  unavailable+=(--unavailable "$e=$*")
}

echo "== build: jb-harness and the Rust entries (release, $target)"
cargo build --release --quiet -p jetbridge-harness -p jetbridge-bench --manifest-path "$repo/Cargo.toml"
for b in bench-jetbridge-rust bench-async-nats bench-tool; do ln -sf "$target/release/$b" "$bin/$b"; done
export JB_HARNESS_BIN="$target/release/jb-harness"

if wants 'jetbridge-python|nats\.py'; then
  echo "== build: the Python binding into $venv (maturin, release) and nats-py"
  if "$venv/bin/maturin" build --release --quiet -m "$repo/bindings-python/Cargo.toml" \
       --out "$target/wheels-bench" --interpreter "$py" \
     && "$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps \
       "$(ls -t "$target"/wheels-bench/jetbridge-*-cp39-abi3-*.whl | head -n 1)"; then
    :
  else
    mark jetbridge-python "the Python binding did not build"
  fi
  "$py" -c 'import nats' 2>/dev/null \
    || "$py" -m pip install --quiet --disable-pip-version-check "nats-py==2.16.0" \
    || mark nats.py "nats-py==2.16.0 could not be installed"
fi

if wants 'jetbridge-node|nats\.js'; then
  echo "== build: the Node addon (bindings-node's build) and bench/node's packages"
  if (cd "$repo/bindings-node" && npm install --ignore-scripts --no-audit --no-fund --silent && npm run --silent build >/dev/null); then
    :
  else
    mark jetbridge-node "the Node addon did not build"
  fi
  (cd "$bench/node" && npm ci --ignore-scripts --no-audit --no-fund --silent) \
    || { mark nats.js "npm ci failed in bench/node"; mark jetbridge-node "npm ci failed in bench/node"; }
fi

if wants 'jetbridge-c|nats\.c|jetbridge-go'; then
  echo "== build: libjetbridge (make -C bindings-c install PREFIX=$prefix)"
  if make -s -C "$repo/bindings-c" install PREFIX="$prefix" CARGO_TARGET_DIR="$target" >/dev/null; then
    cjb=1
  else
    cjb=0
    mark jetbridge-c "libjetbridge did not build"
    mark jetbridge-go "libjetbridge did not build"
  fi
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  if [ "$cjb" = 1 ] && wants 'jetbridge-c'; then
    # shellcheck disable=SC2046
    gcc -O2 -Wall -Wextra -o "$bin/bench-jetbridge-c" "$bench/c/jetbridge_c.c" "$bench/c/common.c" \
      $(pkg-config --cflags --libs jetbridge) -Wl,-rpath,"$prefix/lib" \
      || mark jetbridge-c "bench/c/jetbridge_c.c did not compile"
  fi
  if wants 'nats\.c'; then
    if [ ! -f /usr/include/nats/nats.h ]; then
      echo "== install: libnats-dev (Debian)"
      (apt-get update -qq && apt-get install -y -qq libnats-dev >/dev/null) || true
    fi
    gcc -O2 -Wall -Wextra -o "$bin/bench-nats-c" "$bench/c/nats_c.c" "$bench/c/common.c" -lnats \
      || { mark nats.c "nats.c (libnats-dev) is missing or the entry did not compile"; mark nats.c+ids "see nats.c"; }
  fi
fi

if wants 'jetbridge-go|nats\.go'; then
  echo "== build: the Go entries (go.mod pins nats.go)"
  if [ "${cjb:-0}" = 1 ] && wants 'jetbridge-go'; then
    (source "$repo/bindings-c/scripts/go_env.sh" && cd "$bench/go" && go build -o "$bin/bench-jetbridge-go" ./jetbridge-go) \
      || mark jetbridge-go "bench/go/jetbridge-go did not build"
  fi
  if wants 'nats\.go'; then
    (cd "$bench/go" && go build -o "$bin/bench-nats-go" ./nats-go) \
      || { mark nats.go "bench/go/nats-go did not build"; mark nats.go+ids "see nats.go"; }
  fi
fi

args=(--bin "$bin" --python "$py" --node "$(command -v node || echo node)" --out "$out")
[ "$quick" = 1 ] && args+=(--quick)
[ -n "$entries" ] && args+=(--entries "$entries")
[ -n "$workloads" ] && args+=(--workloads "$workloads")
[ -n "$reps" ] && args+=(--reps "$reps")
if [ "$quick" = 0 ] && [ "$publish" = 1 ] && [ -z "$entries$workloads$reps" ]; then args+=(--publish); fi

echo "== run ($mode)"
exec "$py" "$bench/driver/run_bench.py" "${args[@]}" ${unavailable[@]+"${unavailable[@]}"}
