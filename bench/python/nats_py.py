"""Bench entry ``nats.py``: the nats-py client (PyPI, pinned in
scripts/requirements-dev.txt) used as its docs show: ``publish_async`` with a
bounded pending window, ``pull_subscribe`` + ``fetch``, an ordered (push)
consumer for replay. Contract: see common.py."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nats  # noqa: E402
from nats.js import api  # noqa: E402

import common  # noqa: E402
import pattern  # noqa: E402

ENTRY = "nats.py"


async def publish(js: Any, args: argparse.Namespace, msg_id: Optional[Callable[[int], str]]) -> Dict[str, Any]:
    counts = {"acked": 0, "duplicates": 0, "failed": 0}
    first_error: List[BaseException] = []

    def settled(fut: "asyncio.Future[api.PubAck]") -> None:
        if fut.cancelled() or fut.exception() is not None:
            counts["failed"] += 1
            if not first_error and not fut.cancelled():
                first_error.append(fut.exception())  # type: ignore[arg-type]
            return
        counts["acked"] += 1
        counts["duplicates"] += int(bool(fut.result().duplicate))

    subject, data = args.subject, args.data
    t = common.now()
    for i in range(args.count):
        headers = {"Nats-Msg-Id": msg_id(i)} if msg_id else None
        fut = await js.publish_async(subject, data, headers=headers)
        fut.add_done_callback(settled)
    await js.publish_async_completed()
    seconds = common.now() - t
    await asyncio.sleep(0)  # let the last done-callbacks run
    if counts["failed"]:
        common.fail(ENTRY, f"{counts['failed']} publishes failed, first: {first_error[:1]}")
    return common.report(ENTRY, args, seconds, acked=counts["acked"], duplicates=counts["duplicates"])


async def latency(js: Any, args: argparse.Namespace) -> Dict[str, Any]:
    lat: List[float] = []
    subject, data = args.subject, args.data
    t = common.now()
    for _ in range(args.count):
        one = common.now()
        await js.publish(subject, data)
        lat.append(common.now() - one)
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, acked=args.count, **common.percentiles(lat))


async def consume(js: Any, args: argparse.Namespace) -> Dict[str, Any]:
    psub = await js.pull_subscribe(f"{args.stream}.>", durable=common.DURABLE, stream=args.stream)
    t = common.now()
    received = 0
    while received < args.count:
        msgs = await psub.fetch(min(args.batch, args.count - received), timeout=10)
        for m in msgs:
            await m.ack()
        received += len(msgs)
    deadline = common.now() + common.SETTLE_TIMEOUT_S
    while common.now() < deadline:
        info = await js.consumer_info(args.stream, common.DURABLE)
        if info.num_ack_pending == 0 and info.num_pending == 0:
            seconds = common.now() - t
            await psub.unsubscribe()
            return common.report(ENTRY, args, seconds, received=received, acked=received)
        await asyncio.sleep(0.002)
    common.fail(ENTRY, "acks did not settle")


async def replay(js: Any, args: argparse.Namespace) -> Dict[str, Any]:
    t = common.now()
    sub = await js.subscribe(
        f"{args.stream}.>",
        stream=args.stream,
        ordered_consumer=True,
        deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
        config=api.ConsumerConfig(opt_start_seq=1),
    )
    seqs = common.Sequences()
    while seqs.received < args.count:
        msg = await sub.next_msg(timeout=10)
        seqs.add(msg.metadata.sequence.stream)
    seconds = common.now() - t
    await sub.unsubscribe()
    return common.report(ENTRY, args, seconds, **seqs.report())


async def core(nc: Any, args: argparse.Namespace) -> Dict[str, Any]:
    data = args.data
    t = common.now()
    for _ in range(args.count):
        await nc.publish(common.CORE_SUBJECT, data)
    await nc.flush(timeout=60)
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, sent=args.count)


async def kv_put(js: Any, args: argparse.Namespace) -> Dict[str, Any]:
    kv = await js.key_value(args.stream)
    data, acked = args.data, 0
    t = common.now()
    for i in range(args.count):
        if await kv.put(common.kv_key(i), data) > 0:
            acked += 1
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, acked=acked)


async def kv_get(js: Any, args: argparse.Namespace) -> Dict[str, Any]:
    kv = await js.key_value(args.stream)
    received = 0
    t = common.now()
    for i in range(args.count):
        if len((await kv.get(common.kv_key(i))).value or b"") == args.payload:
            received += 1
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, received=received)


async def kv_watch(js: Any, args: argparse.Namespace) -> Dict[str, Any]:
    kv = await js.key_value(args.stream)
    received = 0
    t = common.now()
    watcher = await kv.watchall()  # latest value per key, then None once
    while await watcher.updates(timeout=10) is not None:
        received += 1
    seconds = common.now() - t
    await watcher.stop()
    return common.report(ENTRY, args, seconds, received=received)


async def obj_put(js: Any, args: argparse.Namespace) -> Dict[str, Any]:
    obj = await js.object_store(args.stream)
    source = pattern.buffered_source(args.count * common.MIB)
    t = common.now()
    info = await obj.put(common.OBJECT_NAME, source)  # readinto() of 128 KiB chunks, in a thread
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, bytes=info.size)


async def obj_get(js: Any, args: argparse.Namespace) -> Dict[str, Any]:
    obj = await js.object_store(args.stream)
    check = pattern.PatternCheck()
    t = common.now()
    await obj.get(common.OBJECT_NAME, writeinto=check)  # each chunk to check.write; digest checked
    seconds = common.now() - t
    return common.report(ENTRY, args, seconds, bytes=check.bytes)


STORE_OPS = {"kv-put": kv_put, "kv-get": kv_get, "kv-watch": kv_watch, "obj-put": obj_put, "obj-get": obj_get}


async def main() -> None:
    args = common.parse_args()
    nc = await nats.connect(args.url)
    js = nc.jetstream(publish_async_max_pending=args.window)
    if args.op == "publish":
        result = await publish(js, args, None)
    elif args.op == "publish-ids":
        result = await publish(js, args, common.unique_msg_id)
    elif args.op == "dedup":
        result = await publish(js, args, common.dedup_msg_id)
    elif args.op == "latency":
        result = await latency(js, args)
    elif args.op == "consume":
        result = await consume(js, args)
    elif args.op == "replay":
        result = await replay(js, args)
    elif args.op in STORE_OPS:
        result = await STORE_OPS[args.op](js, args)
    else:
        result = await core(nc, args)
    await nc.drain()
    common.emit(result)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception as e:  # noqa: BLE001 - any client error fails the run with its text
        common.fail(ENTRY, f"{type(e).__name__}: {e}")
