#!/usr/bin/env bash
# dist/c/jetbridge-<version>-linux-x86_64.tar.gz: libjetbridge built with zig
# for glibc 2.17 (bindings-c/scripts/build_portable.sh), stripped:
#   jetbridge-<version>-linux-x86_64/
#     lib/libjetbridge.so.<version>, libjetbridge.so.<abi> -> it, libjetbridge.so -> .so.<abi>
#     lib/libjetbridge.a
#     lib/pkgconfig/jetbridge.pc                    (prefix=${pcfiledir}/../..)
#     lib/cmake/jetbridge/jetbridgeConfig.cmake, jetbridgeConfigVersion.cmake
#     include/jetbridge.h  LICENSE  THIRD-PARTY-LICENSES  README.md
# Fails unless the shared library needs no glibc symbol version above 2.17 and
# carries the SONAME libjetbridge.so.<abi>.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
version=${JB_VERSION:-$(./scripts/version.sh)}
abi=$(sed -n 's/^const ABI: u32 = \([0-9]*\);/\1/p' bindings-c/build.rs)
platform=linux-x86_64
name=jetbridge-$version-$platform
out=dist/c
stage=$CARGO_TARGET_DIR/dist-c/$name

libdir=$(bindings-c/scripts/build_portable.sh)

rm -rf "$stage" && mkdir -p "$stage/lib/pkgconfig" "$stage/lib/cmake/jetbridge" "$stage/include"
so=libjetbridge.so.$version
strip --strip-unneeded -o "$stage/lib/$so" "$libdir/libjetbridge.so"
chmod 0755 "$stage/lib/$so"
ln -s "$so" "$stage/lib/libjetbridge.so.$abi"
ln -s "libjetbridge.so.$abi" "$stage/lib/libjetbridge.so"
strip --strip-debug -o "$stage/lib/libjetbridge.a" "$libdir/libjetbridge.a"
chmod 0644 "$stage/lib/libjetbridge.a"
cp bindings-c/include/jetbridge.h "$stage/include/"

subst() { # template -> file, with the placeholders of this release
  sed -e "s|@VERSION@|$version|g" -e "s|@VERSION_MAJOR@|${version%%.*}|g" -e "s|@ABI@|$abi|g" \
    -e "s|@PLATFORM@|$platform|g" -e "s|@PREFIX@|\${pcfiledir}/../..|g" "$1" > "$2"
}
subst bindings-c/jetbridge.pc.in "$stage/lib/pkgconfig/jetbridge.pc"
subst bindings-c/packaging/jetbridgeConfig.cmake.in "$stage/lib/cmake/jetbridge/jetbridgeConfig.cmake"
subst bindings-c/packaging/jetbridgeConfigVersion.cmake.in "$stage/lib/cmake/jetbridge/jetbridgeConfigVersion.cmake"
subst bindings-c/packaging/README-c.md "$stage/README.md"
cp LICENSE "$stage/LICENSE"
python3 scripts/third_party_licenses.py -p jetbridge-c --target x86_64-unknown-linux-gnu \
  -o "$stage/THIRD-PARTY-LICENSES"

# The checks: glibc 2.17 and the SONAME.
lib="$stage/lib/$so"
needs_at_most_glibc_baseline "$lib"
readelf -d "$lib" | grep SONAME
readelf -d "$lib" | grep -q "Library soname: \[libjetbridge.so.$abi\]" \
  || { echo "SONAME is not libjetbridge.so.$abi" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/jetbridge-*-"$platform".tar.gz
mtime=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
  -C "$(dirname "$stage")" -cf - "$name" | gzip -9n > "$out/$name.tar.gz"
ls -l "$out/$name.tar.gz"
tar -tvzf "$out/$name.tar.gz"
