#!/usr/bin/env bash
# The Node walkthrough against $NATS_URL. Builds the addon and links the
# package into the example first; build output goes to stderr so stdout is
# exactly the walkthrough's lines.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
(
  cd "$repo/bindings-node"
  npm install --ignore-scripts --no-audit --no-fund
  npx napi build --platform --release --js native.js --dts native.d.ts
  cd "$here"
  npm install --ignore-scripts --no-audit --no-fund
) >&2
exec node "$here/walkthrough.mjs"
