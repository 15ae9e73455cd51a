"""The binding's types generated from the core's declarations (``ConsumerConfig``,
``StreamConfig``, ``FetchOptions``, ``MessagesOptions``, ``PublisherOptions``,
``PurgeOptions``: dataclasses), read from a scenario field by field, so that a new field
needs no edit in this runner (SPEC.md §4.4): each under its snake-case name, a duration (or
list of them) as ``<name>_ms`` in milliseconds, converted to the binding's seconds. A value
of the wrong JSON type is ``RUNNER``; the binding judges the rest (an unknown enum name, a
negative count: ``INVALID_ARGUMENT``)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any, Callable, Collection, Dict, List, Tuple, get_args, get_origin, get_type_hints

from args import Args


def _kind(hint: Any) -> str:
    """What a field holds, from its type hint, named like the core's ``Kind``: ``duration``
    (seconds or a ``timedelta``), ``bool``, ``int``, ``str`` (text and enum names; also the
    start position's hint), ``durations`` or ``strs`` (lists)."""
    if get_origin(hint) is list:
        lists = {"duration": "durations", "str": "strs"}
        item = _kind(get_args(hint)[0])
        if item in lists:
            return lists[item]
    else:
        members = set(get_args(hint)) or {hint}  # a Union's members (Optional included)
        for t, kind in ((timedelta, "duration"), (bool, "bool"), (int, "int"), (str, "str")):
            if t in members:
                return kind
    raise TypeError(f"a field of type {hint}: this runner cannot read or print it")


def fields(cls: type) -> List[Tuple[str, str]]:
    """``(name, kind)`` of every field of a generated dataclass, in declaration order."""
    hints = get_type_hints(cls)
    return [(f.name, _kind(hints[f.name])) for f in dataclasses.fields(cls)]


_READ: Dict[str, Callable[[Args, str], Any]] = {
    "str": Args.string,
    "int": Args.i64,
    "bool": Args.bool,
    "strs": Args.strings,
    "duration": lambda a, name: a.seconds(f"{name}_ms"),
    "durations": lambda a, name: a.seconds_list(f"{name}_ms"),
}


def read(cls: type, a: Args, skip: Collection[str] = ()) -> Dict[str, Any]:
    """The fields of ``cls`` that the scenario gives, by name (for ``cls(**given)``); the
    fields in ``skip`` are not read (given, they are unknown arguments unless the caller
    reads them)."""
    given: Dict[str, Any] = {}
    for name, kind in fields(cls):
        value = None if name in skip else _READ[kind](a, name)
        if value is not None:
            given[name] = value
    return given
