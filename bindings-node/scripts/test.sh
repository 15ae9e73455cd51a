#!/usr/bin/env bash
# Builds the Node binding (release, in the shared target dir) and runs all of
# its tests: Rust unit tests, the TypeScript type check, and `node --test`
# against real nats-servers started by the project's harness.
# Assumes ./scripts/setup.sh already ran (it provides nats-server in .venv).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
export JB_HARNESS_BIN="$CARGO_TARGET_DIR/release/jb-harness"

cd "$here"
cargo build --release -p jetbridge-harness -p jetbridge-examples
cargo test --release -p jetbridge-node --lib
# Development dependencies, at the versions of the committed lockfile. (Not
# `npm ci`: the lockfile lacks @napi-rs/cli's optional packages for other
# platforms when the registry mirror in use does not serve them, and `npm ci`
# refuses such a lockfile.) Our own install hook is skipped: the next step
# builds the addon.
npm install --ignore-scripts --no-audit --no-fund
# The generated loader and types are checked in: building regenerates them,
# and the test fails when that changed them (commit the regenerated files).
generated="$(mktemp -d)"
trap 'rm -rf "$generated"' EXIT
cp native.js native.d.ts "$generated/"
npx napi build --platform --release --js native.js --dts native.d.ts
for f in native.js native.d.ts; do
  diff -u "$generated/$f" "$f" || { echo "$f was stale: regenerated, commit it" >&2; exit 1; }
done
npx tsc -p tests/tsconfig.json
# The example links the package from its folder, as a user's project would.
(cd "$repo/examples/node" && npm install --ignore-scripts --no-audit --no-fund)
node --test --test-concurrency=1 --test-timeout=180000 tests/
