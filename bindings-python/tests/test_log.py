"""The core's log records in Python ``logging``: a server restart shows as
WARNING/INFO records on the ``jetbridge`` loggers, and no record holds the
token from the URL."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, Callable, List

import jetbridge


class Records(logging.Handler):
    def __init__(self, port: str) -> None:
        super().__init__(logging.DEBUG)
        self.port = port
        self.records: List[logging.LogRecord] = []
        self.reconnected = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if self.has(logging.INFO, "reconnected", self.port):
            self.reconnected.set()

    def has(self, level: int, text: str, port: str) -> bool:
        return any(r.levelno == level and text in r.getMessage() and port in r.getMessage() for r in self.records)


async def test_restart_is_logged_without_the_token(harness: Callable[..., Any]) -> None:
    h = harness(auth="token")
    token = h.auth["token"]
    url = h.urls[0].replace("nats://", f"nats://{token}@")
    port = url.rsplit(":", 1)[1]
    logger = logging.getLogger("jetbridge")
    records = Records(port)
    logger.addHandler(records)
    logger.setLevel(logging.DEBUG)  # read by connect
    try:
        client = await jetbridge.connect(url, connect_timeout=2)
        try:
            await asyncio.to_thread(h.restart, 0)
            assert await asyncio.to_thread(records.reconnected.wait, 30)
            assert records.has(logging.WARNING, "disconnected; reconnecting", port)
            assert records.has(logging.INFO, "reconnected", port)
            assert {r.name for r in records.records} >= {"jetbridge.connection"}
        finally:
            await client.close()
    finally:
        logger.removeHandler(records)
        logger.setLevel(logging.NOTSET)
        jetbridge.refresh_log_level()
    assert all(token not in r.getMessage() for r in records.records)


def test_quiet_by_default() -> None:
    handlers = logging.getLogger("jetbridge").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)
