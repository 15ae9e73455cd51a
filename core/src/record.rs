//! Types declared once: every option, config and info type a binding shows
//! its users is declared here with [`record!`], and nowhere else.
//!
//! The declaration gives three things:
//! - the Rust struct itself;
//! - [`Record::FIELDS`], a description of each field (name, kind, whether it
//!   may be absent, its doc), from which `gen/` writes each language's type
//!   (Python dataclass, TypeScript interface, Go struct, C declaration);
//! - [`Record::read`] and [`Record::write`], which move the fields in and out
//!   of a binding's own values through [`FieldSource`] and [`FieldSink`].
//!
//! A binding implements `FieldSource` and `FieldSink` once for its values (a
//! Python object, a JavaScript object, JSON) and never lists a field: adding
//! an option to a `record!` type reaches every language without a hand edit
//! in any binding.
//!
//! Reading: a field the source does not have (or has as null/None) keeps the
//! type's `Default`. A value of the wrong language type is the binding's
//! error (its `TypeError`); a value of the right type that the core cannot
//! represent (out of range, an unknown enum name) is `INVALID_ARGUMENT`.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::Error;
use crate::start::StartPosition;

/// What a field holds, as each language declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Str,
    /// A signed integer.
    Int,
    /// An unsigned integer.
    UInt,
    /// True or false.
    Bool,
    /// A duration (seconds in Python, milliseconds in JavaScript,
    /// `time.Duration` in Go, nanoseconds in C).
    Duration,
    /// A list of text.
    Strs,
    /// A list of durations.
    Durations,
    /// One of these names (`ty` is the Rust enum's name: `AckPolicy`).
    Enum {
        /// The enum type's name.
        ty: &'static str,
        /// Its values' names, in declaration order.
        names: &'static [&'static str],
    },
    /// Where a consumer starts ([`StartPosition`]).
    Start,
    /// Text keys to text values (`metadata`), in key order.
    Map,
    /// A point in time (`datetime` in Python, `Date` in JavaScript,
    /// `time.Time` in Go, Unix nanoseconds in C).
    Time,
    /// Another declared type, nested (a stream's `placement`).
    Record(&'static RecordSchema),
    /// A list of another declared type (a stream's `sources`).
    Records(&'static RecordSchema),
}

/// A declared type as a field's kind names it: its name and fields.
#[derive(Debug, PartialEq, Eq)]
pub struct RecordSchema {
    /// The type's name (`Placement`).
    pub name: &'static str,
    /// Its fields.
    pub fields: &'static [FieldSchema],
}

/// One field of a declared type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSchema {
    /// Its name, in snake case (each language applies its own case).
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether "not set" is a value of its own (`Option` in Rust).
    pub optional: bool,
    /// Its documentation.
    pub doc: &'static str,
}

/// A binding's values, read field by field. `Ok(None)`: the field is absent
/// or null. Each method fails with the binding's own error for a value of the
/// wrong type, naming the field.
pub trait FieldSource {
    /// The binding's error.
    type Error;
    /// The binding's form of a core error (`INVALID_ARGUMENT` for a value
    /// the core cannot represent).
    fn fail(&self, error: Error) -> Self::Error;
    /// Text.
    fn string(&self, field: &str) -> Result<Option<String>, Self::Error>;
    /// A signed integer.
    fn int(&self, field: &str) -> Result<Option<i64>, Self::Error>;
    /// An unsigned integer.
    fn uint(&self, field: &str) -> Result<Option<u64>, Self::Error>;
    /// True or false.
    fn boolean(&self, field: &str) -> Result<Option<bool>, Self::Error>;
    /// A duration, in the language's way of writing one.
    fn duration(&self, field: &str) -> Result<Option<Duration>, Self::Error>;
    /// A list of text.
    fn strings(&self, field: &str) -> Result<Option<Vec<String>>, Self::Error>;
    /// A list of durations.
    fn durations(&self, field: &str) -> Result<Option<Vec<Duration>>, Self::Error>;
    /// A start position, in the language's way of writing one.
    fn start(&self, field: &str) -> Result<Option<StartPosition>, Self::Error>;
    /// Text keys to text values (a dict, an object, a map).
    fn map(&self, field: &str) -> Result<Option<BTreeMap<String, String>>, Self::Error>;
    /// A point in time, as Unix nanoseconds.
    fn time(&self, field: &str) -> Result<Option<i64>, Self::Error>;
    /// A nested declared type (the binding reads it with `R::read` over a
    /// source of its own for the nested value).
    fn record<R: Record>(&self, field: &str) -> Result<Option<R>, Self::Error>;
    /// A list of a declared type.
    fn records<R: Record>(&self, field: &str) -> Result<Option<Vec<R>>, Self::Error>;
}

