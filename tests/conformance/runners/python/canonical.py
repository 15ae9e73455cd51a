"""The canonical JSON of transcript lines (SPEC.md §2): Python's own ``json.dumps`` with
sorted keys, no whitespace and ``ensure_ascii`` is the definition, so this is one call."""

from __future__ import annotations

import json
from typing import Any


def encode(value: Any) -> str:
    """One canonical JSON line (without the newline)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
