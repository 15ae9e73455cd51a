"""The shared command-line contract of the bench entries, for Python.

Same as bench/rust/src/lib.rs (the reference): ``--url --op --count
[--payload 128] [--stream S] [--window 1024] [--batch 500]``; one JSON line
on stdout; exit 0 on success, 2 on failure (message on stderr), 3 when the
client has no such operation. Publishes go to ``<stream>.x``; ``consume``
creates the durable ``bench``; ``core`` publishes to ``bench.core``. For
``kv-*`` and ``obj-*`` ``--stream`` is the bucket (or object store) the
driver created; ``obj-*`` count in MiB, so ``msgs_per_s`` is MiB/s there.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any, Dict, List, NoReturn

EXIT_FAILED = 2
EXIT_UNSUPPORTED = 3
DURABLE = "bench"
SETTLE_TIMEOUT_S = 60.0  # how long a consume run waits for the server to show every ack
CORE_SUBJECT = "bench.core"
OPS = ("publish", "publish-ids", "latency", "consume", "consume-each", "dedup", "replay", "core",
       "kv-put", "kv-get", "kv-watch", "obj-put", "obj-get")
KV_KEYS = 1000  # kv-put and kv-get use the keys k.0 .. k.999
OBJECT_NAME = "bench"  # the one object obj-put writes and obj-get reads
MIB = 1024 * 1024


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--op", required=True, choices=OPS)
    p.add_argument("--count", required=True, type=int)
    p.add_argument("--payload", type=int, default=128)
    p.add_argument("--stream", default="")
    p.add_argument("--window", type=int, default=1024)
    p.add_argument("--batch", type=int, default=500)
    args = p.parse_args()
    if args.op != "core" and not args.stream:
        p.error("--stream is required")
    args.subject = f"{args.stream}.x"
    args.data = b"x" * args.payload
    return args


def kv_key(i: int) -> str:
    """The key of kv-put's and kv-get's i-th operation."""
    return f"k.{i % KV_KEYS}"


def dedup_msg_id(i: int) -> str:
    """Every tenth message (i % 10 == 9) repeats the previous message's id."""
    return f"m{i - 1 if i % 10 == 9 else i}"


def unique_msg_id(i: int) -> str:
    return f"m{i}"


def report(entry: str, args: argparse.Namespace, seconds: float, **fields: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "entry": entry,
        "op": args.op,
        "count": args.count,
        "payload": args.payload,
        "seconds": seconds,
        "msgs_per_s": args.count / seconds if seconds > 0 else 0.0,
    }
    out.update(fields)
    return out


class Sequences:
    """What a replay received, for the driver to check against the server:
    ``received``; ``in_order`` (each stream sequence is the previous one + 1,
    starting at 1); ``seq_checksum``, the sum of position x sequence
    (1-based; order-sensitive)."""

    def __init__(self) -> None:
        self.received, self.last, self.in_order, self.checksum = 0, 0, True, 0

    def add(self, seq: int) -> int:
        """Records the next sequence; returns how many were received."""
        self.received += 1
        self.in_order = self.in_order and seq == self.last + 1
        self.last = seq
        self.checksum += self.received * seq
        return self.received

    def report(self) -> Dict[str, Any]:
        return {"received": self.received, "in_order": self.in_order, "seq_checksum": self.checksum}


def percentiles(latencies: List[float]) -> Dict[str, float]:
    """p50/p99 in µs of latencies in seconds (nearest rank)."""
    xs = sorted(latencies)

    def pick(q: float) -> float:
        if not xs:
            return 0.0
        i = min(max(math.ceil(len(xs) * q), 1), len(xs)) - 1
        return xs[i] * 1e6

    return {"p50_us": pick(0.50), "p99_us": pick(0.99)}


def emit(result: Dict[str, Any]) -> None:
    print(json.dumps(result), flush=True)


def unsupported(entry: str, args: argparse.Namespace, why: str) -> NoReturn:
    emit({"entry": entry, "op": args.op, "unsupported": why})
    sys.exit(EXIT_UNSUPPORTED)


def fail(entry: str, what: object) -> NoReturn:
    print(f"{entry}: {what}", file=sys.stderr, flush=True)
    sys.exit(EXIT_FAILED)


def now() -> float:
    return time.perf_counter()

