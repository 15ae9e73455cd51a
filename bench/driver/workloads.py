"""The workloads of issue 9, and how each maps onto an entry operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional


@dataclass(frozen=True)
class Workload:
    name: str
    op: str
    """The entry operation (see bench/rust/src/lib.rs)."""
    count: int
    quick_count: int
    payload: int = 128
    storage: Optional[str] = "file"
    """Stream storage; None for core NATS (no stream)."""
    prefill: bool = False
    """The driver fills the stream with `count` messages first (untimed)."""
    batch_path: bool = True
    """A throughput (batch) path, where bindings should stay near the core."""
    jetbridge_only: bool = False
    reps: Optional[int] = None
    """Repetitions, when not the run's default."""
    store: Optional[str] = None
    """"kv" or "obj": `--stream` names a KV bucket or an object store that
    bench-tool creates (and fills: KV-GET 1,000 keys, KV-WATCH `count` keys,
    OBJ-GET an object of `count` MiB) instead of a stream."""
    description: str = ""

    @property
    def unit(self) -> str:
        """What the throughput counts: MiB/s for objects (count is in MiB)."""
        return "MiB/s" if self.store == "obj" else "msgs/s"

    def fill(self, count: int) -> int:
        """What bench-tool setup puts in first: messages, keys or MiB."""
        if self.op == "kv-get":
            return KV_KEYS
        return count if self.prefill else 0


KV_KEYS = 1000
"""kv-put and kv-get use keys k.0..k.999 (k.<i mod 1000>)."""


WORKLOADS: List[Workload] = [
    Workload("W1", "publish", 200_000, 2_000,
             description="pipelined publish, at most 1,024 unacked, file stream"),
    Workload("W1M", "publish", 200_000, 2_000, storage="memory",
             description="W1 on a memory stream"),
    Workload("W1-1K", "publish", 200_000, 1_000, payload=1024, description="W1 with 1 KiB payloads"),
    Workload("W1-64K", "publish", 10_000, 100, payload=65536, description="W1 with 64 KiB payloads"),
    Workload("W2", "latency", 5_000, 200, batch_path=False,
             description="sequential publish-and-await; p50/p99 µs"),
    Workload("W3", "consume", 200_000, 2_000, prefill=True,
             description="durable pull consume-and-ack of pre-filled messages, batches of 500"),
    Workload("W3-1K", "consume", 200_000, 1_000, payload=1024, prefill=True,
             description="W3 with 1 KiB payloads"),
    Workload("W3-64K", "consume", 10_000, 100, payload=65536, prefill=True,
             description="W3 with 64 KiB payloads"),
    Workload("W3-EACH", "consume-each", 200_000, 2_000, prefill=True, jetbridge_only=True, batch_path=False,
             description="W3 received and acked one message at a time: the language's per-message "
                         "receive and plain ack (Python and Node: their W3 loop already is)"),
    Workload("W4", "dedup", 100_000, 1_000,
             description="pipelined publish with msg ids, every tenth a repeat: 90% stored, 10% duplicates"),
    Workload("W5", "replay", 200_000, 2_000, prefill=True,
             description="ordered replay from sequence 1"),
    Workload("CORE", "core", 1_000_000, 10_000, storage=None, batch_path=False,
             description="core NATS publish (no JetStream): the server's upper bound"),
    Workload("MEM", "publish", 1_000_000, 20_000, jetbridge_only=True, reps=1, batch_path=False,
             description="W1 with 1,000,000 messages: peak RSS must stay bounded by the window"),
    Workload("KV-PUT", "kv-put", 20_000, 200, store="kv", batch_path=False,
             description="sequential KV puts, each awaited, keys k.<i mod 1000>"),
    Workload("KV-GET", "kv-get", 20_000, 200, store="kv", batch_path=False,
             description="sequential KV gets of 1,000 pre-filled keys"),
    Workload("KV-WATCH", "kv-watch", 100_000, 1_000, store="kv", prefill=True, batch_path=False,
             description="watch all keys of a pre-filled bucket until the initial values are in"),
    Workload("OBJ-PUT", "obj-put", 1_024, 4, store="obj", reps=3, batch_path=False,
             description="put one object of `count` MiB, streamed from a generated source"),
    Workload("OBJ-GET", "obj-get", 1_024, 4, store="obj", prefill=True, reps=3, batch_path=False,
             description="read one object of `count` MiB streamed, every byte checked"),
]
