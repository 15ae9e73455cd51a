//! The Rust step of the cross-language trace test (`tests/trace/run.py`):
//! reads the one message on `trace.shipments` with durable consumer `rust`,
//! processes it inside the core's process span (a child of the span that
//! published it, in another language) and writes the spans the OpenTelemetry
//! SDK exported, as JSON, to `JB_TRACE_OUT`.
//!
//! Environment: `NATS_URL`, `JB_TRACE_STREAM`, `JB_TRACE_OUT`.

use std::time::Duration;

use jetbridge::{Client, ConnectOptions, ConsumerConfig, FetchOptions};
use opentelemetry::trace::{Span, SpanKind, Status, TracerProvider};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::{Value, json};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("NATS_URL")?;
    let stream = std::env::var("JB_TRACE_STREAM")?;
    let out = std::env::var("JB_TRACE_OUT")?;
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let tracer = provider.tracer("jetbridge-trace-step");

    let client = Client::connect(ConnectOptions::with_servers([url])).await?;
    let mut config = ConsumerConfig::durable("rust");
    config.filter_subjects = vec!["trace.shipments".into()];
    let consumer = client.create_consumer(&stream, config).await?;
    let options = FetchOptions {
        max_messages: 1,
        max_wait: Duration::from_secs(20),
        ..FetchOptions::default()
    };
    let messages = consumer.fetch(options).await?;
    let msg = messages.first().ok_or("no message on trace.shipments")?;
    let mut span = jetbridge::otel::process_span(&tracer, msg);
    msg.ack_sync().await?;
    span.set_status(Status::Ok);
    span.end();
    client.close().await?;

    provider.force_flush()?;
    let spans: Vec<Value> = exporter
        .get_finished_spans()?
        .iter()
        .map(span_json)
        .collect();
    let doc = json!({"service": "rust", "spans": spans});
    std::fs::write(out, serde_json::to_string_pretty(&doc)?)?;
    Ok(())
}

/// One exported span in the test's JSON shape.
fn span_json(s: &SpanData) -> Value {
    let parent = s.parent_span_id;
    let nanos = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
    };
    let attributes: serde_json::Map<String, Value> = s
        .attributes
        .iter()
        .map(|kv| (kv.key.to_string(), Value::String(kv.value.to_string())))
        .collect();
    json!({
        "name": s.name,
        "kind": match s.span_kind {
            SpanKind::Client => "client",
            SpanKind::Server => "server",
            SpanKind::Producer => "producer",
            SpanKind::Consumer => "consumer",
            SpanKind::Internal => "internal",
        },
        "trace_id": s.span_context.trace_id().to_string(),
        "span_id": s.span_context.span_id().to_string(),
        "parent_span_id": (parent != opentelemetry::trace::SpanId::INVALID).then(|| parent.to_string()),
        "start_ns": nanos(s.start_time),
        "end_ns": nanos(s.end_time),
        "attributes": attributes,
    })
}
