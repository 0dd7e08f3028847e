//! Runtime support shared by all generated Microsoft Graph bindings.
//!
//! This module is hand-written and identical for every schema: the generator
//! copies these files verbatim into `src/support/` of the generated crate, and
//! generated code refers to its items as `crate::support::NAME`.
//!
//! - [`Field`]: a property that may be absent, `null`, or hold a value.
//! - [`EnumMember`], [`OpenEnum`], [`FlagSet`]: CSDL enum types that accept
//!   values unknown to the bindings and keep the text as sent.
//! - [`Guid`], [`DateTimeOffset`], [`Date`], [`TimeOfDay`], [`Duration`],
//!   [`Binary`], [`Double`], [`Int64`], [`Decimal`]: `Edm` primitive types
//!   that validate their input and write back exactly what they read.
//! - [`Object`], [`Additional`] and the polymorphism helpers
//!   [`type_name_of`], [`from_value`] and [`serialize_with_type`]: what every
//!   generated entity and complex type shares.
//! - [`DecodeError`] and [`decode_as`]: what the crate-root `decode` is built on.
//! - [`PresentDebug`] and [`debug_object`]: `Debug` output that shows only the
//!   properties that are present.

#![warn(missing_docs)]
#![deny(unsafe_code)]

pub mod decode;
pub mod edm;
pub mod enums;
pub mod field;
pub mod object;

pub use decode::{DecodeError, decode_as};
pub use edm::{
    Binary, Date, DateTimeOffset, Decimal, Double, Duration, EdmError, Guid, Int64, TimeOfDay,
};
pub use enums::{EnumMember, FlagSet, OpenEnum};
pub use field::Field;
pub use object::{
    Additional, Object, PresentDebug, debug_object, from_value, serialize_with_type, type_name_of,
};
