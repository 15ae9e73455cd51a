#!/usr/bin/env bash
# Clean install of the Python wheel: a fresh venv in a temp dir outside the
# checkout, a PATH without cargo or rustc, `pip install --no-index` of the
# wheel from dist/python/, then examples/python/walkthrough.py (copied there)
# against a local nats-server; its output must equal the Rust walkthrough's
# byte for byte.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
v="${JB_VERSION:-$(./scripts/version.sh)}"
wheel="$ROOT/dist/python/jetbridge-$v-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
begin_clean_install python "$wheel"

clean() {
  env -u CARGO_TARGET_DIR -u VIRTUAL_ENV -u PYTHONPATH PATH="$clean_path" \
    CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent PIP_CONFIG_FILE=/dev/null "$@"
}
cd "$tmp"
clean python3 -m venv venv
clean venv/bin/python -m pip install --quiet --disable-pip-version-check --no-index "$wheel"
version="$(clean venv/bin/python -c 'import jetbridge; print(jetbridge.__version__)')"
[ "$version" = "$v" ] || { echo "jetbridge.__version__ is $version, expected $v" >&2; exit 1; }
clean venv/bin/python -c 'import jetbridge, sys; f = jetbridge.__file__; sys.exit(0 if f.startswith(sys.argv[1]) else f"imported from {f}")' "$tmp"
echo "installed $(basename "$wheel") into a fresh venv without cargo (jetbridge.__version__ $version)"

cp "$ROOT/examples/python/walkthrough.py" .
clean NATS_URL="$NATS_URL" venv/bin/python walkthrough.py >python.txt
same_as_rust python.txt "the installed wheel"