/// A binding's values, written field by field. `None` writes the language's
/// null.
pub trait FieldSink {
    /// The binding's error.
    type Error;
    /// Text.
    fn string(&mut self, field: &str, value: Option<&str>) -> Result<(), Self::Error>;
    /// A signed integer.
    fn int(&mut self, field: &str, value: Option<i64>) -> Result<(), Self::Error>;
    /// An unsigned integer.
    fn uint(&mut self, field: &str, value: Option<u64>) -> Result<(), Self::Error>;
    /// True or false.
    fn boolean(&mut self, field: &str, value: Option<bool>) -> Result<(), Self::Error>;
    /// A duration.
    fn duration(&mut self, field: &str, value: Option<Duration>) -> Result<(), Self::Error>;
    /// A list of text.
    fn strings(&mut self, field: &str, value: &[String]) -> Result<(), Self::Error>;
    /// A list of durations.
    fn durations(&mut self, field: &str, value: &[Duration]) -> Result<(), Self::Error>;
    /// A start position.
    fn start(&mut self, field: &str, value: StartPosition) -> Result<(), Self::Error>;
    /// Text keys to text values; `None` writes the language's null.
    fn map(
        &mut self,
        field: &str,
        value: Option<&BTreeMap<String, String>>,
    ) -> Result<(), Self::Error>;
    /// A point in time, as Unix nanoseconds.
    fn time(&mut self, field: &str, value: Option<i64>) -> Result<(), Self::Error>;
    /// A nested declared type (the binding writes it with `R::write` into a
    /// sink of its own); `None` writes the language's null.
    fn record<R: Record>(&mut self, field: &str, value: Option<&R>) -> Result<(), Self::Error>;
    /// A list of a declared type.
    fn records<R: Record>(&mut self, field: &str, value: &[R]) -> Result<(), Self::Error>;
}

/// A type declared with [`record!`]. It owns its values (`'static`), so a
/// binding may carry one as `dyn Any` (the C binding's nested structs).
pub trait Record: Sized + Default + 'static {
    /// The type's name.
    const NAME: &'static str;
    /// The type's documentation.
    const DOC: &'static str;
    /// Its fields, in declaration order.
    const FIELDS: &'static [FieldSchema];
    /// Reads every field `source` has; the others keep their default.
    fn read<S: FieldSource>(source: &S) -> Result<Self, S::Error>;
    /// Writes every field.
    fn write<W: FieldSink>(&self, sink: &mut W) -> Result<(), W::Error>;
}

/// A type a `record!` field may have.
pub trait FieldValue: Sized {
    /// What it holds.
    const KIND: Kind;
    /// Whether "not set" is a value of its own.
    const OPTIONAL: bool = false;
    /// Reads it; `Ok(None)` when absent.
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error>;
    /// Writes it.
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error>;
    /// Writes "not set" (the language's null) for a field of this type.
    fn write_unset<W: FieldSink>(sink: &mut W, field: &str) -> Result<(), W::Error> {
        match Self::KIND {
            Kind::Str | Kind::Enum { .. } => sink.string(field, None),
            Kind::Int => sink.int(field, None),
            Kind::UInt => sink.uint(field, None),
            Kind::Bool => sink.boolean(field, None),
            Kind::Duration => sink.duration(field, None),
            Kind::Strs => sink.strings(field, &[]),
            Kind::Durations => sink.durations(field, &[]),
            Kind::Start => sink.start(field, StartPosition::default()),
            Kind::Map => sink.map(field, None),
            Kind::Time => sink.time(field, None),
            // A nested type overrides this (its `record!` knows its type).
            Kind::Record(_) | Kind::Records(_) => Ok(()),
        }
    }
}

