#!/usr/bin/env bash
# The clean-install test: for each language, a fresh environment outside the
# checkout with no Rust toolchain on PATH installs the artifact from dist/
# (written by scripts/dist.sh) and runs that language's walkthrough against a
# local nats-server; its output must equal the Rust walkthrough's.
# Each language is one script in scripts/dist-test/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
run_parts dist-test "$@" -- python node c go
