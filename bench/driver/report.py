"""Summaries of the runs: median/min/max per workload and entry, ratios to
the raw core and to each language's native client, and the markdown
results (the goals are in goals.py)."""

from __future__ import annotations

import statistics
from typing import Any, Dict, List, Optional, Tuple

from entries import CORE, NATIVE, Entry
from goals import fmt_goal_target, fmt_goal_value
from runner import Run
from workloads import Workload

Cell = Dict[str, Any]


def summarise(runs: List[Run]) -> Dict[str, Dict[str, Cell]]:
    """{workload: {entry: cell}}; a cell with any failed run is marked failed."""
    out: Dict[str, Dict[str, Cell]] = {}
    groups: Dict[Tuple[str, str], List[Run]] = {}
    for r in runs:
        groups.setdefault((r.workload, r.entry), []).append(r)
    for (w, e), rs in groups.items():
        good = [r for r in rs if r.ok]
        cell: Cell = {"runs": len(rs), "ok": len(good), "errors": [r.error for r in rs if not r.ok]}
        if good:
            rates = [r.msgs_per_s for r in good]
            cell.update(
                median=statistics.median(rates), min=min(rates), max=max(rates),
                peak_rss_mb=max(r.peak_rss_kb for r in good) / 1024,
                client_cpu_us_per_msg=statistics.median(
                    r.client_cpu_s / max(r.report.get("count", 1), 1) * 1e6 for r in good),
                server_cpu_us_per_msg=statistics.median(
                    r.server_cpu_s / max(r.report.get("count", 1), 1) * 1e6 for r in good),
            )
            p50 = [r.p50_us for r in good if r.p50_us is not None]
            p99 = [r.p99_us for r in good if r.p99_us is not None]
            if p50:
                cell["p50_us"], cell["p99_us"] = statistics.median(p50), statistics.median(p99)
        out.setdefault(w, {})[e] = cell
    return out


def ratio(cells: Dict[str, Cell], a: str, b: str) -> Optional[float]:
    x, y = cells.get(a, {}), cells.get(b, {})
    if x.get("errors") or y.get("errors") or "median" not in x or "median" not in y or not y["median"]:
        return None
    return x["median"] / y["median"]


def add_ratios(summary: Dict[str, Dict[str, Cell]], entries: List[Entry]) -> None:
    for cells in summary.values():
        for e in entries:
            if e.name in cells:
                cells[e.name]["vs_core"] = ratio(cells, e.name, CORE)
                cells[e.name]["vs_native"] = ratio(cells, e.name, NATIVE[e.language])


def fmt_rate(x: Optional[float]) -> str:
    if x is None:
        return "–"
    if x >= 1e6:
        return f"{x / 1e6:.2f}M"
    if x >= 1e4:
        return f"{x / 1e3:.0f}k"
    return f"{x / 1e3:.1f}k"


def fmt_value(x: Optional[float], w: Workload) -> str:
    """A throughput in the workload's unit: MiB/s plain, msgs/s abbreviated."""
    if w.store == "obj":
        return "–" if x is None else f"{x:,.0f}" if x >= 100 else f"{x:.1f}"
    return fmt_rate(x)


def fmt_ratio(x: Optional[float]) -> str:
    return "–" if x is None else f"{x:.2f}×"


