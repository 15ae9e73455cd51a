#!/usr/bin/env bash
# The C runner's build step (runners.json): builds libjetbridge in release
# into the shared target dir (cargo does nothing when it is up to date), the
# way bindings-c/Makefile does, then compiles the runner against
# bindings-c/include/jetbridge.h and the shared library into
# {target}/conformance/jb-conformance-c, with an rpath to the library so it
# runs without LD_LIBRARY_PATH; does not recompile when the runner is newer
# than its sources, the header and the library. Runs from any directory, any
# number of times.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$here/../../../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
lib="$CARGO_TARGET_DIR/release"
out="$CARGO_TARGET_DIR/conformance"

# (make: also links libjetbridge.so.<abi>, the SONAME the runner will look for)
make -s -C "$ROOT/bindings-c" build CARGO_TARGET_DIR="$CARGO_TARGET_DIR" >&2
mkdir -p "$out"
bin="$out/jb-conformance-c"
if [[ -x "$bin" ]] && [[ -z "$(find "$here" "$ROOT/bindings-c/include/jetbridge.h" "$lib/libjetbridge.so" \
      -newer "$bin" \( -name '*.[ch]' -o -name '*.so' -o -name build.sh \) -print -quit)" ]]; then
  exit 0 # the runner is newer than its sources and the library
fi
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g \
  -I"$ROOT/bindings-c/include" "$here"/*.c \
  -L"$lib" -ljetbridge -Wl,-rpath,"$lib" -lpthread \
  -o "$out/jb-conformance-c.tmp.$$"
mv -f "$out/jb-conformance-c.tmp.$$" "$out/jb-conformance-c"
