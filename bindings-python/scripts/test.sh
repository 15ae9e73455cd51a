#!/usr/bin/env bash
# Builds the Python binding (release, abi3 wheel) into the shared target dir,
# installs it into the repo's .venv (scripts/install.sh), and runs every check of the binding:
# stub check (mypy.stubtest), mypy --strict, pytest against real nats-servers,
# and the walkthrough example compared line by line with the Rust one.
# Assumes ./scripts/setup.sh ran (it creates .venv). Idempotent; any cwd.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
venv="$repo/.venv"
target="${CARGO_TARGET_DIR:-$repo/target}"
export CARGO_TARGET_DIR="$target"

echo "== build: the jetbridge wheel, jb-harness, the Rust walkthrough (release)"
bash "$here/scripts/install.sh" # checks that .venv exists
cargo build --release --quiet -p jetbridge-harness -p jetbridge-examples --manifest-path "$repo/Cargo.toml"

export JB_HARNESS_BIN="$target/release/jb-harness"
export JB_RUST_WALKTHROUGH="$target/release/walkthrough"

# Run from a neutral dir so that the installed wheel is imported, not the
# source tree.
cd "$(mktemp -d)"

echo "== stubs: mypy.stubtest jetbridge._native"
"$venv/bin/python" -m mypy.stubtest jetbridge._native

echo "== types: mypy --strict on the package"
"$venv/bin/python" -m mypy --strict --no-incremental -p jetbridge

echo "== tests: pytest (real nats-servers via tests/harness)"
"$venv/bin/python" -m pytest -c "$here/pyproject.toml" --rootdir "$here" -q "$here/tests" "$@"
