//! Declared types as JSON: a [`FieldSource`] and a [`FieldSink`] over a JSON
//! object, in one of two conventions ([`Convention`]):
//! - [`Convention::WIRE`], for the bindings that cross a C boundary (C, Go):
//!   names in snake case, durations in integer nanoseconds;
//! - [`Convention::JAVASCRIPT`], for Node (objects cross as JSON values):
//!   names in camel case, durations in milliseconds with an `Ms` suffix
//!   ([`crate::record::js_name`]).
//!
//! In both, enums go by name, a point in time is an RFC 3339 text (integer
//! Unix nanoseconds are read too), a map is an object of strings, and a start
//! position is its policy name or `{"policy": …, "sequence": …, "time": …}`. A value of the wrong JSON type
//! is `INVALID_ARGUMENT` naming the field as the language writes it and the
//! type it must have.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::api::wire::rfc3339_nanos;
use crate::error::{Error, Result};
use crate::record::{FieldSink, FieldSource, Kind, Record, js_name};
use crate::start::StartPosition;

/// How a language writes a declared type as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Convention {
    /// Names in camel case with `Ms` on durations (else snake case).
    camel_case: bool,
    /// Durations in milliseconds, any number (else integer nanoseconds).
    millis: bool,
}

impl Convention {
    /// Snake case, integer nanoseconds (C, Go).
    pub const WIRE: Convention = Convention {
        camel_case: false,
        millis: false,
    };
    /// Camel case, milliseconds (`ackWaitMs`) (JavaScript).
    pub const JAVASCRIPT: Convention = Convention {
        camel_case: true,
        millis: true,
    };

    /// How this convention names a field of this kind.
    pub fn name(&self, field: &str, kind: Kind) -> String {
        if self.camel_case {
            js_name(field, kind)
        } else {
            field.to_string()
        }
    }

    fn duration(&self, v: &Value) -> Option<Duration> {
        if self.millis {
            v.as_f64()
                .filter(|ms| ms.is_finite() && *ms >= 0.0)
                .and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok())
        } else {
            v.as_u64().map(Duration::from_nanos)
        }
    }

    fn duration_value(&self, d: Duration) -> Value {
        if self.millis {
            Value::from(d.as_secs_f64() * 1000.0)
        } else {
            Value::from(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        }
    }

    fn duration_want(&self) -> &'static str {
        if self.millis {
            "a non-negative number of milliseconds"
        } else {
            "a non-negative integer of nanoseconds"
        }
    }
}

/// Reads a declared type from JSON text in the wire convention (`what`
/// names it in errors).
pub fn from_json<R: Record>(json: &str, what: &str) -> Result<R> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Error::invalid(what, format!("is not valid JSON: {e}")))?;
    from_value(&value, Convention::WIRE, what)
}

/// Reads a declared type from a JSON value in `convention`.
pub fn from_value<R: Record>(value: &Value, convention: Convention, what: &str) -> Result<R> {
    match value {
        Value::Object(map) => R::read(&JsonSource {
            map,
            what,
            convention,
        }),
        _ => Err(Error::invalid(what, "must be an object")),
    }
}

/// Writes a declared type as JSON text in the wire convention.
pub fn to_json<R: Record>(record: &R) -> String {
    to_value(record, Convention::WIRE).to_string()
}

/// Writes a declared type as a JSON object in `convention`.
pub fn to_value<R: Record>(record: &R, convention: Convention) -> Value {
    let mut sink = JsonSink {
        map: Map::new(),
        convention,
    };
    // Writing into a map cannot fail.
    let _ = record.write(&mut sink);
    Value::Object(sink.map)
}

/// A JSON object, read field by field.
pub struct JsonSource<'a> {
    map: &'a Map<String, Value>,
    what: &'a str,
    convention: Convention,
}

