//! What every generated struct (a CSDL entity or complex type) shares: the
//! map of undeclared properties and annotations, the [`Object`] trait,
//! helpers for polymorphic (de)serialization keyed on `@odata.type`, and a
//! `Debug` helper that prints only the properties that are present.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeMap, SerializeStruct, Serializer};

use super::field::Field;

/// Properties and annotations the schema does not declare, kept verbatim so
/// they survive a round trip.
pub type Additional = serde_json::Map<String, serde_json::Value>;

/// The annotation naming an object's type.
const ODATA_TYPE: &str = "@odata.type";

/// A generated struct for a CSDL entity or complex type.
///
/// Generated structs derive `Serialize` and `Deserialize` and end with
/// `#[serde(flatten)] pub additional: crate::support::Additional`.
pub trait Object: Serialize + serde::de::DeserializeOwned {
    /// The qualified CSDL name of the type, e.g. `microsoft.graph.call`.
    const TYPE_NAME: &'static str;

    /// The undeclared properties and annotations.
    fn additional(&self) -> &Additional;

    /// The undeclared properties and annotations, mutably.
    fn additional_mut(&mut self) -> &mut Additional;

    /// The `@odata.type` annotation exactly as sent (usually with a leading
    /// `#`), if present and a string.
    fn odata_type(&self) -> Option<&str> {
        self.additional().get(ODATA_TYPE)?.as_str()
    }

    /// An instance annotation. A `name` containing `@` is looked up verbatim
    /// (`"members@odata.nextLink"`); otherwise it is the annotation of the
    /// object itself, looked up as `"@" + name` (`"odata.id"`).
    fn annotation(&self, name: &str) -> Option<&serde_json::Value> {
        if name.contains('@') {
            self.additional().get(name)
        } else {
            self.additional().get(&format!("@{name}"))
        }
    }

    /// `self` with `"@odata.type": "#<TYPE_NAME>"` written out, as the API
    /// reference's examples do even where the declared type makes it optional.
    fn with_odata_type(mut self) -> Self
    where
        Self: Sized,
    {
        let name = format!("#{}", Self::TYPE_NAME);
        self.additional_mut()
            .insert("@odata.type".to_owned(), serde_json::Value::String(name));
        self
    }
}

/// The `@odata.type` of a JSON object, without the leading `#`
/// (`"#microsoft.graph.call"` gives `"microsoft.graph.call"`); `None` if
/// `value` is not an object or the annotation is missing or not a string.
pub fn type_name_of(value: &serde_json::Value) -> Option<&str> {
    let name = value.as_object()?.get(ODATA_TYPE)?.as_str()?;
    Some(name.strip_prefix('#').unwrap_or(name))
}

/// Converts a JSON value into `T`, reporting failure as a serde error of the
/// caller's deserializer.
pub fn from_value<T, E>(value: serde_json::Value) -> Result<T, E>
where
    T: serde::de::DeserializeOwned,
    E: serde::de::Error,
{
    serde_json::from_value(value).map_err(E::custom)
}

/// Serializes `value`, writing `"@odata.type": "#" + T::TYPE_NAME` first —
/// unless `value.additional()` already holds an `@odata.type`, in which case
/// `value` is serialized as is, so a value read from the wire is written back
/// exactly.
///
/// `value` must serialize as a map or struct (generated structs do).
pub fn serialize_with_type<T: Object, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if value.additional().contains_key(ODATA_TYPE) {
        value.serialize(serializer)
    } else {
        value.serialize(TypeTagSerializer {
            inner: serializer,
            type_name: T::TYPE_NAME,
        })
    }
}

/// Serializes `#` followed by a type name without building a `String`.
struct TypeTag(&'static str);

impl Serialize for TypeTag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("#{}", self.0))
    }
}

/// A serializer that forwards maps and structs to `inner`, starting them with
/// an `@odata.type` entry, and rejects everything else.
struct TypeTagSerializer<S> {
    inner: S,
    type_name: &'static str,
}

impl<S: Serializer> TypeTagSerializer<S> {
    fn not_an_object<T>(&self) -> Result<T, S::Error> {
        Err(ser::Error::custom(format_args!(
            "cannot add @odata.type to {}: it does not serialize as an object",
            self.type_name
        )))
    }
}

/// Implements `Serializer` methods that reject their input.
macro_rules! reject {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<$ret, S::Error> {
                self.not_an_object()
            }
        )*
    };
}

