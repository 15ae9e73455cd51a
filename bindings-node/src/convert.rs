//! Conversions between JavaScript values and core types.
//!
//! The core's declared types (`record!`: configs and options) cross as plain
//! JavaScript objects read and written through the core's declaration in the
//! JavaScript convention (`jetbridge::record_json`: camelCase, durations in
//! milliseconds as `…Ms`); nothing here lists their fields.
//!
//! Other values: durations cross as milliseconds (`…Ms`, any non-negative
//! finite number), counts and sequences as non-negative integers,
//! Unix-nanosecond timestamps as `bigint`, a point in time given as a `Date`
//! as its RFC 3339 text (`check.time`, as in a declared type). A value that does not fit is
//! `INVALID_ARGUMENT` naming the parameter (types were already checked by
//! the JavaScript layer).

use std::time::{Duration, SystemTime};

use jetbridge::record::{Record, system_time};
use jetbridge::record_json::{Convention, from_value, time_nanos, to_value};
use jetbridge::{Result, StartPosition};
use napi::bindgen_prelude::{Array, BigInt, Object, Unknown};
use napi::{Env, JsValue, ValueType};
use serde_json::{Number, Value};

use crate::error::invalid;
use crate::runtime::guard;

/// A declared type from a JavaScript object (absent: the type's default).
/// `what` names it in errors: a value the core cannot take is
/// `INVALID_ARGUMENT` naming `what.field`.
pub(crate) fn record<R: Record>(env: &Env, js: Option<Object<'_>>, what: &str) -> napi::Result<R> {
    let js = js.map(|o| json(o.to_unknown())).transpose()?;
    guard(env, || {
        js.as_ref().map_or_else(
            || Ok(R::default()),
            |js| from_value(js, Convention::JAVASCRIPT, what),
        )
    })
}

/// A declared type as a JavaScript object (an unset field is left out).
pub(crate) fn record_to_js<R: Record>(r: &R) -> Value {
    to_value(r, Convention::JAVASCRIPT)
}

/// A JavaScript value as JSON. Unlike napi's own conversion, a number JSON
/// cannot hold (NaN, ±Infinity) becomes its text, which the core refuses
/// like any value of the wrong type, naming the field.
fn json(v: Unknown<'_>) -> napi::Result<Value> {
    let item = |v: Option<Unknown<'_>>| v.map_or(Ok(Value::Null), json);
    // SAFETY: each cast is to the type just read.
    unsafe {
        match v.get_type()? {
            ValueType::Number => {
                let n: f64 = v.cast()?;
                Ok(Number::from_f64(n).map_or_else(|| Value::String(n.to_string()), Value::Number))
            }
            ValueType::Object if v.is_array()? => {
                let a: Array<'_> = v.cast()?;
                (0..a.len()).map(|i| item(a.get(i)?)).collect()
            }
            ValueType::Object => {
                let o: Object<'_> = v.cast()?;
                Object::keys(&o)?
                    .into_iter()
                    .map(|k| Ok((k.clone(), item(o.get(&k)?)?)))
                    .collect()
            }
            ValueType::Undefined => Ok(Value::Null),
            // Strings, booleans, null, bigints.
            _ => v.cast(),
        }
    }
}

/// Milliseconds to a `Duration`.
pub(crate) fn millis(what: &str, ms: f64) -> Result<Duration> {
    if !ms.is_finite() || ms < 0.0 {
        return Err(invalid(
            what,
            "must be a non-negative number of milliseconds",
        ));
    }
    Duration::try_from_secs_f64(ms / 1000.0).map_err(|_| invalid(what, "is too large"))
}

/// A point in time as the JavaScript layer sends a `Date` (`check.time`: its
/// RFC 3339 text), read by the core's reader of times. A valid `Date` fails
/// only beyond what Unix nanoseconds hold (before 1677, after 2262).
pub(crate) fn time(what: &str, text: String) -> Result<SystemTime> {
    time_nanos(&Value::String(text))
        .map(system_time)
        .ok_or_else(|| invalid(what, "is beyond what Unix nanoseconds hold"))
}

/// A non-negative integer (at most 2^53, the largest exact JS integer).
pub(crate) fn uint(what: &str, v: f64) -> Result<u64> {
    const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
    if !v.is_finite() || v < 0.0 || v.fract() != 0.0 || v > MAX_EXACT {
        return Err(invalid(what, "must be a non-negative integer"));
    }
    // Exact: v is an integer within u64's (and f64's exact) range.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(v as u64)
}

/// An optional non-negative integer.
pub(crate) fn opt_uint(what: &str, v: Option<f64>) -> Result<Option<u64>> {
    v.map(|v| uint(what, v)).transpose()
}

/// An optional non-negative integer as `usize`.
pub(crate) fn opt_size(what: &str, v: Option<f64>) -> Result<Option<usize>> {
    v.map(|v| usize::try_from(uint(what, v)?).map_err(|_| invalid(what, "is too large")))
        .transpose()
}

/// A core count or sequence as a JS number (exact up to 2^53).
#[allow(clippy::cast_precision_loss)]
pub(crate) fn num(v: u64) -> f64 {
    v as f64
}

/// Unix nanoseconds as a `bigint`.
pub(crate) fn big(v: i64) -> BigInt {
    BigInt::from(v)
}

/// Where a replay starts, as the JavaScript layer sends it:
/// `{ policy, sequence?, time? }` (the core's `StartPosition::parts`, with
/// the Unix nanoseconds of `time` as a string).
#[napi_derive::napi(object, object_to_js = false)]
pub struct NativeStartPosition {
    /// The policy name.
    pub policy: String,
    /// For `sequence`: the first stream sequence.
    pub sequence: Option<f64>,
    /// For `time`: Unix nanoseconds, as a decimal string.
    pub time: Option<String>,
}

impl NativeStartPosition {
    /// The core start position (the core parses the policy name).
    pub(crate) fn to_core(&self) -> Result<StartPosition> {
        let sequence = opt_uint("start sequence", self.sequence)?;
        let time = self
            .time
            .as_deref()
            .map(|t| {
                t.parse::<i64>()
                    .map_err(|_| invalid("start time", "must be Unix nanoseconds"))
            })
            .transpose()?;
        StartPosition::from_parts(&self.policy, sequence, time)
    }
}

/// Parses an optional enum name with the core's table (`jetbridge::Named`);
/// absent = the core's default.
pub(crate) fn named<T: jetbridge::Named + Default>(s: Option<&str>) -> Result<T> {
    s.map_or_else(|| Ok(T::default()), T::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked() {
        assert!(uint("x", 1.5).is_err());
        assert!(uint("x", -1.0).is_err());
        assert!(uint("x", f64::NAN).is_err());
        assert_eq!(uint("x", 42.0).ok(), Some(42));
        assert!(millis("x", -5.0).is_err());
        assert_eq!(millis("x", 1500.0).ok(), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn times_are_read_as_the_core_reads_them() {
        let t = time("until", "2100-01-01T00:00:00.123Z".to_string()).ok();
        let want = Duration::from_millis(4_102_444_800_123);
        assert_eq!(t, Some(SystemTime::UNIX_EPOCH + want));
        assert!(time("until", "3000-01-01T00:00:00.000Z".to_string()).is_err());
        assert!(time("until", "tomorrow".to_string()).is_err());
    }
}
