"""The core's log records on stderr, at the most verbose level, so that the
suite's secret scan of stderr reads them (never stdout: that is the
transcript). One line per record: ``jetbridge <level> <topic>: <message>``."""

from __future__ import annotations

import logging
import sys

import jetbridge
from jetbridge import _log

#: Python level -> the core's level name (the package's own map, inverted).
_NAMES = {value: name for name, value in _log._LEVELS.items()}


class _CoreLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        topic = record.name.partition(".")[2] or record.name
        level = _NAMES.get(record.levelno, record.levelname.lower())
        return f"jetbridge {level} {topic}: {record.getMessage()}"


def install() -> None:
    """Sends every ``jetbridge`` record, down to debug, to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_CoreLines())
    logger = logging.getLogger("jetbridge")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    jetbridge.refresh_log_level()
