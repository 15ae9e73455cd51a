"""The binding's types generated from the core's declarations (``ConsumerConfig``,
``StreamConfig``, ``FetchOptions``, ``MessagesOptions``, ``PublisherOptions``,
``PurgeOptions``, ``GetMessagesOptions``: dataclasses), read from a scenario field by field,
so that a new field needs no edit in this runner (SPEC.md §4.4): each under its snake-case
name, a duration (or list of them) as ``<name>_ms`` in milliseconds, converted to the
binding's seconds; a time as integer Unix nanoseconds, converted to an aware UTC
``datetime``; a map as an object of strings. A value of the wrong JSON type is ``RUNNER``;
the binding judges the rest (an unknown enum name, a negative count: ``INVALID_ARGUMENT``)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Collection, Dict, List, Optional, Tuple, get_args, get_origin, get_type_hints

from args import Args
from outcome import Unsupported

#: Unix time 0, the origin of a time's nanoseconds.
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


@dataclasses.dataclass(frozen=True)
class Nested:
    """The kind of a field holding another generated dataclass (``many``: a list of them)."""

    cls: type
    many: bool


def _kind(hint: Any) -> Any:
    """What a field holds, from its type hint, named like the core's ``Kind``: ``duration``
    (seconds or a ``timedelta``), ``time`` (a ``datetime``), ``bool``, ``int``, ``str`` (text
    and enum names; also the start position's hint), ``durations`` or ``strs`` (lists),
    ``map`` (a dict of text to text)."""
    if get_origin(hint) is list:
        lists = {"duration": "durations", "str": "strs"}
        item = _kind(get_args(hint)[0])
        if isinstance(item, Nested):
            return Nested(item.cls, True)
        if item in lists:
            return lists[item]
    else:
        members = set(get_args(hint)) or {hint}  # a Union's members (Optional included)
        nested = [m for m in members if dataclasses.is_dataclass(m)]
        if nested:
            return Nested(nested[0], False)
        if any(get_origin(m) is dict and get_args(m) == (str, str) for m in members):
            return "map"
        kinds = ((timedelta, "duration"), (datetime, "time"), (bool, "bool"), (int, "int"), (str, "str"))
        for t, kind in kinds:
            if t in members:
                return kind
    raise TypeError(f"a field of type {hint}: this runner cannot read or print it")


def fields(cls: type) -> List[Tuple[str, Any]]:
    """``(name, kind)`` of every field of a generated dataclass, in declaration order."""
    hints = get_type_hints(cls)
    return [(f.name, _kind(hints[f.name])) for f in dataclasses.fields(cls)]


def to_datetime(nanos: int) -> datetime:
    """Unix nanoseconds as an aware UTC ``datetime``; one that a ``datetime`` cannot hold
    exactly (not whole microseconds) is ``UNSUPPORTED``."""
    micros, sub = divmod(nanos, 1000)
    if sub:
        raise Unsupported(f"time {nanos} ns: a Python datetime holds whole microseconds")
    return EPOCH + micros * _MICROSECOND


def to_nanos(value: Optional[datetime]) -> Optional[int]:
    """A ``datetime`` (aware, or naive local time as the binding reads it) as integer Unix
    nanoseconds, without float rounding."""
    if value is None:
        return None
    if value.utcoffset() is None:
        value = value.astimezone()
    return (value - EPOCH) // _MICROSECOND * 1000


def _time(a: Args, name: str) -> Optional[datetime]:
    nanos = a.i64(name)
    return None if nanos is None else to_datetime(nanos)


_READ: Dict[str, Callable[[Args, str], Any]] = {
    "str": Args.string,
    "int": Args.i64,
    "bool": Args.bool,
    "strs": Args.strings,
    "map": Args.string_map,
    "time": _time,
    "duration": lambda a, name: a.seconds(f"{name}_ms"),
    "durations": lambda a, name: a.seconds_list(f"{name}_ms"),
}


def read(cls: type, a: Args, skip: Collection[str] = ()) -> Dict[str, Any]:
    """The fields of ``cls`` that the scenario gives, by name (for ``cls(**given)``); the
    fields in ``skip`` are not read (given, they are unknown arguments unless the caller
    reads them)."""
    given: Dict[str, Any] = {}
    for name, kind in fields(cls):
        if name in skip:
            value = None
        elif isinstance(kind, Nested) and kind.many:
            items = a.objects(name)
            value = None if items is None else [kind.cls(**read(kind.cls, x)) for x in items]
        elif isinstance(kind, Nested):
            item = a.object(name)
            value = None if item is None else kind.cls(**read(kind.cls, item))
        else:
            value = _READ[kind](a, name)
        if value is not None:
            given[name] = value
    return given
