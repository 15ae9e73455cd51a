"""Core NATS (subscribe, publish, request-reply with a responder task) and connection
events (SPEC.md §4.8)."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Optional

import jetbridge

import printing
from args import Args
from outcome import RunnerError
from state import State


def _data(a: Args) -> bytes:
    """``data`` (text, default empty) or ``data_size`` (that many ``x`` bytes)."""
    text, size = a.string("data"), a.u64("data_size")
    if text is not None and size is not None:
        raise RunnerError("give data or data_size, not both")
    return text.encode("utf-8") if text is not None else b"x" * (size or 0)


def _ms(a: Args, key: str, default: int) -> float:
    v = a.u64(key)
    return (default if v is None else v) / 1000


def core(m: jetbridge.CoreMessage) -> Dict[str, Any]:
    """CORE: a reply subject is an inbox or a name the scenario gave; only its presence
    is printed."""
    return {
        "subject": m.subject,
        "data": printing.data(m.data),
        "headers": printing.headers(m.headers),
        "has_reply": m.reply is not None,
    }


async def core_subscribe(st: State, a: Args) -> Dict[str, Any]:
    subject, queue, alias = a.required_string("subject"), a.string("queue"), a.required_string("as")
    st.core_subs[alias] = await st.get_client().core_subscribe(subject, queue=queue)
    return {}


async def core_publish(st: State, a: Args) -> Dict[str, Any]:
    subject, data = a.required_string("subject"), _data(a)
    headers, reply = a.pairs("headers"), a.string("reply")
    await st.get_client().core_publish(subject, data, headers=headers, reply=reply)
    return {}


async def core_next(st: State, a: Args) -> Dict[str, Any]:
    """Up to ``max`` messages from ``from``, waiting at most ``wait_ms`` in total; the
    last one is kept for ``core_respond``."""
    source = a.required_string("from")
    max_n = a.u64("max")
    max_n = 1 if max_n is None else max_n
    deadline = time.monotonic() + _ms(a, "wait_ms", 2000)
    sub = st.core_sub(source)
    got: List[jetbridge.CoreMessage] = []
    while len(got) < max_n:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        m = await sub.next(timeout=left)
        if m is not None:
            got.append(m)
    if got:
        st.core_last[source] = got[-1]
    return {"count": len(got), "messages": [core(m) for m in got]}


async def core_next_group(st: State, a: Args) -> Dict[str, Any]:
    """Reads the members ``from`` in turn until ``count`` arrived or ``wait_ms`` passed,
    then ``settle_ms`` more."""
    members = a.strings("from")
    if members is None:
        raise RunnerError("argument from is required")
    count = a.u64("count") or 0
    wait, settle = _ms(a, "wait_ms", 5000), _ms(a, "settle_ms", 300)
    subs = [st.core_sub(m) for m in members]
    data: List[str] = []
    deadline = time.monotonic() + wait
    settle_end: Optional[float] = None
    while True:
        now = time.monotonic()
        if settle_end is not None:
            if now >= settle_end:
                break
        elif len(data) >= count:
            settle_end = now + settle
        elif now >= deadline:
            break
        for sub in subs:
            m = await sub.next(timeout=0.02)
            if m is not None:
                data.append(printing.data(m.data))
    return {"received": len(data), "data": sorted(data)}


async def core_unsubscribe(st: State, a: Args) -> Dict[str, Any]:
    source = a.required_string("from")
    await st.core_sub(source).unsubscribe()
    task = st.core_services.pop(source, None)
    if task is not None:
        await task
    return {}


async def _serve(sub: jetbridge.CoreSubscription, prefix: bytes) -> None:
    async for m in sub:
        try:
            await m.respond(prefix + m.data, headers=m.headers)
        except jetbridge.JetBridgeError:
            pass  # the caller sees the missing answer


async def core_reply_service(st: State, a: Args) -> Dict[str, Any]:
    subject, queue, alias = a.required_string("subject"), a.string("queue"), a.required_string("as")
    prefix = (a.string("prefix") or "").encode("utf-8")
    sub = await st.get_client().core_subscribe(subject, queue=queue)
    st.core_subs[alias] = sub
    st.core_services[alias] = asyncio.ensure_future(_serve(sub, prefix))
    return {}


async def core_respond(st: State, a: Args) -> Dict[str, Any]:
    source = a.required_string("from")
    st.core_sub(source)
    last = st.core_last.get(source)
    if last is None:
        raise RunnerError(f"no message received from {source!r}")
    await last.respond(_data(a), headers=a.pairs("headers"))
    return {}


async def core_request(st: State, a: Args) -> Dict[str, Any]:
    subject, data, headers = a.required_string("subject"), _data(a), a.pairs("headers")
    timeout = _ms(a, "timeout_ms", 2000)
    reply = await st.get_client().core_request(subject, data, headers=headers, timeout=timeout)
    return {"data": printing.data(reply.data), "headers": printing.headers(reply.headers)}


async def events_listen(st: State, a: Args) -> Dict[str, Any]:
    st.listeners[a.required_string("as")] = st.get_client().events()
    return {}


async def events_next(st: State, a: Args) -> Dict[str, Any]:
    """Events until ``max`` arrived, the listener ended, or ``wait_ms`` passed."""
    source = a.required_string("from")
    max_n = a.u64("max")
    max_n = 10 if max_n is None else max_n
    deadline = time.monotonic() + _ms(a, "wait_ms", 500)
    listener = st.listener(source)
    events: List[Dict[str, Any]] = []
    while len(events) < max_n and not listener.ended:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        e = await listener.next(timeout=left)
        if e is not None:
            events.append({"kind": e.kind, "detail": e.detail})
    return {"events": events, "ended": listener.ended}
