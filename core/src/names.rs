//! Names of the core's enums, declared once.
//!
//! Every binding shows and parses enum values by these names (Python strings,
//! TypeScript string unions, Go constants, C name lookups), so the table of a
//! type lives here and nowhere else. [`Named::parse`] gives the one
//! `INVALID_ARGUMENT` text that names the field and lists the accepted values.

use crate::error::{Error, Result};

/// An enum whose values have stable lower-case names.
pub trait Named: Sized + Copy + 'static {
    /// What the value configures, as it appears in error messages (`"storage"`).
    const FIELD: &'static str;
    /// Every value with its name, in declaration order.
    const VALUES: &'static [(Self, &'static str)];

    /// The value's name.
    fn name(&self) -> &'static str;

    /// Every accepted name, in declaration order.
    fn names() -> Vec<&'static str> {
        Self::VALUES.iter().map(|(_, n)| *n).collect()
    }

    /// The value with this name, or `INVALID_ARGUMENT` naming the field and
    /// listing the accepted names.
    fn parse(name: &str) -> Result<Self> {
        Self::VALUES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(v, _)| *v)
            .ok_or_else(|| {
                Error::invalid(
                    Self::FIELD,
                    format!("{name:?} is not one of {}", Self::names().join(", ")),
                )
            })
    }
}

/// Implements [`Named`] for an enum from one table of `Variant => "name"`.
macro_rules! named {
    ($ty:ty, $field:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $crate::names::Named for $ty {
            const FIELD: &'static str = $field;
            const VALUES: &'static [(Self, &'static str)] = &[$((<$ty>::$variant, $name)),+];

            fn name(&self) -> &'static str {
                match self { $(<$ty>::$variant => $name),+ }
            }
        }

        /// A field of a declared type (`record!`): read and written by name.
        impl $crate::record::FieldValue for $ty {
            const KIND: $crate::record::Kind = $crate::record::Kind::Enum {
                ty: stringify!($ty),
                names: &[$($name),+],
            };

            fn read<S: $crate::record::FieldSource>(
                source: &S,
                field: &str,
            ) -> ::std::result::Result<Option<Self>, S::Error> {
                match source.string(field)? {
                    None => Ok(None),
                    Some(name) => <$ty as $crate::names::Named>::parse(&name)
                        .map(Some)
                        .map_err(|e| source.fail(e)),
                }
            }

            fn write<W: $crate::record::FieldSink>(
                &self,
                sink: &mut W,
                field: &str,
            ) -> ::std::result::Result<(), W::Error> {
                sink.string(field, Some($crate::names::Named::name(self)))
            }
        }
    };
}
pub(crate) use named;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Named;
    use crate::{AckPolicy, DiscardPolicy, Health, ReplaySpeed, RetentionPolicy, StorageType};

    fn round_trips<T: Named + PartialEq + std::fmt::Debug>() {
        for (value, name) in T::VALUES {
            assert_eq!(value.name(), *name);
            assert_eq!(T::parse(name).unwrap(), *value);
        }
        let err = T::parse("tape").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument);
        assert!(err.message().contains(T::FIELD), "{err}");
    }

    #[test]
    fn every_table_round_trips_and_rejects_unknown_names() {
        round_trips::<AckPolicy>();
        round_trips::<DiscardPolicy>();
        round_trips::<Health>();
        round_trips::<ReplaySpeed>();
        round_trips::<RetentionPolicy>();
        round_trips::<StorageType>();
    }
}
