# Shared by the clean-install tests (scripts/dist-test/<language>.sh).
# shellcheck shell=bash
#
# begin_clean_install NAME FILE...
#   Fails unless every FILE (the artifacts under test) exists; builds the
#   harness and the Rust walkthrough (no-ops when built); makes $tmp, a fresh
#   directory outside the checkout (removed on exit); starts a local
#   nats-server (exports NATS_URL, stopped on exit); writes the Rust
#   walkthrough's output, the reference, to $tmp/rust.txt; and sets
#   $clean_path: this PATH without any directory holding cargo or rustc and
#   without the checkout's own directories (.venv), checked to hold no Rust
#   toolchain.
# same_as_rust FILE WHAT
#   Fails, with a diff, unless FILE equals $tmp/rust.txt byte for byte.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

begin_clean_install() {
  local name=$1 f d
  shift
  for f in "$@"; do
    [ -e "$f" ] || { echo "missing $f: run ./scripts/dist.sh $name" >&2; exit 1; }
  done
  (cd "$ROOT" && cargo build --release --quiet -p jetbridge-harness -p jetbridge-examples)
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/jb-dist-test-$name.XXXXXX")
  start_local_server
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"; exec {JB_HARNESS[1]}>&- 2>/dev/null; wait "${JB_HARNESS_PID:-}" 2>/dev/null || true' EXIT
  "$CARGO_TARGET_DIR/release/walkthrough" >"$tmp/rust.txt"
  clean_path=
  IFS=: read -r -a dirs <<<"$PATH"
  for d in "${dirs[@]}"; do
    case "$d" in "$ROOT"/* | *cargo* | *rustup*) continue ;; esac
    { [ -e "$d/cargo" ] || [ -e "$d/rustc" ]; } && continue
    clean_path=${clean_path:+$clean_path:}$d
  done
  if PATH="$clean_path" bash -c 'command -v cargo || command -v rustc'; then
    echo "cargo or rustc is still on the clean PATH" >&2
    exit 1
  fi
}

same_as_rust() {
  if ! cmp -s "$tmp/rust.txt" "$1"; then
    echo "$2: the walkthrough output differs from Rust's:" >&2
    diff "$tmp/rust.txt" "$1" >&2 || true
    exit 1
  fi
  echo "$2: the walkthrough printed exactly what Rust printed ($(wc -l <"$1") lines)"
}
