//! OpenTelemetry in Rust (feature `otel`) against a real server and the real
//! SDK with in-memory exporters: a publish inside a span carries it, the
//! process span is its child with the core's name and attributes, a
//! caller's own traceparent wins, nothing is added without a span, and the
//! client's counters are exported as metrics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use jetbridge::{
    Client, ConnectOptions, ConsumerConfig, FetchOptions, Message, PublishMessage, StreamConfig,
    TRACEPARENT_HEADER,
};
use opentelemetry::trace::{FutureExt, Span, TraceContextExt, Tracer, TracerProvider};
use opentelemetry::{Context, global};
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};

async fn fetch_all(client: &Client, n: usize) -> Vec<Message> {
    let consumer = client
        .create_consumer("OTEL", ConsumerConfig::durable("reader"))
        .await
        .unwrap();
    let options = FetchOptions {
        max_messages: n,
        max_wait: Duration::from_secs(5),
        ..FetchOptions::default()
    };
    consumer.fetch(options).await.unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_trace_crosses_publish_and_consume_and_counters_are_metrics() {
    let srv = jetbridge_harness::Server::start().unwrap();
    global::set_text_map_propagator(TraceContextPropagator::new());
    let spans = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(spans.clone())
        .build();
    let tracer = provider.tracer("test");
    let client = Client::connect(ConnectOptions::with_servers([srv.url()]))
        .await
        .unwrap();
    client
        .create_stream(StreamConfig::new("OTEL", ["otel.>"]))
        .await
        .unwrap();

    // 1: inside a span; 2: no span; 3: inside a span, with the caller's own traceparent.
    let root = tracer.start("checkout");
    let root_ids = root.span_context().clone();
    let cx = Context::current_with_span(root);
    client
        .publish(PublishMessage::new("otel.a", "1"))
        .with_context(cx.clone())
        .await
        .unwrap();
    client
        .publish(PublishMessage::new("otel.a", "2"))
        .await
        .unwrap();
    let own = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let mut m = PublishMessage::new("otel.a", "3");
    m.headers.push((TRACEPARENT_HEADER.into(), own.into()));
    client.publish(m).with_context(cx.clone()).await.unwrap();
    cx.span().end();

    let msgs = fetch_all(&client, 3).await;
    assert_eq!(msgs.len(), 3);
    let carried = msgs[0].trace_context().expect("the span was carried");
    assert_eq!(carried.trace_id, root_ids.trace_id().to_string());
    assert_eq!(carried.span_id, root_ids.span_id().to_string());
    assert_eq!(msgs[1].trace_context(), None, "no span, no header");
    assert_eq!(
        msgs[2].header(TRACEPARENT_HEADER),
        Some(own),
        "the caller's wins"
    );
    assert_eq!(
        msgs[2]
            .headers
            .iter()
            .filter(|(k, _)| k == TRACEPARENT_HEADER)
            .count(),
        1
    );

    let mut process = jetbridge::otel::process_span(&tracer, &msgs[0]);
    process.end();
    let finished = spans.get_finished_spans().unwrap();
    let p = finished
        .iter()
        .find(|s| s.name == "process otel.a")
        .expect("a process span");
    assert_eq!(p.span_context.trace_id(), root_ids.trace_id());
    assert_eq!(p.parent_span_id, root_ids.span_id());
    assert_eq!(p.span_kind, opentelemetry::trace::SpanKind::Consumer);
    let attr = |k: &str| {
        p.attributes
            .iter()
            .find(|kv| kv.key.as_str() == k)
            .map(|kv| kv.value.to_string())
    };
    assert_eq!(attr("messaging.system").as_deref(), Some("nats"));
    assert_eq!(
        attr("messaging.destination.name").as_deref(),
        Some("otel.a")
    );
    assert_eq!(
        attr("messaging.consumer.group.name").as_deref(),
        Some("reader")
    );

    let metrics = InMemoryMetricExporter::default();
    let meters = SdkMeterProvider::builder()
        .with_reader(PeriodicReader::builder(metrics.clone()).build())
        .build();
    jetbridge::otel::register_metrics(
        &client,
        &opentelemetry::metrics::MeterProvider::meter(&meters, "jetbridge"),
    );
    meters.force_flush().unwrap();
    let published = metrics
        .get_finished_metrics()
        .unwrap()
        .iter()
        .flat_map(|rm| rm.scope_metrics())
        .flat_map(|sm| sm.metrics())
        .filter(|m| m.name() == "jetbridge.published")
        .filter_map(|m| match m.data() {
            AggregatedMetrics::U64(MetricData::Sum(sum)) => {
                sum.data_points().map(|d| d.value()).max()
            }
            _ => None,
        })
        .max();
    assert_eq!(published, Some(3));
    client.close().await.unwrap();
}
