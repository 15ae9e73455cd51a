//! How results are printed: the normalisation rules of SPEC.md, in one place.
//!
//! - Timestamps are never printed, only whether they are present.
//! - A generated message id (`jb-…`) prints as `<generated>`.
//! - Ports, URLs, inboxes and ephemeral consumer names are never printed.
//! - Headers whose name starts with `Nats-` are left out; the message id is
//!   its own field.
//! - Durations print as integer milliseconds, `null` when unset.

use jetbridge::record::{FieldSchema, Kind, Record};
use jetbridge::record_json::{Convention, time_nanos, to_value};
use jetbridge::{
    ConsumerConfig, ConsumerInfo, CountersSnapshot, FlushReport, MSG_ID_HEADER, Message, PubAck,
    StoredMessage, StreamInfo,
};
use serde_json::{Map, Value, json};

/// Payloads longer than this print as `"<N bytes>"`.
pub(crate) const MAX_PRINTED_DATA: usize = 200;

/// A message id, with generated ids replaced by `<generated>`.
pub(crate) fn msg_id(id: Option<&str>) -> Value {
    match id {
        None => Value::Null,
        Some(id) if id.starts_with("jb-") => json!("<generated>"),
        Some(id) => json!(id),
    }
}

/// A payload as text (UTF-8, invalid bytes replaced), or its size when long.
pub(crate) fn data(payload: &[u8]) -> Value {
    if payload.len() > MAX_PRINTED_DATA {
        json!(format!("<{} bytes>", payload.len()))
    } else {
        json!(String::from_utf8_lossy(payload))
    }
}

/// Headers without `Nats-*`, sorted by name (values of one name keep their order).
pub(crate) fn headers(pairs: &[(String, String)]) -> Value {
    let mut kept: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !k.to_ascii_lowercase().starts_with("nats-"))
        .collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Array(kept.iter().map(|(k, v)| json!([k, v])).collect())
}

fn header_msg_id(pairs: &[(String, String)]) -> Option<&str> {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(MSG_ID_HEADER))
        .map(|(_, v)| v.as_str())
}

/// A publish acknowledgement.
pub(crate) fn pub_ack(ack: &PubAck) -> Value {
    json!({
        "stream": ack.stream,
        "seq": ack.sequence,
        "duplicate": ack.duplicate,
        "msg_id": msg_id(Some(&ack.msg_id)),
    })
}

/// A delivered message.
pub(crate) fn message(m: &Message) -> Value {
    json!({
        "stream": m.stream,
        "seq": m.stream_sequence,
        "consumer_seq": m.consumer_sequence,
        "subject": m.subject,
        "data": data(&m.payload),
        "delivered": m.delivered,
        "pending": m.pending,
        "headers": headers(&m.headers),
        "msg_id": msg_id(m.msg_id()),
        "has_timestamp": m.timestamp > 0,
    })
}

/// A list of delivered messages with their count.
pub(crate) fn messages(list: &[Message]) -> Value {
    json!({
        "count": list.len(),
        "messages": list.iter().map(message).collect::<Vec<_>>(),
    })
}

/// A message read back from a stream.
pub(crate) fn stored(m: &StoredMessage) -> Value {
    json!({
        "seq": m.sequence,
        "subject": m.subject,
        "data": data(&m.payload),
        "headers": headers(&m.headers),
        "msg_id": msg_id(header_msg_id(&m.headers)),
        "has_timestamp": m.timestamp > 0,
    })
}

/// A stream's configuration ([`record`]) and state.
pub(crate) fn stream_info(info: &StreamInfo) -> Value {
    let s = &info.state;
    json!({
        "config": record(&info.config),
        "state": {
            "messages": s.messages,
            "bytes": s.bytes,
            "first_seq": s.first_sequence,
            "last_seq": s.last_sequence,
            "consumers": s.consumers,
        },
    })
}

/// A declared type (`record!`), field by field from its declaration
/// (`R::FIELDS`) so that a new field needs no edit here: each under its
/// snake-case name, a duration (or list of them) as `<name>_ms` in integer
/// milliseconds, a time as integer Unix nanoseconds, unset as null, the rest
/// as the core's JSON form (wire convention) has it (enums by name, a start position as its parts).
pub(crate) fn record<R: Record>(r: &R) -> Map<String, Value> {
    scenario_form(R::FIELDS, &to_value(r, Convention::WIRE))
}

