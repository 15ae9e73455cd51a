#!/usr/bin/env python3
"""``runner.py SCENARIO.json``: runs one conformance scenario through the public asyncio API
of the Python binding (``import jetbridge``) and prints its transcript, one canonical JSON
line per step (tests/conformance/SPEC.md).

Exit code 0 when every step was executed (whatever its outcome), 2 when the scenario
cannot be read, 3 when ``jetbridge`` cannot be imported (every step then prints
``RUNNER``). Diagnostics go to stderr: for each step its op, for every error its
``str`` and ``repr``, and every log record of the core at debug level (secret hygiene,
SPEC.md §7).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import outcome  # noqa: E402
from outcome import StepError, log  # noqa: E402

Steps = List[Tuple[str, Dict[str, Any], bool, bool]]


def load(path: str) -> Steps:
    """The ``op``, ``args``, ``show_text`` and ``catch`` of each step; expectations are the
    driver's business."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    steps = doc.get("steps") if isinstance(doc, dict) else None
    if not isinstance(steps, list):
        raise ValueError(f'{path}: "steps" must be a list')
    out: Steps = []
    for i, step in enumerate(steps, 1):
        op = step.get("op") if isinstance(step, dict) else None
        if not isinstance(op, str):
            raise ValueError(f'{path}: step {i} has no "op"')
        args = step.get("args") or {}
        if not isinstance(args, dict):
            raise ValueError(f'{path}: step {i} "args" must be an object')
        out.append((op, args, step.get("show_text") is True, step.get("catch") is True))
    return out


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def run_steps(steps: Steps) -> None:
    import jetbridge

    import logs
    import ops
    from state import State

    logs.install()

    st = State()
    for i, (op, args, show_text, catch) in enumerate(steps, 1):
        log(f"step {i} {op}")
        try:
            emit(outcome.line(i, op, await ops.run(st, op, args)))
        except jetbridge.JetBridgeError as e:
            log(f"  core error: {e}\n  core error repr: {e!r}")
            caught = outcome.caught_as(e) if catch else outcome.NOT_ASKED
            emit(outcome.error_line(i, op, e.code, e.api_code, str(e) if show_text else None, caught))
        except StepError as e:
            log(f"  {e.kind.lower()}: {e}")
            emit(outcome.error_line(i, op, e.kind, caught=outcome.caught_as(e) if catch else outcome.NOT_ASKED))
        except Exception as e:  # anything else is the runner's own failure
            log(f"  runner error: {type(e).__name__}: {e!r}")
            emit(outcome.error_line(i, op, "RUNNER", caught=outcome.caught_as(e) if catch else outcome.NOT_ASKED))
    await st.shutdown()


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        log("usage: runner.py SCENARIO.json")
        return 2
    try:
        steps = load(argv[1])
    except (OSError, ValueError) as e:
        log(f"runner.py: {e}")
        return 2
    try:
        import jetbridge  # noqa: F401
    except ImportError as e:
        log(f"runner.py: cannot import jetbridge ({e}); install the Python binding: "
            "bindings-python/scripts/test.sh")
        for i, (op, _, _, _) in enumerate(steps, 1):
            emit(outcome.error_line(i, op, "RUNNER"))
        return 3
    asyncio.run(run_steps(steps))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
