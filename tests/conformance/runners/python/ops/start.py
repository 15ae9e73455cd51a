"""Start positions: ``{"policy": "all" | "last" | "last_per_subject" | "new" | "sequence" |
"time", "seq": N, "after_seq": N, "time_ns": N}``. ``time`` with ``after_seq`` reads stored
message N of the stream and starts 1 ns after its timestamp."""

from __future__ import annotations

import jetbridge

from args import Args
from outcome import RunnerError, Unsupported


async def start(client: jetbridge.Client, stream: str, a: Args) -> jetbridge.StartPosition:
    policy = a.required_string("policy")
    if policy in ("all", "last", "last_per_subject", "new"):
        return jetbridge.StartPosition(policy)
    if policy == "sequence":
        return jetbridge.StartPosition.at_sequence(a.required_u64("seq"))
    if policy == "time":
        after_seq, time_ns = a.u64("after_seq"), a.i64("time_ns")
        if after_seq is not None and time_ns is None:
            stored = await client.get_message(stream, after_seq)
            return jetbridge.StartPosition.at_time(stored.timestamp + 1)
        if after_seq is None and time_ns is not None:
            return jetbridge.StartPosition.at_time(time_ns)
        raise RunnerError("start time needs exactly one of after_seq, time_ns")
    raise Unsupported(f"start policy {policy!r}")
