"""The core's log records into Python ``logging``.

Records go to the ``jetbridge.<topic>`` loggers (``jetbridge.connection``,
``jetbridge.consumer``, ``jetbridge.publish``), children of ``jetbridge``, at
the matching level (``error``, ``warn`` -> WARNING, ``info``, ``debug``).
Like every library, the package is quiet until the application configures
``logging``. The core is asked only for records at the loggers' effective
level, read at import, at each ``connect`` and by ``refresh_log_level()``.
"""

from __future__ import annotations

import atexit
import logging

from . import _native

__all__ = ["refresh_log_level"]

_TOPICS = ("connection", "consumer", "publish")
_LEVELS = {"error": logging.ERROR, "warn": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}

logging.getLogger("jetbridge").addHandler(logging.NullHandler())


def _emit(level: str, topic: str, message: str) -> None:
    """Called by the core sink on a core thread, with the GIL."""
    logging.getLogger(f"jetbridge.{topic}").log(_LEVELS[level], message)


def refresh_log_level() -> None:
    """Re-reads the effective level of the ``jetbridge`` loggers and asks the
    core for records down to it. Call it after making them more verbose once
    clients are connected (``connect`` reads it too)."""
    level = min(logging.getLogger(f"jetbridge.{t}").getEffectiveLevel() for t in _TOPICS)
    wanted = [name for name, value in _LEVELS.items() if value >= level] or ["error"]
    _native.set_log_sink(wanted[-1], _emit)


refresh_log_level()
# Before the interpreter goes away: a core thread must never wait for its GIL then.
atexit.register(_native.clear_log_sink)
