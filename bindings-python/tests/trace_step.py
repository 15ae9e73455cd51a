#!/usr/bin/env python3
"""The Python step of the cross-language trace test (tests/trace/run.py).

Environment: ``NATS_URL`` (server), ``JB_TRACE_STREAM`` (stream with
subjects ``trace.>``, made by the driver), ``JB_TRACE_OUT`` (where the spans
go, as JSON). With the real OpenTelemetry SDK (in-memory exporter, W3C
propagator): the durable pull consumer ``py`` (filter ``trace.orders``)
fetches one message; inside its process span the step publishes ``ship-1``
to ``trace.shipments`` and acks. Then it writes
``{"service": "python", "spans": [...]}`` and exits 0; on any failure it
prints why and exits 1. Gives up after 20 s.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from typing import Any, Dict, List, Optional

from opentelemetry import propagate
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

import jetbridge
import jetbridge.otel

#: The whole step's limit, seconds.
LIMIT = 20.0


def span_json(span: ReadableSpan) -> Dict[str, Any]:
    context = span.get_span_context()
    assert context is not None
    parent: Optional[str] = format(span.parent.span_id, "016x") if span.parent is not None else None
    return {
        "name": span.name,
        "kind": span.kind.name.lower(),
        "trace_id": format(context.trace_id, "032x"),
        "span_id": format(context.span_id, "016x"),
        "parent_span_id": parent,
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "attributes": dict(span.attributes or {}),
    }


async def step(url: str, stream: str, provider: TracerProvider) -> None:
    deadline = time.monotonic() + LIMIT
    async with jetbridge.connect(url) as client:
        consumer = await client.get_or_create_consumer(stream, durable_name="py", filter_subjects=["trace.orders"])
        msgs: List[jetbridge.Message] = []
        while not msgs:  # bounded by the deadline
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no message on trace.orders")
            msgs = await consumer.fetch(1, min(left, 5.0))
        (msg,) = msgs
        with jetbridge.otel.process_span(msg, tracer_provider=provider):
            await client.publish("trace.shipments", b"ship-1")
            await msg.ack_sync()


def main() -> int:
    url, stream, out = (os.environ.get(k) for k in ("NATS_URL", "JB_TRACE_STREAM", "JB_TRACE_OUT"))
    if not (url and stream and out):
        print("trace_step.py: NATS_URL, JB_TRACE_STREAM and JB_TRACE_OUT are required", file=sys.stderr)
        return 1
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    propagate.set_global_textmap(TraceContextTextMapPropagator())
    jetbridge.otel.instrument(provider)
    try:
        asyncio.run(asyncio.wait_for(step(url, stream, provider), LIMIT))
    except Exception as e:  # any failure: say why, exit non-zero
        print(f"trace_step.py: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    provider.force_flush()
    spans = [span_json(s) for s in exporter.get_finished_spans()]
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"service": "python", "spans": spans}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
