# shellcheck shell=bash
# Sourced by every script that builds Go against the package in bindings-c/go
# (its tests, examples/go, the conformance runner, the benchmarks):
#   source bindings-c/scripts/go_env.sh
# Builds libjetbridge (release, shared target dir), puts the static library
# and the header where the package's cgo directives look for them
# (bindings-c/go/lib/<goos>-<goarch>/, bindings-c/go/include/; git-ignored,
# the released module carries them: scripts/dist/go.sh), and exports
# CGO_ENABLED=1 and a CGO_CFLAGS naming their digest: Go's build cache hashes
# only the package directory's own files, so without it a rebuilt library
# could leave a stale binary. Build output goes to stderr.
_jb_go_env() {
  local c_dir
  c_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local target=${CARGO_TARGET_DIR:-$(cd "$c_dir/.." && pwd)/target}
  make -s -C "$c_dir" go CARGO_TARGET_DIR="$target" >&2
  local platform digest
  platform=$(go env GOOS)-$(go env GOARCH)
  digest=$(cat "$c_dir/go/include/jetbridge.h" "$c_dir/go/lib/$platform/libjetbridge.a" | sha256sum | cut -c1-16)
  export CGO_ENABLED=1
  export CGO_CFLAGS="-DJB_LIB_DIGEST=$digest ${CGO_CFLAGS:--O2 -g}"
}
_jb_go_env
unset -f _jb_go_env