/// A declared type's wire JSON with `fields` as scenarios write them; a
/// nested declared type (or a list of them) by the same rules.
fn scenario_form(fields: &[FieldSchema], wire: &Value) -> Map<String, Value> {
    let millis = |ns: &Value| ns.as_u64().map_or(Value::Null, |ns| json!(ns / 1_000_000));
    let mut out = Map::new();
    for f in fields {
        let v = &wire[f.name];
        match f.kind {
            Kind::Duration => {
                out.insert(format!("{}_ms", f.name), millis(v));
            }
            Kind::Durations => {
                let list = v.as_array().map(|l| l.iter().map(millis).collect());
                out.insert(format!("{}_ms", f.name), list.unwrap_or_default());
            }
            Kind::Time => {
                out.insert(f.name.into(), json!(time_nanos(v)));
            }
            Kind::Record(r) if !v.is_null() => {
                out.insert(f.name.into(), Value::Object(scenario_form(r.fields, v)));
            }
            Kind::Records(r) => {
                let list = v.as_array().map(|l| {
                    l.iter()
                        .map(|x| Value::Object(scenario_form(r.fields, x)))
                        .collect()
                });
                out.insert(f.name.into(), list.unwrap_or_default());
            }
            _ => {
                out.insert(f.name.into(), v.clone());
            }
        }
    }
    out
}

/// ACCOUNT_INFO: the declared `AccountInfo` without the API request counts
/// (each language makes its own number of requests).
pub(crate) fn account_info(a: &jetbridge::AccountInfo) -> Value {
    let mut out = record(a);
    out.remove("api_total");
    out.remove("api_errors");
    Value::Object(out)
}

/// PAUSE_STATE: the declared `ConsumerPauseState` without `pause_remaining`
/// (it depends on timing).
pub(crate) fn pause_state(s: &jetbridge::ConsumerPauseState) -> Value {
    let mut out = record(s);
    out.remove("pause_remaining_ms");
    Value::Object(out)
}

/// A consumer configuration (client-side or as the server reports it): its
/// fields as [`record`] prints them, except the start position, printed as
/// `deliver_policy`, `opt_start_seq` and `has_start_time`, and
/// `deliver_subject`, printed as `push` (whether it is set).
pub(crate) fn consumer_config(c: &ConsumerConfig) -> Value {
    let mut out = record(c);
    let start = out.remove("start").unwrap_or_default();
    let policy = match start["policy"].as_str() {
        Some("sequence") => "by_start_sequence",
        Some("time") => "by_start_time",
        other => other.unwrap_or("all"),
    };
    out.insert("deliver_policy".into(), json!(policy));
    out.insert("opt_start_seq".into(), start["sequence"].clone());
    out.insert("has_start_time".into(), json!(!start["time"].is_null()));
    let push = out.remove("deliver_subject").is_some_and(|v| !v.is_null());
    out.insert("push".into(), json!(push));
    Value::Object(out)
}

/// A consumer's name as printed: ephemeral names are generated, so hidden.
pub(crate) fn consumer_name(config: &ConsumerConfig, name: &str) -> Value {
    match config.durable_name {
        Some(_) => json!(name),
        None => json!("<ephemeral>"),
    }
}

/// A consumer's configuration and progress (`num_waiting` is left out: it
/// depends on the timing of pull requests).
pub(crate) fn consumer_info(info: &ConsumerInfo) -> Value {
    json!({
        "stream": info.stream,
        "name": consumer_name(&info.config, &info.name),
        "config": consumer_config(&info.config),
        "state": consumer_state(info),
    })
}

/// The progress fields of a consumer info.
pub(crate) fn consumer_state(info: &ConsumerInfo) -> Value {
    json!({
        "delivered_consumer_seq": info.delivered.consumer_seq,
        "delivered_stream_seq": info.delivered.stream_seq,
        "ack_floor_consumer_seq": info.ack_floor.consumer_seq,
        "ack_floor_stream_seq": info.ack_floor.stream_seq,
        "num_ack_pending": info.num_ack_pending,
        "num_redelivered": info.num_redelivered,
        "num_pending": info.num_pending,
    })
}

/// A pipelined publisher's flush report.
pub(crate) fn flush_report(r: &FlushReport) -> Value {
    json!({
        "acked": r.acked,
        "duplicates": r.duplicates,
        "failures": r.failures.iter().map(|f| json!({
            "ticket": f.ticket,
            "msg_id": msg_id(Some(&f.msg_id)),
            "subject": f.subject,
            "error": f.error.kind().name(),
        })).collect::<Vec<_>>(),
    })
}

/// The client's counters.
pub(crate) fn counters(c: &CountersSnapshot) -> Value {
    json!({
        "published": c.published,
        "acked": c.acked,
        "duplicates": c.duplicates,
        "retries": c.retries,
        "unknown_outcomes": c.unknown_outcomes,
        "rejected": c.rejected,
        "delivered": c.delivered,
        "redelivered": c.redelivered,
        "acks_sent": c.acks_sent,
        "heartbeat_misses": c.heartbeat_misses,
        "reconnects": c.reconnects,
        "consumer_recreations": c.consumer_recreations,
        "redeliveries_suppressed": c.redeliveries_suppressed,
    })
}
