"""Consumer administration and ``fetch``."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, Optional

import jetbridge

import printing
import record
from args import Args
from outcome import RunnerError
from state import State

from .start import start as start_position


async def config(client: jetbridge.Client, stream: str, a: Args) -> jetbridge.ConsumerConfig:
    """A consumer configuration from a scenario's ``config`` object (``record.read``).
    ``start`` is START (``start.py``); ``deliver_subject`` is never given (the binding makes
    it for push consumers), so it is an unknown argument."""
    given = record.read(jetbridge.ConsumerConfig, a, skip=("start", "deliver_subject"))
    s = a.object("start")
    if s is not None:
        given["start"] = await start_position(client, stream, s)
    return jetbridge.ConsumerConfig(**given)


async def config_arg(st: State, stream: str, a: Args, key: str) -> Optional[jetbridge.ConsumerConfig]:
    c = a.object(key)
    return None if c is None else await config(st.get_client(), stream, c)


def _alias(a: Args, durable: Optional[str]) -> str:
    """``as``, else the durable name; read after the core call (the core judges first)."""
    alias = a.string("as")
    if alias is not None:
        return alias
    if durable is not None:
        return durable
    raise RunnerError('an ephemeral consumer needs "as"')


def _stored(st: State, alias: str, consumer: jetbridge.Consumer) -> Dict[str, Any]:
    printed = {"stream": consumer.stream, "name": printing.consumer_name(consumer.config, consumer.name)}
    st.consumers[alias] = consumer
    return printed


async def create_consumer(st: State, a: Args) -> Dict[str, Any]:
    stream = a.required_string("stream")
    c = await config_arg(st, stream, a, "config") or jetbridge.ConsumerConfig()
    consumer = await st.get_client().create_consumer(stream, c)
    return _stored(st, _alias(a, consumer.config.durable_name), consumer)


async def update_consumer(st: State, a: Args) -> Dict[str, Any]:
    stream = a.required_string("stream")
    c = await config_arg(st, stream, a, "config") or jetbridge.ConsumerConfig()
    consumer = await st.get_client().update_consumer(stream, c)
    return _stored(st, _alias(a, consumer.config.durable_name), consumer)


async def get_or_create_consumer(st: State, a: Args) -> Dict[str, Any]:
    stream = a.required_string("stream")
    c = await config_arg(st, stream, a, "config") or jetbridge.ConsumerConfig()
    consumer = await st.get_client().get_or_create_consumer(stream, c)
    return _stored(st, _alias(a, consumer.config.durable_name), consumer)


async def bind_consumer(st: State, a: Args) -> Dict[str, Any]:
    stream, name = a.required_string("stream"), a.required_string("name")
    expected = await config_arg(st, stream, a, "expected")
    consumer = await st.get_client().bind_consumer(stream, name, expected)
    return _stored(st, _alias(a, name), consumer)


async def consumer_info(st: State, a: Args) -> Dict[str, Any]:
    """By ``consumer`` alias, or by ``stream`` and ``name``. With ``wait_for``, re-reads
    every 50 ms (up to ``timeout_ms``, default 5000) until each listed state field has the
    given value, then prints the last info."""
    wait_for = a.raw("wait_for")
    if not isinstance(wait_for, dict):
        wait_for = None
    timeout_ms = a.u64("timeout_ms")
    timeout = 5.0 if timeout_ms is None else timeout_ms / 1000
    alias = a.string("consumer")
    if alias is not None:
        c = st.consumer(alias)
        stream, name = c.stream, c.name
    else:
        stream, name = a.required_string("stream"), a.required_string("name")
    client = st.get_client()
    deadline = time.monotonic() + timeout
    while True:
        info = await client.consumer_info(stream, name)
        state = printing.consumer_state(info)
        settled = wait_for is None or all(
            k in state and state[k] == v and type(state[k]) is type(v) for k, v in wait_for.items()
        )
        if settled or time.monotonic() >= deadline:
            return printing.consumer_info(info)
        await asyncio.sleep(0.05)


async def delete_consumer(st: State, a: Args) -> Dict[str, Any]:
    stream, name = a.required_string("stream"), a.required_string("name")
    await st.get_client().delete_consumer(stream, name)
    return {}


async def pause_consumer(st: State, a: Args) -> Dict[str, Any]:
    """Until ``until`` (Unix nanoseconds, as an aware UTC ``datetime``) → PAUSE_STATE."""
    stream, name = a.required_string("stream"), a.required_string("name")
    nanos = a.i64("until")
    if nanos is None:
        raise RunnerError("until is required")
    state = await st.get_client().pause_consumer(stream, name, record.to_datetime(nanos))
    return printing.pause_state(state)


async def resume_consumer(st: State, a: Args) -> Dict[str, Any]:
    """→ PAUSE_STATE."""
    stream, name = a.required_string("stream"), a.required_string("name")
    return printing.pause_state(await st.get_client().resume_consumer(stream, name))


async def unpin_consumer(st: State, a: Args) -> Dict[str, Any]:
    stream, name, group = a.required_string("stream"), a.required_string("name"), a.required_string("group")
    await st.get_client().unpin_consumer(stream, name, group)
    return {}


async def fetch(st: State, a: Args) -> Dict[str, Any]:
    """The fields of ``FetchOptions`` (``record.read``; the core's defaults: one message
    within 5 s); zero messages is a result, not an error. With ``cancel_after_ms`` the
    awaiting task is cancelled that long after the start, as a Python program does
    (``asyncio.wait_for``): ``{"cancelled": true}`` when that ended it."""
    alias = a.required_string("consumer")
    cancel_after = a.seconds("cancel_after_ms")
    fetching = st.consumer(alias).fetch(**record.read(jetbridge.FetchOptions, a))
    if cancel_after is None:
        batch = await fetching
    else:
        try:
            batch = await asyncio.wait_for(fetching, cancel_after)
        except asyncio.TimeoutError as e:
            # wait_for's own timeout, not the binding's TimeoutError (also a builtin one).
            if isinstance(e, jetbridge.JetBridgeError):
                raise
            return {"cancelled": True}
    printed = printing.messages(batch)
    st.remember(alias, batch)
    return printed
