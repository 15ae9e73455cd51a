//! W3C trace context across languages.
//!
//! A trace crosses services in the message headers `traceparent` and
//! `tracestate` ([W3C Trace Context]). The core carries them like any header
//! (through retries, batches and replays) and reads them back from a
//! delivered message: [`Message::trace_context`]. Each language's optional
//! OpenTelemetry integration puts the active span's context into the headers
//! of a publish with its own propagator, and starts the process span of a
//! delivered message as a child of [`TraceContext`], named and described by
//! [`SpanSpec::process`] so that every language's spans look the same
//! (OpenTelemetry's messaging semantic conventions).
//!
//! [W3C Trace Context]: https://www.w3.org/TR/trace-context/

use std::collections::BTreeMap;

use crate::message::Message;

/// The header that carries the parent span: `00-<trace id>-<span id>-<flags>`.
pub const TRACEPARENT_HEADER: &str = "traceparent";
/// The header that carries vendor-specific trace state.
pub const TRACESTATE_HEADER: &str = "tracestate";

crate::record::record! {
    /// The trace context a message carries: the span that published it.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct TraceContext {
        /// The trace's id: 32 lowercase hex digits.
        pub trace_id: String,
        /// The publishing span's id: 16 lowercase hex digits.
        pub span_id: String,
        /// The publisher sampled this trace (flag `01`).
        pub sampled: bool,
        /// The `traceparent` header as received.
        pub traceparent: String,
        /// The `tracestate` header, when there is one.
        pub tracestate: Option<String>,
    }
}

crate::record::record! {
    /// How a span about a message is named and described, the same in every
    /// language (OpenTelemetry messaging semantic conventions).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct SpanSpec {
        /// The span's name: `process <subject>`.
        pub name: String,
        /// The span's kind: `consumer` for a delivered message.
        pub kind: String,
        /// Its attributes: `messaging.system`, `messaging.operation.type`,
        /// `messaging.destination.name`, … (text values).
        pub attributes: BTreeMap<String, String>,
    }
}

impl TraceContext {
    /// Reads a `traceparent` (and `tracestate`) header. `None` when the
    /// header is not a valid version-00 (or later, read as 00) traceparent,
    /// or names the all-zero trace or span: W3C says to ignore it then.
    pub fn parse(traceparent: &str, tracestate: Option<&str>) -> Option<TraceContext> {
        let value = traceparent.trim();
        let mut parts = value.split('-');
        let (version, trace_id, span_id, flags) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let extra = parts.next();
        let ok = is_hex(version, 2)
            && version != "ff"
            && (version != "00" || extra.is_none())
            && is_hex(trace_id, 32)
            && is_hex(span_id, 16)
            && is_hex(flags, 2)
            && trace_id.bytes().any(|b| b != b'0')
            && span_id.bytes().any(|b| b != b'0');
        if !ok {
            return None;
        }
        let flags = u8::from_str_radix(flags, 16).ok()?;
        Some(TraceContext {
            trace_id: trace_id.to_string(),
            span_id: span_id.to_string(),
            sampled: flags & 1 == 1,
            traceparent: value.to_string(),
            tracestate: tracestate
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        })
    }
}

/// `len` lowercase hex digits.
fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl SpanSpec {
    /// The span of the application's processing of a delivered message
    /// (kind `consumer`, operation `process`).
    pub fn process(msg: &Message) -> SpanSpec {
        let mut attributes = BTreeMap::new();
        let mut put = |k: &str, v: &str| {
            attributes.insert(k.to_string(), v.to_string());
        };
        put("messaging.system", "nats");
        put("messaging.operation.type", "process");
        put("messaging.operation.name", "process");
        put("messaging.destination.name", &msg.subject);
        if !msg.consumer.is_empty() {
            put("messaging.consumer.group.name", &msg.consumer);
        }
        if let Some(id) = msg.msg_id() {
            put("messaging.message.id", id);
        }
        if !msg.stream.is_empty() {
            put("messaging.nats.stream", &msg.stream);
            put(
                "messaging.nats.stream_sequence",
                &msg.stream_sequence.to_string(),
            );
        }
        put("messaging.nats.delivered", &msg.delivered.to_string());
        SpanSpec {
            name: format!("process {}", msg.subject),
            kind: "consumer".to_string(),
            attributes,
        }
    }
}

impl Message {
    /// The trace context this message carries (`traceparent`, `tracestate`
    /// headers), or `None` when it carries none or an invalid one.
    pub fn trace_context(&self) -> Option<TraceContext> {
        TraceContext::parse(
            self.header(TRACEPARENT_HEADER)?,
            self.header(TRACESTATE_HEADER),
        )
    }

    /// How this message's process span is named and described.
    pub fn process_span(&self) -> SpanSpec {
        SpanSpec::process(self)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn a_valid_traceparent_is_read() {
        let t = TraceContext::parse(PARENT, Some(" congo=t61rcWkgMzE ")).unwrap();
        assert_eq!(t.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(t.span_id, "00f067aa0ba902b7");
        assert!(t.sampled);
        assert_eq!(t.tracestate.as_deref(), Some("congo=t61rcWkgMzE"));
        let unsampled = TraceContext::parse(&PARENT.replace("-01", "-00"), Some("")).unwrap();
        assert!(!unsampled.sampled);
        assert_eq!(unsampled.tracestate, None);
        // A later version may add fields; it is read as version 00.
        assert!(
            TraceContext::parse(&format!("{}-more", PARENT.replacen("00", "01", 1)), None)
                .is_some()
        );
    }

    #[test]
    fn an_invalid_traceparent_is_ignored() {
        for bad in [
            "",
            "garbage",
            &PARENT.replace("4bf9", "4BF9"),
            &PARENT.replacen("00", "ff", 1),
            &format!("{PARENT}-extra"),
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
        ] {
            assert_eq!(TraceContext::parse(bad, None), None, "{bad}");
        }
    }
}
