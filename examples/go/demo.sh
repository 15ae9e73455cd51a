#!/usr/bin/env bash
# The Go walkthrough against $NATS_URL: the jetbridge Go package builds with
# cgo against the installed libjetbridge (found with pkg-config). Build
# output goes to stderr so stdout is exactly the walkthrough's lines.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
prefix="$CARGO_TARGET_DIR/jetbridge-prefix"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
{
  make -s -C "$repo/bindings-c" install PREFIX="$prefix" CARGO_TARGET_DIR="$CARGO_TARGET_DIR"
  cd "$here" && go build -o "$CARGO_TARGET_DIR/walkthrough_go" .
} >&2
exec "$CARGO_TARGET_DIR/walkthrough_go"
