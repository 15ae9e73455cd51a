#!/usr/bin/env bash
# The Python runner's build step (runners.json): makes sure the repo's .venv
# imports a jetbridge built from the current sources. Does nothing when the
# installed native module is newer than every source it is built from
# (core/src, bindings-python/src and python/, the Cargo manifests and
# lockfile); otherwise builds and installs the wheel with
# bindings-python/scripts/install.sh. Any cwd, any number of times.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
PY_DIR="$ROOT/bindings-python"
native="$("$ROOT/.venv/bin/python" -c "import jetbridge._native as n; print(n.__file__)" 2>/dev/null || true)"
sources=(
  "$ROOT/core/src" "$ROOT/core/Cargo.toml"
  "$PY_DIR/src" "$PY_DIR/python" "$PY_DIR/Cargo.toml" "$PY_DIR/pyproject.toml"
  "$ROOT/Cargo.toml" "$ROOT/Cargo.lock"
)
if [[ -n "$native" ]]; then
  newer="$(find "${sources[@]}" -newer "$native" \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' -o -name 'Cargo.*' -o -name 'pyproject.toml' \) -print -quit)"
  if [[ -z "$newer" ]]; then
    exit 0
  fi
  echo "rebuilding the Python binding: $newer is newer than $native" >&2
else
  echo "building the Python binding: jetbridge is not importable from $ROOT/.venv" >&2
fi
bash "$PY_DIR/scripts/install.sh"
