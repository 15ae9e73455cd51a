"""What one step ended with, and its transcript line (SPEC.md §2)."""

from __future__ import annotations

import builtins
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


#: The kinds whose Python class must also be the built-in exception of that name.
_BUILTIN = {"CONNECTION": builtins.ConnectionError, "TIMEOUT": builtins.TimeoutError}


def caught_as(e: BaseException) -> Optional[str]:
    """The kind a Python program's ``except jetbridge.<Kind>Error`` sees for ``e``: the
    first error class of the binding, in the core's order (``jetbridge.errors.__all__``),
    that ``e`` is an instance of; for ``CONNECTION`` and ``TIMEOUT`` ``e`` must also be the
    built-in ``ConnectionError`` / ``TimeoutError``. ``None`` when no class catches it."""
    import jetbridge
    import jetbridge.errors

    for name in jetbridge.errors.__all__:
        cls = getattr(jetbridge, name)
        if cls is jetbridge.JetBridgeError or not isinstance(e, cls):
            continue
        kind: str = cls.code
        also = _BUILTIN.get(kind)
        return kind if also is None or isinstance(e, also) else None
    return None


#: ``error_line``'s default for ``caught``: the step has no ``catch``.
NOT_ASKED = object()


def error_line(step: int, op: str, kind: str, api_code: Optional[int] = None,
               text: Optional[str] = None, caught: Any = NOT_ASKED) -> str:
    """The transcript line of a failed step: ``api_code`` when the error has the server's
    code, ``text`` (the error's ``str``) only on steps with ``show_text``, ``caught_as``
    (``caught``, a kind or ``None``) only on steps with ``catch``."""
    out: Dict[str, Any] = {"step": step, "op": op, "error": kind}
    if api_code is not None:
        out["api_code"] = api_code
    if text is not None:
        out["text"] = text
    if caught is not NOT_ASKED:
        out["caught_as"] = caught
    return canonical.encode(out)


def log(text: str) -> None:
    """A diagnostic line on stderr (saved next to the transcript)."""
    print(text, file=sys.stderr, flush=True)
