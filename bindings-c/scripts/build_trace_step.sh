#!/usr/bin/env bash
# Builds the C step of the cross-language trace test (tests/trace_step.c)
# into ${CARGO_TARGET_DIR:-<repo>/target}/trace/jb-trace-step-c, against the
# release libjetbridge the way the C conformance runner's build does
# (make build, then the header and the shared library with an rpath, so it
# runs without LD_LIBRARY_PATH). Runs from any directory, any number of times.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$here/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
lib=$CARGO_TARGET_DIR/release
out=$CARGO_TARGET_DIR/trace

make -s -C "$here" build CARGO_TARGET_DIR="$CARGO_TARGET_DIR" >&2
mkdir -p "$out"
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g \
  -I"$here/include" "$here/tests/trace_step.c" \
  -L"$lib" -ljetbridge -Wl,-rpath,"$lib" -lpthread \
  -o "$out/jb-trace-step-c.tmp.$$"
mv -f "$out/jb-trace-step-c.tmp.$$" "$out/jb-trace-step-c"
echo "$out/jb-trace-step-c"
