#!/usr/bin/env bash
# The Python runner's build step (runners.json): nothing to do when the repo's .venv
# already imports jetbridge (the top-level test script installs it first, with
# bindings-python/scripts/test.sh); otherwise that script builds, installs and tests it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
if "$ROOT/.venv/bin/python" -c "import jetbridge" 2>/dev/null; then
  exit 0
fi
echo "jetbridge is not importable from $ROOT/.venv: running bindings-python/scripts/test.sh" >&2
exec bash "$ROOT/bindings-python/scripts/test.sh"