impl JsonSource<'_> {
    fn typed<T>(
        &self,
        field: &str,
        kind: Kind,
        want: &str,
        convert: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<T>> {
        let name = self.convention.name(field, kind);
        match self.map.get(&name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => convert(v).map(Some).ok_or_else(|| {
                Error::invalid(&format!("{}.{name}", self.what), format!("must be {want}"))
            }),
        }
    }

    fn list<T>(
        &self,
        field: &str,
        kind: Kind,
        want: &str,
        convert: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<Vec<T>>> {
        self.typed(field, kind, want, |v| {
            v.as_array()?
                .iter()
                .map(&convert)
                .collect::<Option<Vec<T>>>()
        })
    }
}

/// A point in time as Unix nanoseconds: an RFC 3339 text (as this module
/// writes times), integer nanoseconds, or their text (a JavaScript bigint).
pub fn time_nanos(v: &Value) -> Option<i64> {
    match v {
        Value::String(t) => rfc3339_nanos::parse(t).or_else(|| t.parse().ok()),
        v => integer(v),
    }
}

/// An integer, also when a JavaScript number arrives as a float.
fn integer(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| {
        let f = v.as_f64()?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        (f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0).then_some(f as i64)
    })
}

impl FieldSource for JsonSource<'_> {
    type Error = Error;

    fn fail(&self, error: Error) -> Error {
        error
    }

    fn string(&self, field: &str) -> Result<Option<String>> {
        self.typed(field, Kind::Str, "a string", |v| {
            v.as_str().map(str::to_string)
        })
    }

    fn int(&self, field: &str) -> Result<Option<i64>> {
        self.typed(field, Kind::Int, "an integer", integer)
    }

    fn uint(&self, field: &str) -> Result<Option<u64>> {
        self.typed(field, Kind::UInt, "a non-negative integer", |v| {
            integer(v).and_then(|i| u64::try_from(i).ok())
        })
    }

    fn boolean(&self, field: &str) -> Result<Option<bool>> {
        self.typed(field, Kind::Bool, "true or false", Value::as_bool)
    }

    fn duration(&self, field: &str) -> Result<Option<Duration>> {
        let c = self.convention;
        self.typed(field, Kind::Duration, c.duration_want(), |v| c.duration(v))
    }

    fn strings(&self, field: &str) -> Result<Option<Vec<String>>> {
        self.list(field, Kind::Strs, "a list of strings", |v| {
            v.as_str().map(str::to_string)
        })
    }

    fn durations(&self, field: &str) -> Result<Option<Vec<Duration>>> {
        let c = self.convention;
        let want = format!("a list, each {}", c.duration_want());
        self.list(field, Kind::Durations, &want, |v| c.duration(v))
    }

    fn start(&self, field: &str) -> Result<Option<StartPosition>> {
        let want = "a policy name or {\"policy\", \"sequence\", \"time\"}";
        let parts = self.typed(field, Kind::Start, want, |v| match v {
            Value::String(policy) => Some((policy.clone(), None, None)),
            Value::Object(parts) => Some((
                parts.get("policy")?.as_str()?.to_string(),
                parts.get("sequence").and_then(integer),
                // JavaScript sends Unix nanoseconds as a string (a bigint).
                parts
                    .get("time")
                    .and_then(|t| integer(t).or_else(|| t.as_str()?.parse().ok())),
            )),
            _ => None,
        })?;
        match parts {
            None => Ok(None),
            Some((policy, sequence, time)) => {
                let sequence = sequence.map(|s| u64::try_from(s).unwrap_or(u64::MAX));
                StartPosition::from_parts(&policy, sequence, time).map(Some)
            }
        }
    }

    fn time(&self, field: &str) -> Result<Option<i64>> {
        let want = "an RFC 3339 time or integer Unix nanoseconds";
        self.typed(field, Kind::Time, want, time_nanos)
    }

    fn record<R: Record>(&self, field: &str) -> Result<Option<R>> {
        // A nested type is named as any field that is not a duration.
        let name = self.convention.name(field, Kind::Str);
        match self.map.get(&name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => from_value(v, self.convention, &format!("{}.{name}", self.what)).map(Some),
        }
    }

    fn records<R: Record>(&self, field: &str) -> Result<Option<Vec<R>>> {
        let name = self.convention.name(field, Kind::Str);
        let what = format!("{}.{name}", self.what);
        match self.map.get(&name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| from_value(v, self.convention, &format!("{what}[{i}]")))
                .collect::<Result<Vec<R>>>()
                .map(Some),
            Some(_) => Err(Error::invalid(&what, "must be a list of objects")),
        }
    }

    fn map(&self, field: &str) -> Result<Option<BTreeMap<String, String>>> {
        self.typed(field, Kind::Map, "an object of strings", |v| {
            v.as_object()?
                .iter()
                .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
    }
}

/// A JSON object, written field by field.
pub struct JsonSink {
    map: Map<String, Value>,
    convention: Convention,
}

impl JsonSink {
    /// JavaScript leaves an unset field out (`undefined`); the wire
    /// convention writes `null`.
    fn put(&mut self, field: &str, kind: Kind, value: Value) -> Result<()> {
        if !(value.is_null() && self.convention.camel_case) {
            self.map.insert(self.convention.name(field, kind), value);
        }
        Ok(())
    }
}

fn or_null<T: Into<Value>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, Into::into)
}

