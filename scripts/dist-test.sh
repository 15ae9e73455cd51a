#!/usr/bin/env bash
# The clean-install test: for each language, a fresh environment outside the
# checkout with no Rust toolchain on PATH installs the artifact from dist/
# (written by scripts/dist.sh) and runs that language's walkthrough against a
# local nats-server; its output must equal the Rust walkthrough's.
# Each language is one script in scripts/dist-test/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
JB_VERSION="$(./scripts/version.sh)"
export JB_VERSION
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(python node c go)
for part in "${parts[@]}"; do
  step "dist-test: $part"
  "./scripts/dist-test/$part.sh"
done
