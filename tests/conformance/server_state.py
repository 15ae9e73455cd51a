"""Server-side fixtures of a scenario, done by the driver as "another client".

Two optional scenario keys (SPEC.md §1):

- ``raw_streams``: stream configs (JetStream's JSON) the driver creates through the
  plain JetStream API before the runner starts, as the nats CLI, Terraform or the
  Kubernetes operator would, with every setting JetBridge may not model.
- ``unchanged_after``: ``{"stream": name, "except": {key: value}}``. After the runner
  exits, the driver reads that stream's config from the server: it must equal the
  config the server reported right after ``raw_streams`` created it, except the keys
  in ``except``, which must hold the given values. Proves that nothing the runner did
  removed or changed a setting it did not name.

Only for scenarios without auth (the driver connects to ``urls[0]`` as is).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional

import nats

KEYS = {"raw_streams", "unchanged_after"}
API_TIMEOUT_S = 5.0


def validate(doc: Dict[str, Any], where: str) -> Optional[str]:
    """Why the scenario's server-side keys are malformed, or None."""
    raw = doc.get("raw_streams", [])
    if not isinstance(raw, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in raw):
        return f"{where}: \"raw_streams\" must be a list of stream configs with a \"name\""
    after = doc.get("unchanged_after")
    if after is not None:
        if not isinstance(after, dict) or set(after) - {"stream", "except"} or not isinstance(after.get("stream"), str):
            return f"{where}: \"unchanged_after\" must be {{\"stream\": name, \"except\": {{…}}}}"
        if after["stream"] not in {c["name"] for c in raw}:
            return f"{where}: \"unchanged_after\" names a stream \"raw_streams\" does not create"
    if (raw or after) and doc.get("server", {}).get("auth", "none") != "none":
        return f"{where}: \"raw_streams\" / \"unchanged_after\" need a server without auth"
    return None


async def _api(url: str, requests: List[tuple]) -> List[Dict[str, Any]]:
    nc = await nats.connect(url, connect_timeout=API_TIMEOUT_S, max_reconnect_attempts=0)
    try:
        out = []
        for subject, body in requests:
            msg = await nc.request(subject, json.dumps(body).encode() if body is not None else b"",
                                   timeout=API_TIMEOUT_S)
            reply = json.loads(msg.data)
            if "error" in reply:
                raise RuntimeError(f"{subject}: {reply['error']}")
            out.append(reply)
        return out
    finally:
        await nc.close()


def prepare(url: str, doc: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Creates ``raw_streams``; returns each stream's config as the server reported it."""
    raw = doc.get("raw_streams", [])
    if not raw:
        return {}
    replies = asyncio.run(_api(url, [(f"$JS.API.STREAM.CREATE.{c['name']}", c) for c in raw]))
    return {c["name"]: r["config"] for c, r in zip(raw, replies)}


def verify(url: str, doc: Dict[str, Any], before: Dict[str, Dict[str, Any]]) -> List[str]:
    """Problems with ``unchanged_after``: each key that differs from what it should be."""
    after = doc.get("unchanged_after")
    if after is None:
        return []
    name = after["stream"]
    [reply] = asyncio.run(_api(url, [(f"$JS.API.STREAM.INFO.{name}", None)]))
    expected = dict(before[name], **after.get("except", {}))
    now = reply["config"]
    return [
        f"server config of {name}: {k} is {json.dumps(now.get(k))}, expected {json.dumps(expected.get(k))}"
        for k in sorted(set(expected) | set(now))
        if now.get(k) != expected.get(k)
    ]
