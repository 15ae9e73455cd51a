"""The goals of issue 20 ("faster than every native client at the same
guarantees"), each measured from one run's summary and given a verdict.

A goal row: what is compared, the workload, the measured value, the target,
the unit ("×" for a ratio, "µs" for a latency difference, "" for none), which
direction is better, and `met` (None when a side has no measurement)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from entries import CORE
from workloads import Workload

Cell = Dict[str, Any]
Summary = Dict[str, Dict[str, Cell]]

BINDINGS = ("jetbridge-python", "jetbridge-node", "jetbridge-c", "jetbridge-go")
JETBRIDGE = (CORE,) + BINDINGS

# Each JetBridge entry against the native client of its language, both with a
# msg id on every message (JetBridge always sends one): W1 takes the `+ids`
# variants; W3 and W5 only consume; W4's workload is publishing with ids.
SAME_GUARANTEES = {
    "W1": ((CORE, "async-nats+ids"), ("jetbridge-c", "nats.c+ids"), ("jetbridge-go", "nats.go+ids")),
    "W3": ((CORE, "async-nats"), ("jetbridge-c", "nats.c"), ("jetbridge-go", "nats.go")),
    "W4": ((CORE, "async-nats"), ("jetbridge-c", "nats.c"), ("jetbridge-go", "nats.go")),
    "W5": ((CORE, "async-nats"), ("jetbridge-c", "nats.c"), ("jetbridge-go", "nats.go")),
}
NATIVES = ("async-nats", "nats.go", "nats.c")
LATENCY_MARGIN_US = 20.0
PER_MESSAGE_SHARE = 0.8
BINDING_SHARE = 0.8
MEM_GROWTH = 1.1


def _get(summary: Summary, workload: str, entry: str, key: str) -> Optional[float]:
    cell = summary.get(workload, {}).get(entry, {})
    return None if cell.get("errors") else cell.get(key)


def _ratio(summary: Summary, workload: str, a: str, b: str, key: str = "median") -> Optional[float]:
    x, y = _get(summary, workload, a, key), _get(summary, workload, b, key)
    return x / y if x and y else None


def _ratio_across(s: Summary, entry: str, a: str, b: str, key: str = "median") -> Optional[float]:
    """One entry's value on workload a over its value on workload b."""
    x, y = _get(s, a, entry, key), _get(s, b, entry, key)
    return x / y if x and y else None


class Goals:
    def __init__(self) -> None:
        self.rows: List[Dict[str, Any]] = []

    def add(self, goal: str, workload: str, value: Optional[float], target: float,
            unit: str = "×", higher_is_better: bool = True) -> None:
        met = None if value is None else (value >= target if higher_is_better else value <= target)
        self.rows.append({"goal": goal, "workload": workload, "value": value, "target": target,
                          "unit": unit, "higher_is_better": higher_is_better, "met": met})


def same_guarantees(g: Goals, s: Summary) -> None:
    for w, pairs in SAME_GUARANTEES.items():
        for ours, theirs in pairs:
            g.add(f"{ours} ≥ {theirs}", w, _ratio(s, w, ours, theirs), 1.0)
    # CPU per message: theirs over ours, so ≥ 1 means the core spends no more.
    g.add("core client CPU per message ≤ async-nats+ids's", "W1",
          _ratio(s, "W1", "async-nats+ids", CORE, "client_cpu_us_per_msg"), 1.0)


def latency(g: Goals, s: Summary) -> None:
    p50 = {e: _get(s, "W2", e, "p50_us") for e in JETBRIDGE + NATIVES}
    have = [n for n in NATIVES if p50[n]]
    best = min(have, key=lambda n: p50[n] or 0.0, default=None)
    g.add(f"core p50 ≤ the fastest native client's ({best or 'none'}): theirs / ours", "W2",
          p50[best] / p50[CORE] if best and p50[best] and p50[CORE] else None, 1.0)
    for b in BINDINGS:
        diff = p50[b] - p50[CORE] if p50[b] is not None and p50[CORE] is not None else None
        g.add(f"{b} p50 ≤ core + {LATENCY_MARGIN_US:g} µs", "W2", diff, LATENCY_MARGIN_US,
              unit="µs", higher_is_better=False)


def per_message(g: Goals, s: Summary) -> None:
    """The first loop a user writes (one message at a time) against the batched form."""
    for e in JETBRIDGE:
        g.add(f"{e} per-message receive and ack within {100 - PER_MESSAGE_SHARE * 100:.0f}% of its W3",
              "W3-EACH", _ratio_across(s, e, "W3-EACH", "W3"), PER_MESSAGE_SHARE)


def bindings(g: Goals, s: Summary, workloads: List[Workload]) -> None:
    g.add("jetbridge-python ≥ 3× nats.py", "W1", _ratio(s, "W1", "jetbridge-python", "nats.py"), 3.0)
    g.add("jetbridge-node ≥ 2.5× nats.js", "W3", _ratio(s, "W3", "jetbridge-node", "nats.js"), 2.5)
    for w in workloads:
        if not w.batch_path or w.jetbridge_only or w.store or w.name not in s:
            continue
        for b in BINDINGS:
            g.add(f"{b} within {100 - BINDING_SHARE * 100:.0f}% of the core", w.name,
                  _ratio(s, w.name, b, CORE), BINDING_SHARE)


FAST_INGEST = "jetbridge-rust+fast"
FAST_INGEST_FACTOR = 2.0


def fast_ingest(g: Goals, s: Summary) -> None:
    """The core's publisher in fast-ingest batches against async-nats's
    per-message pipelined publish (without ids, the faster of its two)."""
    g.add(f"{FAST_INGEST} ≥ {FAST_INGEST_FACTOR:g}× async-nats", "W1",
          _ratio(s, "W1", FAST_INGEST, "async-nats"), FAST_INGEST_FACTOR)


def memory(g: Goals, s: Summary) -> None:
    """Peak RSS under MEM's 1,000,000 publishes over W1's 200,000: the window bounds it."""
    for e in JETBRIDGE:
        a, b = _get(s, "MEM", e, "peak_rss_mb"), _get(s, "W1", e, "peak_rss_mb")
        g.add(f"{e} peak RSS at 1,000,000 publishes ≤ {MEM_GROWTH:g}× at 200,000", "MEM",
              a / b if a and b else None, MEM_GROWTH, higher_is_better=False)


def goals(summary: Summary, workloads: List[Workload]) -> List[Dict[str, Any]]:
    """Every goal of issue 20 that the bench measures, for the workloads that
    ran."""
    g = Goals()
    same_guarantees(g, summary)
    latency(g, summary)
    per_message(g, summary)
    bindings(g, summary, workloads)
    fast_ingest(g, summary)
    memory(g, summary)
    return [r for r in g.rows if r["workload"] in summary]


def fmt_goal_value(row: Dict[str, Any]) -> str:
    v = row["value"]
    if v is None:
        return "–"
    if row["unit"] == "µs":
        return f"{v:+.0f} µs"
    # Two decimals, or three where two would round a miss up to its target.
    text = f"{v:.2f}"
    if text == f"{row['target']:.2f}" and not row["met"]:
        text = f"{v:.3f}"
    return f"{text}{row['unit']}"


def fmt_goal_target(row: Dict[str, Any]) -> str:
    sign = "≥" if row["higher_is_better"] else "≤"
    return f"{sign} {row['target']:g}{' ' if row['unit'] == 'µs' else ''}{row['unit']}"
