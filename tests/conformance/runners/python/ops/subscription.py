"""Continuous consumption: ``messages`` (durable pull), ``replay`` (ordered),
``push_subscribe``, and reading them with ``next`` / ``next_group``."""

from __future__ import annotations

import time
from typing import Any, Dict, List, Set

import jetbridge

import printing
import record
from args import Args
from outcome import RunnerError, Unsupported
from state import State

from .consumer import config as consumer_config
from .start import start as start_position


def _pull_options(a: Args) -> jetbridge.MessagesOptions:
    """Pull tuning: the fields of ``MessagesOptions`` (``record.read``)."""
    return jetbridge.MessagesOptions(**record.read(jetbridge.MessagesOptions, a))


async def _keep(st: State, alias: str, stream: jetbridge.MessageStream) -> Dict[str, Any]:
    await stream.start()  # creates the consumer now, so that errors belong to this step
    st.streams[alias] = stream
    return {}


async def messages(st: State, a: Args) -> Dict[str, Any]:
    """A continuous pull from the consumer ``consumer``, stored as ``as``."""
    consumer, alias = a.required_string("consumer"), a.required_string("as")
    options = _pull_options(a)
    return await _keep(st, alias, st.consumer(consumer).messages(options))


async def replay(st: State, a: Args) -> Dict[str, Any]:
    """An ordered replay of ``stream``, stored as ``as``."""
    stream, alias = a.required_string("stream"), a.required_string("as")
    options = _pull_options(a)
    filter_subjects = a.strings("filter_subjects") or []
    s = a.object("start")
    start = None if s is None else await start_position(st.get_client(), stream, s)
    speed = a.string("speed")
    if speed is not None and speed not in ("instant", "original"):
        raise Unsupported(f"replay speed {speed!r}")
    r = st.get_client().replay(stream, start, filter_subjects=filter_subjects, speed=speed, options=options)
    return await _keep(st, alias, r)


async def push_subscribe(st: State, a: Args) -> Dict[str, Any]:
    """Creates or joins a push consumer, stored as ``as``."""
    stream, alias = a.required_string("stream"), a.required_string("as")
    c = a.object("config")
    cfg = jetbridge.ConsumerConfig() if c is None else await consumer_config(st.get_client(), stream, c)
    return await _keep(st, alias, st.get_client().push_subscribe(stream, cfg))


async def next_(st: State, a: Args) -> Dict[str, Any]:
    """Up to ``max`` (default 1) messages from ``from``, waiting at most ``wait_ms``
    (default 5000) in total; returns early once ``max`` arrived."""
    source = a.required_string("from")
    max_n = a.u64("max")
    max_n = 1 if max_n is None else max_n
    wait_ms = a.u64("wait_ms")
    wait = 5.0 if wait_ms is None else wait_ms / 1000
    stream = st.stream(source)
    deadline = time.monotonic() + wait
    got: List[jetbridge.Message] = []
    while len(got) < max_n:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        got.extend(await stream.next_batch(max_n - len(got), left))
    printed = printing.messages(got)
    st.remember(source, got)
    return printed


async def next_group(st: State, a: Args) -> Dict[str, Any]:
    """Reads the members ``from`` in turn, acking every message, until ``count`` arrived
    or ``wait_ms`` (default 10000) passed; then reads on for ``settle_ms`` (default 300)."""
    members = a.strings("from")
    if members is None:
        raise RunnerError("argument from is required")
    count = a.u64("count") or 0
    wait_ms, settle_ms = a.u64("wait_ms"), a.u64("settle_ms")
    wait = 10.0 if wait_ms is None else wait_ms / 1000
    settle = 0.3 if settle_ms is None else settle_ms / 1000
    for member in members:
        st.stream(member)
    seqs: Set[int] = set()
    used: Set[str] = set()
    received = duplicates = 0
    deadline = time.monotonic() + wait
    settle_end = None
    while True:
        now = time.monotonic()
        if settle_end is not None:
            if now >= settle_end:
                break
        elif received >= count:
            settle_end = now + settle
        elif now >= deadline:
            break
        for member in members:
            for m in await st.stream(member).next_batch(64, 0.02):
                received += 1
                used.add(member)
                if m.stream_sequence in seqs:
                    duplicates += 1
                seqs.add(m.stream_sequence)
                m.ack()
    return {"received": received, "duplicates": duplicates, "seqs": sorted(seqs), "members_used": len(used)}


async def stop(st: State, a: Args) -> Dict[str, Any]:
    """Stops the stream ``from`` (buffered messages stay readable)."""
    st.stream(a.required_string("from")).stop()
    return {}
