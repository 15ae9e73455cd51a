"""Listing streams and consumers, deleting one message and the account's
usage and limits, against real servers: a fresh one where whole-account
answers are checked (the session's server holds every test's streams), the
session's otherwise."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

import jetbridge
import jetbridge.sync as jbs


async def test_lists_and_account_info_on_a_fresh_server(harness: Callable[..., Any]) -> None:
    h = harness()
    async with jetbridge.connect(h.urls[0]) as c:
        assert await c.list_streams() == []
        for s in ("ORDERS", "AUDIT", "EVENTS"):
            await c.create_stream(name=s, subjects=[f"{s.lower()}.>"], storage="memory")

        streams = await c.list_streams()
        assert all(isinstance(i, jetbridge.StreamInfo) for i in streams)
        # The server lists by name.
        assert [i.config.name for i in streams] == ["AUDIT", "EVENTS", "ORDERS"]
        orders, info = streams[2], await c.stream_info("ORDERS")
        # As stream_info reads it (the server's listing leaves out cluster
        # details and some of its own metadata keys).
        assert (orders.created, orders.state) == (info.created, info.state)
        assert orders.config.subjects == ["orders.>"] and orders.config.storage == "memory"
        assert orders.config.duplicate_window == info.config.duplicate_window

        # A filter keeps the streams whose subjects overlap it, wildcards allowed.
        assert [i.config.name for i in await c.list_streams("orders.new")] == ["ORDERS"]
        assert [i.config.name for i in await c.list_streams(subject="*.x")] == ["AUDIT", "EVENTS", "ORDERS"]
        assert await c.list_streams("nothing.>") == []
        with pytest.raises(jetbridge.InvalidArgumentError, match="subject"):
            await c.list_streams("bad subject")

        for d in ("billing", "audit"):
            await c.create_consumer("ORDERS", durable_name=d, ack_wait=10)
        consumers = await c.list_consumers("ORDERS")
        assert all(isinstance(i, jetbridge.ConsumerInfo) for i in consumers)
        assert sorted(i.name for i in consumers) == ["audit", "billing"]
        assert {(i.stream, i.config.durable_name, i.config.ack_wait) for i in consumers} == {
            ("ORDERS", "audit", 10.0),
            ("ORDERS", "billing", 10.0),
        }
        assert await c.list_consumers("AUDIT") == []
        with pytest.raises(jetbridge.NotFoundError):
            await c.list_consumers("MISSING")
        with pytest.raises(jetbridge.InvalidArgumentError, match="stream name"):
            await c.list_consumers("a.b")

        account = await c.account_info()
        assert isinstance(account, jetbridge.AccountInfo)
        assert (account.streams, account.consumers) == (3, 2)
        assert (account.max_streams, account.max_consumers, account.max_memory, account.max_storage) == (-1, -1, -1, -1)
        assert account.memory == 0 and account.storage == 0  # nothing stored yet
        assert account.api_total is not None and account.api_total > 5
        # The failed requests above (a missing stream) count as API errors.
        assert account.api_errors is not None and account.api_errors >= 1

        await c.publish("orders.a", b"x" * 100)
        assert ((await c.account_info()).memory or 0) > 100
        await c.delete_stream("AUDIT")
        assert (await c.account_info()).streams == 2


async def test_delete_message(client: jetbridge.Client, stream: str, name: Callable[[str], str]) -> None:
    for i in range(3):
        await client.publish(f"{stream}.a", f"m{i}")
    await client.delete_message(stream, 2)
    await client.delete_message(stream, 3, erase=True)  # secure erase
    with pytest.raises(jetbridge.NotFoundError):
        await client.get_message(stream, 2)
    assert (await client.get_message(stream, 1)).payload == b"m0"
    info = await client.stream_info(stream)
    assert (info.state.messages, info.state.last_sequence) == (1, 3)

    with pytest.raises(jetbridge.NotFoundError, match="not found"):
        await client.delete_message(stream, 2)  # already deleted
    with pytest.raises(jetbridge.InvalidArgumentError, match="sequence") as e:
        await client.delete_message(stream, 0)
    assert isinstance(e.value, ValueError)
    with pytest.raises(jetbridge.NotFoundError):
        await client.delete_message(name("MISSING"), 1)
    with pytest.raises(TypeError):
        await client.delete_message(stream, 1, True)  # type: ignore[call-arg]
    with pytest.raises(OverflowError):
        await client.delete_message(stream, -1)

    locked = name("LOCKED")
    await client.create_stream(name=locked, subjects=[f"{locked}.>"], deny_delete=True)
    try:
        await client.publish(f"{locked}.a", b"kept")
        with pytest.raises(jetbridge.ServerError, match="not permitted"):
            await client.delete_message(locked, 1)
    finally:
        await client.delete_stream(locked)


@pytest.fixture
def sclient(url: str) -> Iterator[jbs.Client]:
    with jbs.connect(url) as c:
        yield c


def test_blocking_lists_delete_and_account_info(sclient: jbs.Client, name: Callable[[str], str]) -> None:
    s = name("LISTS")
    sclient.create_stream(name=s, subjects=[f"{s}.>"])
    try:
        listed = sclient.list_streams(f"{s}.x")
        assert [i.config.name for i in listed] == [s]
        assert s in [i.config.name for i in sclient.list_streams()]
        sclient.create_consumer(s, durable_name="d")
        assert [i.name for i in sclient.list_consumers(s)] == ["d"]
        sclient.publish(f"{s}.a", b"one")
        sclient.publish(f"{s}.a", b"two")
        sclient.delete_message(s, 1, erase=True)
        with pytest.raises(jetbridge.NotFoundError):
            sclient.get_message(s, 1)
        with pytest.raises(jetbridge.InvalidArgumentError):
            sclient.delete_message(s, 0)
        account = sclient.account_info()
        assert isinstance(account, jetbridge.AccountInfo)
        assert account.streams is not None and account.streams >= 1
        assert account.consumers is not None and account.consumers >= 1
    finally:
        sclient.delete_stream(s)
