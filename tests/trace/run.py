#!/usr/bin/env python3
"""The cross-language trace test: one trace through five languages.

A Node service starts span ``checkout`` and publishes an order inside it; a
Python service consumes the order inside its process span and publishes a
shipment; Go, C and Rust services each consume the shipment inside their own
process span. Each step is a real program using its language's JetBridge
binding and (except C, which reads the headers) its language's real
OpenTelemetry SDK with an in-memory exporter; each writes the spans it
exported as JSON. This driver starts a nats-server, runs the steps in order
and checks that every span has the same trace id and the right parent:

    checkout (node) <- process trace.orders (python)
                          <- process trace.shipments (go, c, rust)

``--svg PATH`` also draws the trace as a waterfall (the README's picture).
Every step is bounded (``STEP_TIMEOUT``); nothing is timed or asserted about speed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "harness" / "python"))
from jb_harness import Harness  # noqa: E402

from svg import waterfall  # noqa: E402

STREAM = "TRACE"
STEP_TIMEOUT = 60


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")


def steps() -> Dict[str, List[str]]:
    """Each language's step program, in the order they run."""
    t = target_dir()
    return {
        "node": ["node", str(ROOT / "bindings-node" / "tests" / "trace_step.mjs")],
        "python": [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "bindings-python" / "tests" / "trace_step.py")],
        "go": [str(t / "trace" / "jb-trace-step-go")],
        "c": [str(t / "trace" / "jb-trace-step-c")],
        "rust": [str(t / "release" / "trace_step")],
    }


def create_stream(url: str) -> None:
    """The stream every step uses, made with the Python binding."""
    code = (
        "import asyncio, jetbridge\n"
        "async def main():\n"
        f"    c = await jetbridge.connect({url!r})\n"
        f"    await c.create_stream(jetbridge.StreamConfig(name={STREAM!r}, subjects=['trace.>']))\n"
        "    await c.close()\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", code], check=True, timeout=STEP_TIMEOUT)


def run_steps(url: str, out_dir: Path) -> Dict[str, dict]:
    docs = {}
    for service, argv in steps().items():
        out = out_dir / f"{service}.json"
        env = dict(os.environ, NATS_URL=url, JB_TRACE_OUT=str(out), JB_TRACE_STREAM=STREAM)
        done = subprocess.run(argv, env=env, cwd=ROOT, timeout=STEP_TIMEOUT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"trace: the {service} step failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        docs[service] = json.loads(out.read_text())
        print(f"  {service}: {len(docs[service]['spans'])} span(s)")
    return docs


def only_span(docs: Dict[str, dict], service: str, name: str) -> dict:
    found = [s for s in docs[service]["spans"] if s["name"] == name]
    if len(found) != 1:
        raise SystemExit(f"trace: {service} exported {len(found)} span(s) named {name!r}, expected 1")
    return found[0]


def check(docs: Dict[str, dict]) -> List[str]:
    """Every problem with the trace; empty when it is whole."""
    problems = []
    root = only_span(docs, "node", "checkout")
    order = only_span(docs, "python", "process trace.orders")
    shipments = {s: only_span(docs, s, "process trace.shipments") for s in ("go", "c", "rust")}
    trace_id = root["trace_id"]
    for service, doc in docs.items():
        for span in doc["spans"]:
            if span["trace_id"] != trace_id:
                problems.append(f"{service} span {span['name']!r} is in trace {span['trace_id']}, not {trace_id}")
    if root["parent_span_id"] is not None:
        problems.append("the node root span has a parent")
    if order["parent_span_id"] != root["span_id"]:
        problems.append(f"python's process span's parent is {order['parent_span_id']}, not node's {root['span_id']}")
    for service, span in [("python", order), *shipments.items()]:
        if span["kind"] != "consumer":
            problems.append(f"{service}'s process span is of kind {span['kind']}, not consumer")
        if span["attributes"].get("messaging.system") != "nats":
            problems.append(f"{service}'s process span lacks messaging.system=nats")
    for service, span in shipments.items():
        if span["parent_span_id"] != order["span_id"]:
            problems.append(f"{service}'s process span's parent is {span['parent_span_id']}, not python's {order['span_id']}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--svg", type=Path, help="also draw the trace as a waterfall SVG here")
    args = ap.parse_args()
    with Harness() as h, tempfile.TemporaryDirectory(prefix="jb-trace-") as tmp:
        url = h.urls[0]
        create_stream(url)
        docs = run_steps(url, Path(tmp))
    problems = check(docs)
    for p in problems:
        print(f"trace: {p}")
    if problems:
        return 1
    root = only_span(docs, "node", "checkout")
    print(f"trace {root['trace_id']}: one trace through node, python, go, c and rust, every parent right")
    if args.svg:
        args.svg.parent.mkdir(parents=True, exist_ok=True)
        args.svg.write_text(waterfall(docs))
        print(f"  drawn: {args.svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
