"""Where an entry's CPU goes on one workload: `perf record` of one run (the
same server, stream and arguments as the bench's), then the hottest symbols
by self time, grouped by the library they live in.

    .venv/bin/python bench/driver/perf_profile.py --entry jetbridge-rust --workload W1
        [--count N] [--out bench/out/profile]

Run bench/run.sh first (it builds the entries, with debug info, into
bench/out/bin). Writes <out>/<entry>-<workload>.data (open it with
`perf report -i`) and .txt (the summary printed here). Needs `perf` and
perf_event_paranoid ≤ 2 (user-space samples only)."""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
from pathlib import Path
from typing import List

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
sys.path.insert(0, str(BENCH.parent / "tests" / "harness" / "python"))

from entries import all_entries  # noqa: E402
from jb_harness import Harness  # noqa: E402
from workloads import WORKLOADS  # noqa: E402

TOP = 25


def summary(data: Path) -> str:
    """Self time per symbol and per shared object, from `perf report`."""
    out = subprocess.run(
        ["perf", "report", "-i", str(data), "--no-children", "--stdio", "--sort", "dso,symbol",
         "--percent-limit", "0.3", "-g", "none"],
        capture_output=True, text=True, check=True).stdout
    rows, per_dso = [], collections.Counter()
    for line in out.splitlines():
        parts = line.split()
        if not parts or not parts[0].endswith("%") or len(parts) < 3:
            continue
        pct, dso = float(parts[0][:-1]), parts[1]
        sym = " ".join(p for p in parts[3:] if p != "-") or parts[2]
        rows.append((pct, dso, sym))
        per_dso[dso] += pct
    cpu = next((int(line.rsplit(":", 1)[1]) / 1e9 for line in out.splitlines() if "Event count" in line), 0.0)
    lines = [f"client CPU sampled: {cpu:.2f} s (cpu-clock, every thread of the process)", "",
             "self %  shared object          symbol"]
    lines += [f"{p:6.2f}  {d[:22]:22} {s[:110]}" for p, d, s in rows[:TOP]]
    lines += ["", "by thread:"]
    lines += threads(data)
    lines += ["", "by shared object (symbols ≥ 0.3%):"]
    lines += [f"{p:6.2f}  {d}" for d, p in per_dso.most_common()]
    return "\n".join(lines) + "\n"


def threads(data: Path) -> List[str]:
    """Share of the samples per thread name (the core's runtime threads are jetbridge-N)."""
    out = subprocess.run(["perf", "report", "-i", str(data), "--no-children", "--stdio", "--sort", "comm",
                          "-g", "none"], capture_output=True, text=True, check=True).stdout
    rows = [line.split(None, 1) for line in out.splitlines() if line.strip() and not line.startswith("#")]
    return [f"{r[0]:>7}  {r[1].strip()}" for r in rows if len(r) == 2 and r[0].endswith("%")]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--entry", required=True)
    p.add_argument("--workload", required=True)
    p.add_argument("--count", type=int, default=0, help="default: the workload's full count")
    p.add_argument("--out", default=str(BENCH / "out" / "profile"))
    args = p.parse_args()
    bin_dir = BENCH / "out" / "bin"
    entry = {e.name: e for e in all_entries(bin_dir, sys.executable, "node")}[args.entry]
    w = {w.name: w for w in WORKLOADS}[args.workload]
    count = args.count or w.count
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = out / f"{entry.name}-{w.name}.data"
    stream = "PROFILE"
    with Harness(sync_interval="default") as h:
        url = h.urls[0]
        setup = [str(bin_dir / "bench-tool"), "setup", "--url", url, "--stream", stream,
                 "--fill", str(w.fill(count)), "--payload", str(w.payload)]
        setup += [f"--{w.store}"] if w.store else ["--storage", w.storage or "file"]
        subprocess.run(setup, check=True, capture_output=True)
        argv = entry.argv + ["--url", url, "--op", entry.only_op or w.op, "--count", str(count),
                             "--payload", str(w.payload), "--window", "1024", "--batch", "500",
                             "--stream", stream]
        run = subprocess.run(["perf", "record", "-F", "4999", "-g", "-o", str(data), "--", *argv],
                             capture_output=True, text=True, env={**os.environ, "PERF_BUILDID_DIR": "/tmp"})
        if run.returncode != 0:
            print(run.stderr, file=sys.stderr)
            return 1
        print(run.stdout.strip().splitlines()[-1])
    text = f"{entry.name} {w.name} ({count:,} messages)\n" + summary(data)
    (out / f"{entry.name}-{w.name}.txt").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
