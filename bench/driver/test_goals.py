"""The goals' arithmetic on a made-up summary: which side is divided by which,
which direction passes, and that a failed or missing cell gives no verdict.
Run by bench/scripts/test.sh before the quick run."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from goals import fmt_goal_target, fmt_goal_value, goals  # noqa: E402
from workloads import WORKLOADS  # noqa: E402


def cell(median: float = 0.0, **more: float) -> dict:
    return {"runs": 1, "ok": 1, "errors": [], "median": median, **more}


SUMMARY = {
    "W1": {"jetbridge-rust": cell(150_000, client_cpu_us_per_msg=4.0, peak_rss_mb=10),
           "async-nats+ids": cell(100_000, client_cpu_us_per_msg=5.0),
           "jetbridge-c": cell(90_000, peak_rss_mb=12), "nats.c+ids": cell(100_000),
           "jetbridge-go": {"runs": 1, "ok": 0, "errors": ["boom"]}, "nats.go+ids": cell(100_000),
           "jetbridge-python": cell(130_000, peak_rss_mb=30), "nats.py": cell(40_000)},
    "W2": {"jetbridge-rust": cell(1, p50_us=50.0), "nats.go": cell(1, p50_us=60.0),
           "async-nats": cell(1, p50_us=70.0), "jetbridge-go": cell(1, p50_us=75.0),
           "jetbridge-c": cell(1, p50_us=65.0)},
    "W3": {"jetbridge-c": cell(200_000)},
    "W3-EACH": {"jetbridge-c": cell(150_000)},
    "MEM": {"jetbridge-rust": cell(1, peak_rss_mb=10.5), "jetbridge-python": cell(1, peak_rss_mb=60)},
}


def row(goal: str, workload: str) -> dict:
    found = [r for r in goals(SUMMARY, WORKLOADS) if r["goal"].startswith(goal) and r["workload"] == workload]
    assert len(found) == 1, (goal, workload, found)
    return found[0]


def main() -> None:
    assert row("jetbridge-rust ≥ async-nats+ids", "W1")["value"] == 1.5
    assert row("jetbridge-rust ≥ async-nats+ids", "W1")["met"] is True
    assert row("jetbridge-c ≥ nats.c+ids", "W1")["met"] is False
    failed = row("jetbridge-go ≥ nats.go+ids", "W1")
    assert failed["value"] is None and failed["met"] is None and fmt_goal_value(failed) == "–"
    cpu = row("core client CPU per message", "W1")
    assert cpu["value"] == 5.0 / 4.0 and cpu["met"] is True
    assert row("jetbridge-python ≥ 3× nats.py", "W1")["value"] == 130_000 / 40_000
    # W2: the fastest native is nats.go (60 µs); ours 50 µs → 1.2×.
    core = row("core p50 ≤ the fastest native client's (nats.go)", "W2")
    assert core["value"] == 60.0 / 50.0 and core["met"] is True
    go = row("jetbridge-go p50 ≤ core + 20 µs", "W2")
    assert go["value"] == 25.0 and go["met"] is False and fmt_goal_value(go) == "+25 µs"
    assert fmt_goal_target(go) == "≤ 20 µs"
    assert row("jetbridge-c p50 ≤ core + 20 µs", "W2")["met"] is True
    each = row("jetbridge-c per-message", "W3-EACH")
    assert each["value"] == 0.75 and each["met"] is False
    assert row("jetbridge-rust peak RSS", "MEM")["met"] is True
    assert row("jetbridge-python peak RSS", "MEM")["met"] is False
    near = {"value": 0.996, "target": 1.0, "unit": "×", "met": False, "higher_is_better": True}
    assert fmt_goal_value(near) == "0.996×", fmt_goal_value(near)
    # A workload that did not run has no rows.
    assert not [r for r in goals(SUMMARY, WORKLOADS) if r["workload"] in ("W4", "W5")]
    print("bench goals: ok")


if __name__ == "__main__":
    main()