impl FieldSink for JsonSink {
    type Error = Error;

    fn string(&mut self, field: &str, value: Option<&str>) -> Result<()> {
        self.put(field, Kind::Str, or_null(value))
    }

    fn int(&mut self, field: &str, value: Option<i64>) -> Result<()> {
        self.put(field, Kind::Int, or_null(value))
    }

    fn uint(&mut self, field: &str, value: Option<u64>) -> Result<()> {
        self.put(field, Kind::UInt, or_null(value))
    }

    fn boolean(&mut self, field: &str, value: Option<bool>) -> Result<()> {
        self.put(field, Kind::Bool, or_null(value))
    }

    fn duration(&mut self, field: &str, value: Option<Duration>) -> Result<()> {
        let v = value.map_or(Value::Null, |d| self.convention.duration_value(d));
        self.put(field, Kind::Duration, v)
    }

    fn strings(&mut self, field: &str, value: &[String]) -> Result<()> {
        self.put(field, Kind::Strs, Value::from(value.to_vec()))
    }

    fn durations(&mut self, field: &str, value: &[Duration]) -> Result<()> {
        let c = self.convention;
        let list = value.iter().map(|d| c.duration_value(*d)).collect();
        self.put(field, Kind::Durations, Value::Array(list))
    }

    fn start(&mut self, field: &str, value: StartPosition) -> Result<()> {
        let (policy, sequence, time) = value.parts();
        // Unix nanoseconds exceed JavaScript's exact integers: a string there.
        let time = match time {
            Some(t) if self.convention.millis => Value::from(t.to_string()),
            t => or_null(t),
        };
        let parts = serde_json::json!({
            "policy": policy,
            "sequence": sequence,
            "time": time,
        });
        self.put(field, Kind::Start, parts)
    }

    fn time(&mut self, field: &str, value: Option<i64>) -> Result<()> {
        let v = value.map_or(Value::Null, |t| Value::from(rfc3339_nanos::format(t)));
        self.put(field, Kind::Time, v)
    }

    fn record<R: Record>(&mut self, field: &str, value: Option<&R>) -> Result<()> {
        let v = value.map_or(Value::Null, |r| to_value(r, self.convention));
        // Named as any field that is not a duration.
        self.put(field, Kind::Str, v)
    }

    fn records<R: Record>(&mut self, field: &str, value: &[R]) -> Result<()> {
        let list = value.iter().map(|r| to_value(r, self.convention)).collect();
        self.put(field, Kind::Str, Value::Array(list))
    }