def markdown(meta: Dict[str, Any], summary: Dict[str, Dict[str, Cell]], entries: List[Entry],
             workloads: List[Workload], goal_rows: List[Dict[str, Any]], chart: Optional[str]) -> str:
    L: List[str] = []
    L.append("# JetBridge benchmark results\n")
    L.append(f"- Date: {meta['date']}; mode: {meta['mode']}, {meta['reps']} repetition(s) per cell, "
             "entries interleaved (order rotated per repetition)")
    L.append(f"- Machine: {meta['cpu_model']}, {meta['nproc']} CPUs, {meta['mem_gb']:.0f} GB RAM, "
             f"Linux {meta['kernel']}; client and server share the CPUs")
    L.append(f"- Load average at start / end: {meta['load_start']} / {meta.get('load_end', '?')}")
    L.append(f"- Server: {meta['server_version']}, started by the project harness with "
             f"`--sync-interval default` (the server's default fsync policy), one node, R1")
    L.append(f"- JetBridge: git {meta['git_rev']}; clients: {meta['clients']}")
    L.append("- Every run is checked (exact counts on the client and on the server); a failed check fails the run.")
    L.append("- JetBridge always sends a `Nats-Msg-Id` (its dedup/retry guarantee), which costs the server CPU; "
             "`async-nats+ids`, `nats.c+ids` and `nats.go+ids` show W1 with a msg id on every message.\n")
    if chart:
        L.append(f"![msgs/s per workload and entry]({chart})\n")

    names = [e.name for e in entries]
    L.append("## Median msgs/s (MiB/s for OBJ-PUT and OBJ-GET)\n")
    L.append("| workload | " + " | ".join(names) + " |")
    L.append("|---|" + "---:|" * len(names))
    for w in workloads:
        cells = summary.get(w.name)
        if not cells:
            continue
        row = []
        for n in names:
            c = cells.get(n)
            if c is None:
                row.append("")
            elif c["errors"]:
                row.append("FAILED")
            else:
                row.append(fmt_value(c.get("median"), w))
        L.append(f"| {w.name} | " + " | ".join(row) + " |")
    L.append("")

    L.append("## Goals of issue 20\n")
    if meta["mode"] == "quick":
        L.append("Quick mode: the counts are too small for these ratios to mean anything; "
                 "it checks correctness only.\n")
    L.append("| goal | workload | measured | target | |")
    L.append("|---|---|---:|---:|---|")
    for g in goal_rows:
        verdict = "n/a" if g["met"] is None else ("met" if g["met"] else "**missed**")
        L.append(f"| {g['goal']} | {g['workload']} | {fmt_goal_value(g)} | {fmt_goal_target(g)} | {verdict} |")
    met = sum(1 for g in goal_rows if g["met"])
    L.append(f"\n{met} of {len(goal_rows)} met.")
    L.append("")

    L.append("## Per workload\n")
    L.append("`vs core` = entry / jetbridge-rust; `vs native` = entry / the language's native client "
             "(async-nats, nats.py, nats.js, nats.c, nats.go). CPU is per message, user+system; the server's "
             "is measured over the client's run.\n")
    for w in workloads:
        cells = summary.get(w.name)
        if not cells:
            continue
        payload = f"{w.payload} B" if w.payload < 1024 else f"{w.payload // 1024} KiB"
        L.append(f"### {w.name}: {w.description}\n")
        n = meta['counts'][w.name]
        if w.store == "obj":
            L.append(f"One object of {n:,} MiB in an object store (file storage, R1); throughput in MiB/s, "
                     "CPU per MiB. JetBridge entries' peak RSS must stay within their KV-GET peak + 128 MiB.\n")
        elif w.store == "kv":
            L.append(f"{n:,} operations, values of {payload}, a key-value bucket (file storage, R1, history 1).\n")
        else:
            L.append(f"{n:,} messages of {payload}" + (f", {w.storage} storage" if w.storage else "") + ".\n")
        lat = w.op == "latency"
        per = "MiB" if w.store == "obj" else "msg"
        head = f"| entry | median {w.unit} | min | max |" + (" p50 µs | p99 µs |" if lat else "")
        head += f" vs core | vs native | peak RSS MB | client CPU µs/{per} | server CPU µs/{per} |"
        L.append(head)
        L.append("|---|" + "---:|" * (head.count("|") - 2))
        for n in names:
            c = cells.get(n)
            if c is None:
                continue
            if c["errors"]:
                L.append(f"| {n} | FAILED ({c['ok']}/{c['runs']} ok): {c['errors'][0][:160]} |")
                continue
            cols = [fmt_value(c["median"], w), fmt_value(c["min"], w), fmt_value(c["max"], w)]
            if lat:
                cols += [f"{c.get('p50_us', 0):.0f}", f"{c.get('p99_us', 0):.0f}"]
            cols += [fmt_ratio(c.get("vs_core")), fmt_ratio(c.get("vs_native")), f"{c['peak_rss_mb']:.0f}",
                     f"{c['client_cpu_us_per_msg']:.2f}", f"{c['server_cpu_us_per_msg']:.2f}"]
            L.append(f"| {n} | " + " | ".join(cols) + " |")
        L.append("")

    mem = summary.get("MEM")
    if mem:
        w1 = summary.get("W1", {})
        L.append("## Memory under a long pipelined publish\n")
        L.append(f"Peak RSS of each JetBridge process publishing {meta['counts']['MEM']:,} messages (MEM) "
                 f"next to {meta['counts'].get('W1', 0):,} (W1): the in-flight window bounds it, not the count.\n")
        L.append("| entry | W1 peak RSS MB | MEM peak RSS MB |")
        L.append("|---|---:|---:|")
        for n in names:
            if n in mem:
                a = w1.get(n, {}).get("peak_rss_mb")
                b = mem[n].get("peak_rss_mb")
                L.append(f"| {n} | {'–' if a is None else f'{a:.0f}'} | "
                         f"{'FAILED' if b is None else f'{b:.0f}'} |")
        L.append("")
    return "\n".join(L) + "\n"
