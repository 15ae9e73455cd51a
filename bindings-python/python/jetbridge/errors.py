"""Every JetBridge exception, in one hierarchy.

The classes are made once, by the native module, from the core's error
kinds: ``JetBridgeError`` is the base; each kind has a subclass with ``code``
(the core's stable name, e.g. ``"NOT_FOUND"``), ``retryable`` and the kind's
description as docstring; instances have ``api_code`` (the server's JetStream
error code, or ``None``) and ``str(e)`` is the core's text, ``"KIND: message"``.
``InvalidArgumentError`` is also a ``ValueError``; ``TimeoutError`` is also the
builtin ``TimeoutError``. Wrong argument types raise ``TypeError`` naming the
parameter. ``NullParameterError`` and ``InvalidHandleError`` belong to the C
ABI and are never raised in Python.
"""

# The native module's ``__all__`` is exactly the error classes (type checkers
# read them from ``_native.pyi``, which stubtest holds to the native list).
from ._native import *  # noqa: F403
from ._native import __all__ as __all__
