#!/usr/bin/env bash
# The Go runner's build step (runners.json): builds the C library in release
# into the shared target dir (cargo does nothing when it is up to date),
# installs it under $CARGO_TARGET_DIR/conformance/go-prefix when it changed
# (found with pkg-config, as examples/go/demo.sh does), then builds the
# runner as $CARGO_TARGET_DIR/conformance/jb-conformance-go with an rpath to
# that prefix, so it runs without LD_LIBRARY_PATH. Runs from any directory,
# any number of times. Build output goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
prefix="$CARGO_TARGET_DIR/conformance/go-prefix"
out="$CARGO_TARGET_DIR/conformance/jb-conformance-go"
header="$repo/bindings-c/include/jetbridge.h"
{
  make -s -C "$repo/bindings-c" build CARGO_TARGET_DIR="$CARGO_TARGET_DIR"
  if ! cmp -s "$CARGO_TARGET_DIR/release/libjetbridge.so" "$prefix/lib/libjetbridge.so" \
    || ! cmp -s "$header" "$prefix/include/jetbridge.h" \
    || [[ ! -f "$prefix/lib/pkgconfig/jetbridge.pc" ]]; then
    make -s -C "$repo/bindings-c" install PREFIX="$prefix" CARGO_TARGET_DIR="$CARGO_TARGET_DIR"
  fi
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig" CGO_ENABLED=1
  export CGO_LDFLAGS="-Wl,-rpath,$prefix/lib${CGO_LDFLAGS:+ $CGO_LDFLAGS}"
  # Go's build cache does not hash C headers outside the package: the
  # header's digest in CGO_CFLAGS rebuilds the binding when the header changes.
  digest="$(sha256sum "$header" | cut -c1-16)"
  export CGO_CFLAGS="-DJB_HEADER_DIGEST=$digest${CGO_CFLAGS:+ $CGO_CFLAGS}"
  cd "$here" && go build -o "$out.tmp.$$" . && mv -f "$out.tmp.$$" "$out"
} >&2
