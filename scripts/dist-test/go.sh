#!/usr/bin/env bash
# Clean install of the Go module (dist/goproxy, written by scripts/dist/go.sh):
# in a fresh directory outside the checkout, with its own GOPATH, module and
# build caches, no Rust toolchain and no pkg-config on PATH, a new module runs
# `go get <module>@v<version>` from GOPROXY=file://…/dist/goproxy, builds
# examples/go/walkthrough.go with CGO_ENABLED=1 alone (no installed library,
# no LD_LIBRARY_PATH), runs it against a local nats-server (the harness) and
# compares its output byte for byte with the Rust walkthrough's; then installs
# the OpenTelemetry module (…/otel) the same way and runs a traced publish and
# process span against the same server (scripts/dist-test/go-otel/main.go).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
version=${JB_VERSION:-$(./scripts/version.sh)}
module=$(sed -n 's/^module //p' bindings-c/go/go.mod)
proxy=$ROOT/dist/goproxy
begin_clean_install go "$proxy/$module/@v/v$version.zip"

# A pkg-config that fails, first on the clean PATH and as $PKG_CONFIG, so a
# build that asked for one would fail.
mkdir -p "$tmp/bin" "$tmp/home" "$tmp/app"
printf '#!/bin/sh\necho "pkg-config must not be needed" >&2\nexit 1\n' > "$tmp/bin/pkg-config"
chmod +x "$tmp/bin/pkg-config"
clean_path=$tmp/bin:$clean_path
cp examples/go/walkthrough.go "$tmp/app/"

cd "$tmp/app"
env -i HOME="$tmp/home" PATH="$clean_path" NATS_URL="$NATS_URL" PKG_CONFIG="$tmp/bin/pkg-config" \
  GOPATH="$tmp/gopath" GOMODCACHE="$tmp/gopath/pkg/mod" GOCACHE="$tmp/gocache" GOTOOLCHAIN=local \
  GOFLAGS=-mod=mod GOPROXY="file://$proxy" GONOSUMDB="$module" GOSUMDB=off CGO_ENABLED=1 \
  MODULE="$module" VERSION="$version" bash -euo pipefail -c '
  if command -v cargo || command -v rustc; then echo "a Rust toolchain is on PATH" >&2; exit 1; fi
  go version
  go mod init example.com/jetbridge-walkthrough 2>&1
  go get "$MODULE@v$VERSION" 2>&1
  go list -m all
  go build -o walkthrough .
  if readelf -d walkthrough | grep -q libjetbridge; then echo "the binary needs libjetbridge.so" >&2; exit 1; fi
  ./walkthrough > out.txt
  cmp out.txt ../rust.txt || { diff -u ../rust.txt out.txt; echo "the Go walkthrough differs from the Rust one" >&2; exit 1; }
  echo "go walkthrough: the Rust walkthrough'"'"'s $(wc -l < out.txt) lines, byte for byte"
  # Vendored, too: go mod vendor keeps the library and the header.
  go mod vendor
  go build -mod=vendor -o walkthrough-vendored .
  ./walkthrough-vendored > out-vendored.txt
  cmp out-vendored.txt ../rust.txt
  echo "go walkthrough built from vendor/: the same lines"
'

# The OpenTelemetry module, as a user adds it: ours from the release's proxy,
# OpenTelemetry's own modules from the public one (checksums verified).
mkdir -p "$tmp/otel-app"
cp "$ROOT/scripts/dist-test/go-otel/main.go" "$tmp/otel-app/"
public_proxy=$(go env GOPROXY)
cd "$tmp/otel-app"
env -i HOME="$tmp/home" PATH="$clean_path" NATS_URL="$NATS_URL" PKG_CONFIG="$tmp/bin/pkg-config" \
  GOPATH="$tmp/gopath" GOMODCACHE="$tmp/gopath/pkg/mod" GOCACHE="$tmp/gocache" GOTOOLCHAIN=local \
  GOFLAGS=-mod=mod GOPROXY="file://$proxy,$public_proxy" GONOSUMDB="$module" CGO_ENABLED=1 \
  MODULE="$module" VERSION="$version" bash -euo pipefail -c '
  go mod init example.com/jetbridge-otel-check 2>&1
  go get "$MODULE@v$VERSION" "$MODULE/otel@v$VERSION" go.opentelemetry.io/otel/sdk 2>&1
  go build -o otel-check .
  ./otel-check
'
