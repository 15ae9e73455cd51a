"""Every JetBridge exception, in one hierarchy.

The classes are made once, by the native module, from the core's error
kinds: ``JetBridgeError`` is the base; each kind has a subclass with ``code``
(the core's stable name, e.g. ``"NOT_FOUND"``) and ``retryable``; instances
have ``api_code`` (the server's JetStream error code, or ``None``).
``InvalidArgumentError`` is also a ``ValueError``; ``TimeoutError`` is also the
builtin ``TimeoutError``. Wrong argument types raise ``TypeError`` naming the
parameter. ``NullParameterError`` and ``InvalidHandleError`` belong to the C
ABI and are never raised in Python.
"""

from ._native import (
    AlreadyAckedError,
    AlreadyExistsError,
    AuthError,
    ClosedError,
    ConfigMismatchError,
    ConnectionError,
    ForkedError,
    HeartbeatMissedError,
    InternalError,
    InvalidArgumentError,
    InvalidHandleError,
    JetBridgeError,
    JetstreamNotEnabledError,
    JetstreamUnavailableError,
    LimitExceededError,
    NoRespondersError,
    NotFoundError,
    NullParameterError,
    PanicError,
    PermissionDeniedError,
    PublishOutcomeUnknownError,
    ServerError,
    StreamMismatchError,
    TimeoutError,
    TlsError,
    WrongLastSequenceError,
)

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
]
