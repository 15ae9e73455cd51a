"""The bench entries: one small program per client, all speaking the same
command-line contract (bench/rust/src/lib.rs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

BENCH = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Entry:
    name: str
    language: str
    jetbridge: bool
    """A JetBridge entry (core or binding) rather than another client."""
    argv: List[str]
    only_op: Optional[str] = None
    """Variants run one operation only (e.g. W1 with msg ids)."""
    core_publish: bool = True
    """Whether the client can do a core NATS publish (JetBridge cannot)."""
    objects: bool = True
    """Whether the client has an object store (nats.c has none): else the
    obj-* workloads skip it."""
    note: str = ""


# The client a user of each language would pick instead of JetBridge.
NATIVE: Dict[str, str] = {
    "rust": "async-nats",
    "python": "nats.py",
    "node": "nats.js",
    "c": "nats.c",
    "go": "nats.go",
}
CORE = "jetbridge-rust"


def all_entries(bin_dir: Path, python: str, node: str) -> List[Entry]:
    b = str(bin_dir)
    py, js = BENCH / "python", BENCH / "node"
    return [
        Entry("jetbridge-rust", "rust", True, [f"{b}/bench-jetbridge-rust"], core_publish=False,
              note="the core crate; current-thread tokio main, I/O on the core's runtime"),
        Entry("jetbridge-rust+fast", "rust", True, [f"{b}/bench-jetbridge-rust"], only_op="publish-fast",
              core_publish=False,
              note="the core's publisher with fast_ingest (server 2.14+, a stream with allow_batched)"),
        Entry("async-nats", "rust", False, [f"{b}/bench-async-nats"],
              note="async-nats 0.51.0 directly (the floor under the core)"),
        Entry("async-nats+ids", "rust", False, [f"{b}/bench-async-nats"], only_op="publish-ids",
              note="async-nats with a unique Nats-Msg-Id on every message, as JetBridge always sends"),
        Entry("jetbridge-python", "python", True, [python, str(py / "jetbridge_python.py")], core_publish=False,
              note="the Python binding (asyncio)"),
        Entry("nats.py", "python", False, [python, str(py / "nats_py.py")], note="nats-py 2.16.0"),
        Entry("jetbridge-node", "node", True, [node, str(js / "jetbridge_node.mjs")], core_publish=False,
              note="the Node binding"),
        Entry("nats.js", "node", False, [node, str(js / "nats_js.mjs")],
              note="@nats-io/jetstream + @nats-io/transport-node 3.4.0"),
        Entry("jetbridge-c", "c", True, [f"{b}/bench-jetbridge-c"], core_publish=False,
              note="libjetbridge, the C ABI"),
        Entry("nats.c", "c", False, [f"{b}/bench-nats-c"], objects=False,
              note="nats.c 3.4.1 (Debian libnats-dev); no object store"),
        Entry("nats.c+ids", "c", False, [f"{b}/bench-nats-c"], only_op="publish-ids",
              note="nats.c with a unique Nats-Msg-Id on every message"),
        Entry("jetbridge-go", "go", True, [f"{b}/bench-jetbridge-go"], core_publish=False,
              note="the Go package over the C ABI"),
        Entry("nats.go", "go", False, [f"{b}/bench-nats-go"], note="nats.go 1.55.0, jetstream package"),
        Entry("nats.go+ids", "go", False, [f"{b}/bench-nats-go"], only_op="publish-ids",
              note="nats.go with a unique Nats-Msg-Id on every message"),
    ]
