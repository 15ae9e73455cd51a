"""Stream configuration and the results of stream administration."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .options import Seconds

__all__ = ["StreamConfig", "StreamState", "StreamInfo", "StoredMessage"]


@dataclass
class StreamConfig:
    """A stream's configuration; ``None`` means the core's default.

    Attributes:
        name: Stream name: one token, no ``.``, ``*``, ``>`` or whitespace.
        subjects: Subjects the stream captures (wildcards allowed).
        retention: ``"limits"`` (default), ``"interest"`` or ``"workqueue"``.
        storage: ``"file"`` (default) or ``"memory"``.
        replicas: Number of replicas, 1 to 5 (default 1).
        max_msgs: Most messages kept; -1 (default) is unlimited.
        max_bytes: Most bytes kept; -1 (default) is unlimited.
        max_age: Oldest message age kept; 0 (default) is forever.
        max_msg_size: Largest message accepted; -1 (default) is unlimited.
        max_msgs_per_subject: Most messages per subject; -1 is unlimited.
        discard: What a full stream does: ``"old"`` (drop oldest, default) or
            ``"new"`` (reject with ``LimitExceededError``).
        duplicate_window: How long msg ids are remembered for dedup; 0 means
            the server default (2 minutes).
        description: Free text.
    """

    name: str = ""
    subjects: List[str] = field(default_factory=list)
    retention: Optional[str] = None
    storage: Optional[str] = None
    replicas: Optional[int] = None
    max_msgs: Optional[int] = None
    max_bytes: Optional[int] = None
    max_age: Optional[Seconds] = None
    max_msg_size: Optional[int] = None
    max_msgs_per_subject: Optional[int] = None
    discard: Optional[str] = None
    duplicate_window: Optional[Seconds] = None
    description: Optional[str] = None


@dataclass(frozen=True)
class StreamState:
    """A stream's current contents."""

    messages: int
    """Messages stored."""
    bytes: int
    """Bytes stored."""
    first_sequence: int
    """Sequence of the first stored message."""
    last_sequence: int
    """Sequence of the last stored message."""
    consumers: int
    """Number of consumers."""


@dataclass(frozen=True)
class StreamInfo:
    """A stream's configuration (defaults filled in by the server) and state."""

    config: StreamConfig
    state: StreamState
    created: int
    """Creation time, Unix nanoseconds."""
    cluster_leader: Optional[str]
    """Name of the leader server of a replicated stream."""

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "StreamInfo":
        return cls(
            config=StreamConfig(**d["config"]),
            state=StreamState(**d["state"]),
            created=d["created"],
            cluster_leader=d["cluster_leader"],
        )


@dataclass(frozen=True)
class StoredMessage:
    """A message read back from a stream by sequence or subject."""

    subject: str
    sequence: int
    payload: bytes
    headers: List[Tuple[str, str]]
    """Headers in order, as ``(name, value)`` pairs."""
    timestamp: int
    """When it was stored, Unix nanoseconds."""

    def header(self, name: str) -> Optional[str]:
        """The first value of a header (case-insensitive), or ``None``."""
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "StoredMessage":
        return cls(**d)
