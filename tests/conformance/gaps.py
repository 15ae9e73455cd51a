"""Known gaps: steps a binding cannot express yet, listed in known_gaps.json.

A known gap is a (runner, scenario, step) where the runner prints `UNSUPPORTED` because its
language's API cannot pass the step's input (e.g. an explicit 0 where the C struct and the
Go options read 0 as "not set"). The contract the driver enforces:

- at a listed step the runner must print exactly the `UNSUPPORTED` line; anything else
  (including the expected result) fails the run, so a closed gap must leave the list;
- every other step of that run is checked and compared as usual;
- the matrix marks the run `✗ gap` (it is not a pass), the report lists each gap with its
  reason, and the exit status stays 0 for gaps alone.

Standard library only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Tuple

#: (runner, scenario) -> {step number: why the binding cannot express it}
Gaps = Dict[Tuple[str, str], Dict[int, str]]


def load(path: Path, scenario_steps: Dict[str, int], every_scenario: List[str]) -> Gaps:
    """Reads and validates known_gaps.json.

    `scenario_steps` maps each loaded scenario to its number of steps; `every_scenario`
    names every scenario file (a filtered run still refuses an entry for a missing one).
    Raises ValueError naming the bad entry.
    """
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise ValueError(f"{path.name}: not JSON: {e}") from None
    if not isinstance(doc, dict):
        raise ValueError(f"{path.name}: must be an object runner -> scenario -> step -> reason")
    gaps: Gaps = {}
    for runner, per_scenario in doc.items():
        if runner.startswith("_"):
            continue  # comments
        if not isinstance(per_scenario, dict):
            raise ValueError(f"{path.name}: {runner} must map scenarios to steps")
        for scenario, steps in per_scenario.items():
            where = f"{path.name}: {runner}/{scenario}"
            if scenario not in every_scenario:
                raise ValueError(f"{where}: no such scenario")
            if not isinstance(steps, dict) or not steps:
                raise ValueError(f"{where}: must map step numbers to reasons")
            listed: Dict[int, str] = {}
            for step, reason in steps.items():
                if not step.isdigit() or not isinstance(reason, str) or not reason.strip():
                    raise ValueError(f"{where}: step {step!r} needs a number and a reason")
                n = int(step)
                if scenario in scenario_steps and not 1 <= n <= scenario_steps[scenario]:
                    raise ValueError(f"{where}: step {n} is out of range")
                listed[n] = reason.strip()
            if scenario in scenario_steps:
                gaps[(runner, scenario)] = listed
    return gaps
