"""Reading a step's arguments: typed getters, ``${JB_*}`` substitution, and a check that
every argument given was understood (a typo in a scenario is a ``RUNNER`` error)."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import Any, Dict, List, Optional, Set, Tuple, Union

from outcome import RunnerError

_VAR = re.compile(r"\$\{([^}]*)\}")


def substitute(s: str) -> str:
    """Replaces every ``${JB_NAME}`` with the environment variable; unset is ``RUNNER``."""
    if "${" in s and s.count("${") != len(_VAR.findall(s)):
        raise RunnerError(f"unterminated ${{ in {s!r}")

    def one(m: "re.Match[str]") -> str:
        name = m.group(1)
        if not name.startswith("JB_"):
            raise RunnerError(f"only ${{JB_*}} variables are substituted, not {name}")
        value = os.environ.get(name)
        if value is None:
            raise RunnerError(f"environment variable {name} is not set")
        return value

    return _VAR.sub(one, s)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class _Seen:
    def __init__(self) -> None:
        self.used: Set[str] = set()
        self.objects: List[Tuple[str, Dict[str, Any]]] = []


class Args:
    """The arguments of one step, or one nested object of them. Nested objects share the
    record of which keys were read."""

    def __init__(self, mapping: Dict[str, Any], path: str = "", seen: Optional[_Seen] = None) -> None:
        self._map = mapping
        self._path = path
        self._seen = seen if seen is not None else _Seen()
        self._seen.objects.append((path, mapping))

    def _full(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def raw(self, key: str) -> Any:
        """The raw value (``None`` when absent or null), marked as read."""
        self._seen.used.add(self._full(key))
        return self._map.get(key)

    def _bad(self, key: str, want: str) -> RunnerError:
        return RunnerError(f"argument {self._full(key)} must be {want}")

    def string(self, key: str) -> Optional[str]:
        v = self.raw(key)
        if v is None:
            return None
        if not isinstance(v, str):
            raise self._bad(key, "a string")
        return substitute(v)

    def required_string(self, key: str) -> str:
        v = self.string(key)
        if v is None:
            raise RunnerError(f"argument {self._full(key)} is required")
        return v

    def u64(self, key: str) -> Optional[int]:
        v = self.raw(key)
        if v is None:
            return None
        if not _is_int(v) or v < 0:
            raise self._bad(key, "a non-negative integer")
        return int(v)

    def required_u64(self, key: str) -> int:
        v = self.u64(key)
        if v is None:
            raise RunnerError(f"argument {self._full(key)} is required")
        return v

    def i64(self, key: str) -> Optional[int]:
        v = self.raw(key)
        if v is None:
            return None
        if not _is_int(v):
            raise self._bad(key, "an integer")
        return int(v)

    def bool(self, key: str) -> Optional[bool]:
        v = self.raw(key)
        if v is None:
            return None
        if not isinstance(v, bool):
            raise self._bad(key, "a boolean")
        return v

    def seconds(self, key: str) -> Optional[float]:
        """A ``..._ms`` duration, converted to the binding's seconds."""
        ms = self.u64(key)
        return None if ms is None else ms / 1000

    def seconds_list(self, key: str) -> Optional[List[Union[int, float, timedelta]]]:
        v = self.raw(key)
        if v is None:
            return None
        if not isinstance(v, list) or not all(_is_int(x) and x >= 0 for x in v):
            raise self._bad(key, "a list of integers")
        return [x / 1000 for x in v]

    def strings(self, key: str) -> Optional[List[str]]:
        v = self.raw(key)
        if v is None:
            return None
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self._bad(key, "a list of strings")
        return [substitute(x) for x in v]

    def pairs(self, key: str) -> Optional[List[Tuple[str, str]]]:
        v = self.raw(key)
        if v is None:
            return None
        ok = isinstance(v, list) and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in v
        )
        if not ok:
            raise self._bad(key, "a list of [name, value] pairs")
        return [(substitute(k), substitute(val)) for k, val in v]

    def string_map(self, key: str) -> Optional[Dict[str, str]]:
        v = self.raw(key)
        if v is None:
            return None
        if not isinstance(v, dict) or not all(isinstance(x, str) for x in v.values()):
            raise self._bad(key, "an object of strings")
        return {k: substitute(x) for k, x in v.items()}

    def object(self, key: str) -> Optional["Args"]:
        v = self.raw(key)
        if v is None:
            return None
        if not isinstance(v, dict):
            raise self._bad(key, "an object")
        return Args(v, self._full(key), self._seen)

    def objects(self, key: str) -> Optional[List["Args"]]:
        v = self.raw(key)
        if v is None:
            return None
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            raise self._bad(key, "a list of objects")
        return [Args(x, f"{self._full(key)}.{i}", self._seen) for i, x in enumerate(v)]

    def finish(self) -> None:
        """``RUNNER`` when an argument was given that no getter read."""
        for path, mapping in self._seen.objects:
            for key in mapping:
                full = f"{path}.{key}" if path else key
                if full not in self._seen.used:
                    raise RunnerError(f"unknown argument {full}")