fn out_of_range(field: &str, value: impl std::fmt::Display) -> Error {
    Error::invalid(field, format!("{value} is out of range"))
}

impl FieldValue for String {
    const KIND: Kind = Kind::Str;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.string(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.string(field, Some(self))
    }
}

impl FieldValue for bool {
    const KIND: Kind = Kind::Bool;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.boolean(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.boolean(field, Some(*self))
    }
}

impl FieldValue for i64 {
    const KIND: Kind = Kind::Int;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.int(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.int(field, Some(*self))
    }
}

impl FieldValue for i32 {
    const KIND: Kind = Kind::Int;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        match source.int(field)? {
            None => Ok(None),
            Some(v) => i32::try_from(v)
                .map(Some)
                .map_err(|_| source.fail(out_of_range(field, v))),
        }
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.int(field, Some(i64::from(*self)))
    }
}

impl FieldValue for u64 {
    const KIND: Kind = Kind::UInt;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.uint(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.uint(field, Some(*self))
    }
}

/// Unsigned integers narrower than `u64`: read as one, out of range is
/// `INVALID_ARGUMENT`.
macro_rules! narrow_uint {
    ($($ty:ty),*) => {$(
        impl FieldValue for $ty {
            const KIND: Kind = Kind::UInt;
            fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
                match source.uint(field)? {
                    None => Ok(None),
                    Some(v) => <$ty>::try_from(v)
                        .map(Some)
                        .map_err(|_| source.fail(out_of_range(field, v))),
                }
            }
            fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
                sink.uint(field, Some(*self as u64))
            }
        }
    )*};
}
narrow_uint!(usize, u8);

impl FieldValue for Duration {
    const KIND: Kind = Kind::Duration;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.duration(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.duration(field, Some(*self))
    }
}

impl FieldValue for Vec<String> {
    const KIND: Kind = Kind::Strs;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.strings(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.strings(field, self)
    }
}

impl FieldValue for Vec<Duration> {
    const KIND: Kind = Kind::Durations;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.durations(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.durations(field, self)
    }
}

impl FieldValue for StartPosition {
    const KIND: Kind = Kind::Start;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.start(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.start(field, *self)
    }
}

impl FieldValue for BTreeMap<String, String> {
    const KIND: Kind = Kind::Map;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        source.map(field)
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.map(field, Some(self))
    }
}

impl FieldValue for SystemTime {
    const KIND: Kind = Kind::Time;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        Ok(source.time(field)?.map(system_time))
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        sink.time(field, Some(unix_nanos(*self)))
    }
}

/// Unix nanoseconds as a `SystemTime` (negative: before 1970).
pub fn system_time(nanos: i64) -> SystemTime {
    let offset = Duration::from_nanos(nanos.unsigned_abs());
    if nanos >= 0 {
        UNIX_EPOCH + offset
    } else {
        UNIX_EPOCH - offset
    }
}

