#!/usr/bin/env bash
# Builds libjetbridge for distribution: release, linked with zig against
# glibc 2.17 (so the library loads on any x86_64 Linux from 2012 on), into
# the shared target dir. Prints the directory holding libjetbridge.so and .a.
# Used by scripts/dist/c.sh and scripts/dist/go.sh (cargo does nothing when
# it is up to date). Needs the .venv of ./scripts/setup.sh (ziglang and
# cargo-zigbuild, pinned in scripts/requirements-dev.txt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$here/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
export PATH="$repo/.venv/bin:$PATH"
triple=x86_64-unknown-linux-gnu
glibc=2.17
command -v cargo-zigbuild >/dev/null || { echo "cargo-zigbuild missing: run ./scripts/setup.sh" >&2; exit 1; }
(cd "$repo" && cargo zigbuild --release --target "$triple.$glibc" -p jetbridge-c) >&2
echo "$CARGO_TARGET_DIR/$triple/release"
