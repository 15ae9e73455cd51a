#!/usr/bin/env bash
# Clean install of the C tarball (dist/c, written by scripts/dist/c.sh): in a
# fresh directory outside the checkout, with no Rust toolchain on PATH, it
# extracts the tarball into a prefix and builds examples/c/walkthrough.c three
# ways — pkg-config + the shared library (rpath), CMake find_package +
# jetbridge::jetbridge_static, CMake + jetbridge::jetbridge — then runs each
# against a local nats-server (the harness) and compares its output byte for
# byte with the Rust walkthrough's.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
version=${JB_VERSION:-$(./scripts/version.sh)}
tarball=$ROOT/dist/c/jetbridge-$version-linux-x86_64.tar.gz
begin_clean_install c "$tarball"

mkdir -p "$tmp/src" "$tmp/home"
cp examples/c/walkthrough.c "$tmp/src/"
cd "$tmp"
env -i HOME="$tmp/home" PATH="$clean_path" NATS_URL="$NATS_URL" TARBALL="$tarball" bash -euo pipefail -c '
  if command -v cargo || command -v rustc; then echo "a Rust toolchain is on PATH" >&2; exit 1; fi
  prefix=$PWD/prefix
  mkdir -p "$prefix" && tar -xzf "$TARBALL" -C "$prefix" --strip-components=1
  echo "extracted into $prefix:"; (cd "$prefix" && find . | sort)

  echo "== pkg-config, shared library"
  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
  echo "cc walkthrough.c $(pkg-config --cflags --libs jetbridge)"
  cc -std=c11 -O2 src/walkthrough.c $(pkg-config --cflags --libs jetbridge) -Wl,-rpath,"$prefix/lib" -o walkthrough-pkgconfig
  readelf -d walkthrough-pkgconfig | grep -q "Shared library: \[libjetbridge.so.0\]"

  echo "== CMake find_package(jetbridge), static and shared"
  cat > src/CMakeLists.txt <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(jetbridge_walkthrough C)
find_package(jetbridge $(pkg-config --modversion jetbridge) EXACT REQUIRED)
add_executable(walkthrough-static walkthrough.c)
target_link_libraries(walkthrough-static PRIVATE jetbridge::jetbridge_static)
add_executable(walkthrough-shared walkthrough.c)
target_link_libraries(walkthrough-shared PRIVATE jetbridge::jetbridge)
CMAKE
  cmake -S src -B build -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build >/dev/null
  if readelf -d build/walkthrough-static | grep -q libjetbridge; then echo "static build needs libjetbridge.so" >&2; exit 1; fi
  readelf -d build/walkthrough-shared | grep -q "Shared library: \[libjetbridge.so.0\]"

  for bin in ./walkthrough-pkgconfig build/walkthrough-static build/walkthrough-shared; do
    "$bin" > out.txt
    cmp out.txt rust.txt || { diff -u rust.txt out.txt; echo "$bin differs from the Rust walkthrough" >&2; exit 1; }
    echo "$bin: the Rust walkthrough'"'"'s $(wc -l < out.txt) lines, byte for byte"
  done
'
