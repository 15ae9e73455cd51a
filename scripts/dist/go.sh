#!/usr/bin/env bash
# The released Go module, github.com/jetbridge/jetbridge-go v<version>:
#   dist/go/       the module tree (what the module's repository holds at tag
#                  v<version>): bindings-c/go's sources without the tests, and
#                  include/jetbridge.h + lib/linux-amd64/libjetbridge.a (zig,
#                  glibc 2.17, debug info stripped), so `go get` with
#                  CGO_ENABLED=1 is all a build needs (no pkg-config, no
#                  installed library), as wasmtime-go ships its library.
#   dist/go-otel/  the module github.com/jetbridge/jetbridge-go/otel v<version>
#                  (the optional OpenTelemetry integration, bindings-c/go/otel).
#   dist/goproxy/  both as a GOPROXY file tree: <module>/@v/list,
#                  v<version>.info, .mod and .zip (golang.org/x/mod/zip layout),
#                  for GOPROXY=file://$PWD/dist/goproxy.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
version=${JB_VERSION:-$(./scripts/version.sh)}
module=$(sed -n 's/^module //p' bindings-c/go/go.mod)
platforms=(linux-amd64)
out=dist/go
proxy=dist/goproxy

libdir=$(bindings-c/scripts/build_portable.sh)

rm -rf "$out" && mkdir -p "$out/include" "$out/lib/linux-amd64"
for f in bindings-c/go/*; do
  case "$f" in *_test.go) continue ;; *.go | *.c | *.h | */go.mod) cp "$f" "$out/" ;; esac
done
cp bindings-c/go/include/*.go bindings-c/include/jetbridge.h "$out/include/"
cp bindings-c/go/lib/linux-amd64/*.go "$out/lib/linux-amd64/"
strip --strip-debug -o "$out/lib/linux-amd64/libjetbridge.a" "$libdir/libjetbridge.a"
sed -e "s|@MODULE@|$module|g" -e "s|@VERSION@|$version|g" -e "s|@PLATFORMS@|${platforms[*]}|g" \
  bindings-c/packaging/README-go.md > "$out/README.md"
cp LICENSE "$out/LICENSE"
python3 scripts/third_party_licenses.py -p jetbridge-c --target x86_64-unknown-linux-gnu \
  -o "$out/THIRD-PARTY-LICENSES"

# The OpenTelemetry integration, its own module (so jetbridge-go needs no
# OpenTelemetry): its sources without the tests and the test-only trace step,
# and its go.mod without the development replace directive.
otel_module=$module/otel
otel_out=dist/go-otel
rm -rf "$otel_out" && mkdir -p "$otel_out"
for f in bindings-c/go/otel/*; do
  case "$f" in *_test.go) continue ;; *.go | */go.sum) cp "$f" "$otel_out/" ;; esac
done
sed -e '/^\/\/ Developed beside/,$d' bindings-c/go/otel/go.mod > "$otel_out/go.mod"
grep -q "github.com/jetbridge/jetbridge-go v$version\$" "$otel_out/go.mod" ||
  { echo "bindings-c/go/otel/go.mod must require jetbridge-go v$version" >&2; exit 1; }
cp LICENSE "$otel_out/LICENSE"

rm -rf "$proxy"
time=$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
for pair in "$out $module" "$otel_out $otel_module"; do
  read -r src mod <<<"$pair"
  mkdir -p "$proxy/$mod/@v"
  python3 - "$src" "$proxy/$mod/@v" "$mod" "v$version" "$time" <<'PY'
import json, os, sys, zipfile
from datetime import datetime, timezone
src, dst, module, version, time = sys.argv[1:]
# golang.org/x/mod/zip: every path is <module>@<version>/<file>; at most
# 500 MiB uncompressed in all; go.mod and LICENSE at most 16 MiB each.
files = sorted(
    os.path.relpath(os.path.join(d, f), src) for d, _, fs in os.walk(src) for f in fs)
total = sum(os.path.getsize(os.path.join(src, f)) for f in files)
assert total <= 500 << 20, f"module is {total} bytes, over 500 MiB"
for f in ("go.mod", "LICENSE"):
    p = os.path.join(src, f)
    assert not os.path.exists(p) or os.path.getsize(p) <= 16 << 20, f"{f} over 16 MiB"
assert len({f.lower() for f in files}) == len(files), "paths that differ only in case"
stamp = datetime.fromisoformat(time).astimezone(timezone.utc)
with zipfile.ZipFile(os.path.join(dst, version + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for f in files:
        info = zipfile.ZipInfo(f"{module}@{version}/{f}", stamp.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(os.path.join(src, f), "rb") as fh:
            z.writestr(info, fh.read())
with open(os.path.join(dst, version + ".mod"), "wb") as fh, open(os.path.join(src, "go.mod"), "rb") as m:
    fh.write(m.read())
with open(os.path.join(dst, version + ".info"), "w") as fh:
    json.dump({"Version": version, "Time": stamp.strftime("%Y-%m-%dT%H:%M:%SZ")}, fh)
with open(os.path.join(dst, "list"), "w") as fh:
    fh.write(version + "\n")
print(f"{module}@{version}: {len(files)} files, {total} bytes uncompressed")
PY
done
ls -l "$out/lib/linux-amd64/libjetbridge.a" "$proxy/$module/@v/"
