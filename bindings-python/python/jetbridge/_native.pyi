"""Type stubs of the private native module ``jetbridge._native``.

Checked against the built module with ``python -m mypy.stubtest
jetbridge._native``. Applications use the public package (``jetbridge``,
``jetbridge.sync``); only ``Message``, ``SyncMessage``, ``MessageBase`` and
``PubAck`` (and the exceptions) are handed out directly.
"""

import builtins
from typing import Any, Dict, Generator, Generic, List, Optional, Sequence, Tuple, TypeVar, final

from typing_extensions import disjoint_base

__all__ = [
    "JetBridgeError",
    "InvalidArgumentError",
    "NullParameterError",
    "InvalidHandleError",
    "ConnectionError",
    "AuthError",
    "TlsError",
    "TimeoutError",
    "NotFoundError",
    "AlreadyExistsError",
    "WrongLastSequenceError",
    "StreamMismatchError",
    "PublishOutcomeUnknownError",
    "NoRespondersError",
    "JetstreamUnavailableError",
    "JetstreamNotEnabledError",
    "HeartbeatMissedError",
    "ConfigMismatchError",
    "AlreadyAckedError",
    "LimitExceededError",
    "PermissionDeniedError",
    "ClosedError",
    "ForkedError",
    "ServerError",
    "PanicError",
    "InternalError",
    "Call",
    "configure_runtime",
    "_test_panic",
    "_after_fork_in_child",
    "_unfinished_calls",
    "Client",
    "PubAck",
    "Publisher",
    "Consumer",
    "MessageBase",
    "Message",
    "SyncMessage",
    "MessageStream",
    "connect",
    "default_connect_options",
    "redact_url",
    "dapr_from_metadata",
    "dapr_from_yaml_file",
    "dapr_from_yaml_str",
    "CORE_VERSION",
]

_T = TypeVar("_T")

CORE_VERSION: str

@final
class Call(Generic[_T]):
    """A core operation in progress: ``await`` it, or ``wait()`` for it."""

    def __await__(self) -> Generator[Any, None, _T]: ...
    def wait(self) -> _T: ...
    def cancel(self) -> None: ...

# -- errors -----------------------------------------------------------------

class JetBridgeError(Exception):
    """Base class of every JetBridge error."""

    code: str
    """The core's stable name of the kind, e.g. ``"NOT_FOUND"``."""
    retryable: bool
    """True when the same call may succeed if tried again later."""
    api_code: Optional[int]
    """The server's JetStream error code, when the server sent one."""

class InvalidArgumentError(JetBridgeError, ValueError):
    """An argument or configuration value is invalid."""

class NullParameterError(JetBridgeError):
    """C ABI only; never raised in Python."""

class InvalidHandleError(JetBridgeError):
    """C ABI only; never raised in Python."""

class ConnectionError(JetBridgeError):
    """The server could not be reached, or the connection was lost."""

class AuthError(JetBridgeError):
    """The server rejected the credentials, or they could not be used."""

class TlsError(JetBridgeError):
    """TLS could not be established or verified."""

class TimeoutError(JetBridgeError, builtins.TimeoutError):
    """The operation did not complete in time."""

class NotFoundError(JetBridgeError):
    """The stream, consumer or message does not exist."""

class AlreadyExistsError(JetBridgeError):
    """A stream or consumer exists with a different configuration."""

class WrongLastSequenceError(JetBridgeError):
    """A publish expectation failed."""

class StreamMismatchError(JetBridgeError):
    """A publish expected a different stream."""

class PublishOutcomeUnknownError(JetBridgeError):
    """The publish may or may not be stored; resending with the msg id is safe."""

class NoRespondersError(JetBridgeError):
    """Nobody answered: no stream, no leader, or an election."""

class JetstreamUnavailableError(JetBridgeError):
    """JetStream is temporarily unavailable."""

class JetstreamNotEnabledError(JetBridgeError):
    """JetStream is not enabled for this account or server."""

class HeartbeatMissedError(JetBridgeError):
    """A consumer missed two heartbeats in a row."""

class ConfigMismatchError(JetBridgeError):
    """An existing consumer's configuration differs."""

