"""How results are printed: the normalisation rules of SPEC.md §3 and the shapes of §4.9,
in one place, from the ``jetbridge`` package's public result types.

- Timestamps are never printed, only whether they are present.
- A generated message id (``jb-…``) prints as ``<generated>``.
- Ports, URLs, inboxes and ephemeral consumer names are never printed.
- Headers whose name starts with ``Nats-`` are left out; the message id is its own field.
- Durations print as integer milliseconds, ``None`` when unset.
- A configured time (``pause_until``: set by the scenario, not the clock) prints as integer
  Unix nanoseconds; a map as an object of strings.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any, Dict, List, Optional, Sequence, Tuple

import jetbridge

from record import Nested, fields as record_fields
from record import to_nanos


#: Payloads longer than this print as ``"<N bytes>"``.
MAX_PRINTED_DATA = 200
MSG_ID_HEADER = "Nats-Msg-Id"
_POLICY_NAMES = {"sequence": "by_start_sequence", "time": "by_start_time"}


def msg_id(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    return "<generated>" if value.startswith("jb-") else value


def data(payload: bytes) -> str:
    if len(payload) > MAX_PRINTED_DATA:
        return f"<{len(payload)} bytes>"
    return bytes(payload).decode("utf-8", errors="replace")


def headers(h: jetbridge.MessageHeaders) -> List[List[str]]:
    kept = [(k, v) for k, v in h.items() if not k.lower().startswith("nats-")]
    kept.sort(key=lambda kv: kv[0])  # stable: values of one name keep their order
    return [[k, v] for k, v in kept]


def _header_msg_id(h: jetbridge.MessageHeaders) -> Optional[str]:
    return h.get(MSG_ID_HEADER)


def ms(seconds: Optional[jetbridge.Seconds]) -> Optional[int]:
    """Seconds (the binding's unit) as whole milliseconds, truncated like the core's
    ``Duration::as_millis`` (through nanoseconds, to undo the float)."""
    if seconds is None:
        return None
    if isinstance(seconds, timedelta):
        seconds = seconds.total_seconds()
    return int(round(seconds * 1_000_000_000)) // 1_000_000


def pub_ack(ack: jetbridge.PubAck) -> Dict[str, Any]:
    return {"stream": ack.stream, "seq": ack.sequence, "duplicate": ack.duplicate, "msg_id": msg_id(ack.msg_id)}


def message(m: jetbridge.MessageBase) -> Dict[str, Any]:
    return {
        "stream": m.stream,
        "seq": m.stream_sequence,
        "consumer_seq": m.consumer_sequence,
        "subject": m.subject,
        "data": data(m.payload),
        "delivered": m.delivered,
        "pending": m.pending,
        "headers": headers(m.headers),
        "msg_id": msg_id(m.msg_id),
        "has_timestamp": m.timestamp > 0,
    }


def messages(batch: Sequence[jetbridge.MessageBase]) -> Dict[str, Any]:
    return {"count": len(batch), "messages": [message(m) for m in batch]}


def stored(m: jetbridge.StoredMessage) -> Dict[str, Any]:
    return {
        "seq": m.sequence,
        "subject": m.subject,
        "data": data(m.payload),
        "headers": headers(m.headers),
        "msg_id": msg_id(_header_msg_id(m.headers)),
        "has_timestamp": m.timestamp > 0,
    }


def stream_info(info: jetbridge.StreamInfo) -> Dict[str, Any]:
    s = info.state
    return {
        "config": record(info.config),
        "state": {
            "messages": s.messages,
            "bytes": s.bytes,
            "first_seq": s.first_sequence,
            "last_seq": s.last_sequence,
            "consumers": s.consumers,
        },
    }


def record(value: Any) -> Dict[str, Any]:
    """Every field of a dataclass generated from the core's declaration (``record.fields``)
    under its name, a duration (or list of them) as ``<name>_ms`` in whole milliseconds, a time
    as integer Unix nanoseconds, a map as a dict, unset as ``None``."""
    out: Dict[str, Any] = {}
    for name, kind in record_fields(type(value)):
        v = getattr(value, name)
        if isinstance(kind, Nested):
            out[name] = [record(x) for x in v] if kind.many else None if v is None else record(v)
        elif kind == "duration":
            out[f"{name}_ms"] = ms(v)
        elif kind == "durations":
            out[f"{name}_ms"] = [ms(d) for d in v]
        elif kind == "strs":
            out[name] = list(v)
        elif kind == "time":
            out[name] = to_nanos(v)
        elif kind == "map":
            out[name] = None if v is None else dict(v)
        else:
            out[name] = v
    return out


def _start(c: jetbridge.ConsumerConfig) -> jetbridge.StartPosition:
    start = c.start
    if start is None:
        return jetbridge.StartPosition.all()
    if isinstance(start, str):
        return jetbridge.StartPosition(start)
    return start


def consumer_config(c: jetbridge.ConsumerConfig) -> Dict[str, Any]:
    """Its fields as ``record`` prints them, except ``start``, printed as ``deliver_policy``,
    ``opt_start_seq``, ``has_start_time``, and ``deliver_subject``, printed as ``push``
    (whether it is set)."""
    out = record(c)
    del out["start"]
    start = _start(c)
    out["deliver_policy"] = _POLICY_NAMES.get(start.policy, start.policy)
    out["opt_start_seq"] = start.sequence if start.policy == "sequence" else None
    out["has_start_time"] = start.policy == "time"
    out["push"] = out.pop("deliver_subject") is not None
    return out


def consumer_name(config: jetbridge.ConsumerConfig, name: str) -> str:
    return name if config.durable_name is not None else "<ephemeral>"


def consumer_state(info: jetbridge.ConsumerInfo) -> Dict[str, Any]:
    return {
        "delivered_consumer_seq": info.delivered.consumer_seq,
        "delivered_stream_seq": info.delivered.stream_seq,
        "ack_floor_consumer_seq": info.ack_floor.consumer_seq,
        "ack_floor_stream_seq": info.ack_floor.stream_seq,
        "num_ack_pending": info.num_ack_pending,
        "num_redelivered": info.num_redelivered,
        "num_pending": info.num_pending,
    }


def consumer_info(info: jetbridge.ConsumerInfo) -> Dict[str, Any]:
    return {
        "stream": info.stream,
        "name": consumer_name(info.config, info.name),
        "config": consumer_config(info.config),
        "state": consumer_state(info),
    }


def account_info(a: jetbridge.AccountInfo) -> Dict[str, Any]:
    """ACCOUNT_INFO: the declared ``AccountInfo`` as ``record`` prints it, without
    ``api_total`` and ``api_errors`` (each language makes its own number of requests)."""
    out = record(a)
    del out["api_total"], out["api_errors"]
    return out


def pause_state(s: jetbridge.ConsumerPauseState) -> Dict[str, Any]:
    """PAUSE_STATE: the declared ``ConsumerPauseState`` as ``record`` prints it, without
    ``pause_remaining`` (it depends on timing)."""
    out = record(s)
    del out["pause_remaining_ms"]
    return out


def flush_report(r: jetbridge.FlushReport) -> Dict[str, Any]:
    return {
        "acked": r.acked,
        "duplicates": r.duplicates,
        "failures": [
            {"ticket": f.ticket, "msg_id": msg_id(f.msg_id), "subject": f.subject, "error": f.error.code}
            for f in r.failures
        ],
    }


def counters(c: jetbridge.Counters) -> Dict[str, Any]:
    """Every counter the binding has: the core's list (a missing one shows as a
    transcript difference)."""
    return dataclasses.asdict(c)
