#!/usr/bin/env bash
# The bench's test: builds every entry (release, shared target dir) and runs
# the quick mode once — reduced counts, one repetition, every entry and every
# workload — so the bench cannot rot. First the goals' arithmetic
# (driver/test_goals.py, a made-up summary). It checks correctness only (exact
# counts on the client and on the server); it never asserts a timing.
# Assumes ./scripts/setup.sh ran. Idempotent; any cwd.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python3 "$here/driver/test_goals.py"
exec "$here/run.sh" --quick "$@"
