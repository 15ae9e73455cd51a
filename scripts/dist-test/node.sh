#!/usr/bin/env bash
# Clean install of the npm packages: an empty npm project in a temp dir
# outside the checkout, a PATH without cargo or rustc, `npm install --offline`
# of the two tarballs from dist/node/ (the platform package satisfies the
# main package's optionalDependencies; no registry is asked), then
# examples/node/walkthrough.mjs (copied there) against a local nats-server;
# its output must equal the Rust walkthrough's byte for byte.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
v="${JB_VERSION:-$(./scripts/version.sh)}"
platform=linux-x64-gnu
main="$ROOT/dist/node/jetbridge-$v.tgz"
plat="$ROOT/dist/node/jetbridge-$platform-$v.tgz"
for f in "$main" "$plat"; do
  [ -f "$f" ] || { echo "no $f: run ./scripts/dist.sh node" >&2; exit 1; }
done
# The server (harness) and the reference output (Rust walkthrough); no-ops when built.
cargo build --release --quiet -p jetbridge-harness -p jetbridge-examples

tmp="$(mktemp -d)"
start_local_server
trap 'exec {JB_HARNESS[1]}>&-; wait "$JB_HARNESS_PID" 2>/dev/null || true; rm -rf "$tmp"' EXIT

# PATH without any directory holding cargo or rustc, nor the checkout's .venv.
clean_path=""
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  case "$d" in "$ROOT"/* | *cargo* | *rustup*) continue ;; esac
  [ -e "$d/cargo" ] || [ -e "$d/rustc" ] && continue
  clean_path="${clean_path:+$clean_path:}$d"
done
clean() {
  env -u CARGO_TARGET_DIR PATH="$clean_path" CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent \
    npm_config_cache="$tmp/npm-cache" npm_config_update_notifier=false "$@"
}
if clean bash -c 'command -v cargo || command -v rustc'; then
  echo "cargo or rustc is still on the clean PATH" >&2
  exit 1
fi

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
"$CARGO_TARGET_DIR/release/walkthrough" >"$tmp/rust.txt"
clean NATS_URL="$NATS_URL" node walkthrough.mjs >"$tmp/node.txt"
if ! cmp -s "$tmp/rust.txt" "$tmp/node.txt"; then
  echo "the installed package's walkthrough output differs from Rust's:" >&2
  diff "$tmp/rust.txt" "$tmp/node.txt" >&2 || true
  exit 1
fi
echo "the installed package's walkthrough printed exactly what Rust printed ($(wc -l <"$tmp/rust.txt") lines)"
