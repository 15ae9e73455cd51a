"""Fixtures: real nats-servers from the project harness (never a mock).

One plain JetStream server serves the whole session; tests that need their
own (auth modes, TLS, pause, restart) start one with ``harness(...)``. Every
test uses fresh stream names, so tests never see each other's data.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Iterator

import pytest

_REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(_REPO / "tests" / "harness" / "python"))

from jb_harness import Harness  # noqa: E402

import jetbridge  # noqa: E402


@pytest.fixture(scope="session")
def server() -> Iterator[Harness]:
    """One JetStream server for the session."""
    with Harness() as h:
        yield h


@pytest.fixture(scope="session")
def url(server: Harness) -> str:
    return server.urls[0]


@pytest.fixture
def harness() -> Iterator[Callable[..., Harness]]:
    """Starts extra servers (``harness(auth="token")``); stopped after the test."""
    started = []

    def start(**kwargs: Any) -> Harness:
        h = Harness(**kwargs).start()
        started.append(h)
        return h

    yield start
    for h in started:
        h.stop()


@pytest.fixture
def name() -> Callable[[str], str]:
    """Unique names: ``name("ORDERS")`` -> ``ORDERS_1a2b3c4d``."""
    tag = uuid.uuid4().hex[:8]
    return lambda base: f"{base}_{tag}"


@pytest.fixture
def settled() -> Callable[..., Awaitable[jetbridge.ConsumerInfo]]:
    """``await settled(client, stream, consumer, floor)``: the consumer's info
    once its ack floor is ``floor`` (polled, at most 10 s; the last info
    read when it never gets there). Plain acks are fire-and-forget: a flush,
    a close or a drain returns once the server has read them, and the server
    applies them a moment later on its own."""

    async def wait(client: jetbridge.Client, stream: str, consumer: str, floor: int) -> jetbridge.ConsumerInfo:
        info = await client.consumer_info(stream, consumer)
        for _ in range(200):
            if info.ack_floor.stream_seq == floor:
                return info
            await asyncio.sleep(0.05)
            info = await client.consumer_info(stream, consumer)
        return info

    return wait


@pytest.fixture
async def client(url: str) -> AsyncIterator[jetbridge.Client]:
    c = await jetbridge.connect(url)
    try:
        yield c
    finally:
        await c.close()


@pytest.fixture
async def stream(client: jetbridge.Client, name: Callable[[str], str]) -> AsyncIterator[str]:
    """A fresh stream capturing ``<stream>.>``; its name is the subject prefix."""
    s = name("S")
    await client.create_stream(name=s, subjects=[f"{s}.>"], duplicate_window=60)
    yield s
    if not client.is_closed:
        try:
            await client.delete_stream(s)
        except jetbridge.JetBridgeError:
            pass
