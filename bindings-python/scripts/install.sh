#!/usr/bin/env bash
# Builds the Python binding (release, abi3 wheel) into the shared target dir
# and installs it into the repo's .venv. Assumes ./scripts/setup.sh ran (it
# creates .venv). Idempotent; any cwd. Used by test.sh and by the Python
# conformance runner's build step.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
venv="$repo/.venv"
target="${CARGO_TARGET_DIR:-$repo/target}"
export CARGO_TARGET_DIR="$target"

if [ ! -x "$venv/bin/python" ]; then
  echo "error: $venv is missing; run ./scripts/setup.sh first" >&2
  exit 1
fi

wheels="$target/wheels-python"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet -m "$here/Cargo.toml" --out "$wheels" \
  --interpreter "$venv/bin/python"
wheel="$(ls "$wheels"/jetbridge-*-cp39-abi3-*.whl)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
echo "   installed $(basename "$wheel")"
