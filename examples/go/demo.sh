#!/usr/bin/env bash
# The Go walkthrough against $NATS_URL: the jetbridge Go package builds with
# cgo and links the static libjetbridge it carries (in the repository
# bindings-c/scripts/go_env.sh puts it there; a `go get` of the released
# module brings it). Build output goes to stderr so stdout is exactly the
# walkthrough's lines.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
source "$repo/bindings-c/scripts/go_env.sh"
(cd "$here" && go build -o "$CARGO_TARGET_DIR/walkthrough_go" .) >&2
exec "$CARGO_TARGET_DIR/walkthrough_go"
