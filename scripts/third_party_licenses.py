#!/usr/bin/env python3
"""Writes THIRD-PARTY-LICENSES for the Rust crates linked into one package.

    scripts/third_party_licenses.py -p jetbridge-c -o dist/c/.../THIRD-PARTY-LICENSES
    scripts/third_party_licenses.py -p jetbridge-python -o FILE [--target x86_64-unknown-linux-gnu]

Used by scripts/dist/*.sh for every artifact (wheel, npm packages, C tarball,
Go module): pass the workspace package whose library the artifact ships.

"Linked" means the normal (non-dev, non-build) dependency graph of the package
for the target platform (`cargo metadata --filter-platform`), without the
workspace's own crates (JetBridge's LICENSE covers them) and without
procedural-macro crates and what only they use (they run inside the compiler;
none of their code is in the library). Each crate's license files (LICENSE*,
LICENCE*, COPYING*, NOTICE*, UNLICENSE*, or its `license-file`) are copied
from its source in the cargo registry (~/.cargo/registry/src); identical texts
are written once, under the list of crates they cover. A crate that ships no
license file gets its SPDX expression and, for MIT and Apache-2.0, the text.
Fails when a crate has neither a license expression nor a license file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LICENSE_PREFIXES = ("license", "licence", "copying", "notice", "unlicense")
MIT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


def metadata(target: str) -> dict:
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", target],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def linked_packages(meta: dict, name: str) -> list[dict]:
    packages = {p["id"]: p for p in meta["packages"]}
    members = set(meta["workspace_members"])
    roots = [pid for pid in members if packages[pid]["name"] == name]
    if not roots:
        sys.exit(f"third_party_licenses: no workspace package named {name!r}")
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}

    def is_proc_macro(pid: str) -> bool:
        return any("proc-macro" in t["kind"] for t in packages[pid]["targets"])

    seen: set[str] = set()
    todo = list(roots)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for dep in nodes[pid]["deps"]:
            if not any(k["kind"] is None for k in dep["dep_kinds"]):
                continue  # dev- or build-dependency only
            if is_proc_macro(dep["pkg"]):
                continue
            todo.append(dep["pkg"])
    return sorted(
        (packages[pid] for pid in seen if pid not in members),
        key=lambda p: (p["name"], p["version"]),
    )


def license_files(pkg: dict) -> list[Path]:
    crate_dir = Path(pkg["manifest_path"]).parent
    files = sorted(
        f
        for f in crate_dir.iterdir()
        if f.is_file() and f.name.lower().startswith(LICENSE_PREFIXES)
    )
    if pkg.get("license_file"):
        named = (crate_dir / pkg["license_file"]).resolve()
        if named.is_file() and named not in files:
            files.append(named)
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-p", "--package", required=True, help="workspace package, e.g. jetbridge-c")
    ap.add_argument("-o", "--output", required=True, help="file to write")
    ap.add_argument("--target", default="x86_64-unknown-linux-gnu", help="target triple (platform filter)")
    args = ap.parse_args()

    meta = metadata(args.target)
    crates = linked_packages(meta, args.package)
    apache = (ROOT / "LICENSE").read_text()

    # license text -> crates that ship it (first-seen order kept for stable output)
    texts: dict[str, list[str]] = {}
    without_files: list[tuple[str, str]] = []
    for pkg in crates:
        label = f"{pkg['name']} {pkg['version']}"
        files = license_files(pkg)
        if not files:
            if not pkg.get("license"):
                sys.exit(f"third_party_licenses: {label} has no license expression and no license file")
            without_files.append((label, pkg["license"]))
            continue
        for f in files:
            text = f.read_text(encoding="utf-8", errors="replace").strip("\n") + "\n"
            texts.setdefault(text, []).append(f"{label} ({f.name})")

    lines = [
        f"Third-party software linked into {args.package} (JetBridge, {args.target})",
        "",
        "JetBridge itself is licensed under the Apache License 2.0 (LICENSE).",
        "It links the following Rust crates, from crates.io:",
        "",
    ]
    for pkg in crates:
        repo = f" <{pkg['repository']}>" if pkg.get("repository") else ""
        lines.append(f"  {pkg['name']} {pkg['version']}: {pkg.get('license') or 'see license file'}{repo}")
    lines.append("")
    sep = "=" * 78
    for text, who in texts.items():
        lines += [sep, "License text of:"] + [f"  {w}" for w in who] + [sep, "", text]
    if without_files:
        lines += [sep, "Crates that ship no license file (their SPDX license expression):"]
        lines += [f"  {label}: {expr}" for label, expr in without_files]
        lines += [sep, ""]
        if any("MIT" in expr for _, expr in without_files):
            lines += ["The MIT License, for those above that name it (copyright: the crate's authors,", "see its repository):", "", MIT]
        if any("Apache-2.0" in expr for _, expr in without_files):
            lines += ["The Apache License 2.0, for those above that name it:", "", apache]
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print(f"third_party_licenses: {len(crates)} crates -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
