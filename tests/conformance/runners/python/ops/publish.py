"""publish, publish_many, publish_batch and the pipelined publisher."""

from __future__ import annotations

from typing import Any, Dict, List

import jetbridge

import printing
import record
from args import Args
from outcome import RunnerError
from state import State


def message(a: Args) -> jetbridge.PublishMessage:
    """A message from its scenario description: ``subject``, ``data`` (text, default
    empty) or ``data_size`` (that many ``x`` bytes), ``headers``, ``msg_id``, ``expect``,
    ``ttl_ms`` (as the binding's seconds)."""
    text, size = a.string("data"), a.u64("data_size")
    if text is not None and size is not None:
        raise RunnerError("give data or data_size, not both")
    payload = text.encode("utf-8") if text is not None else b"x" * (size or 0)
    msg = jetbridge.PublishMessage(subject=a.required_string("subject"), payload=payload)
    msg.headers = a.pairs("headers") or []
    msg.msg_id = a.string("msg_id")
    msg.ttl = a.seconds("ttl_ms")
    e = a.object("expect")
    if e is not None:
        msg.expect = jetbridge.Expect(
            stream=e.string("stream"),
            last_sequence=e.u64("last_sequence"),
            last_msg_id=e.string("last_msg_id"),
            last_subject_sequence=e.u64("last_subject_sequence"),
        )
    return msg


def _messages(a: Args) -> List[jetbridge.PublishMessage]:
    return [message(m) for m in a.objects("messages") or []]


async def publish(st: State, a: Args) -> Dict[str, Any]:
    m = message(a)
    ack = await st.get_client().publish(
        m.subject, m.payload, msg_id=m.msg_id, headers=m.headers, expect=m.expect, ttl=m.ttl
    )
    return printing.pub_ack(ack)


async def publish_many(st: State, a: Args) -> Dict[str, Any]:
    results = await st.get_client().publish_many(_messages(a))
    printed = [
        {"error": r.code} if isinstance(r, jetbridge.JetBridgeError) else printing.pub_ack(r) for r in results
    ]
    return {"results": printed}


async def publish_batch(st: State, a: Args) -> Dict[str, Any]:
    """``messages`` (sent ``repeat`` times over) as one atomic batch."""
    repeat = a.u64("repeat")
    batch = _messages(a) * (1 if repeat is None else repeat)
    ack = await st.get_client().publish_batch(batch)
    return {"stream": ack.stream, "seq": ack.sequence, "count": ack.count}


async def publisher_open(st: State, a: Args) -> Dict[str, Any]:
    publisher = st.get_client().publisher(**record.read(jetbridge.PublisherOptions, a))
    st.publisher = publisher
    return printing.record(publisher.options)


async def publisher_publish(st: State, a: Args) -> Dict[str, Any]:
    m = message(a)
    ticket = await st.get_publisher().publish(
        m.subject, m.payload, msg_id=m.msg_id, headers=m.headers, expect=m.expect, ttl=m.ttl
    )
    return {"ticket": ticket}


async def publisher_publish_many(st: State, a: Args) -> Dict[str, Any]:
    return {"tickets": await st.get_publisher().publish_many(_messages(a))}


async def publisher_flush(st: State, a: Args) -> Dict[str, Any]:
    return printing.flush_report(await st.get_publisher().flush())


async def publisher_close(st: State, a: Args) -> Dict[str, Any]:
    return printing.flush_report(await st.get_publisher().close())


async def publisher_publish_tracked(st: State, a: Args) -> Dict[str, Any]:
    m = message(a)
    tracked = await st.get_publisher().publish_tracked(
        m.subject, m.payload, msg_id=m.msg_id, headers=m.headers, expect=m.expect, ttl=m.ttl
    )
    st.tracked[tracked.ticket] = tracked
    return {"ticket": tracked.ticket}


async def publisher_ack(st: State, a: Args) -> Dict[str, Any]:
    """The tracked publish's PUBACK, or its error, waiting for it if need be."""
    return printing.pub_ack(await st.tracked_publish(a.required_u64("ticket")))