    fn map(&mut self, field: &str, value: Option<&BTreeMap<String, String>>) -> Result<()> {
        let v = value.map_or(Value::Null, |m| {
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                    .collect(),
            )
        });
        self.put(field, Kind::Map, v)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::record::{Kind, Record};
    use crate::{AckPolicy, ConsumerConfig, ErrorKind};

    #[test]
    fn a_consumer_config_round_trips_and_absent_fields_keep_the_default() {
        let c: ConsumerConfig = from_json(
            r#"{"durable_name":"d","ack_policy":"all","ack_wait":2000000000,
                "backoff":[1000000000,5000000000],"filter_subjects":["a.>"],
                "start":{"policy":"by_start_sequence","sequence":7},"replicas":3,
                "max_waiting":null}"#,
            "config",
        )
        .unwrap();
        assert_eq!(c.durable_name.as_deref(), Some("d"));
        assert_eq!(c.ack_policy, AckPolicy::All);
        assert_eq!(c.ack_wait, Some(Duration::from_secs(2)));
        assert_eq!(c.backoff, [Duration::from_secs(1), Duration::from_secs(5)]);
        assert_eq!(c.start, StartPosition::Sequence(7));
        assert_eq!(c.replicas, 3);
        assert_eq!(c.max_waiting, None);
        assert_eq!(c.replay, ConsumerConfig::default().replay);
        let again: ConsumerConfig = from_json(&to_json(&c), "config").unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn wrong_types_and_unknown_names_are_invalid_argument_naming_the_field() {
        for (json, names) in [
            (r#"{"ack_wait":"2s"}"#, "config.ack_wait"),
            (r#"{"replicas":-1}"#, "config.replicas"),
            (r#"{"filter_subjects":"a"}"#, "config.filter_subjects"),
            (r#"{"ack_policy":"sometimes"}"#, "ack_policy"),
            (r#"[1]"#, "config"),
        ] {
            let e = from_json::<ConsumerConfig>(json, "config").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{json}");
            assert!(e.message().contains(names), "{json}: {e}");
        }
    }

    #[test]
    fn javascript_reads_camel_case_and_milliseconds() {
        let js = serde_json::json!({"durableName": "d", "ackWaitMs": 1500.0, "maxDeliver": 3.0,
            "backoffMs": [10, 20.5], "start": {"policy": "sequence", "sequence": 9.0}});
        let c: ConsumerConfig = from_value(&js, Convention::JAVASCRIPT, "config").unwrap();
        assert_eq!(c.ack_wait, Some(Duration::from_millis(1500)));
        assert_eq!(c.max_deliver, Some(3));
        assert_eq!(c.backoff[1], Duration::from_micros(20_500));
        assert_eq!(c.start, StartPosition::Sequence(9));
        let out = to_value(&c, Convention::JAVASCRIPT);
        assert_eq!(out["ackWaitMs"], 1500.0);
        assert_eq!(out["durableName"], "d");
        let e = from_value::<ConsumerConfig>(
            &serde_json::json!({"maxDeliver": 1.5}),
            Convention::JAVASCRIPT,
            "config",
        )
        .unwrap_err();
        assert!(e.message().contains("config.maxDeliver"), "{e}");
    }

    #[test]
    fn the_declaration_describes_every_field_with_its_doc() {
        let fields = ConsumerConfig::FIELDS;
        assert_eq!(ConsumerConfig::NAME, "ConsumerConfig");
        let ack = fields.iter().find(|f| f.name == "ack_policy").unwrap();
        assert_eq!(
            ack.kind,
            Kind::Enum {
                ty: "AckPolicy",
                names: &["explicit", "all", "none"]
            }
        );
        let wait = fields.iter().find(|f| f.name == "ack_wait").unwrap();
        assert!(wait.optional && wait.kind == Kind::Duration);
        assert!(
            fields.iter().all(|f| !f.doc.trim().is_empty()),
            "{fields:?}"
        );
    }

    #[test]
    fn times_and_maps_read_rfc3339_or_nanos_and_write_rfc3339() {
        let c: ConsumerConfig = from_json(
            r#"{"pause_until":"2100-01-01T00:00:00.000000001Z","metadata":{"team":"a"}}"#,
            "config",
        )
        .unwrap();
        let nanos = 4_102_444_800_000_000_001_i64;
        assert_eq!(c.pause_until.map(crate::record::unix_nanos), Some(nanos));
        assert_eq!(c.metadata.as_ref().unwrap()["team"], "a");
        let out = to_value(&c, Convention::WIRE);
        assert_eq!(time_nanos(&out["pause_until"]), Some(nanos));
        assert_eq!(out["metadata"], serde_json::json!({"team": "a"}));
        let from_nanos: ConsumerConfig =
            from_json(&format!(r#"{{"pause_until":{nanos}}}"#), "config").unwrap();
        assert_eq!(from_nanos.pause_until, c.pause_until);
        for bad in [r#"{"pause_until":"soon"}"#, r#"{"metadata":{"team":1}}"#] {
            let e = from_json::<ConsumerConfig>(bad, "config").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn a_stream_config_leaves_unset_options_out_of_the_request() {
        let plain = serde_json::to_value(crate::StreamConfig::new("S", ["s.>"])).unwrap();
        for key in [
            "allow_direct",
            "compression",
            "first_seq",
            "metadata",
            "sealed",
        ] {
            assert!(plain.get(key).is_none(), "{key} sent while unset: {plain}");
        }
        let set = crate::StreamConfig {
            allow_direct: Some(false),
            ..crate::StreamConfig::new("S", ["s.>"])
        };
        assert_eq!(serde_json::to_value(set).unwrap()["allow_direct"], false);
    }

    #[test]
    fn nested_records_read_and_write_in_both_conventions() {
        let wire = r#"{"name":"AGG","sources":[{"name":"EU","filter_subject":"eu.>"},
            {"name":"US","subject_transforms":[{"src":"us.>","dest":"all.us.>"}],
             "external":{"api":"$JS.hub.API"}}],
            "republish":{"src":">","dest":"audit.>","headers_only":true},
            "consumer_limits":{"inactive_threshold":5000000000}}"#;
        let c: crate::StreamConfig = from_json(wire, "config").unwrap();
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[0].filter_subject.as_deref(), Some("eu.>"));
        assert_eq!(c.sources[1].subject_transforms[0].dest, "all.us.>");
        assert_eq!(c.sources[1].external.as_ref().unwrap().api, "$JS.hub.API");
        assert!(c.republish.as_ref().unwrap().headers_only);
        let limits = c.consumer_limits.as_ref().unwrap();
        assert_eq!(limits.inactive_threshold, Some(Duration::from_secs(5)));
        assert_eq!(c.mirror, None);
        let again: crate::StreamConfig = from_json(&to_json(&c), "config").unwrap();
        assert_eq!(again, c);
        let js = to_value(&c, Convention::JAVASCRIPT);
        assert_eq!(js["consumerLimits"]["inactiveThresholdMs"], 5000.0);
        assert_eq!(js["sources"][1]["subjectTransforms"][0]["src"], "us.>");
        let back: crate::StreamConfig = from_value(&js, Convention::JAVASCRIPT, "config").unwrap();
        assert_eq!(back, c);
        let e =
            from_json::<crate::StreamConfig>(r#"{"sources":[{"name":1}]}"#, "config").unwrap_err();
        assert!(e.message().contains("config.sources[0].name"), "{e}");
        // What the server receives: JetStream's own names.
        let sent = serde_json::to_value(&c).unwrap();
        assert_eq!(sent["sources"][1]["external"]["api"], "$JS.hub.API");
        assert_eq!(
            sent["consumer_limits"]["inactive_threshold"],
            5_000_000_000_u64
        );
    }
}
