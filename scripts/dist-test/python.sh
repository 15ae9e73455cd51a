#!/usr/bin/env bash
# Clean install of the Python wheel: a fresh venv in a temp dir outside the
# checkout, a PATH without cargo or rustc, `pip install --no-index` of the
# wheel from dist/python/, then examples/python/walkthrough.py (copied there)
# against a local nats-server; its output must equal the Rust walkthrough's
# byte for byte.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
v="${JB_VERSION:-$(./scripts/version.sh)}"
wheel="$ROOT/dist/python/jetbridge-$v-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
[ -f "$wheel" ] || { echo "no $wheel: run ./scripts/dist.sh python" >&2; exit 1; }
# The server (harness) and the reference output (Rust walkthrough); no-ops when built.
cargo build --release --quiet -p jetbridge-harness -p jetbridge-examples

tmp="$(mktemp -d)"
start_local_server
trap 'exec {JB_HARNESS[1]}>&-; wait "$JB_HARNESS_PID" 2>/dev/null || true; rm -rf "$tmp"' EXIT

# PATH without any directory holding cargo or rustc, nor the checkout's .venv.
clean_path=""
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  case "$d" in "$ROOT"/* | *cargo* | *rustup*) continue ;; esac
  [ -e "$d/cargo" ] || [ -e "$d/rustc" ] && continue
  clean_path="${clean_path:+$clean_path:}$d"
done
clean() {
  env -u CARGO_TARGET_DIR -u VIRTUAL_ENV -u PYTHONPATH PATH="$clean_path" \
    CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent PIP_CONFIG_FILE=/dev/null "$@"
}
if clean bash -c 'command -v cargo || command -v rustc'; then
  echo "cargo or rustc is still on the clean PATH" >&2
  exit 1
fi

cd "$tmp"
clean python3 -m venv venv
clean venv/bin/python -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
version="$(clean venv/bin/python -c 'import jetbridge; print(jetbridge.__version__)')"
[ "$version" = "$v" ] || { echo "jetbridge.__version__ is $version, expected $v" >&2; exit 1; }
clean venv/bin/python -c 'import jetbridge, sys; f = jetbridge.__file__; sys.exit(0 if f.startswith(sys.argv[1]) else f"imported from {f}")' "$tmp"
echo "installed $(basename "$wheel") into a fresh venv without cargo (jetbridge.__version__ $version)"

cp "$ROOT/examples/python/walkthrough.py" .
"$CARGO_TARGET_DIR/release/walkthrough" >rust.txt
clean NATS_URL="$NATS_URL" venv/bin/python walkthrough.py >python.txt
if ! cmp -s rust.txt python.txt; then
  echo "the installed wheel's walkthrough output differs from Rust's:" >&2
  diff rust.txt python.txt >&2 || true
  exit 1
fi
echo "the installed wheel's walkthrough printed exactly what Rust printed ($(wc -l <rust.txt) lines)"
