#!/usr/bin/env bash
# The C walkthrough against $NATS_URL, the way a C user builds it: install
# libjetbridge (lib, header, jetbridge.pc) into a prefix, then compile with
#   cc walkthrough.c $(pkg-config --cflags --libs jetbridge)
# Build output goes to stderr so stdout is exactly the walkthrough's lines.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
prefix="$CARGO_TARGET_DIR/jetbridge-prefix"
{
  make -s -C "$repo/bindings-c" install PREFIX="$prefix" CARGO_TARGET_DIR="$CARGO_TARGET_DIR"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  echo "cc walkthrough.c $(pkg-config --cflags --libs jetbridge)"
  cc -std=c11 -O2 "$here/walkthrough.c" $(pkg-config --cflags --libs jetbridge) -o "$CARGO_TARGET_DIR/walkthrough_c"
} >&2
LD_LIBRARY_PATH="$prefix/lib" exec "$CARGO_TARGET_DIR/walkthrough_c"