class AlreadyAckedError(JetBridgeError):
    """The message was already acknowledged with a terminal ack."""

class LimitExceededError(JetBridgeError):
    """A server limit was hit."""

class PermissionDeniedError(JetBridgeError):
    """Not permitted to publish or subscribe on that subject."""

class ClosedError(JetBridgeError):
    """The client, publisher, consumer or stream was closed."""

class ForkedError(JetBridgeError):
    """The process forked after JetBridge started; connect anew."""

class ServerError(JetBridgeError):
    """Another JetStream API error."""

class PanicError(JetBridgeError):
    """A panic inside JetBridge was caught; the interpreter is fine."""

class InternalError(JetBridgeError):
    """An internal invariant failed."""

# -- functions ----------------------------------------------------------------

def connect(options: Any) -> Call[Client]: ...
def default_connect_options() -> Dict[str, Any]: ...
def redact_url(url: str) -> str: ...
def configure_runtime(worker_threads: Optional[int] = None) -> None: ...
def dapr_from_metadata(metadata: Any) -> Dict[str, Any]: ...
def dapr_from_yaml_file(path: str) -> Dict[str, Any]: ...
def dapr_from_yaml_str(text: str) -> Dict[str, Any]: ...
def _test_panic(where_: str) -> Any: ...
def _after_fork_in_child() -> None: ...
def _unfinished_calls() -> int: ...

# -- results ------------------------------------------------------------------

@final
class PubAck:
    """The server's acknowledgement of a stored message."""

    @property
    def stream(self) -> str:
        """The stream that stored it."""
    @property
    def sequence(self) -> int:
        """Its stream sequence (for a duplicate: the original's)."""
    @property
    def duplicate(self) -> bool:
        """True when the msg id was seen before and nothing new was stored."""
    @property
    def msg_id(self) -> str:
        """The msg id that was sent (the caller's or a generated one)."""
    @property
    def domain(self) -> Optional[str]:
        """The JetStream domain, if any."""
    def __eq__(self, other: object, /) -> bool: ...

@disjoint_base
class MessageBase:
    """A delivered message: data, metadata and the non-blocking acks."""

    @property
    def subject(self) -> str: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def headers(self) -> List[Tuple[str, str]]: ...
    def header(self, name: str) -> Optional[str]: ...
    @property
    def msg_id(self) -> Optional[str]: ...
    @property
    def stream(self) -> str: ...
    @property
    def consumer(self) -> str: ...
    @property
    def stream_sequence(self) -> int: ...
    @property
    def consumer_sequence(self) -> int: ...
    @property
    def delivered(self) -> int:
        """How many times it was delivered (1 on first delivery)."""
    @property
    def timestamp(self) -> int:
        """When it was stored, Unix nanoseconds."""
    @property
    def pending(self) -> int:
        """Messages still pending for the consumer after this one."""
    @property
    def is_acked(self) -> bool: ...
    def ack(self) -> None:
        """Acknowledges (terminal); queued, never waits."""
    def nak(self, delay: Optional[float] = None) -> None:
        """Asks for redelivery after ``delay`` seconds (terminal)."""
    def term(self, reason: Optional[str] = None) -> None:
        """Stops redelivery for good (terminal)."""
    def in_progress(self) -> None:
        """Resets the ack timer; may repeat until a terminal ack."""

@final
class Message(MessageBase):
    """A delivered message of the asyncio API."""

    def ack_sync(self) -> Call[None]:
        """Acknowledges and waits for the server's confirmation (awaitable)."""

@final
class SyncMessage(MessageBase):
    """A delivered message of the blocking API."""

    def ack_sync(self) -> None:
        """Acknowledges and blocks until the server confirms."""

# -- handles ------------------------------------------------------------------

