#!/usr/bin/env bash
# Clean install of the npm packages: an empty npm project in a temp dir
# outside the checkout, a PATH without cargo or rustc, `npm install --offline`
# of the two tarballs from dist/node/ (the platform package satisfies the
# main package's optionalDependencies; no registry is asked), then
# examples/node/walkthrough.mjs (copied there) against a local nats-server;
# its output must equal the Rust walkthrough's byte for byte.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
v="${JB_VERSION:-$(./scripts/version.sh)}"
platform=linux-x64-gnu
main="$ROOT/dist/node/jetbridge-$v.tgz"
plat="$ROOT/dist/node/jetbridge-$platform-$v.tgz"
begin_clean_install node "$main" "$plat"

clean() {
  env -u CARGO_TARGET_DIR PATH="$clean_path" CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent \
    npm_config_cache="$tmp/npm-cache" npm_config_update_notifier=false "$@"
}
mkdir "$tmp/app"
cd "$tmp/app"
printf '{ "name": "app", "version": "1.0.0", "private": true, "type": "module" }\n' >package.json
clean npm install --offline --no-audit --no-fund "$plat" "$main"
[ -f "node_modules/jetbridge-$platform/jetbridge.$platform.node" ] || { echo "the platform package is not installed" >&2; exit 1; }
if find node_modules/jetbridge -name '*.node' | grep -q .; then
  echo "node_modules/jetbridge carries an addon of its own" >&2
  exit 1
fi
version="$(clean node -e "console.log(require('jetbridge').version())")"
[ "$version" = "$v" ] || { echo "version() is $version, expected $v" >&2; exit 1; }
esm="$(clean node --input-type=module -e "import { version } from 'jetbridge'; console.log(version())")"
[ "$esm" = "$v" ] || { echo "ESM version() is $esm, expected $v" >&2; exit 1; }
echo "installed jetbridge-$v.tgz with jetbridge-$platform-$v.tgz without cargo (version() $version)"

cp "$ROOT/examples/node/walkthrough.mjs" .
clean NATS_URL="$NATS_URL" node walkthrough.mjs >"$tmp/node.txt"
same_as_rust "$tmp/node.txt" "the installed npm packages"
