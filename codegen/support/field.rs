//! [`Field`]: one property of an OData object as it appears on the wire —
//! absent, explicitly `null`, or holding a value.
//!
//! OData distinguishes a property that was not sent (for example because of
//! `$select`, or because a PATCH body leaves it unchanged) from one that was
//! sent as `null` (for example a PATCH body clearing it). `Option<T>` cannot
//! express that difference, so every field of a generated struct is a
//! `Field<T>`: a member not sent stays [`Field::Absent`] and is not written
//! back ([`read_field`](crate::support::read_field),
//! [`write_field`](crate::support::write_field)).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property on the wire: absent, explicit JSON `null`, or a value.
///
/// Serialization writes `null` for [`Field::Null`] and the value for
/// [`Field::Value`]. [`Field::Absent`] also serializes as `null`, but generated
/// structs skip absent fields, so it is never written there. Deserialization
/// maps JSON `null` to [`Field::Null`] and anything else to [`Field::Value`];
/// a missing property stays [`Field::Absent`], the default.
///
/// In a struct of your own that derives serde, pair `Field` with
/// `#[serde(default, skip_serializing_if = "Field::is_absent")]`: without
/// `default`, serde treats a missing property like `null`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Field<T> {
    /// The property was not sent.
    #[default]
    Absent,
    /// The property was sent as JSON `null`.
    Null,
    /// The property was sent with a value.
    Value(T),
}

impl<T> Field<T> {
    /// An explicit `null`.
    pub const fn null() -> Self {
        Field::Null
    }

    /// Converts an `Option`: `Some(v)` becomes [`Field::Value`] and `None`
    /// becomes [`Field::Absent`] (not [`Field::Null`]; use [`Field::null`]
    /// to send an explicit `null`).
    pub fn from_option(option: Option<T>) -> Self {
        match option {
            Some(value) => Field::Value(value),
            None => Field::Absent,
        }
    }

    /// Whether the property was not sent.
    pub const fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// Whether the property was sent as `null`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// Whether the property holds a value.
    pub const fn is_value(&self) -> bool {
        matches!(self, Field::Value(_))
    }

    /// Whether the property was sent at all (as `null` or with a value).
    pub const fn is_present(&self) -> bool {
        !self.is_absent()
    }

    /// The value, if there is one.
    pub const fn value(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, mutably, if there is one.
    pub const fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if there is one, consuming the field.
    pub fn into_value(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }

    /// Borrows the value, keeping the absent/null distinction.
    pub const fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(value),
        }
    }

    /// Borrows the value mutably, keeping the absent/null distinction.
    pub const fn as_mut(&mut self) -> Field<&mut T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(value),
        }
    }

    /// Applies `f` to the value, keeping the absent/null distinction.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(f(value)),
        }
    }

    /// Takes the field out, leaving [`Field::Absent`] in its place.
    pub fn take(&mut self) -> Self {
        std::mem::take(self)
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

/// `"text".into()` for a string property.
impl From<&str> for Field<String> {
    fn from(value: &str) -> Self {
        Field::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(value) => serializer.serialize_some(value),
            Field::Null | Field::Absent => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Field::Value(value),
            None => Field::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Field;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Thing {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        name: Field<String>,
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        size: Field<i32>,
        #[serde(flatten)]
        additional: serde_json::Map<String, serde_json::Value>,
    }

    /// Not `Default`, to prove `Field<T>: Default` does not need it.
    #[derive(Debug, PartialEq)]
    struct NoDefault;

    #[test]
    fn default_is_absent_without_t_default() {
        let field: Field<NoDefault> = Field::default();
        assert!(field.is_absent());
    }

    #[test]
    fn predicates_and_accessors() {
        let mut field = Field::from(5);
        assert!(field.is_value() && field.is_present());
        assert_eq!(field.value(), Some(&5));
        if let Some(value) = field.value_mut() {
            *value = 6;
        }
        assert_eq!(field.as_ref(), Field::Value(&6));
        assert_eq!(field.map(|v| v * 2), Field::Value(12));
        assert_eq!(field.take().into_value(), Some(6));
        assert!(field.is_absent());

        let null: Field<i32> = Field::null();
        assert!(null.is_null() && null.is_present() && !null.is_value());
        assert_eq!(null.value(), None);
        assert_eq!(null.map(|v| v + 1), Field::Null);

        assert_eq!(Field::from_option(Some(1)), Field::Value(1));
        assert_eq!(Field::<i32>::from_option(None), Field::Absent);
    }

    #[test]
    fn serialize_and_deserialize_standalone() {
        assert_eq!(
            serde_json::to_string(&Field::Value(3)).ok(),
            Some("3".into())
        );
        assert_eq!(
            serde_json::to_string(&Field::<i32>::Null).ok(),
            Some("null".into())
        );
        assert_eq!(
            serde_json::from_str::<Field<i32>>("null").ok(),
            Some(Field::Null)
        );
        assert_eq!(
            serde_json::from_str::<Field<i32>>("7").ok(),
            Some(Field::Value(7))
        );
        assert!(serde_json::from_str::<Field<i32>>("\"x\"").is_err());
    }

    #[test]
    fn round_trip_with_flatten_keeps_absent_null_and_unknown() {
        let input = json!({
            "size": null,
            "extra": {"nested": [1, 2]},
            "@odata.type": "#x.y"
        });
        let thing: Thing = serde_json::from_value(input.clone()).expect("deserializes");
        assert_eq!(thing.name, Field::Absent);
        assert_eq!(thing.size, Field::Null);
        assert_eq!(thing.additional.len(), 2);
        let output = serde_json::to_value(&thing).expect("serializes");
        assert_eq!(output, input);
    }

    #[test]
    fn round_trip_with_flatten_from_text() {
        let text = r#"{"name":"a","size":null,"other":null}"#;
        let thing: Thing = serde_json::from_str(text).expect("deserializes");
        assert_eq!(thing.name, Field::Value("a".to_owned()));
        assert_eq!(thing.size, Field::Null);
        assert_eq!(
            thing.additional.get("other"),
            Some(&serde_json::Value::Null)
        );
        let back: serde_json::Value = serde_json::to_value(&thing).expect("serializes");
        let original: serde_json::Value = serde_json::from_str(text).expect("valid json");
        assert_eq!(back, original);
    }

    #[test]
    fn wrong_type_inside_flattened_struct_is_an_error() {
        let result = serde_json::from_str::<Thing>(r#"{"size":"big"}"#);
        assert!(result.is_err());
    }
}