/// A `SystemTime` as Unix nanoseconds, saturating outside ±292 years.
pub fn unix_nanos(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// `None` is "not set"; the sink writes the language's null.
impl<T: FieldValue> FieldValue for Option<T> {
    const KIND: Kind = T::KIND;
    const OPTIONAL: bool = true;
    fn read<S: FieldSource>(source: &S, field: &str) -> Result<Option<Self>, S::Error> {
        Ok(T::read(source, field)?.map(Some))
    }
    fn write<W: FieldSink>(&self, sink: &mut W, field: &str) -> Result<(), W::Error> {
        match self {
            Some(v) => v.write(sink, field),
            None => T::write_unset(sink, field),
        }
    }
}

/// Declares a type once: the struct, its field descriptions and its
/// reading and writing through a binding ([`Record`]). Every field is `pub`
/// and documented; other attributes (serde's) pass through to the struct and
/// its fields. The type must implement `Default` (the values of the fields a
/// binding leaves out).
macro_rules! record {
    (
        $(#[$($sattr:tt)*])*
        pub struct $name:ident {
            $(
                $(#[$($fattr:tt)*])*
                pub $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$($sattr)*])*
        pub struct $name {
            $(
                $(#[$($fattr)*])*
                pub $field: $ty,
            )*
        }

        impl $crate::record::FieldValue for $name {
            const KIND: $crate::record::Kind = $crate::record::Kind::Record(&$crate::record::RecordSchema {
                name: stringify!($name),
                fields: <$name as $crate::record::Record>::FIELDS,
            });
            fn read<S: $crate::record::FieldSource>(
                source: &S,
                field: &str,
            ) -> ::std::result::Result<Option<Self>, S::Error> {
                source.record::<$name>(field)
            }
            fn write<W: $crate::record::FieldSink>(
                &self,
                sink: &mut W,
                field: &str,
            ) -> ::std::result::Result<(), W::Error> {
                sink.record(field, Some(self))
            }
            fn write_unset<W: $crate::record::FieldSink>(
                sink: &mut W,
                field: &str,
            ) -> ::std::result::Result<(), W::Error> {
                sink.record::<$name>(field, None)
            }
        }

        impl $crate::record::FieldValue for Vec<$name> {
            const KIND: $crate::record::Kind = $crate::record::Kind::Records(&$crate::record::RecordSchema {
                name: stringify!($name),
                fields: <$name as $crate::record::Record>::FIELDS,
            });
            fn read<S: $crate::record::FieldSource>(
                source: &S,
                field: &str,
            ) -> ::std::result::Result<Option<Self>, S::Error> {
                source.records::<$name>(field)
            }
            fn write<W: $crate::record::FieldSink>(
                &self,
                sink: &mut W,
                field: &str,
            ) -> ::std::result::Result<(), W::Error> {
                sink.records(field, self)
            }
        }

        impl $crate::record::Record for $name {
            const NAME: &'static str = stringify!($name);
            const DOC: &'static str = $crate::record::doc_of!($(#[$($sattr)*])*);
            const FIELDS: &'static [$crate::record::FieldSchema] = &[$(
                $crate::record::FieldSchema {
                    name: stringify!($field),
                    kind: <$ty as $crate::record::FieldValue>::KIND,
                    optional: <$ty as $crate::record::FieldValue>::OPTIONAL,
                    doc: $crate::record::doc_of!($(#[$($fattr)*])*),
                }
            ),*];

            fn read<S: $crate::record::FieldSource>(
                source: &S,
            ) -> ::std::result::Result<Self, S::Error> {
                let mut out = <$name as ::std::default::Default>::default();
                $(
                    if let Some(v) =
                        <$ty as $crate::record::FieldValue>::read(source, stringify!($field))?
                    {
                        out.$field = v;
                    }
                )*
                Ok(out)
            }

            fn write<W: $crate::record::FieldSink>(
                &self,
                sink: &mut W,
            ) -> ::std::result::Result<(), W::Error> {
                $(
                    $crate::record::FieldValue::write(&self.$field, sink, stringify!($field))?;
                )*
                Ok(())
            }
        }
    };
}
pub(crate) use record;

/// The doc comment among attributes, one line per `///` line (the others,
/// such as serde's, are skipped).
macro_rules! doc_of {
    () => { "" };
    (#[doc = $doc:literal] $($rest:tt)*) => {
        concat!($doc, "\n", $crate::record::doc_of!($($rest)*))
    };
    (#[$($other:tt)*] $($rest:tt)*) => { $crate::record::doc_of!($($rest)*) };
}
pub(crate) use doc_of;

/// A field's name in camel case (`ack_wait` → `ackWait`).
pub fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// A field's name in JavaScript: camel case, and a duration (or a list of
/// them) in milliseconds says so (`ack_wait` → `ackWaitMs`).
pub fn js_name(name: &str, kind: Kind) -> String {
    match kind {
        Kind::Duration | Kind::Durations => format!("{}Ms", camel_case(name)),
        _ => camel_case(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_names_are_camel_case_and_durations_say_ms() {
        assert_eq!(js_name("durable_name", Kind::Str), "durableName");
        assert_eq!(js_name("ack_wait", Kind::Duration), "ackWaitMs");
        assert_eq!(js_name("backoff", Kind::Durations), "backoffMs");
        assert_eq!(js_name("replicas", Kind::UInt), "replicas");
    }
}