impl<S: Serializer> Serializer for TypeTagSerializer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = S::SerializeStruct;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    fn serialize_map(self, len: Option<usize>) -> Result<S::SerializeMap, S::Error> {
        let mut map = self.inner.serialize_map(len.map(|n| n.saturating_add(1)))?;
        map.serialize_entry(ODATA_TYPE, &TypeTag(self.type_name))?;
        Ok(map)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<S::SerializeStruct, S::Error> {
        let mut object = self.inner.serialize_struct(name, len.saturating_add(1))?;
        object.serialize_field(ODATA_TYPE, &TypeTag(self.type_name))?;
        Ok(object)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        value.serialize(self)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }

    reject! {
        serialize_bool(bool) -> S::Ok;
        serialize_i8(i8) -> S::Ok;
        serialize_i16(i16) -> S::Ok;
        serialize_i32(i32) -> S::Ok;
        serialize_i64(i64) -> S::Ok;
        serialize_u8(u8) -> S::Ok;
        serialize_u16(u16) -> S::Ok;
        serialize_u32(u32) -> S::Ok;
        serialize_u64(u64) -> S::Ok;
        serialize_f32(f32) -> S::Ok;
        serialize_f64(f64) -> S::Ok;
        serialize_char(char) -> S::Ok;
        serialize_str(&str) -> S::Ok;
        serialize_bytes(&[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(&'static str) -> S::Ok;
        serialize_unit_variant(&'static str, u32, &'static str) -> S::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant;
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.not_an_object()
    }
}

/// A property value that [`debug_object`] prints only when present.
pub trait PresentDebug {
    /// Whether the property should be printed.
    fn is_present(&self) -> bool;

    /// What to print for the property.
    fn as_debug(&self) -> &dyn fmt::Debug;
}

/// Prints as `null`.
struct NullDebug;

impl fmt::Debug for NullDebug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null")
    }
}

impl<T: fmt::Debug> PresentDebug for Field<T> {
    /// Present unless [`Field::Absent`].
    fn is_present(&self) -> bool {
        !self.is_absent()
    }

    /// The value itself, or `null` for [`Field::Null`].
    fn as_debug(&self) -> &dyn fmt::Debug {
        match self {
            Field::Value(value) => value,
            Field::Null => &NullDebug,
            Field::Absent => self,
        }
    }
}

impl<T: fmt::Debug> PresentDebug for Option<T> {
    /// Present when `Some`.
    fn is_present(&self) -> bool {
        self.is_some()
    }

    /// The value itself.
    fn as_debug(&self) -> &dyn fmt::Debug {
        match self {
            Some(value) => value,
            None => self,
        }
    }
}

/// Prints an object as `name { field: value, .. }` with only the present
/// fields (under their Rust names), followed by `additional` when it is not
/// empty.
pub fn debug_object(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    fields: &[(&str, &dyn PresentDebug)],
    additional: &Additional,
) -> fmt::Result {
    let mut out = f.debug_struct(name);
    for (field_name, value) in fields {
        if value.is_present() {
            out.field(field_name, value.as_debug());
        }
    }
    if !additional.is_empty() {
        out.field("additional", additional);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::enums::{EnumMember, OpenEnum};
    use serde::{Deserialize, Deserializer};
    use serde_json::json;

    // Hand-written imitations of generated code.

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    enum CallState {
        Incoming,
        Established,
    }

    impl EnumMember for CallState {
        const TYPE_NAME: &'static str = "microsoft.graph.callState";
        const MEMBERS: &'static [(Self, &'static str, i64)] = &[
            (Self::Incoming, "incoming", 0),
            (Self::Established, "established", 1),
        ];
    }

    #[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
    struct Entity {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        id: Field<String>,
        #[serde(flatten)]
        additional: Additional,
    }

    impl Object for Entity {
        const TYPE_NAME: &'static str = "microsoft.graph.entity";
        fn additional(&self) -> &Additional {
            &self.additional
        }
        fn additional_mut(&mut self) -> &mut Additional {
            &mut self.additional
        }
    }

