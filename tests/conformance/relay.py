"""Relay scenarios: one server, several languages in turn (SPEC.md §1, "relay").

A relay scenario's steps are cut into parts by ``handoff`` steps. Each part
runs in its own runner process, one after the other, against the same server:
what one language wrote, the next one reads. The languages take the parts in
rotation, starting with the run's own runner, so that with five runners every
language plays every part once across the five runs of the scenario.

The driver prints the line of a ``handoff`` itself (``{"ok": {}}``, no runner
name, so that every rotation prints the same transcript) and renumbers each
part's lines into the scenario's numbering; the checks and the comparison of
transcripts then treat a relay like any other scenario.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Sequence, Tuple, TypeVar

HANDOFF = "handoff"

T = TypeVar("T")


def parts(steps: List[Dict[str, Any]]) -> List[Tuple[int, List[Dict[str, Any]]]]:
    """The parts of a relay's steps, each with the scenario step number of its
    first step (1-based); a ``handoff`` step is in no part."""
    out: List[Tuple[int, List[Dict[str, Any]]]] = []
    first, current = 1, []
    for i, step in enumerate(steps, 1):
        if step["op"] == HANDOFF:
            out.append((first, current))
            first, current = i + 1, []
        else:
            current.append(step)
    out.append((first, current))
    return out


def rotation(runners: Sequence[T], lead: T) -> List[T]:
    """The runners in registry order, starting at ``lead``."""
    i = list(runners).index(lead) if lead in runners else 0
    return list(runners[i:]) + list(runners[:i])


def handoff_line(step: int) -> str:
    return canonical({"step": step, "op": HANDOFF, "ok": {}})


def renumber(lines: List[str], first: int) -> List[str]:
    """A part's transcript lines in the scenario's numbering; a line that is
    not a step line is kept as it is (the checks report it)."""
    out = []
    for line in lines:
        try:
            obj = json.loads(line)
        except ValueError:
            out.append(line)
            continue
        if isinstance(obj, dict) and isinstance(obj.get("step"), int):
            obj["step"] += first - 1
            out.append(canonical(obj))
        else:
            out.append(line)
    return out


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
