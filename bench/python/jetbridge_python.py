"""Bench entry ``jetbridge-python``: the JetBridge Python binding (asyncio),
used as its README shows. Contract: see common.py."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jetbridge  # noqa: E402
from jetbridge import MessagesOptions, StartPosition  # noqa: E402

import common  # noqa: E402
import pattern  # noqa: E402

ENTRY = "jetbridge-python"


async def publish(c: jetbridge.Client, args: argparse.Namespace, dedup: bool) -> Dict[str, Any]:
    pub = c.publisher(max_in_flight=args.window)
    subject, data = args.subject, args.data
    t = common.now()
    if dedup:
        for i in range(args.count):
            await pub.publish(subject, data, msg_id=common.dedup_msg_id(i))
    else:
        for _ in range(args.count):
            await pub.publish(subject, data)
    rep = await pub.flush()
    seconds = common.now() - t
    if rep.failures:
        common.fail(ENTRY, f"{len(rep.failures)} publishes failed, first: {rep.failures[0].error}")
    return common.report(ENTRY, args, seconds, acked=rep.acked, duplicates=rep.duplicates,
                         peak_in_flight=pub.peak_in_flight)


async def latency(c: jetbridge.Client, args: argparse.Namespace) -> Dict[str, Any]:
    lat: List[float] = []
    subject, data = args.subject, args.data
    t = common.now()
    for _ in range(args.count):
        one = common.now()
        await c.publish(subject, data)
        lat.append(common.now() - one)
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, acked=args.count, **common.percentiles(lat))


async def consume(c: jetbridge.Client, args: argparse.Namespace) -> Dict[str, Any]:
    consumer = await c.create_consumer(args.stream, durable_name=common.DURABLE)
    t = common.now()
    received = 0
    messages = consumer.messages(batch=args.batch)
    async for msg in messages:
        msg.ack()
        received += 1
        if received == args.count:
            break
    # Acks are queued in the core; the run ends when the server has them all.
    deadline = common.now() + common.SETTLE_TIMEOUT_S
    while common.now() < deadline:
        info = await consumer.info()
        if info.num_ack_pending == 0 and info.num_pending == 0:
            seconds = common.now() - t
            await messages.close()
            return common.report(ENTRY, args, seconds, received=received, acked=received)
        await asyncio.sleep(0.002)
    common.fail(ENTRY, "acks did not settle")


async def replay(c: jetbridge.Client, args: argparse.Namespace) -> Dict[str, Any]:
    t = common.now()
    seqs = common.Sequences()
    stream = c.replay(args.stream, StartPosition.at_sequence(1), options=MessagesOptions(batch=args.batch))
    async for msg in stream:
        if seqs.add(msg.stream_sequence) == args.count:
            break
    seconds = common.now() - t
    await stream.close()
    return common.report(ENTRY, args, seconds, **seqs.report())


async def kv_put(c: jetbridge.Client, args: argparse.Namespace) -> Dict[str, Any]:
    kv = await c.key_value(args.stream)
    data, acked = args.data, 0
    t = common.now()
    for i in range(args.count):
        if await kv.put(common.kv_key(i), data) > 0:
            acked += 1
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, acked=acked)


async def kv_get(c: jetbridge.Client, args: argparse.Namespace) -> Dict[str, Any]:
    kv = await c.key_value(args.stream)
    received = 0
    t = common.now()
    for i in range(args.count):
        if len((await kv.get(common.kv_key(i))).value) == args.payload:
            received += 1
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, received=received)


async def kv_watch(c: jetbridge.Client, args: argparse.Namespace) -> Dict[str, Any]:
    kv = await c.key_value(args.stream)
    received = 0
    t = common.now()
    async with kv.watch() as watch:  # every key, latest value each; None = caught up
        async for entry in watch:
            if entry is None:
                break
            received += 1
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, received=received)


async def obj_put(c: jetbridge.Client, args: argparse.Namespace) -> Dict[str, Any]:
    store = await c.object_store(args.stream)
    source = pattern.buffered_source(args.count * common.MIB)
    t = common.now()
    info = await store.put(common.OBJECT_NAME, source)  # read 128 KiB at a time, streamed
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, bytes=info.size)


async def obj_get(c: jetbridge.Client, args: argparse.Namespace) -> Dict[str, Any]:
    store = await c.object_store(args.stream)
    check = pattern.PatternCheck()
    t = common.now()
    reader = await store.get(common.OBJECT_NAME)
    async for chunk in reader:  # one chunk at a time; size and digest checked at the end
        check.feed(chunk)
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, bytes=check.bytes)


STORE_OPS = {"kv-put": kv_put, "kv-get": kv_get, "kv-watch": kv_watch, "obj-put": obj_put, "obj-get": obj_get}


async def main() -> None:
    args = common.parse_args()
    if args.op == "core":
        common.unsupported(ENTRY, args, "JetBridge has no core NATS publish")
    async with jetbridge.connect(args.url) as c:
        if args.op in ("publish", "publish-ids"):
            result = await publish(c, args, dedup=False)
        elif args.op == "dedup":
            result = await publish(c, args, dedup=True)
        elif args.op == "latency":
            result = await latency(c, args)
        elif args.op in ("consume", "consume-each"):  # one message at a time already
            result = await consume(c, args)
        elif args.op in STORE_OPS:
            result = await STORE_OPS[args.op](c, args)
        else:
            result = await replay(c, args)
    common.emit(result)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except jetbridge.JetBridgeError as e:
        common.fail(ENTRY, f"{e.code}: {e}")
    except ValueError as e:  # an object byte that is not the pattern's
        common.fail(ENTRY, e)