@final
class Client:
    def close(self) -> Call[None]: ...
    def drain(self) -> Call[None]: ...
    def connection_state(self) -> Tuple[bool, int, bool]: ...
    def counters(self) -> Dict[str, int]: ...
    def max_payload(self) -> int: ...
    def is_closed(self) -> bool: ...
    def redacted_servers(self) -> List[str]: ...
    def name(self) -> Optional[str]: ...
    def publish(
        self,
        subject: Any,
        payload: Any,
        msg_id: Any = None,
        headers: Any = None,
        expect: Any = None,
    ) -> Call[PubAck]: ...
    def publish_many(self, messages: Any) -> Call[List[Any]]: ...
    def publisher(
        self, max_in_flight: Optional[int] = None, max_in_flight_bytes: Optional[int] = None
    ) -> Publisher: ...
    def create_stream(self, config: Any) -> Call[Dict[str, Any]]: ...
    def update_stream(self, config: Any) -> Call[Dict[str, Any]]: ...
    def stream_info(self, name: str) -> Call[Dict[str, Any]]: ...
    def delete_stream(self, name: str) -> Call[None]: ...
    def purge_stream(
        self,
        name: str,
        subject: Optional[str] = None,
        up_to_sequence: Optional[int] = None,
        keep: Optional[int] = None,
    ) -> Call[int]: ...
    def get_message(self, stream: str, sequence: int) -> Call[Dict[str, Any]]: ...
    def get_last_message(self, stream: str, subject: str) -> Call[Dict[str, Any]]: ...
    def stream_by_subject(self, subject: str) -> Call[str]: ...
    def create_consumer(self, stream: str, config: Any) -> Call[Consumer]: ...
    def update_consumer(self, stream: str, config: Any) -> Call[Consumer]: ...
    def get_or_create_consumer(self, stream: str, config: Any) -> Call[Consumer]: ...
    def bind_consumer(self, stream: str, name: str, expected: Any = None) -> Call[Consumer]: ...
    def consumer_info(self, stream: str, name: str) -> Call[Dict[str, Any]]: ...
    def delete_consumer(self, stream: str, name: str) -> Call[None]: ...
    def replay(
        self,
        stream: str,
        start: Any = None,
        filter_subjects: Optional[Sequence[str]] = None,
        speed: Optional[str] = None,
        options: Any = None,
    ) -> Call[MessageStream]: ...
    def push_subscribe(self, stream: str, config: Any) -> Call[MessageStream]: ...
    def subscribe(self, topic: str, options: Any) -> Call[MessageStream]: ...

@final
class Publisher:
    def try_publish(
        self,
        subject: Any,
        payload: Any,
        msg_id: Any = None,
        headers: Any = None,
        expect: Any = None,
    ) -> Optional[int]: ...
    def publish(
        self,
        subject: Any,
        payload: Any,
        msg_id: Any = None,
        headers: Any = None,
        expect: Any = None,
        low_water: Optional[int] = None,
    ) -> Call[int]: ...
    def publish_many(self, messages: Any) -> Call[List[int]]: ...
    def flush(self) -> Call[Dict[str, Any]]: ...
    def close(self) -> Call[Dict[str, Any]]: ...
    def in_flight(self) -> Tuple[int, int]: ...
    def peak_in_flight(self) -> int: ...
    def window(self) -> Tuple[int, int]: ...

@final
class Consumer:
    @property
    def stream(self) -> str: ...
    @property
    def name(self) -> str: ...
    def config(self) -> Dict[str, Any]: ...
    def info(self) -> Call[Dict[str, Any]]: ...
    def fetch(
        self,
        max_messages: Optional[int] = None,
        max_wait: Any = None,
        max_bytes: Optional[int] = None,
        no_wait: Optional[bool] = None,
        heartbeat: Any = None,
    ) -> Call[int]: ...
    def take(self, max: Optional[int] = None, blocking: bool = False) -> List[Any]: ...
    def delete(self) -> Call[None]: ...
    def messages(self, options: Any = None) -> Call[MessageStream]: ...

@final
class MessageStream:
    def fill(self, max: int, max_wait: Any) -> Call[int]: ...
    def take(self, max: int, blocking: bool = False) -> List[Any]: ...
    @property
    def health(self) -> str: ...
    def take_events(self) -> List[Tuple[str, str, int]]: ...
    def wait_health_change(self, current: str, max_wait: Any) -> Call[str]: ...
    def stop(self) -> None: ...
    def buffered(self) -> int: ...
