//! Declared types as JSON, for the bindings that cross a C boundary (C, Go):
//! a [`FieldSource`] and a [`FieldSink`] over a JSON object.
//!
//! The JSON form: names in snake case, durations in integer nanoseconds,
//! enums by name, a start position as its policy name or as
//! `{"policy": …, "sequence": …, "time": …}`. A value of the wrong JSON type
//! is `INVALID_ARGUMENT` naming the field and the type it must have.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::record::{FieldSink, FieldSource, Record};
use crate::start::StartPosition;

/// Reads a declared type from a JSON object (`what` names it in errors).
pub fn from_json<R: Record>(json: &str, what: &str) -> Result<R> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| Error::invalid(what, format!("is not valid JSON: {e}")))?;
    match value {
        Value::Object(map) => R::read(&JsonSource { map: &map, what }),
        _ => Err(Error::invalid(what, "must be a JSON object")),
    }
}

/// Writes a declared type as a JSON object.
pub fn to_json<R: Record>(record: &R) -> String {
    let mut sink = JsonSink(Map::new());
    // Writing into a map cannot fail.
    let _ = record.write(&mut sink);
    Value::Object(sink.0).to_string()
}

/// A JSON object, read field by field.
pub struct JsonSource<'a> {
    map: &'a Map<String, Value>,
    what: &'a str,
}

impl JsonSource<'_> {
    fn get(&self, field: &str) -> Option<&Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    fn wrong(&self, field: &str, want: &str) -> Error {
        Error::invalid(&format!("{}.{field}", self.what), format!("must be {want}"))
    }

    fn typed<T>(
        &self,
        field: &str,
        want: &str,
        convert: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<T>> {
        match self.get(field) {
            None => Ok(None),
            Some(v) => convert(v).map(Some).ok_or_else(|| self.wrong(field, want)),
        }
    }

    fn list<T>(
        &self,
        field: &str,
        want: &str,
        convert: impl Fn(&Value) -> Option<T>,
    ) -> Result<Option<Vec<T>>> {
        self.typed(field, want, |v| {
            v.as_array()?
                .iter()
                .map(&convert)
                .collect::<Option<Vec<T>>>()
        })
    }
}

fn nanos(v: &Value) -> Option<Duration> {
    v.as_u64().map(Duration::from_nanos)
}

impl FieldSource for JsonSource<'_> {
    type Error = Error;

    fn string(&self, field: &str) -> Result<Option<String>> {
        self.typed(field, "a string", |v| v.as_str().map(str::to_string))
    }

    fn int(&self, field: &str) -> Result<Option<i64>> {
        self.typed(field, "an integer", Value::as_i64)
    }

    fn uint(&self, field: &str) -> Result<Option<u64>> {
        self.typed(field, "a non-negative integer", Value::as_u64)
    }

    fn boolean(&self, field: &str) -> Result<Option<bool>> {
        self.typed(field, "true or false", Value::as_bool)
    }

    fn duration(&self, field: &str) -> Result<Option<Duration>> {
        self.typed(field, "a non-negative integer of nanoseconds", nanos)
    }

    fn strings(&self, field: &str) -> Result<Option<Vec<String>>> {
        self.list(field, "a list of strings", |v| {
            v.as_str().map(str::to_string)
        })
    }

    fn durations(&self, field: &str) -> Result<Option<Vec<Duration>>> {
        self.list(field, "a list of nanoseconds", nanos)
    }

    fn start(&self, field: &str) -> Result<Option<StartPosition>> {
        let want = "a policy name or {\"policy\", \"sequence\", \"time\"}";
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(policy)) => StartPosition::from_parts(policy, None, None).map(Some),
            Some(Value::Object(parts)) => {
                let policy = parts.get("policy").and_then(Value::as_str);
                let policy = policy.ok_or_else(|| self.wrong(field, want))?;
                let sequence = parts.get("sequence").and_then(Value::as_u64);
                let time = parts.get("time").and_then(Value::as_i64);
                StartPosition::from_parts(policy, sequence, time).map(Some)
            }
            Some(_) => Err(self.wrong(field, want)),
        }
    }
}

/// A JSON object, written field by field.
pub struct JsonSink(pub Map<String, Value>);

impl JsonSink {
    fn put(&mut self, field: &str, value: Value) -> Result<()> {
        self.0.insert(field.to_string(), value);
        Ok(())
    }
}

fn duration_value(d: Duration) -> Value {
    Value::from(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

impl FieldSink for JsonSink {
    type Error = Error;

    fn string(&mut self, field: &str, value: Option<&str>) -> Result<()> {
        self.put(field, value.map_or(Value::Null, Value::from))
    }

    fn int(&mut self, field: &str, value: Option<i64>) -> Result<()> {
        self.put(field, value.map_or(Value::Null, Value::from))
    }

    fn uint(&mut self, field: &str, value: Option<u64>) -> Result<()> {
        self.put(field, value.map_or(Value::Null, Value::from))
    }

    fn boolean(&mut self, field: &str, value: Option<bool>) -> Result<()> {
        self.put(field, value.map_or(Value::Null, Value::from))
    }

    fn duration(&mut self, field: &str, value: Option<Duration>) -> Result<()> {
        self.put(field, value.map_or(Value::Null, duration_value))
    }

    fn strings(&mut self, field: &str, value: &[String]) -> Result<()> {
        self.put(field, Value::from(value.to_vec()))
    }

    fn durations(&mut self, field: &str, value: &[Duration]) -> Result<()> {
        let list = value.iter().map(|d| duration_value(*d)).collect();
        self.put(field, Value::Array(list))
    }

    fn start(&mut self, field: &str, value: StartPosition) -> Result<()> {
        let (sequence, time) = match value {
            StartPosition::Sequence(n) => (Some(n), None),
            StartPosition::Time(t) => (None, Some(t)),
            _ => (None, None),
        };
        let parts = serde_json::json!({
            "policy": value.policy_name(),
            "sequence": sequence,
            "time": time,
        });
        self.put(field, parts)
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
    fn the_declaration_describes_every_field_with_its_doc() {
        let fields = ConsumerConfig::FIELDS;
        assert_eq!(ConsumerConfig::NAME, "ConsumerConfig");
        let ack = fields.iter().find(|f| f.name == "ack_policy").unwrap();
        assert_eq!(ack.kind, Kind::Enum(&["explicit", "all", "none"]));
        let wait = fields.iter().find(|f| f.name == "ack_wait").unwrap();
        assert!(wait.optional && wait.kind == Kind::Duration);
        assert!(
            fields.iter().all(|f| !f.doc.trim().is_empty()),
            "{fields:?}"
        );
    }
}
