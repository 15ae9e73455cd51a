"""Dapr metadata: ``dapr_config`` prints what a metadata map configures; ``dapr_subscribe``
subscribes the way the Dapr component does; ``dapr_state_*`` do the same for the
``state.jetstream`` component (its configuration, its bucket, its key escaping)."""

from __future__ import annotations

from typing import Any, Dict, List

import jetbridge

import printing
from args import Args
from outcome import RunnerError, log
from state import State


def _parse(a: Args) -> jetbridge.DaprConfig:
    metadata = a.string_map("metadata")
    if metadata is None:
        raise RunnerError("argument metadata is required")
    cfg = jetbridge.DaprConfig.from_metadata(metadata)
    log(f"  dapr config: {cfg!r}")  # secret hygiene (SPEC.md §7)
    return cfg


def _auth(c: jetbridge.ConnectOptions) -> str:
    if c.creds_file is not None:
        return "creds_file"
    if c.jwt is not None:
        return "jwt"
    if c.nkey_seed is not None:
        return "nkey"
    if c.user is not None:
        return "user_password"
    if c.token is not None:
        return "token"
    return "none"


def _servers(c: jetbridge.ConnectOptions) -> List[str]:
    if c.servers is None:
        return []
    return c.servers.split(",") if isinstance(c.servers, str) else list(c.servers)


def _js_api_prefix(c: jetbridge.ConnectOptions) -> str:
    """The binding exposes ``domain`` and ``api_prefix``; the printed prefix is the one
    they select (core ``ConnectOptions::js_api_prefix``)."""
    if c.domain is not None:
        return f"$JS.{c.domain}.API"
    if c.api_prefix is not None:
        return c.api_prefix.rstrip(".")
    return "$JS.API"


def _connect_summary(c: jetbridge.ConnectOptions) -> Dict[str, Any]:
    """DAPR's ``connect``: server URLs counted, never printed; secrets never printed."""
    return {
        "servers": len(_servers(c)),
        "name": c.name,
        "auth": _auth(c),
        "tls_client_cert": c.tls_client_cert is not None,
        "js_api_prefix": _js_api_prefix(c),
    }


async def dapr_config(st: State, a: Args) -> Dict[str, Any]:
    """The connect and subscription options, normalised."""
    cfg = _parse(a)
    s = cfg.subscription
    start = s.consumer.start
    start_time_ns = start.time if isinstance(start, jetbridge.StartPosition) and start.policy == "time" else None
    return {
        "connect": _connect_summary(cfg.connect),
        "subscription": {
            "stream_name": s.stream_name,
            "concurrency": s.concurrency,
            "start_time_ns": start_time_ns,
            "consumer": printing.consumer_config(s.consumer),
        },
    }


async def dapr_subscribe(st: State, a: Args) -> Dict[str, Any]:
    """``metadata`` and ``topic``, on the current client, stored as ``as``."""
    cfg = _parse(a)
    topic, alias = a.required_string("topic"), a.required_string("as")
    stream = st.get_client().subscribe(topic, cfg.subscription)
    await stream.start()
    st.streams[alias] = stream
    return {}


def _parse_state(a: Args) -> jetbridge.DaprStateConfig:
    metadata = a.string_map("metadata")
    if metadata is None:
        raise RunnerError("argument metadata is required")
    cfg = jetbridge.DaprStateConfig.from_metadata(metadata)
    log(f"  dapr state config: {cfg!r}")  # secret hygiene (SPEC.md §7)
    return cfg


async def dapr_state_config(st: State, a: Args) -> Dict[str, Any]:
    """DAPR_STATE."""
    cfg = _parse_state(a)
    return {"connect": _connect_summary(cfg.connect), "bucket": cfg.bucket}


async def dapr_state_open(st: State, a: Args) -> Dict[str, Any]:
    """The metadata's bucket on the current client (opened, never created), as ``as``."""
    cfg = _parse_state(a)
    kv = await st.get_client().key_value(cfg.bucket)
    st.buckets[a.string("as") or cfg.bucket] = kv
    return {"bucket": cfg.bucket}


async def dapr_state_key(st: State, a: Args) -> Dict[str, Any]:
    return {"key": jetbridge.dapr_state_key(a.required_string("key"))}
