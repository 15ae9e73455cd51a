#!/usr/bin/env bash
# Regenerates bindings-c/include/jetbridge.h with the pinned cbindgen
# (installed into bindings-c/.tools on first use).
#   gen_header.sh           write the header
#   gen_header.sh --verify  fail if the checked-in header is stale
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$here/.." && pwd)
CBINDGEN_VERSION=0.29.4
cbindgen="$here/.tools/bin/cbindgen"
if ! "$cbindgen" --version 2>/dev/null | grep -qx "cbindgen $CBINDGEN_VERSION"; then
  echo "installing cbindgen $CBINDGEN_VERSION into $here/.tools" >&2
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked --root "$here/.tools" >&2
fi
cd "$repo"
# [parse.expand] (cbindgen.toml) runs `cargo rustc -- -Zunpretty=expanded`,
# a nightly flag that the stable toolchain accepts with RUSTC_BOOTSTRAP=1; it
# checks the crate in its own target dir, so the release build is untouched.
export RUSTC_BOOTSTRAP=1
export CARGO_EXPAND_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}/header-expand
if [ "${1:-}" = "--verify" ]; then
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  "$cbindgen" -q --config bindings-c/cbindgen.toml --crate jetbridge-c --output "$tmp" bindings-c
  if ! cmp -s "$tmp" bindings-c/include/jetbridge.h; then
    echo "bindings-c/include/jetbridge.h is stale; run bindings-c/scripts/gen_header.sh" >&2
    diff -u bindings-c/include/jetbridge.h "$tmp" | head -40 >&2 || true
    exit 1
  fi
  echo "header up to date"
else
  "$cbindgen" -q --config bindings-c/cbindgen.toml --crate jetbridge-c --output bindings-c/include/jetbridge.h bindings-c
fi
