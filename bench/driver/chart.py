"""The chart: grouped bars of median msgs/s per workload and entry (log
scale; MiB/s for the object-store workloads, labelled under their names),
with the date, machine and server version in the title."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

from entries import Entry
from workloads import Workload

# One color per language; JetBridge solid, the other clients hatched.
COLORS = {"rust": "#b7410e", "python": "#3572a5", "node": "#3c873a", "c": "#555555", "go": "#00add8"}


def draw(path: Path, meta: Dict[str, Any], summary: Dict[str, Dict[str, Any]],
         entries: List[Entry], workloads: List[Workload]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "jetbridge-bench"
    import matplotlib.pyplot as plt

    shown = [w for w in workloads if w.name != "MEM" and w.name in summary]
    names = [e.name for e in entries]
    width = 0.8 / max(len(names), 1)
    fig, ax = plt.subplots(figsize=(max(10, 1.45 * len(shown) + 3), 6.5))
    for i, e in enumerate(entries):
        xs, ys = [], []
        for j, w in enumerate(shown):
            c = summary[w.name].get(e.name)
            if c and not c["errors"] and c.get("median"):
                xs.append(j - 0.4 + width * (i + 0.5))
                ys.append(c["median"])
        if not xs:
            continue
        ax.bar(xs, ys, width, label=e.name, color=COLORS.get(e.language, "#999999"),
               alpha=0.55 if e.only_op else 1.0, hatch=None if e.jetbridge else "///",
               edgecolor="white" if e.jetbridge else "black", linewidth=0.3)
    ax.set_yscale("log")
    ax.set_xticks(range(len(shown)))
    ax.set_xticklabels([w.name if w.unit == "msgs/s" else f"{w.name}\n({w.unit})" for w in shown])
    ax.set_ylabel("msgs/s, MiB/s for OBJ-* (median, log scale)")
    ax.grid(axis="y", which="both", alpha=0.25)
    ax.set_title(
        f"JetBridge vs other NATS clients — {meta['date']}, {meta['mode']} mode\n"
        f"{meta['cpu_model']} ({meta['nproc']} CPUs, shared by client and server), "
        f"{meta['server_version']}, sync_interval default",
        fontsize=9,
    )
    ax.legend(ncol=5, fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)
