#!/usr/bin/env bash
# dist/rust/: `cargo package` of the core crate `jetbridge` (what
# `cargo publish -p jetbridge` would upload), verified: cargo builds the
# packaged sources on their own (a debug build, without debug info here to
# keep it short). Writes nothing tracked.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
v="${JB_VERSION:-$(./scripts/version.sh)}"
out="$ROOT/dist/rust"
rm -rf "$out"
mkdir -p "$out"
# --allow-dirty: dist/ builds what is checked out, like every other part.
CARGO_PROFILE_DEV_DEBUG=0 cargo package -p jetbridge --locked --allow-dirty
cp "$CARGO_TARGET_DIR/package/jetbridge-$v.crate" "$out/"
files="$(tar -tzf "$out/jetbridge-$v.crate")"
grep -qx "jetbridge-$v/LICENSE" <<<"$files" || { echo "no LICENSE in the crate" >&2; exit 1; }
ls -l "$out"
echo "dist/rust: jetbridge-$v.crate"