    impl fmt::Debug for Entity {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_object(f, "Entity", &[("id", &self.id)], &self.additional)
        }
    }

    #[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
    struct Call {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        id: Field<String>,
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        state: Field<OpenEnum<CallState>>,
        #[serde(
            default,
            skip_serializing_if = "Field::is_absent",
            rename = "callbackUri"
        )]
        callback_uri: Field<String>,
        #[serde(flatten)]
        additional: Additional,
    }

    impl Object for Call {
        const TYPE_NAME: &'static str = "microsoft.graph.call";
        fn additional(&self) -> &Additional {
            &self.additional
        }
        fn additional_mut(&mut self) -> &mut Additional {
            &mut self.additional
        }
    }

    impl fmt::Debug for Call {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_object(
                f,
                "Call",
                &[
                    ("id", &self.id),
                    ("state", &self.state),
                    ("callback_uri", &self.callback_uri),
                ],
                &self.additional,
            )
        }
    }

    #[derive(Clone, Debug, PartialEq)]
    enum AnyEntity {
        Entity(Entity),
        Call(Call),
    }

    impl<'de> Deserialize<'de> for AnyEntity {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = serde_json::Value::deserialize(deserializer)?;
            match type_name_of(&value) {
                Some(Call::TYPE_NAME) => from_value(value).map(AnyEntity::Call),
                _ => from_value(value).map(AnyEntity::Entity),
            }
        }
    }

    impl Serialize for AnyEntity {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                AnyEntity::Entity(entity) => entity.serialize(serializer),
                AnyEntity::Call(call) => serialize_with_type(call, serializer),
            }
        }
    }

    #[test]
    fn type_name_of_strips_hash() {
        let value = json!({"@odata.type": "#microsoft.graph.call"});
        assert_eq!(type_name_of(&value), Some("microsoft.graph.call"));
        let value = json!({"@odata.type": "microsoft.graph.call"});
        assert_eq!(type_name_of(&value), Some("microsoft.graph.call"));
        assert_eq!(type_name_of(&json!({"@odata.type": 3})), None);
        assert_eq!(type_name_of(&json!({})), None);
        assert_eq!(type_name_of(&json!(["#x"])), None);
    }

    #[test]
    fn from_value_maps_errors() {
        let result: Result<Entity, serde_json::Error> = from_value(json!({"id": 5}));
        assert!(result.is_err());
        let result: Result<Entity, serde_json::Error> = from_value(json!({"id": "a"}));
        assert_eq!(result.ok().map(|e| e.id), Some(Field::Value("a".into())));
    }

    #[test]
    fn derived_type_round_trips_with_annotations() {
        let text = r##"{"@odata.type":"#microsoft.graph.call","@odata.id":"calls/1","id":"1","state":"Established","callbackUri":null,"participants@odata.nextLink":"https://next","futureProperty":{"a":[1,2]}}"##;
        let any: AnyEntity = serde_json::from_str(text).expect("parses");
        let AnyEntity::Call(call) = &any else {
            panic!("expected a call, got {any:?}");
        };
        assert_eq!(
            call.state.value().and_then(OpenEnum::member),
            Some(CallState::Established)
        );
        assert_eq!(
            call.state.value().map(OpenEnum::as_str),
            Some("Established")
        );
        assert_eq!(call.callback_uri, Field::Null);
        assert_eq!(call.odata_type(), Some("#microsoft.graph.call"));
        assert_eq!(call.annotation("odata.id"), Some(&json!("calls/1")));
        assert_eq!(
            call.annotation("participants@odata.nextLink"),
            Some(&json!("https://next"))
        );
        assert_eq!(call.annotation("odata.etag"), None);

        let back = serde_json::to_string(&any).expect("serializes");
        let expected: serde_json::Value = serde_json::from_str(text).expect("json");
        let actual: serde_json::Value = serde_json::from_str(&back).expect("json");
        assert_eq!(actual, expected);
        // The type annotation is written once, not duplicated.
        assert_eq!(back.matches("@odata.type").count(), 1);
    }

    #[test]
    fn absent_and_null_stay_distinct() {
        let any: AnyEntity =
            serde_json::from_str(r##"{"@odata.type":"#microsoft.graph.call","state":null}"##)
                .expect("parses");
        let AnyEntity::Call(call) = &any else {
            panic!("expected a call, got {any:?}");
        };
        assert_eq!(call.state, Field::Null);
        assert_eq!(call.id, Field::Absent);
        assert_eq!(call.callback_uri, Field::Absent);
        let back = serde_json::to_value(&any).expect("serializes");
        assert_eq!(
            back,
            json!({"@odata.type": "#microsoft.graph.call", "state": null})
        );
    }

    #[test]
    fn unknown_type_falls_back_to_base_and_is_kept() {
        let input = json!({
            "@odata.type": "#microsoft.graph.somethingNew",
            "id": "7",
            "newProperty": true
        });
        let any: AnyEntity = serde_json::from_value(input.clone()).expect("parses");
        let AnyEntity::Entity(entity) = &any else {
            panic!("expected the base type, got {any:?}");
        };
        assert_eq!(entity.id, Field::Value("7".into()));
        assert_eq!(entity.odata_type(), Some("#microsoft.graph.somethingNew"));
        assert_eq!(serde_json::to_value(&any).expect("serializes"), input);
    }

    #[test]
    fn no_type_annotation_means_base() {
        let any: AnyEntity = serde_json::from_value(json!({"id": "1"})).expect("parses");
        assert_eq!(
            any,
            AnyEntity::Entity(Entity {
                id: Field::Value("1".into()),
                additional: Additional::new(),
            })
        );
        assert!(serde_json::from_value::<AnyEntity>(json!({"id": 1})).is_err());
        assert!(serde_json::from_value::<AnyEntity>(json!([1])).is_err());
    }

    #[test]
    fn serializing_a_derived_value_built_in_rust_adds_the_type_first() {
        let call = Call {
            id: Field::Value("9".into()),
            state: Field::Value(CallState::Incoming.into()),
            ..Call::default()
        };
        let text = serde_json::to_string(&AnyEntity::Call(call.clone())).expect("serializes");
        assert_eq!(
            text,
            r##"{"@odata.type":"#microsoft.graph.call","id":"9","state":"incoming"}"##
        );
        let back: AnyEntity = serde_json::from_str(&text).expect("parses");
        let AnyEntity::Call(back) = back else {
            panic!("expected a call");
        };
        assert_eq!(back.id, call.id);
        assert_eq!(back.state, call.state);
        assert_eq!(back.odata_type(), Some("#microsoft.graph.call"));
    }

    #[test]
    fn serialize_with_type_also_handles_plain_structs_and_rejects_non_objects() {
        #[derive(Serialize, Deserialize)]
        struct Plain {
            a: u8,
            #[serde(skip)]
            additional: Additional,
        }
        impl Object for Plain {
            const TYPE_NAME: &'static str = "x.plain";
            fn additional(&self) -> &Additional {
                &self.additional
            }
            fn additional_mut(&mut self) -> &mut Additional {
                &mut self.additional
            }
        }
        let mut out = Vec::new();
        serialize_with_type(
            &Plain {
                a: 1,
                additional: Additional::new(),
            },
            &mut serde_json::Serializer::new(&mut out),
        )
        .expect("serializes");
        assert_eq!(out, br##"{"@odata.type":"#x.plain","a":1}"##);

        #[derive(Serialize, Deserialize)]
        struct NotAnObject(u8, #[serde(skip)] Additional);
        impl Object for NotAnObject {
            const TYPE_NAME: &'static str = "x.number";
            fn additional(&self) -> &Additional {
                &self.1
            }
            fn additional_mut(&mut self) -> &mut Additional {
                &mut self.1
            }
        }
        let result = serialize_with_type(
            &NotAnObject(1, Additional::new()),
            serde_json::value::Serializer,
        );
        let error = result.expect_err("a number cannot carry @odata.type");
        assert!(error.to_string().contains("x.number"), "{error}");
    }

    #[test]
    fn debug_prints_only_present_fields() {
        let call = Call {
            id: Field::Value("9".into()),
            state: Field::Value(OpenEnum::parse("ESTABLISHED")),
            callback_uri: Field::Null,
            additional: Additional::new(),
        };
        assert_eq!(
            format!("{call:?}"),
            r#"Call { id: "9", state: Established("ESTABLISHED"), callback_uri: null }"#
        );
        let mut entity = Entity::default();
        assert_eq!(format!("{entity:?}"), "Entity");
        entity
            .additional_mut()
            .insert("@odata.id".into(), json!("x"));
        assert_eq!(
            format!("{entity:?}"),
            r#"Entity { additional: {"@odata.id": String("x")} }"#
        );
        let present: Option<u8> = Some(3);
        let missing: Option<u8> = None;
        assert!(present.is_present() && !missing.is_present());
        assert_eq!(format!("{:?}", present.as_debug()), "3");
    }
}
