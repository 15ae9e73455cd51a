"""Stream configuration and the results of stream administration (with the
account's usage and limits)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from ._native import MessageHeaders
from ._types import AccountInfo, ExternalStream, GetMessagesOptions, Placement, PurgeOptions, Republish, StreamConfig, StreamSource, SubjectTransform

__all__ = ["StreamConfig", "StreamState", "StreamInfo", "StoredMessage", "GetMessagesOptions", "PurgeOptions", "AccountInfo", "Placement", "Republish", "StreamSource", "SubjectTransform", "ExternalStream"]


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
            config=StreamConfig._from_native(d["config"]),
            state=StreamState(**d["state"]),
            created=d["created"],
            cluster_leader=d["cluster_leader"],
        )


@dataclass(frozen=True)
class StoredMessage:
    """A message read back from a stream by sequence or subject, or in a batch."""

    subject: str
    sequence: int
    payload: bytes
    headers: MessageHeaders
    """Headers as a read-only multi-dict (``MessageHeaders``; ``items()``
    gives the ``(name, value)`` pairs in order)."""
    timestamp: int
    """When it was stored, Unix nanoseconds."""

    def header(self, name: str) -> Optional[str]:
        """The first value of a header (case-insensitive), or ``None``."""
        return self.headers.get(name)

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "StoredMessage":
        return cls(**d)
