//! OpenTelemetry for Rust programs (cargo feature `otel`): traces that cross
//! languages and the client's counters as metrics.
//!
//! - **Publish carries the active span.** Every publish form (`publish`,
//!   `Publisher::publish…`, `publish_many`, `publish_batch`) made while a
//!   valid span is the current OpenTelemetry context
//!   (`opentelemetry::Context::current()`, e.g. inside `cx.attach()` or a
//!   future wrapped with `.with_context(cx)`) puts that context into the
//!   message's headers with the global propagator — unless the message
//!   already has a `traceparent` header: the caller's wins. Set a W3C
//!   propagator (`TraceContextPropagator`) with
//!   `global::set_text_map_propagator` for other languages to read it.
//! - **Process span.** [`process_span`] starts the span of processing a
//!   delivered message as a child of the context the message carries, named
//!   and described by the core's [`SpanSpec`](crate::SpanSpec) — the same
//!   span every binding starts.
//! - **Metrics.** [`register_metrics`] offers a client's counters as
//!   observable counters `jetbridge.<counter>`.
//!
//! Without the feature nothing here exists and publishing is unchanged.

use opentelemetry::propagation::{Extractor, Injector};
use opentelemetry::trace::{SpanKind, TraceContextExt, Tracer};
use opentelemetry::{Context, KeyValue, global};

use crate::client::Client;
use crate::counters::CountersSnapshot;
use crate::message::Message;
use crate::trace::TRACEPARENT_HEADER;

/// Message headers as the propagator's carrier (publish side).
struct HeaderInjector<'a>(&'a mut Vec<(String, String)>);

impl Injector for HeaderInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        self.0.push((key.to_string(), value));
    }
}

/// A delivered message's headers as the propagator's carrier.
struct MessageExtractor<'a>(&'a Message);

impl Extractor for MessageExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.header(key)
    }

    fn keys(&self) -> Vec<&str> {
        self.0.headers.iter().map(|(k, _)| k.as_str()).collect()
    }
}

/// Adds the current context to `headers` when a valid span is current and
/// the caller set no `traceparent` of their own. Called by every publish
/// form on the caller's thread, before the core's runtime takes over.
pub(crate) fn inject_current(headers: &mut Vec<(String, String)>) {
    let cx = Context::current();
    if !cx.span().span_context().is_valid()
        || headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(TRACEPARENT_HEADER))
    {
        return;
    }
    global::get_text_map_propagator(|p| p.inject_context(&cx, &mut HeaderInjector(headers)));
}

/// The context `msg` carries (its publisher's span), read with the global
/// propagator: the parent of its process span.
pub fn extract(msg: &Message) -> Context {
    global::get_text_map_propagator(|p| p.extract(&MessageExtractor(msg)))
}

/// Starts the span of processing `msg`: kind consumer, the core's name and
/// attributes, child of the context the message carries. End it (drop it or
/// call `end`) when processing ends; make it current
/// (`Context::current_with_span`) so a publish inside carries it on.
pub fn process_span<T: Tracer>(tracer: &T, msg: &Message) -> T::Span {
    let spec = msg.process_span();
    tracer
        .span_builder(spec.name)
        .with_kind(SpanKind::Consumer)
        .with_attributes(
            spec.attributes
                .into_iter()
                .map(|(k, v)| KeyValue::new(k, v)),
        )
        .start_with_context(tracer, &extract(msg))
}

/// Offers `client`'s counters as observable counters named
/// `jetbridge.<counter>` (the core's counter names), read when the meter's
/// reader collects. They stay registered as long as the meter provider.
pub fn register_metrics(client: &Client, meter: &opentelemetry::metrics::Meter) {
    for (index, name) in CountersSnapshot::NAMES.iter().enumerate() {
        let client = client.clone();
        meter
            .u64_observable_counter(format!("jetbridge.{name}"))
            .with_callback(move |observer| {
                if let Some((_, value)) = client.counters().pairs().get(index) {
                    observer.observe(*value, &[]);
                }
            })
            .build();
    }
}
