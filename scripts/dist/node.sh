#!/usr/bin/env bash
# dist/node/: the npm packages, in the napi-rs layout.
#   jetbridge-<v>.tgz                  the `jetbridge` package (JavaScript, types,
#                                      the generated loader native.js), with
#                                      optionalDependencies on the platform packages
#   jetbridge-linux-x64-gnu-<v>.tgz    the prebuilt addon for x86_64 Linux, glibc >= 2.17
# The addon is built with zig against glibc 2.17 (cargo zigbuild, the same
# target dir as the C library's portable build, bindings-c/scripts/build_portable.sh)
# and stripped. Fails when the addon needs a glibc symbol newer than 2.17 or
# a package's version is not the workspace version. Needs no node_modules:
# native.js and native.d.ts are the committed, generated ones. Writes nothing
# tracked.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
v="${JB_VERSION:-$(./scripts/version.sh)}"
triple=x86_64-unknown-linux-gnu
glibc=$GLIBC_BASELINE
platform=linux-x64-gnu
out="$ROOT/dist/node"
rm -rf "$out"
mkdir -p "$out"

# The committed package.json and generated loader must carry the one version.
pkg_version="$(node -p "require('./bindings-node/package.json').version")"
[ "$pkg_version" = "$v" ] || { echo "bindings-node/package.json has version $pkg_version, the workspace $v" >&2; exit 1; }
grep -q "expected $v but got" bindings-node/native.js ||
  { echo "bindings-node/native.js was generated for another version than $v (run napi build)" >&2; exit 1; }

command -v cargo-zigbuild >/dev/null || { echo "cargo-zigbuild missing: run ./scripts/setup.sh" >&2; exit 1; }
cargo zigbuild --release --target "$triple.$glibc" -p jetbridge-node

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# --- the platform package
plat="$stage/$platform"
mkdir -p "$plat"
addon="jetbridge.$platform.node"
cp "$CARGO_TARGET_DIR/$triple/release/libjetbridge_node.so" "$plat/$addon"
strip --strip-unneeded "$plat/$addon"
needs_at_most_glibc_baseline "$plat/$addon"
cp LICENSE "$plat/"
python3 scripts/third_party_licenses.py -p jetbridge-node --target "$triple" -o "$plat/THIRD-PARTY-LICENSES"
node - "$plat" "$v" "$platform" "$addon" <<'EOF'
const [dir, version, platform, addon] = process.argv.slice(2)
const main = require(require('path').resolve('bindings-node/package.json'))
const pkg = {
  name: `jetbridge-${platform}`,
  version,
  description: `The prebuilt native addon of the jetbridge package for ${platform} (glibc >= 2.17)`,
  license: main.license,
  main: addon,
  files: [addon, 'LICENSE', 'THIRD-PARTY-LICENSES'],
  os: ['linux'],
  cpu: ['x64'],
  libc: ['glibc'],
  engines: main.engines,
}
require('fs').writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n')
require('fs').writeFileSync(`${dir}/README.md`, `# jetbridge-${platform}\n\nThe prebuilt addon of [jetbridge](https://www.npmjs.com/package/jetbridge) for ${platform}. Install \`jetbridge\`, not this package: it picks the one for your platform.\n`)
EOF

# --- the main package: the committed files, without any addon and without
# the install hook, with the platform packages as optional dependencies.
main="$stage/jetbridge"
mkdir -p "$main"
(cd bindings-node && cp -r index.js index.mjs index.d.ts native.js native.d.ts lib README.md "$main/")
cp LICENSE "$main/"
{
  cp "$plat/THIRD-PARTY-LICENSES" /dev/stdout
  printf '\nnpm dependencies bundled in the jetbridge package: none (it has no dependencies).\n'
} >"$main/THIRD-PARTY-LICENSES"
node - "$main" "$v" "$platform" <<'EOF'
const [dir, version, platform] = process.argv.slice(2)
const pkg = { ...require(require('path').resolve('bindings-node/package.json')) }
delete pkg.devDependencies
delete pkg.overrides
// No install script: the platform package brings the addon, and without
// Rust sources there is nothing to build (the loader names what is missing).
delete pkg.scripts
pkg.files = pkg.files.filter((f) => !f.endsWith('.node') && !f.startsWith('scripts/'))
pkg.optionalDependencies = { [`jetbridge-${platform}`]: version }
require('fs').writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n')
EOF

for dir in "$plat" "$main"; do
  (cd "$dir" && npm pack --silent --ignore-scripts --pack-destination "$out" >/dev/null)
done
ls -l "$out"
main_files="$(tar -tzf "$out/jetbridge-$v.tgz")"
plat_files="$(tar -tzf "$out/jetbridge-$platform-$v.tgz")"
grep -q '\.node$' <<<"$main_files" && { echo "the main package must not carry an addon" >&2; exit 1; }
for f in "$addon" LICENSE THIRD-PARTY-LICENSES; do
  grep -qx "package/$f" <<<"$plat_files" || { echo "no $f in the platform package" >&2; exit 1; }
done
for f in LICENSE THIRD-PARTY-LICENSES; do
  grep -qx "package/$f" <<<"$main_files" || { echo "no $f in the main package" >&2; exit 1; }
done
echo "dist/node: jetbridge-$v.tgz, jetbridge-$platform-$v.tgz"
