# Shared by the scripts: paths, the shared cargo target dir, and a local
# nats-server from the harness when NATS_URL is not given.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export PATH="$ROOT/.venv/bin:$PATH"
export JB_HARNESS_BIN="${JB_HARNESS_BIN:-$CARGO_TARGET_DIR/release/jb-harness}"

# run_parts DIR PART... -- DEFAULT...: runs scripts/DIR/<part>.sh for each
# PART given (the script's arguments), else for each DEFAULT, with JB_VERSION
# (scripts/version.sh) exported. Used by dist.sh and dist-test.sh.
run_parts() {
  local dir=$1 part
  shift
  local given=() defaults=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do given+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  defaults=("$@")
  [ ${#given[@]} -gt 0 ] || given=("${defaults[@]}")
  JB_VERSION="$("$ROOT/scripts/version.sh")"
  export JB_VERSION
  for part in "${given[@]}"; do
    step "$dir: $part ($JB_VERSION)"
    "$ROOT/scripts/$dir/$part.sh"
  done
}

# The oldest glibc the prebuilt artifacts run on: zig links them against it.
GLIBC_BASELINE=2.17

# needs_at_most_glibc_baseline FILE: prints the newest glibc symbol version
# FILE (a shared object) needs; fails, naming the symbols, when it is newer
# than GLIBC_BASELINE. Used by scripts/dist/{c,node}.sh.
needs_at_most_glibc_baseline() {
  local newest
  newest=$(objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
  echo "objdump -T $(basename "$1"): newest glibc symbol version GLIBC_$newest"
  if [ "$(printf '%s\n%s\n' "$newest" "$GLIBC_BASELINE" | sort -V | tail -n 1)" != "$GLIBC_BASELINE" ]; then
    echo "$(basename "$1") needs GLIBC_$newest (> $GLIBC_BASELINE):" >&2
    objdump -T "$1" | grep -E "GLIBC_($newest)\b" >&2
    return 1
  fi
}

# step "title": prints a visible step header.
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# start_local_server: when NATS_URL is unset, starts a nats-server with the
# harness (free port, temp store, killed when this shell exits) and exports
# NATS_URL.
start_local_server() {
  if [ -n "${NATS_URL:-}" ]; then
    echo "using NATS_URL=$NATS_URL"
    return
  fi
  coproc JB_HARNESS { "$JB_HARNESS_BIN" start; }
  local line
  read -r line <&"${JB_HARNESS[0]}"
  NATS_URL="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["urls"][0])' "$line")"
  export NATS_URL
  # Closing the harness's stdin stops the server.
  trap 'exec {JB_HARNESS[1]}>&-; wait "$JB_HARNESS_PID" 2>/dev/null || true' EXIT
  echo "started a local nats-server at $NATS_URL"
}
