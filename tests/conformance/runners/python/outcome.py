"""What one step ended with, and its transcript line (SPEC.md §2)."""

from __future__ import annotations

import sys
from typing import Any, Dict, Optional

import canonical


class StepError(Exception):
    """A step that did not produce a result. ``kind`` is what the transcript shows."""

    kind = "RUNNER"


class Unsupported(StepError):
    """The scenario asked for something this binding cannot do (unknown op, unknown
    argument value, a field the binding lacks). Printed as ``UNSUPPORTED``."""

    kind = "UNSUPPORTED"


class RunnerError(StepError):
    """The scenario is malformed or refers to something that does not exist. Printed as
    ``RUNNER``."""

    kind = "RUNNER"


def line(step: int, op: str, result: Dict[str, Any]) -> str:
    """The transcript line of a successful step."""
    return canonical.encode({"step": step, "op": op, "ok": result})


def error_line(step: int, op: str, kind: str, api_code: Optional[int] = None,
               text: Optional[str] = None) -> str:
    """The transcript line of a failed step: ``api_code`` when the error has the server's
    code, ``text`` (the error's ``str``) only on steps with ``show_text``."""
    out: Dict[str, Any] = {"step": step, "op": op, "error": kind}
    if api_code is not None:
        out["api_code"] = api_code
    if text is not None:
        out["text"] = text
    return canonical.encode(out)


def log(text: str) -> None:
    """A diagnostic line on stderr (saved next to the transcript)."""
    print(text, file=sys.stderr, flush=True)
