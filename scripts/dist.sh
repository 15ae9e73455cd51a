#!/usr/bin/env bash
# Writes dist/ with every artifact of JetBridge, all carrying one version (the
# workspace version in Cargo.toml, printed by scripts/version.sh):
#   dist/python/  abi3 manylinux2014 wheel(s) and the sdist
#   dist/node/    the `jetbridge` npm package and one package per platform binary
#   dist/c/       jetbridge-<version>-<platform>.tar.gz (lib, header, pkg-config, CMake)
#   dist/go/ and dist/goproxy/  the Go module, and a file:// module proxy serving it
#   dist/rust/    the `cargo package` of the core crate
# Each part is one script in scripts/dist/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
mkdir -p dist
run_parts dist "$@" -- rust python node c go
