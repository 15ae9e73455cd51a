#!/usr/bin/env bash
# The Python walkthrough against $NATS_URL. Builds and installs the binding
# into the repo's .venv first (a no-op rebuild when nothing changed); build
# output goes to stderr so stdout is exactly the walkthrough's lines.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
py="$repo/.venv/bin/python"
wheels="$CARGO_TARGET_DIR/wheels-python"
rm -rf "$wheels"
"$repo/.venv/bin/maturin" build --release --quiet -m "$repo/bindings-python/Cargo.toml" \
  --out "$wheels" --interpreter "$py" >&2
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/jetbridge-*.whl >&2
cd "$(mktemp -d)"
exec "$py" "$here/walkthrough.py"
