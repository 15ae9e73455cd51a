#!/usr/bin/env bash
# Every test of the C ABI and the Go package, against real nats-servers.
#
#   bindings-c/scripts/test.sh            all of it
#   JB_SKIP_GO=1 bindings-c/scripts/test.sh   C only
#
# Assumes ./scripts/setup.sh ran (it provides the pinned nats-server in .venv).
# Builds in release into ${CARGO_TARGET_DIR:-<repo>/target}; writes its build
# products under bindings-c/build/ (git-ignored).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$here/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
build=$here/build
prefix=$build/prefix
lib=$CARGO_TARGET_DIR/release
export JB_HARNESS_BIN=$lib/jb-harness
with_servers=$here/scripts/with_servers.py
step() { printf '\n== %s  [%s]\n' "$*" "$(date +%T)"; }
# Go is part of the run: without `go` on PATH the run fails, unless JB_SKIP_GO
# is set (an explicit opt-out for C-only runs; CI never sets it).
if [ -z "${JB_SKIP_GO:-}" ] && ! command -v go >/dev/null; then
  echo "go is not on PATH (JB_SKIP_GO=1 runs the C tests only)" >&2
  exit 1
fi

step "header is what cbindgen generates"
"$here/scripts/gen_header.sh" --verify

step "build (release): libjetbridge, jb-harness, Rust walkthrough"
# libjetbridge on its own (the same command as the Makefile, so `make install`
# finds it fresh), then the test tools.
(cd "$repo" && cargo build --release -p jetbridge-c)
(cd "$repo" && cargo build --release -p jetbridge-harness -p jetbridge-examples)

step "Rust unit tests of the binding (registry, error mapping)"
(cd "$repo" && cargo test --release -p jetbridge-c --lib -q)

step "install into $prefix and find it with pkg-config"
rm -rf "$prefix"
make -s -C "$here" install PREFIX="$prefix" CARGO_TARGET_DIR="$CARGO_TARGET_DIR"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
pkg-config --exists jetbridge
[ "$(pkg-config --modversion jetbridge)" = "$(sed -n 's/^#define JB_VERSION "\(.*\)"/\1/p' "$here/include/jetbridge.h")" ]
cflags=$(pkg-config --cflags jetbridge)
libs=$(pkg-config --libs jetbridge)
echo "pkg-config: $cflags $libs"

step "compile the C tests (ASan+UBSan, static) and (plain, shared via pkg-config)"
mkdir -p "$build"
# Every tests/*.c but trace_step.c, a program of its own (build_trace_step.sh).
tests=()
for f in "$here"/tests/*.c; do [ "$(basename "$f")" = trace_step.c ] || tests+=("$f"); done
common=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g "${tests[@]}")
# shellcheck disable=SC2086
gcc "${common[@]}" -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer $cflags "$prefix/lib/libjetbridge.a" -lpthread -ldl -lm \
  -o "$build/jb_c_tests_asan"
# shellcheck disable=SC2086
gcc "${common[@]}" -O2 $cflags $libs -lpthread -o "$build/jb_c_tests"
case "$(nm "$build/jb_c_tests_asan")" in *__asan_init*) ;; *) echo "ASan build lacks __asan_init"; exit 1 ;; esac
case "$(nm "$build/jb_c_tests")" in *__asan_init*) echo "plain build has ASan"; exit 1 ;; esac

step "C tests under ASan+UBSan (leak check on)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  "$with_servers" --auth -- "$build/jb_c_tests_asan"

step "C tests under valgrind (0 errors, 0 bytes definitely lost)"
LD_LIBRARY_PATH=$prefix/lib "$with_servers" --auth -- \
  valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=1 \
  --suppressions="$here/tests/valgrind.supp" "$build/jb_c_tests"

step "C walkthrough, built against the installed library, prints the Rust walkthrough's lines"
# shellcheck disable=SC2086
gcc -std=c11 -Wall -Wextra -Werror -O2 "$repo/examples/c/walkthrough.c" $cflags $libs \
  -o "$build/walkthrough_c"
compare_walkthroughs() {
  # Prints each walkthrough's output with run-specific values normalised away
  # (none: the walkthrough recreates its stream, so the lines are identical).
  "$lib/walkthrough" > "$build/walkthrough.rust.txt"
  LD_LIBRARY_PATH=$prefix/lib "$build/walkthrough_c" > "$build/walkthrough.c.txt"
  diff -u "$build/walkthrough.rust.txt" "$build/walkthrough.c.txt"
  if [ -n "${JB_GO_WALKTHROUGH:-}" ]; then
    "$JB_GO_WALKTHROUGH" > "$build/walkthrough.go.txt"
    diff -u "$build/walkthrough.rust.txt" "$build/walkthrough.go.txt"
  fi
}
export -f compare_walkthroughs
export lib build prefix
if [ -z "${JB_SKIP_GO:-}" ] && command -v go >/dev/null; then
  step "Go: vet, build the walkthrough (static libjetbridge in go/lib/, as the module ships it)"
  source "$here/scripts/go_env.sh"
  (cd "$here/go" && test -z "$(gofmt -l .)" && go vet ./...)
  # The OpenTelemetry integration is its own module (go/otel), so the package
  # itself needs no OpenTelemetry.
  (cd "$here/go/otel" && test -z "$(gofmt -l .)" && go vet ./...)
  (cd "$repo/examples/go" && go vet ./... && go build -o "$build/walkthrough_go" .)
  export JB_GO_WALKTHROUGH=$build/walkthrough_go
fi
"$with_servers" -- bash -c compare_walkthroughs
echo "walkthroughs print the same lines"

if [ -z "${JB_SKIP_GO:-}" ] && command -v go >/dev/null; then
  step "Go: go test -race; then with the debug tag (GC forced at every handle use) and cgocheck2"
  (cd "$here/go" && "$with_servers" --auth -- bash -c \
    'go test -race -count=1 ./... &&
     GOEXPERIMENT=cgocheck2 go test -tags jetbridge_debug -count=1 ./... &&
     cd otel && go test -race -count=1 ./...')
fi

step "all C/Go tests passed${JB_SKIP_GO:+ (Go skipped: JB_SKIP_GO is set)}"
