#!/usr/bin/env bash
# The Go runner's build step (runners.json): builds the C library in release
# into the shared target dir (cargo does nothing when it is up to date) and
# puts its static library and header where the Go package links them
# (bindings-c/scripts/go_env.sh, as examples/go/demo.sh does), then builds the
# runner as $CARGO_TARGET_DIR/conformance/jb-conformance-go, which needs no
# shared library at run time. Runs from any directory, any number of times.
# Build output goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
out="$CARGO_TARGET_DIR/conformance/jb-conformance-go"
{
  source "$repo/bindings-c/scripts/go_env.sh"
  mkdir -p "$(dirname "$out")"
  cd "$here" && go build -o "$out.tmp.$$" . && mv -f "$out.tmp.$$" "$out"
} >&2
