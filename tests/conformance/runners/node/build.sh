#!/usr/bin/env bash
# The Node runner's build step (runners.json): makes sure the Node binding's
# native addon (bindings-node/jetbridge.<platform>.node) is built in release
# from the current sources, so that runner.mjs can import
# bindings-node/index.mjs.
#
# Does nothing when the addon is newer than every source it is built from
# (core/src, bindings-node/src, the Cargo manifests and lockfile). Otherwise
# it builds the addon the way the binding's install hook does without
# @napi-rs/cli (bindings-node/scripts/install.js): `cargo build --release -p
# jetbridge-node` in the shared target dir, then the library copied into place
# through a new file (a process that has the old addon loaded keeps a valid
# mapping). Runs from any directory, any number of times.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
NODE_DIR="$ROOT/bindings-node"

# The napi-rs platform suffix, as bindings-node/native.js looks the addon up.
suffix="$(node -p '
  const libc = () => {
    try {
      return require("fs").readFileSync("/usr/bin/ldd", "utf8").includes("musl") ? "musl" : "gnu"
    } catch {
      return "gnu"
    }
  }
  const { platform, arch } = process
  platform === "linux" ? `linux-${arch}-${libc()}` : `${platform}-${arch}`
')"
case "$(uname -s)" in
  Darwin) lib="libjetbridge_node.dylib" ;;
  *) lib="libjetbridge_node.so" ;;
esac
addon="$NODE_DIR/jetbridge.$suffix.node"

sources=(
  "$ROOT/core/src" "$ROOT/core/Cargo.toml"
  "$NODE_DIR/src" "$NODE_DIR/build.rs" "$NODE_DIR/Cargo.toml"
  "$ROOT/Cargo.toml" "$ROOT/Cargo.lock"
)
if [[ -f "$addon" ]]; then
  newer="$(find "${sources[@]}" -newer "$addon" \( -name '*.rs' -o -name 'Cargo.*' \) -print -quit)"
  if [[ -z "$newer" ]]; then
    exit 0
  fi
  echo "rebuilding the Node binding's addon: $newer is newer than $addon" >&2
else
  echo "building the Node binding's addon: $addon is missing" >&2
fi

(cd "$ROOT" && cargo build --release -p jetbridge-node)
cp "$CARGO_TARGET_DIR/release/$lib" "$addon.tmp.$$"
mv -f "$addon.tmp.$$" "$addon"
node --input-type=module -e "await import('$NODE_DIR/index.mjs')" \
  || { echo "the Node binding does not import after the build: $NODE_DIR/index.mjs" >&2; exit 1; }
