"""Acks: ``{"from": alias, "seq": N}`` names the latest delivery of stream sequence N
received from that consumer or stream."""

from __future__ import annotations

from typing import Any, Dict

import jetbridge

from args import Args
from state import State


def _target(st: State, a: Args) -> jetbridge.Message:
    return st.message(a.required_string("from"), a.required_u64("seq"))


async def ack(st: State, a: Args) -> Dict[str, Any]:
    _target(st, a).ack()
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


async def ack_sync(st: State, a: Args) -> Dict[str, Any]:
    """Waits for the server's confirmation."""
    await _target(st, a).ack_sync()
    return {}
