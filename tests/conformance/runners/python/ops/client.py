"""connect, close, drain, client_info, counters, sleep."""

from __future__ import annotations

import asyncio
from typing import Any, Dict

import jetbridge

import printing
from args import Args, substitute
from outcome import log
from state import State

from . import credentials


async def connect(st: State, a: Args) -> Dict[str, Any]:
    """Replaces the client on success; a failed connect keeps the old one. For secret
    hygiene (SPEC.md §7) it writes the repr of the options (or of the Dapr configuration)
    and of the client to stderr; errors are written by the dispatcher."""
    metadata = a.string_map("dapr")
    if metadata is not None:
        cfg = jetbridge.DaprConfig.from_metadata(metadata)
        log(f"  dapr config: {cfg!r}")
        options = cfg.connect
    else:
        servers = a.strings("servers")
        if servers is None:
            servers = [substitute("${JB_URL}")]
        fields: Dict[str, Any] = {"servers": servers, "name": a.string("name")}
        fields.update(credentials.auth_fields(a))
        fields.update(credentials.tls_fields(a))
        fields["connect_timeout"] = a.seconds("connect_timeout_ms")
        options = jetbridge.ConnectOptions(**fields)
    log(f"  options: {options!r}")
    client = await jetbridge.connect(options=options)
    log(f"  client: {client!r}")
    st.client = client
    return {}


async def close(st: State, a: Args) -> Dict[str, Any]:
    """The client stays in place so that later steps see ``CLOSED``."""
    await st.get_client().close()
    return {}


async def drain(st: State, a: Args) -> Dict[str, Any]:
    """Graceful shutdown within ``timeout_ms`` when given (else the core's default);
    the client stays in place so that later steps see ``CLOSED``."""
    await st.get_client().drain(a.seconds("timeout_ms"))
    return {}


async def flush_acks(st: State, a: Args) -> Dict[str, Any]:
    """``Client.flush_acks``; ``confirm`` passed only when given (absent: the default)."""
    confirm = a.bool("confirm")
    c = st.get_client()
    await (c.flush_acks() if confirm is None else c.flush_acks(confirm=confirm))
    return {}


async def client_info(st: State, a: Args) -> Dict[str, Any]:
    c = st.get_client()
    return {"connected": c.connection_state().connected, "closed": c.is_closed, "max_payload": c.max_payload}


async def counters(st: State, a: Args) -> Dict[str, Any]:
    return printing.counters(st.get_client().counters())


async def sleep(st: State, a: Args) -> Dict[str, Any]:
    await asyncio.sleep(a.seconds("ms") or 0)
    return {}
