#!/usr/bin/env bash
# dist/python/: the abi3 wheel for manylinux2014 (glibc 2.17) x86_64 and the
# sdist (builds from source with maturin and cargo).
# The wheel is built with maturin, linked by zig against glibc 2.17,
# stripped, with LICENSE and THIRD-PARTY-LICENSES in its .dist-info/licenses/.
# Fails unless `auditwheel show` agrees with the tag (manylinux_2_17 /
# manylinux2014, abi3). Writes nothing tracked.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
v="${JB_VERSION:-$(./scripts/version.sh)}"
triple=x86_64-unknown-linux-gnu
out="$ROOT/dist/python"
rm -rf "$out"
mkdir -p "$out"
py="$ROOT/.venv/bin/python"
for tool in maturin auditwheel; do
  [ -x "$ROOT/.venv/bin/$tool" ] || { echo "$tool missing from .venv: run ./scripts/setup.sh" >&2; exit 1; }
done
"$py" -c 'import ziglang' 2>/dev/null || { echo "ziglang missing from .venv: run ./scripts/setup.sh" >&2; exit 1; }

# Linked by zig against glibc 2.17 with exactly the environment cargo zigbuild
# gives cargo (taken from it through $CARGO), so that the wheel, the Node addon
# and the C library share one build of the core and its dependencies in
# target/$triple/ (maturin's own --zig uses other wrapper paths, which would
# rebuild everything each time the other builds ran in between).
command -v cargo-zigbuild >/dev/null || { echo "cargo-zigbuild missing: run ./scripts/setup.sh" >&2; exit 1; }
zig_env="$(mktemp -d)"
trap 'rm -rf "$zig_env"' EXIT
printf '#!/bin/sh\nenv -0 >"%s/env"\n' "$zig_env" >"$zig_env/cargo"
chmod +x "$zig_env/cargo"
CARGO="$zig_env/cargo" cargo-zigbuild build --release --target "$triple.$GLIBC_BASELINE" -p jetbridge-python
grep -qz '^CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=' "$zig_env/env" 2>/dev/null ||
  { echo "could not take cargo zigbuild's environment (does it still run \$CARGO?)" >&2; exit 1; }
(
  while IFS= read -r -d '' kv; do
    case "${kv%%=*}" in _ | PWD | OLDPWD | SHLVL | CARGO) continue ;; esac
    export "${kv?}"
  done <"$zig_env/env"
  unset CARGO
  "$ROOT/.venv/bin/maturin" build --release --strip --target "$triple" --compatibility manylinux2014 \
    -m bindings-python/Cargo.toml --interpreter "$py" --out "$out"
)
"$ROOT/.venv/bin/maturin" sdist -m bindings-python/Cargo.toml --out "$out"

wheel="$out/jetbridge-$v-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
sdist="$out/jetbridge-$v.tar.gz"
[ -f "$wheel" ] || { echo "expected $wheel; got:" >&2; ls "$out" >&2; exit 1; }
[ -f "$sdist" ] || { echo "expected $sdist" >&2; exit 1; }

# LICENSE and THIRD-PARTY-LICENSES into the wheel's .dist-info/licenses/
# (RECORD updated).
tpl="$zig_env/THIRD-PARTY-LICENSES"
python3 scripts/third_party_licenses.py -p jetbridge-python --target "$triple" -o "$tpl"
python3 - "$wheel" "$v" LICENSE "$tpl" <<'EOF'
import base64, hashlib, os, sys, zipfile
wheel, version, license_file, third_party = sys.argv[1:]
info = f"jetbridge-{version}.dist-info"
add = {f"{info}/licenses/LICENSE": open(license_file, "rb").read(),
       f"{info}/licenses/THIRD-PARTY-LICENSES": open(third_party, "rb").read()}
tmp = wheel + ".tmp"
with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
    record_name = f"{info}/RECORD"
    record = src.read(record_name).decode()
    for item in src.infolist():
        if item.filename != record_name and item.filename not in add:
            dst.writestr(item, src.read(item.filename))
    lines = [l for l in record.splitlines() if l and l.split(",")[0] not in add and l.split(",")[0] != record_name]
    for name, data in add.items():
        dst.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    lines.append(f"{record_name},,")
    dst.writestr(record_name, "\n".join(lines) + "\n")
os.replace(tmp, wheel)
EOF

# The wheel's tag must be what auditwheel finds in it.
show="$("$ROOT/.venv/bin/auditwheel" show "$wheel")"
echo "$show"
flat="$(echo "$show" | tr '\n' ' ' | tr -s ' ')"
case "$flat" in
  *'is consistent with the following platform tag: "manylinux_2_17_x86_64"'*) ;;
  *) echo "auditwheel does not find $(basename "$wheel") consistent with manylinux_2_17_x86_64" >&2; exit 1 ;;
esac
# abi3: every tag of the wheel is cp39-abi3-*, and the module is _native.abi3.so.
python3 - "$wheel" <<'EOF2'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    wheel = next(n for n in names if n.endswith(".dist-info/WHEEL"))
    tags = [l.split(": ", 1)[1] for l in z.read(wheel).decode().splitlines() if l.startswith("Tag: ")]
sos = [n for n in names if n.endswith(".so")]
if not tags or any(not t.startswith("cp39-abi3-") for t in tags) or sos != ["jetbridge/_native.abi3.so"]:
    sys.exit(f"not an abi3 wheel: tags {tags}, modules {sos}")
print(f"abi3: tags {', '.join(tags)}; module {sos[0]}")
EOF2
ls -l "$out"
echo "dist/python: $(basename "$wheel"), $(basename "$sdist")"
