"""One client shared by several threads: blocking calls in parallel, and
asyncio calls from several event loops at once (one wakeup bridge each)."""

from __future__ import annotations

import asyncio
import threading
from typing import Callable, List

import jetbridge
import jetbridge.sync as jbs


def run_threads(n: int, target: Callable[[int], None]) -> None:
    errors: List[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            target(i)
        except BaseException as e:  # noqa: BLE001 - re-raised below
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors


def test_blocking_calls_from_many_threads(url: str, name: Callable[[str], str]) -> None:
    s = name("THREADS")
    with jbs.connect(url) as client:
        client.create_stream(name=s, subjects=[f"{s}.>"])

        def work(i: int) -> None:
            for j in range(50):
                ack = client.publish(f"{s}.{i}", f"{i}-{j}", msg_id=f"{i}-{j}")
                assert not ack.duplicate

        run_threads(4, work)
        assert client.stream_info(s).state.messages == 200
        client.delete_stream(s)


def test_async_calls_from_several_event_loops(url: str, name: Callable[[str], str]) -> None:
    s = name("LOOPS")
    with jbs.connect(url) as setup:
        setup.create_stream(name=s, subjects=[f"{s}.>"])

    async def shared_client() -> jetbridge.Client:
        return await jetbridge.connect(url)

    client = asyncio.run(shared_client())

    def work(i: int) -> None:
        async def publish_and_fetch() -> None:
            acks = await asyncio.gather(*(client.publish(f"{s}.{i}", f"{i}-{j}") for j in range(50)))
            assert len({a.sequence for a in acks}) == 50
            consumer = await client.create_consumer(s, durable_name=f"c{i}", filter_subjects=[f"{s}.{i}"])
            got = 0
            for _ in range(20):
                batch = await consumer.fetch(50, 1)
                for m in batch:
                    m.ack()
                got += len(batch)
                if got == 50:
                    break
            assert got == 50

        asyncio.run(publish_and_fetch())

    run_threads(3, work)

    async def check_and_close() -> None:
        assert (await client.stream_info(s)).state.messages == 150
        await client.delete_stream(s)
        await client.close()

    asyncio.run(check_and_close())
