"""Acks: ``{"from": alias, "seq": N}`` names the latest delivery of stream sequence N
received from that consumer or stream."""

from __future__ import annotations

from typing import Any, Dict

import jetbridge

from args import Args
from outcome import RunnerError
from state import State


def _target(st: State, a: Args) -> jetbridge.Message:
    return st.message(a.required_string("from"), a.required_u64("seq"))


async def ack(st: State, a: Args) -> Dict[str, Any]:
    """``awaited: true``: ``await msg.ack()`` (the nats.py habit); else the plain call."""
    msg = _target(st, a)
    if a.bool("awaited"):
        await msg.ack()
    else:
        msg.ack()
    return {}


async def nak(st: State, a: Args) -> Dict[str, Any]:
    delay = a.seconds("delay_ms")
    _target(st, a).nak(delay)
    return {}


async def term(st: State, a: Args) -> Dict[str, Any]:
    reason = a.string("reason")
    _target(st, a).term(reason)
    return {}


async def in_progress(st: State, a: Args) -> Dict[str, Any]:
    _target(st, a).in_progress()
    return {}


async def read_headers(st: State, a: Args) -> Dict[str, Any]:
    """Each of ``names`` through the read-only multi-dict a user reads: ``in``,
    ``get`` and ``getall`` (case-insensitive, as the core)."""
    h = _target(st, a).headers
    names = a.strings("names")
    if names is None:
        raise RunnerError('read_headers needs "names"')
    return {"headers": [{"name": n, "has": n in h, "first": h.get(n), "all": h.getall(n)} for n in names]}


async def trace_context(st: State, a: Args) -> Dict[str, Any]:
    """The core's ``TraceContext`` of the message (``msg.trace_context``), or null."""
    t = _target(st, a).trace_context
    if t is None:
        return {"trace": None}
    return {"trace": {"trace_id": t.trace_id, "span_id": t.span_id, "sampled": t.sampled,
                      "traceparent": t.traceparent, "tracestate": t.tracestate}}


async def ack_sync(st: State, a: Args) -> Dict[str, Any]:
    """Waits for the server's confirmation."""
    await _target(st, a).ack_sync()
    return {}
