"""``jetbridge.otel`` with the real OpenTelemetry SDK (in-memory exporter and
metric reader) against a real server: publishes carry the active span,
process spans are children of the publisher's, counters become metrics."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, Dict, Iterator, List

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import jetbridge
import jetbridge.otel
import jetbridge.sync


def test_jetbridge_works_without_opentelemetry() -> None:
    """``import jetbridge`` never imports OpenTelemetry; where it is missing
    (blocked here), only ``import jetbridge.otel`` fails."""
    code = (
        "import sys\n"
        "import jetbridge\n"
        "assert not [m for m in sys.modules if m.startswith('opentelemetry')], 'imported'\n"
        "sys.modules['opentelemetry'] = None\n"
        "try:\n"
        "    import jetbridge.otel\n"
        "except ImportError:\n"
        "    print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    jetbridge.otel.uninstrument()


@pytest.fixture
def provider(spans: InMemorySpanExporter) -> TracerProvider:
    p = TracerProvider()
    p.add_span_processor(SimpleSpanProcessor(spans))
    return p


def ids(span: Any) -> Dict[str, str]:
    c = span.get_span_context()
    return {"trace_id": format(c.trace_id, "032x"), "span_id": format(c.span_id, "016x")}


async def delivered(client: jetbridge.Client, stream: str, count: int) -> List[jetbridge.Message]:
    consumer = await client.create_consumer(stream, durable_name="otel")
    out: List[jetbridge.Message] = []
    for _ in range(count):  # bounded: one fetch per expected message at most
        out += await consumer.fetch(count - len(out), 5)
        if len(out) == count:
            break
    assert len(out) == count
    return out


async def test_every_publish_form_carries_the_active_span(
    url: str, client: jetbridge.Client, stream: str, provider: TracerProvider
) -> None:
    jetbridge.otel.instrument()
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("parent") as parent:
        await client.publish(f"{stream}.a", b"publish")
        async with client.publisher() as p:
            await p.publish(f"{stream}.a", b"publisher")
            await (await p.publish_tracked(f"{stream}.a", b"tracked"))
            await p.publish_many([(f"{stream}.a", b"pub-many")])
        await client.publish_many([(f"{stream}.a", b"many"), jetbridge.PublishMessage(f"{stream}.a", b"many-pm")])
        await client.core_publish(f"{stream}.a", b"core")
        with jetbridge.sync.connect(url) as blocking:
            blocking.publish(f"{stream}.a", b"sync")
    msgs = await delivered(client, stream, 8)
    want = ids(parent)
    for m in msgs:
        t = m.trace_context
        assert t is not None, m.payload
        assert {"trace_id": t.trace_id, "span_id": t.span_id} == want, m.payload
        assert t.sampled and m.headers.getall("traceparent") == [t.traceparent]


async def test_batch_publish_carries_the_active_span(client: jetbridge.Client, name: Any, provider: TracerProvider) -> None:
    s = name("B")
    await client.create_stream(name=s, subjects=[f"{s}.>"], allow_atomic=True)
    jetbridge.otel.instrument()
    with provider.get_tracer("test").start_as_current_span("parent") as parent:
        await client.publish_batch([(f"{s}.a", b"1"), (f"{s}.a", b"2")])
    for seq in (1, 2):
        m = await client.get_message(s, seq)
        assert m.header("traceparent") is not None and ids(parent)["span_id"] in m.headers["traceparent"]
    await client.delete_stream(s)


async def test_nothing_is_added_without_a_span_or_without_instrument(
    client: jetbridge.Client, stream: str, provider: TracerProvider
) -> None:
    with provider.get_tracer("test").start_as_current_span("parent"):
        await client.publish(f"{stream}.a", b"not instrumented")
    jetbridge.otel.instrument()
    await client.publish(f"{stream}.a", b"no active span")
    jetbridge.otel.uninstrument()
    with provider.get_tracer("test").start_as_current_span("parent"):
        await client.publish(f"{stream}.a", b"uninstrumented")
    for m in await delivered(client, stream, 3):
        assert m.trace_context is None and "traceparent" not in m.headers, m.payload


async def test_the_callers_traceparent_wins(client: jetbridge.Client, stream: str, provider: TracerProvider) -> None:
    mine = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    jetbridge.otel.instrument()
    with provider.get_tracer("test").start_as_current_span("parent"):
        await client.publish(f"{stream}.a", b"x", headers={"TraceParent": mine})
    (m,) = await delivered(client, stream, 1)
    assert m.headers.getall("traceparent") == [mine]
    assert m.trace_context is not None and m.trace_context.span_id == "b7ad6b7169203331"


async def test_process_span_is_a_child_with_the_cores_attributes(
    client: jetbridge.Client, stream: str, provider: TracerProvider, spans: InMemorySpanExporter
) -> None:
    jetbridge.otel.instrument(provider)
    with provider.get_tracer("test").start_as_current_span("parent") as parent:
        await client.publish(f"{stream}.orders", b"order", msg_id="o-1")
    (m,) = await delivered(client, stream, 1)
    with jetbridge.otel.process_span(m) as span:
        await client.publish(f"{stream}.ships", b"ship")
        m.ack()
    spec = m.process_span()
    done = {s.name: s for s in spans.get_finished_spans()}
    child = done[spec.name or ""]
    assert child.kind == SpanKind.CONSUMER and spec.kind == "consumer"
    assert child.parent is not None and child.parent.span_id == parent.get_span_context().span_id
    assert child.context.trace_id == parent.get_span_context().trace_id
    assert dict(child.attributes or {}) == spec.attributes
    assert child.status.status_code == StatusCode.UNSET
    ship = await client.get_message(stream, 2)
    assert ship.headers["traceparent"].split("-")[2] == ids(span)["span_id"]


async def test_process_span_records_an_error(
    client: jetbridge.Client, stream: str, provider: TracerProvider, spans: InMemorySpanExporter
) -> None:
    await client.publish(f"{stream}.a", b"x")
    (m,) = await delivered(client, stream, 1)
    with pytest.raises(RuntimeError):
        with jetbridge.otel.process_span(m, tracer_provider=provider):
            raise RuntimeError("handler failed")
    (span,) = spans.get_finished_spans()
    assert span.parent is None  # the message carried no context
    assert span.status.status_code == StatusCode.ERROR
    assert [e.name for e in span.events] == ["exception"]


async def test_counters_are_metrics(url: str, stream: str) -> None:
    reader = InMemoryMetricReader()
    meters = MeterProvider(metric_readers=[reader])
    async with jetbridge.connect(url, name="metrics-client") as c:
        jetbridge.otel.instrument_metrics(c, meters)
        for i in range(3):
            await c.publish(f"{stream}.m", f"{i}")
        points = {}
        data = reader.get_metrics_data()
        assert data is not None
        for rm in data.resource_metrics:
            for sm in rm.scope_metrics:
                for metric in sm.metrics:
                    for point in metric.data.data_points:
                        points[metric.name] = (point.value, dict(point.attributes or {}))
        names = {f"jetbridge.{n}" for n in jetbridge.Counters.__dataclass_fields__}
        assert names <= set(points)
        assert points["jetbridge.published"] == (3, {"jetbridge.client.name": "metrics-client"})
        assert points["jetbridge.acked"][0] == 3
    meters.shutdown()


async def test_the_messages_context_wins_over_the_active_span(
    client: jetbridge.Client, stream: str, provider: TracerProvider, spans: InMemorySpanExporter
) -> None:
    carried = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    await client.publish(f"{stream}.a", b"with", headers={"traceparent": carried})
    await client.publish(f"{stream}.a", b"without")
    with_ctx, without = await delivered(client, stream, 2)
    with provider.get_tracer("test").start_as_current_span("poll") as poll:
        for m in (with_ctx, without):
            with jetbridge.otel.process_span(m, tracer_provider=provider):
                pass
    by_seq = {(s.attributes or {})["messaging.nats.stream_sequence"]: s for s in spans.get_finished_spans() if s.name != "poll"}
    first, second = by_seq["1"], by_seq["2"]
    assert first.parent is not None and format(first.parent.span_id, "016x") == "b7ad6b7169203331"
    assert format(first.context.trace_id, "032x") == "0af7651916cd43dd8448eb211c80319c"
    assert second.parent is not None and second.parent.span_id == poll.get_span_context().span_id
