"""Where a consumer or replay starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Optional, Union

__all__ = ["StartPosition", "StartLike"]


@dataclass(frozen=True)
class StartPosition:
    """Where a consumer or replay starts. Build one with the class methods;
    a plain policy name (``"all"``, ``"last"``, ``"last_per_subject"``,
    ``"new"``) is accepted wherever a ``StartPosition`` is.

    Attributes:
        policy: ``all``, ``last``, ``last_per_subject``, ``new``,
            ``sequence`` or ``time``.
        sequence: The first stream sequence (policy ``sequence``).
        time: The first storage time, Unix nanoseconds (policy ``time``).
    """

    policy: str = "all"
    sequence: Optional[int] = None
    time: Optional[int] = None

    @classmethod
    def all(cls) -> "StartPosition":
        """The first message in the stream (the default)."""
        return cls("all")

    @classmethod
    def last(cls) -> "StartPosition":
        """The last message in the stream."""
        return cls("last")

    @classmethod
    def last_per_subject(cls) -> "StartPosition":
        """The last message of each subject."""
        return cls("last_per_subject")

    @classmethod
    def new(cls) -> "StartPosition":
        """Only messages stored after the consumer is created."""
        return cls("new")

    @classmethod
    def at_sequence(cls, sequence: int) -> "StartPosition":
        """The message with this stream sequence, or the next one after it."""
        return cls("sequence", sequence=sequence)

    @classmethod
    def at_time(cls, when: Union[datetime, int]) -> "StartPosition":
        """The first message stored at or after ``when``: a ``datetime``
        (naive means local time) or Unix nanoseconds (``time.time_ns()``)."""
        if isinstance(when, datetime):
            when = int(when.timestamp() * 1_000_000_000)
        return cls("time", time=when)

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "StartPosition":
        return cls(**d)


StartLike = Union[StartPosition, str]
