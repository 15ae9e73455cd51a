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
