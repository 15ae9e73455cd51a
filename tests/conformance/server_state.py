"""Server-side fixtures of a scenario, done by the driver as "another client".

Three optional scenario keys (SPEC.md §1):

- ``raw_streams``: stream configs (JetStream's JSON) the driver creates through the
  plain JetStream API before the runner starts, as the nats CLI, Terraform or the
  Kubernetes operator would, with every setting JetBridge may not model.
- ``raw_consumers``: ``[{"stream": name, "config": {...}}]``, durable consumers (JetStream's
  JSON, ``durable_name`` required) the driver creates after ``raw_streams``, the same way.
- ``unchanged_after``: ``{"stream": name, "consumer": name (optional), "except": {key: value}}``.
  After the runner exits, the driver reads that stream's (or that consumer's) config from
  the server: it must equal the config the server reported right after the driver created
  it, except the keys in ``except``, which must hold the given values. Proves that nothing
  the runner did removed or changed a setting it did not name.

Only for scenarios without auth (the driver connects to ``urls[0]`` as is).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional

import nats

KEYS = {"raw_streams", "raw_consumers", "unchanged_after"}
API_TIMEOUT_S = 5.0


def validate(doc: Dict[str, Any], where: str) -> Optional[str]:
    """Why the scenario's server-side keys are malformed, or None."""
    raw = doc.get("raw_streams", [])
    if not isinstance(raw, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in raw):
        return f"{where}: \"raw_streams\" must be a list of stream configs with a \"name\""
    consumers = doc.get("raw_consumers", [])
    if not isinstance(consumers, list) or not all(
            isinstance(c, dict) and c.get("stream") in {s["name"] for s in raw}
            and isinstance(c.get("config"), dict) and isinstance(c["config"].get("durable_name"), str)
            for c in consumers):
        return (f"{where}: \"raw_consumers\" must be a list of {{\"stream\": a raw_streams name, "
                f"\"config\": {{\"durable_name\": …}}}}")
    after = doc.get("unchanged_after")
    if after is not None:
        if (not isinstance(after, dict) or set(after) - {"stream", "consumer", "except"}
                or not isinstance(after.get("stream"), str)):
            return f"{where}: \"unchanged_after\" must be {{\"stream\": name, \"except\": {{…}}}}"
        if after["stream"] not in {c["name"] for c in raw}:
            return f"{where}: \"unchanged_after\" names a stream \"raw_streams\" does not create"
        if "consumer" in after and (after["stream"], after["consumer"]) not in {
                (c["stream"], c["config"]["durable_name"]) for c in consumers}:
            return f"{where}: \"unchanged_after\" names a consumer \"raw_consumers\" does not create"
    if (raw or after) and doc.get("server", {}).get("auth", "none") != "none":
        return f"{where}: \"raw_streams\" / \"unchanged_after\" need a server without auth"
    return None


def server_version(url: str) -> tuple:
    """The version of the server at ``url`` as ``(major, minor, patch)`` (from its INFO)."""

    async def ask() -> tuple:
        nc = await nats.connect(url, connect_timeout=API_TIMEOUT_S, max_reconnect_attempts=0)
        try:
            v = nc.connected_server_version
            return (v.major, v.minor, v.patch)
        finally:
            await nc.close()

    return asyncio.run(ask())


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


def _key(stream: str, consumer: Optional[str]) -> str:
    return stream if consumer is None else f"{stream}/{consumer}"


def prepare(url: str, doc: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Creates ``raw_streams`` and ``raw_consumers``; returns each one's config as the
    server reported it, keyed ``stream`` or ``stream/consumer``."""
    raw = doc.get("raw_streams", [])
    consumers = doc.get("raw_consumers", [])
    if not raw:
        return {}
    requests = [(f"$JS.API.STREAM.CREATE.{c['name']}", c) for c in raw]
    requests += [(f"$JS.API.CONSUMER.CREATE.{c['stream']}.{c['config']['durable_name']}",
                  {"stream_name": c["stream"], "config": c["config"]}) for c in consumers]
    replies = asyncio.run(_api(url, requests))
    keys = [_key(c["name"], None) for c in raw] + [
        _key(c["stream"], c["config"]["durable_name"]) for c in consumers]
    return {k: r["config"] for k, r in zip(keys, replies)}


def verify(url: str, doc: Dict[str, Any], before: Dict[str, Dict[str, Any]]) -> List[str]:
    """Problems with ``unchanged_after``: each key that differs from what it should be."""
    after = doc.get("unchanged_after")
    if after is None:
        return []
    name = _key(after["stream"], after.get("consumer"))
    what = "STREAM" if "consumer" not in after else "CONSUMER"
    subject = f"$JS.API.{what}.INFO.{name.replace('/', '.')}"
    [reply] = asyncio.run(_api(url, [(subject, None)]))
    expected = dict(before[name], **after.get("except", {}))
    now = reply["config"]
    return [
        f"server config of {name}: {k} is {json.dumps(now.get(k))}, expected {json.dumps(expected.get(k))}"
        for k in sorted(set(expected) | set(now))
        if now.get(k) != expected.get(k)
    ]
