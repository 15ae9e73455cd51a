"""The bench driver: starts a nats-server with the project harness, runs
every workload for every entry (interleaved, entry order rotated per
repetition), checks every run, and writes the table, the JSON and the chart.

Called by bench/run.sh, which builds the entries first:

    run_bench.py --bin DIR --python PY --node NODE [--quick] [--entries a,b]
                 [--workloads W1,W3] [--reps N] [--out DIR] [--publish]

After a change to the report, the goals or the chart, a run's results are
written again, next to its results.json, without running anything:

    run_bench.py --rerender bench/results.json
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "tests" / "harness" / "python"))

import chart  # noqa: E402
import goals  # noqa: E402
import report  # noqa: E402
from entries import Entry, all_entries  # noqa: E402
from jb_harness import Harness  # noqa: E402
from runner import Run, Runner, check_mem, check_obj_memory  # noqa: E402
from workloads import WORKLOADS, Workload  # noqa: E402

CLIENTS = ("async-nats 0.51.0, nats-py 2.16.0, @nats-io/jetstream + @nats-io/transport-node 3.4.0, "
           "nats.c 3.4.1 (Debian libnats-dev), nats.go 1.55.0")


def machine() -> Dict[str, Any]:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {"cpu_model": model, "nproc": os.cpu_count(), "mem_gb": mem_gb, "kernel": platform.release()}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def git_rev() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        return rev
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def server_version(harness_bin: str) -> str:
    try:
        out = subprocess.run([harness_bin, "which"], capture_output=True, text=True, timeout=30).stdout
        return json.loads(out.strip().splitlines()[-1]).get("version", "nats-server ?").replace("nats-server: ", "nats-server ")
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return "nats-server ?"


def takes_part(e: Entry, w: Workload) -> bool:
    if w.jetbridge_only and not e.jetbridge:
        return False
    if e.only_op and w.name != "W1":
        return False
    if w.op == "core" and not e.core_publish:
        return False
    if w.store == "obj" and not e.objects:
        return False
    return True


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default="", help="dir with the built entry executables and bench-tool")
    p.add_argument("--python", default="python3")
    p.add_argument("--node", default="node")
    p.add_argument("--quick", action="store_true", help="reduced counts, 1 repetition, correctness only")
    p.add_argument("--entries", default="", help="comma-separated entry names (default: all)")
    p.add_argument("--workloads", default="", help="comma-separated workload names (default: all)")
    p.add_argument("--reps", type=int, default=0, help="repetitions (default: full 5, quick 1)")
    p.add_argument("--out", default=str(BENCH / "out"))
    p.add_argument("--publish", action="store_true",
                   help="also write bench/results.md, results.json and chart.svg (full runs of everything)")
    p.add_argument("--unavailable", action="append", default=[], metavar="ENTRY=REASON",
                   help="an entry that could not be built; its cells are reported as failed")
    p.add_argument("--rerender", metavar="RESULTS_JSON",
                   help="write an earlier run's results.md, results.json and chart.svg again from that "
                        "results.json (e.g. bench/results.json); runs nothing")
    args = p.parse_args()
    if args.rerender:
        return rerender(Path(args.rerender))
    if not args.bin:
        p.error("--bin is required (except with --rerender)")

    entries = all_entries(Path(args.bin), args.python, args.node)
    if args.entries:
        wanted = set(args.entries.split(","))
        unknown = wanted - {e.name for e in entries}
        if unknown:
            p.error(f"unknown entries {sorted(unknown)}; known: {[e.name for e in entries]}")
        entries = [e for e in entries if e.name in wanted]
    workloads = WORKLOADS
    if args.workloads:
        wanted = set(args.workloads.split(","))
        unknown = wanted - {w.name for w in WORKLOADS}
        if unknown:
            p.error(f"unknown workloads {sorted(unknown)}; known: {[w.name for w in WORKLOADS]}")
        workloads = [w for w in WORKLOADS if w.name in wanted]
    unavailable = dict(u.split("=", 1) for u in args.unavailable)
    reps = args.reps or (1 if args.quick else 5)
    counts = {w.name: (w.quick_count if args.quick else w.count) for w in workloads}

    harness_bin = os.environ.get("JB_HARNESS_BIN", str(REPO / "target" / "release" / "jb-harness"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta: Dict[str, Any] = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick" if args.quick else "full",
        "reps": reps,
        **machine(),
        "load_start": load(),
        "server_version": server_version(harness_bin),
        "sync_interval": "default",
        "git_rev": git_rev(),
        "clients": CLIENTS,
        "counts": counts,
    }
    print(f"bench: {meta['mode']} mode, {reps} repetition(s), {len(entries)} entries, {len(workloads)} workloads; "
          f"{meta['server_version']} with --sync-interval default (the server's default fsync); "
          f"{meta['nproc']} CPUs ({meta['cpu_model']}), load {meta['load_start']}", flush=True)

    runs: List[Run] = []
    runs_file = (out / "runs.jsonl").open("w")
    with Harness(sync_interval="default") as h:
        server = h.servers[0]
        runner = Runner(str(Path(args.bin) / "bench-tool"), h.urls[0], server["monitor"], int(server["pid"]),
                        timeout=120.0 if args.quick else 900.0, settle=0.0 if args.quick else 0.5)
        for w in workloads:
            # A workload's own repetitions (MEM 1, OBJ-* 3) replace the default
            # of 5; an explicit --reps caps them.
            wreps = 1 if args.quick else min(w.reps or reps, args.reps or reps)
            party = [e for e in entries if takes_part(e, w)]
            for rep in range(wreps):
                k = rep % max(len(party), 1)
                for e in party[k:] + party[:k]:
                    if e.name in unavailable:
                        run = Run(w.name, e.name, rep, error=f"not built: {unavailable[e.name]}")
                    else:
                        run = runner.run(e, w, counts[w.name], rep)
                    runs.append(run)
                    runs_file.write(json.dumps(dataclasses.asdict(run)) + "\n")
                    runs_file.flush()
                    if run.ok:
                        extra = f", p50 {run.p50_us:.0f} µs p99 {run.p99_us:.0f} µs" if run.p50_us is not None else ""
                        print(f"  {w.name:8} rep {rep + 1}/{wreps} {e.name:17} {run.msgs_per_s:>12,.0f} {w.unit}{extra}"
                              f"  rss {run.peak_rss_kb / 1024:.0f} MB  ok", flush=True)
                    else:
                        print(f"  {w.name:8} rep {rep + 1}/{wreps} {e.name:17} FAILED: {run.error[:400]}", flush=True)
    runs_file.close()
    meta["load_end"] = load()
    return write_results(out, meta, runs, entries, workloads, args.publish)


def write_results(out: Path, meta: Dict[str, Any], runs: List[Run], entries: List[Entry],
                  workloads: List[Workload], publish: bool) -> int:
    """Checks across runs, then the results files (see `render`); non-zero
    when any run failed."""
    check_mem(runs)
    check_obj_memory(runs, {e.name: e.jetbridge for e in entries})
    summary = report.summarise(runs)
    report.add_ratios(summary, entries)
    render(out, meta, summary, entries, workloads, publish)
    failed = [r for r in runs if not r.ok]
    print(f"bench: {len(runs) - len(failed)}/{len(runs)} runs ok; results in {out}/results.md "
          f"(load at end {meta['load_end']})")
    for r in failed:
        print(f"  FAILED {r.workload} {r.entry} rep {r.rep + 1}: {r.error[:300]}")
    return 1 if failed else 0


def render(out: Path, meta: Dict[str, Any], summary: Dict[str, Any], entries: List[Entry],
           workloads: List[Workload], publish: bool) -> None:
    """results.json (with the goals), chart.svg and results.md in `out`, and
    in bench/ when `publish`."""
    goal_rows = goals.goals(summary, workloads)
    (out / "results.json").write_text(json.dumps(
        {"meta": meta, "workloads": [dataclasses.asdict(w) for w in workloads],
         "entries": [{"name": e.name, "language": e.language, "jetbridge": e.jetbridge, "note": e.note}
                     for e in entries],
         "summary": summary, "goals": goal_rows}, indent=1) + "\n")
    chart.draw(out / "chart.svg", meta, summary, entries, workloads)
    (out / "results.md").write_text(report.markdown(meta, summary, entries, workloads, goal_rows, "chart.svg"))
    if publish and out.resolve() != BENCH.resolve():
        for name in ("results.md", "results.json", "chart.svg"):
            (BENCH / name).write_bytes((out / name).read_bytes())
        print(f"bench: published {BENCH}/results.md, results.json, chart.svg")


def rerender(results: Path) -> int:
    """The results of an earlier run written again, next to its results.json,
    from the summary in it (after a change to the report, the goals or the
    chart), with the entries and workloads it ran."""
    old = json.loads(results.read_text())
    ran_entries = {e["name"] for e in old["entries"]}
    ran_workloads = {w["name"] for w in old["workloads"]}
    entries = [e for e in all_entries(Path("."), "python", "node") if e.name in ran_entries]
    workloads = [w for w in WORKLOADS if w.name in ran_workloads]
    render(results.parent, old["meta"], old["summary"], entries, workloads, publish=False)
    print(f"bench: wrote {results.parent}/results.md, results.json and chart.svg again")
    return 0

if __name__ == "__main__":
    sys.exit(main())
