#!/usr/bin/env bash
# The Go runner's build step (runners.json): builds the C library in release
# into the shared target dir (cargo does nothing when it is up to date),
# installs it under $CARGO_TARGET_DIR/conformance/go-prefix (found with
# pkg-config, as examples/go/demo.sh does), then builds the runner as
# $CARGO_TARGET_DIR/conformance/jb-conformance-go with an rpath to that
# prefix, so it runs without LD_LIBRARY_PATH. Runs from any directory, any
# number of times. Build output goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
prefix="$CARGO_TARGET_DIR/conformance/go-prefix"
out="$CARGO_TARGET_DIR/conformance/jb-conformance-go"
{
  make -s -C "$repo/bindings-c" install PREFIX="$prefix" CARGO_TARGET_DIR="$CARGO_TARGET_DIR"
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig" CGO_ENABLED=1
  export CGO_LDFLAGS="-Wl,-rpath,$prefix/lib${CGO_LDFLAGS:+ $CGO_LDFLAGS}"
  cd "$here" && go build -o "$out.tmp.$$" . && mv -f "$out.tmp.$$" "$out"
} >&2
