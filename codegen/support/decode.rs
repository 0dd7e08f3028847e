//! What every generated `decode` shares: its error, the conversion it runs
//! for each type, and [`DecodeAny`], the trait its `Decoded` implements.

use std::fmt;

/// A value of any type of one generated model, chosen by qualified CSDL
/// name: the `Decoded` enum beside each generated `decode` (of the crate
/// root, or of one API version's module), which implements it by calling
/// that `decode`.
pub trait DecodeAny: Sized {
    /// Reads `value` as the type named `type_name` (a leading `#` is accepted).
    fn decode(type_name: &str, value: serde_json::Value) -> Result<Self, DecodeError>;

    /// Reads the rest of `object` as the entity or complex type its
    /// `@odata.type` names, streaming; an object that names no such type is
    /// kept untyped. One that names a type and does not fit it is an error.
    fn read_resource<'de, A: serde::de::MapAccess<'de>>(
        object: crate::support::Partial<'de, A>,
    ) -> Result<crate::support::Resource<Self>, A::Error>;
}

/// Why a generated `decode` could not produce a typed value.
#[derive(Debug)]
pub struct DecodeError {
    type_name: String,
    reason: Reason,
}

#[derive(Debug)]
enum Reason {
    UnknownType,
    Invalid(serde_json::Error),
}

impl DecodeError {
    /// No generated type has this name.
    pub fn unknown_type(type_name: &str) -> Self {
        DecodeError {
            type_name: type_name.to_owned(),
            reason: Reason::UnknownType,
        }
    }

    /// `type_name` was asked for, and the value does not fit it.
    pub fn invalid(type_name: &str, error: serde_json::Error) -> Self {
        DecodeError {
            type_name: type_name.to_owned(),
            reason: Reason::Invalid(error),
        }
    }

    /// The name that was asked for.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// True when the name is not one of the generated types.
    pub fn is_unknown_type(&self) -> bool {
        matches!(self.reason, Reason::UnknownType)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            Reason::UnknownType => write!(f, "`{}` is not a type of this crate", self.type_name),
            Reason::Invalid(error) => write!(f, "not a valid `{}`: {error}", self.type_name),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.reason {
            Reason::UnknownType => None,
            Reason::Invalid(error) => Some(error),
        }
    }
}

/// Reads `value` as `T`, naming `type_name` if it does not fit.
pub fn decode_as<T: serde::de::DeserializeOwned>(
    type_name: &str,
    value: serde_json::Value,
) -> Result<T, DecodeError> {
    serde_json::from_value(value).map_err(|error| DecodeError::invalid(type_name, error))
}

/// What a generated `decode` reads: a JSON value already parsed, or the
/// bytes themselves, read straight into the type without a `Value` between.
#[derive(Debug)]
pub enum Input<'a> {
    /// A parsed value (`decode`).
    Value(serde_json::Value),
    /// JSON text (`decode_slice`).
    Slice(&'a [u8]),
}

impl Input<'_> {
    /// Reads the input as `T`, naming `type_name` if it does not fit.
    pub fn decode_as<T: serde::de::DeserializeOwned>(self, type_name: &str) -> Result<T, DecodeError> {
        match self {
            Input::Value(value) => decode_as(type_name, value),
            Input::Slice(bytes) => from_json_bytes(bytes).map_err(|error| DecodeError::invalid(type_name, error)),
        }
    }
}

/// Reads JSON text given as bytes, as `serde_json::from_slice` does (the
/// same values, the same errors), only faster: the whole text's UTF-8 is
/// checked once, which is cheaper than serde_json's check of each string as
/// it reads it (a tenth of the time of reading a notification). Bytes that
/// fail the check go to `from_slice`, whose error says where.
pub(crate) fn from_json_bytes<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_inputs_read_alike() {
        let text = br#"{"a": [1, 2.50, null]}"#;
        let from_value: serde_json::Value =
            Input::Value(serde_json::from_slice(text).unwrap()).decode_as("t").unwrap();
        let from_slice: serde_json::Value = Input::Slice(text).decode_as("t").unwrap();
        assert_eq!(from_value, from_slice);
        let error = Input::Slice(b"{").decode_as::<serde_json::Value>("t").unwrap_err();
        assert!(error.to_string().starts_with("not a valid `t`"), "{error}");
        // Bytes that are not UTF-8: the error says where, as serde_json's does.
        let error = Input::Slice(b"{\"a\": \"\xff\"}").decode_as::<serde_json::Value>("t").unwrap_err();
        assert!(error.to_string().ends_with("line 1 column 8"), "{error}");
    }

    #[test]
    fn errors_name_the_type() {
        assert_eq!(
            DecodeError::unknown_type("x.y").to_string(),
            "`x.y` is not a type of this crate"
        );
        let error = decode_as::<bool>("Edm.Boolean", serde_json::json!(3)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "not a valid `Edm.Boolean`: invalid type: integer `3`, expected a boolean"
        );
        assert!(!error.is_unknown_type());
    }
}
