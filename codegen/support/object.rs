//! What every generated struct (a CSDL entity or complex type) shares: the
//! [`Object`] trait, through which one reader and one writer serve every
//! struct; the reading of `Any...` enums, which pick a type by `@odata.type`
//! ([`AnyObject`], [`Partial`]); and a `Debug` helper that prints only the
//! properties that are present.
//!
//! A generated struct states only what varies: which keys are its
//! properties ([`Object::read_property`], [`Object::write_properties`]). The
//! loop over an object's members is here, once: a declared key is read
//! straight into its field, anything else into [`Additional`], with no
//! intermediate value; `@odata.type` goes to its own slot and is written
//! first.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::additional::{Additional, ODATA_TYPE, Tag};
use super::field::Field;

/// A generated struct for a CSDL entity or complex type.
///
/// Its `Serialize` and `Deserialize` are [`write_object`] and
/// [`read_object`], driven by the two methods below.
pub trait Object: Default + Serialize + serde::de::DeserializeOwned {
    /// The qualified CSDL name of the type, e.g. `microsoft.graph.call`.
    const TYPE_NAME: &'static str;

    /// `"#" + TYPE_NAME` as a JSON value, made once: the `@odata.type` of
    /// almost every object of this type that is read shares it.
    fn type_tag() -> &'static Value;

    /// The undeclared properties and annotations.
    fn additional(&self) -> &Additional;

    /// The undeclared properties and annotations, mutably.
    fn additional_mut(&mut self) -> &mut Additional;

    /// If `key` is a declared property, reads its value from `map` into its
    /// field and returns `true`; otherwise reads nothing and returns `false`.
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let _ = (key, map);
        Ok(false)
    }

    /// Writes the declared properties that are present, in schema order.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let _ = map;
        Ok(())
    }

    /// The `@odata.type` annotation exactly as sent (usually with a leading
    /// `#`), if present and a string.
    fn odata_type(&self) -> Option<&str> {
        self.additional().get(ODATA_TYPE)?.as_str()
    }

    /// An instance annotation. A `name` containing `@` is looked up verbatim
    /// (`"members@odata.nextLink"`); otherwise it is the annotation of the
    /// object itself, looked up as `"@" + name` (`"odata.id"`).
    fn annotation(&self, name: &str) -> Option<&Value> {
        if name.contains('@') {
            self.additional().get(name)
        } else {
            self.additional().get(&format!("@{name}"))
        }
    }

    /// `self` with `"@odata.type": "#<TYPE_NAME>"` written out, as the API
    /// reference's examples do even where the declared type makes it optional.
    fn with_odata_type(mut self) -> Self {
        self.additional_mut().set_type(Tag::Shared(Self::type_tag()));
        self
    }
}

/// The `@odata.type` of a JSON object, without the leading `#`
/// (`"#microsoft.graph.call"` gives `"microsoft.graph.call"`); `None` if
/// `value` is not an object or the annotation is missing or not a string.
pub fn type_name_of(value: &Value) -> Option<&str> {
    value.as_object()?.get(ODATA_TYPE)?.as_str().map(strip_hash)
}

fn strip_hash(name: &str) -> &str {
    name.strip_prefix('#').unwrap_or(name)
}

/// What a generated struct states about itself, as a table: its CSDL name
/// and each property's wire name and field. Implements [`Object`] (reading
/// and writing each listed property), `Serialize` and `Deserialize` (through
/// [`write_object`] and [`read_object`]) and `Debug` (through
/// [`debug_object`]); the struct ends with `pub additional: Additional`.
macro_rules! object {
    ($name:ident = $type_name:literal {}) => {
        impl crate::support::Object for $name {
            const TYPE_NAME: &'static str = $type_name;
            fn type_tag() -> &'static ::serde_json::Value {
                static TAG: ::std::sync::OnceLock<::serde_json::Value> = ::std::sync::OnceLock::new();
                TAG.get_or_init(|| ::serde_json::Value::String(::std::format!("#{}", $type_name)))
            }
            fn additional(&self) -> &crate::support::Additional {
                &self.additional
            }
            fn additional_mut(&mut self) -> &mut crate::support::Additional {
                &mut self.additional
            }
        }
        crate::support::object!(@serde $name [] );
    };
    ($name:ident = $type_name:literal { $($wire:literal => $field:ident),+ $(,)? }) => {
        impl crate::support::Object for $name {
            const TYPE_NAME: &'static str = $type_name;
            fn type_tag() -> &'static ::serde_json::Value {
                static TAG: ::std::sync::OnceLock<::serde_json::Value> = ::std::sync::OnceLock::new();
                TAG.get_or_init(|| ::serde_json::Value::String(::std::format!("#{}", $type_name)))
            }
            fn additional(&self) -> &crate::support::Additional {
                &self.additional
            }
            fn additional_mut(&mut self) -> &mut crate::support::Additional {
                &mut self.additional
            }
            fn read_property<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<bool, A::Error> {
                match key {
                    $($wire => crate::support::read_field(&mut self.$field, key, map),)+
                    _ => ::std::result::Result::Ok(false),
                }
            }
            fn write_properties<M: ::serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> ::std::result::Result<(), M::Error> {
                $(crate::support::write_field(map, $wire, &self.$field)?;)+
                ::std::result::Result::Ok(())
            }
        }
        crate::support::object!(@serde $name [$($field)+]);
    };
    (@serde $name:ident [$($field:ident)*]) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                crate::support::write_object(self, serializer)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                crate::support::read_object(deserializer)
            }
        }
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                crate::support::debug_object(
                    f,
                    stringify!($name),
                    &[$((stringify!($field), &self.$field)),*],
                    &self.additional,
                )
            }
        }
    };
}
pub(crate) use object;

/// Reads a JSON object as `T`: each declared property into its field, every
/// other member into [`Object::additional`].
pub fn read_object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct Members<T>(PhantomData<T>);
    impl<'de, T: Object> Visitor<'de> for Members<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object of type `{}`", T::TYPE_NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut object = T::default();
            read_members(&mut object, &mut map)?;
            Ok(object)
        }
    }
    deserializer.deserialize_map(Members(PhantomData))
}

/// Reads the remaining members of `map` into `object`.
fn read_members<'de, T: Object, A: MapAccess<'de>>(object: &mut T, map: &mut A) -> Result<(), A::Error> {
    read_members_of(object, T::type_tag(), map)
}

/// What the member loop needs of a struct, with the struct's type erased.
trait Members<'de, A: MapAccess<'de>> {
    fn read_declared(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
    fn undeclared(&mut self) -> &mut Additional;
}

impl<'de, A: MapAccess<'de>, T: Object> Members<'de, A> for T {
    fn read_declared(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        self.read_property(key, map)
    }
    fn undeclared(&mut self) -> &mut Additional {
        self.additional_mut()
    }
}

/// The member loop of [`read_members`], compiled once per input format
/// rather than once per struct, so that a bot's hot path runs through one
/// copy of it (callgrind's cache simulation of a loop decoding the
/// notifications counted a quarter fewer instruction-cache misses).
#[inline(never)]
fn read_members_of<'de, A: MapAccess<'de>>(
    object: &mut dyn Members<'de, A>,
    own: &'static Value,
    map: &mut A,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key_seed(KeySeed)? {
        if key.as_str() == ODATA_TYPE {
            let sent = map.next_value_seed(SentSeed)?;
            set_type(object.undeclared(), own, sent)?;
        } else if !object.read_declared(key.as_str(), map)? {
            let value = map.next_value()?;
            object.undeclared().insert_other(key.into_owned(), value);
        }
    }
    Ok(())
}

/// Keeps `sent` as the `@odata.type` in `additional`: shared when it is
/// `own`, the struct's own tag, as sent otherwise.
fn set_type<E: de::Error>(additional: &mut Additional, own: &'static Value, sent: Sent<'_>) -> Result<(), E> {
    let tag = match sent {
        Sent::Text(text) if Some(text.as_str()) == own.as_str() => Tag::Shared(own),
        Sent::Text(text) => Tag::Owned(Value::String(text.into_owned())),
        Sent::Other(value) => Tag::Owned(value),
    };
    if additional.set_type(tag) {
        return Err(duplicate(ODATA_TYPE));
    }
    Ok(())
}

/// Implements the `Visitor` methods of JSON's `null`, booleans and numbers
/// (and with `strings`, `arrays`, those too) by making a `Value` and passing
/// it to `$wrap`: for visitors that keep what they do not type.
macro_rules! visit_as_value {
    (|$value:ident| $wrap:expr $(; $($more:ident),+)?) => {
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            let $value = serde_json::Value::Null;
            Ok($wrap)
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
            let $value = serde_json::Value::Bool(v);
            Ok($wrap)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            let $value = serde_json::Value::from(v);
            Ok($wrap)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            let $value = serde_json::Value::from(v);
            Ok($wrap)
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            let $value = serde_json::Value::from(v);
            Ok($wrap)
        }
        $($(crate::support::object::visit_as_value!(@$more |$value| $wrap);)+)?
    };
    (@strings |$value:ident| $wrap:expr) => {
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let $value = serde_json::Value::from(v);
            Ok($wrap)
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            let $value = serde_json::Value::String(v);
            Ok($wrap)
        }
    };
    (@arrays |$value:ident| $wrap:expr) => {
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            let $value = <serde_json::Value as serde::Deserialize>::deserialize(
                serde::de::value::SeqAccessDeserializer::new(seq),
            )?;
            Ok($wrap)
        }
    };
}
pub(crate) use visit_as_value;

/// The value of an `@odata.type` as read: text (borrowed where it can be),
/// or, malformed but kept, any other JSON value.
enum Sent<'de> {
    Text(Key<'de>),
    Other(Value),
}

impl Sent<'_> {
    fn into_value(self) -> Value {
        match self {
            Sent::Text(text) => Value::String(text.into_owned()),
            Sent::Other(value) => value,
        }
    }
}

struct SentSeed;

impl<'de> DeserializeSeed<'de> for SentSeed {
    type Value = Sent<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Sent<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SentSeed {
    type Value = Sent<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a type name")
    }
    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Sent<'de>, E> {
        Ok(Sent::Text(Key::Borrowed(text)))
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Sent<'de>, E> {
        Ok(Sent::Text(Key::Owned(text.to_owned())))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<Sent<'de>, E> {
        Ok(Sent::Text(Key::Owned(text)))
    }
    visit_as_value!(|value| Sent::Other(value); arrays);
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Sent<'de>, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Sent::Other)
    }
}

fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate field `{key}`"))
}

/// Reads the value of the declared property `key` into `field`; what a
/// generated [`Object::read_property`] does for each of its keys. A property
/// sent twice is an error, as serde's derive makes it.
// Not inlined: one copy per field type serves every struct, where inlined
// copies made each struct's `read_property` long (a tenth fewer
// instruction-cache misses decoding the notifications, by callgrind).
#[inline(never)]
pub fn read_field<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    field: &mut Field<T>,
    key: &str,
    map: &mut A,
) -> Result<bool, A::Error> {
    if field.is_present() {
        return Err(duplicate(key));
    }
    *field = map.next_value()?;
    Ok(true)
}

/// Writes `field` under `key` unless it is absent; what a generated
/// [`Object::write_properties`] does for each of its properties.
pub fn write_field<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    field: &Field<T>,
) -> Result<(), M::Error> {
    if field.is_absent() {
        return Ok(());
    }
    map.serialize_entry(key, field)
}

/// Writes `object` as a JSON object: `@odata.type` first, then the declared
/// properties that are present, then the other undeclared members.
pub fn write_object<T: Object, S: Serializer>(object: &T, serializer: S) -> Result<S::Ok, S::Error> {
    write(object, None, serializer)
}

/// [`write_object`], writing `"@odata.type": "#" + T::TYPE_NAME` when
/// `object` holds no `@odata.type`, as a derived type declared as its base
/// must be; one that holds it (a value read from the wire) is written as is.
pub fn write_with_type<T: Object, S: Serializer>(object: &T, serializer: S) -> Result<S::Ok, S::Error> {
    write(object, Some(T::TYPE_NAME), serializer)
}

fn write<T: Object, S: Serializer>(
    object: &T,
    type_name: Option<&'static str>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let additional = object.additional();
    let mut map = serializer.serialize_map(None)?;
    match (additional.get(ODATA_TYPE), type_name) {
        (Some(sent), _) => map.serialize_entry(ODATA_TYPE, sent)?,
        (None, Some(name)) => map.serialize_entry(ODATA_TYPE, &TypeTag(name))?,
        (None, None) => {}
    }
    object.write_properties(&mut map)?;
    for (key, value) in additional.others() {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// Serializes `#` followed by a type name without building a `String`.
struct TypeTag(&'static str);

impl Serialize for TypeTag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("#{}", self.0))
    }
}

/// A member name: borrowed from the input where it can be, so matching a
/// declared property allocates nothing.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    fn into_owned(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(key))
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key.to_owned()))
    }
    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key))
    }
}

/// A generated `Any...` enum: a type and the types derived from it, read as
/// the one an object's `@odata.type` names.
pub trait AnyObject: Sized {
    /// Reads the rest of `object` as the variant its
    /// [`type_name`](Partial::type_name) names, or as the base type when it
    /// names none of them.
    fn read_variant<'de, A: MapAccess<'de>>(object: Partial<'de, A>) -> Result<Self, A::Error>;
}

/// Reads a JSON object as the variant of `T` its `@odata.type` names.
///
/// Graph writes `@odata.type` first; then the rest of the object streams
/// into the chosen struct. Members before it are held as values and read
/// into the struct once the type is known.
pub fn read_any<'de, T: AnyObject, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct Variant<T>(PhantomData<T>);
    impl<'de, T: AnyObject> Visitor<'de> for Variant<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object ({})", std::any::type_name::<T>())
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read_variant(Partial::read_to_type(map)?)
        }
    }
    deserializer.deserialize_map(Variant(PhantomData))
}

/// A JSON object read up to its `@odata.type` (or, lacking one, to its
/// end), whose type is about to be chosen.
pub struct Partial<'de, A> {
    odata_type: Option<Sent<'de>>,
    before: Vec<(String, Value)>,
    rest: Option<A>,
}

impl<'de, A: MapAccess<'de>> Partial<'de, A> {
    /// Reads the members of `map` up to and including `@odata.type`.
    pub fn read_to_type(mut map: A) -> Result<Self, A::Error> {
        let mut before = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if key.as_str() == ODATA_TYPE {
                return Ok(Partial {
                    odata_type: Some(map.next_value_seed(SentSeed)?),
                    before,
                    rest: Some(map),
                });
            }
            before.push((key.into_owned(), map.next_value()?));
        }
        Ok(Partial {
            odata_type: None,
            before,
            rest: None,
        })
    }

    /// The type the object names, without the leading `#`; `None` when it
    /// has no `@odata.type` or one that is not a string.
    pub fn type_name(&self) -> Option<&str> {
        match self.odata_type.as_ref()? {
            Sent::Text(text) => Some(strip_hash(text.as_str())),
            Sent::Other(_) => None,
        }
    }

    /// Reads the whole object as `T`, boxed, as `Any...` and `Decoded`
    /// variants hold it.
    pub fn finish<T: Object>(self) -> Result<Box<T>, A::Error> {
        // Filled in place: a large struct is not built on the stack and copied.
        let mut object = Box::<T>::default();
        self.read_into(&mut *object)?;
        Ok(object)
    }

    /// Reads the whole object as the variant of `T` its `@odata.type` names, boxed.
    pub fn finish_any<T: AnyObject>(self) -> Result<Box<T>, A::Error> {
        T::read_variant(self).map(Box::new)
    }

    fn read_into<T: Object>(self, object: &mut T) -> Result<(), A::Error> {
        if let Some(sent) = self.odata_type {
            set_type(object.additional_mut(), T::type_tag(), sent)?;
        }
        for (key, value) in self.before {
            let mut held = Held(Some(value));
            if !object.read_property(&key, &mut held).map_err(de::Error::custom)? {
                let value = held.0.take().unwrap_or_default();
                object.additional_mut().insert_other(key, value);
            }
        }
        if let Some(mut rest) = self.rest {
            read_members(object, &mut rest)?;
        }
        Ok(())
    }

    /// The whole object, untyped.
    pub fn into_value(self) -> Result<Value, A::Error> {
        let mut object: serde_json::Map<String, Value> = self.before.into_iter().collect();
        if let Some(sent) = self.odata_type {
            object.insert(ODATA_TYPE.to_owned(), sent.into_value());
        }
        if let Some(mut rest) = self.rest {
            while let Some((key, value)) = rest.next_entry()? {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

/// One value held before the type was known, offered to
/// [`Object::read_property`] as the value of the key being read.
struct Held(Option<Value>);

impl<'de> MapAccess<'de> for Held {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _: K) -> Result<Option<K::Value>, Self::Error> {
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let value = self.0.take().ok_or_else(|| de::Error::custom("a held value was read twice"))?;
        seed.deserialize(value)
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
            // A raw identifier (`r#type`) prints as its name.
            out.field(field_name.trim_start_matches("r#"), value.as_debug());
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

    #[derive(Clone, Default, PartialEq)]
    struct Entity {
        id: Field<String>,
        additional: Additional,
    }

    object!(Entity = "microsoft.graph.entity" { "id" => id });

    #[derive(Clone, Default, PartialEq)]
    struct Call {
        id: Field<String>,
        state: Field<OpenEnum<CallState>>,
        callback_uri: Field<String>,
        additional: Additional,
    }

    object!(Call = "microsoft.graph.call" {
        "id" => id,
        "state" => state,
        "callbackUri" => callback_uri,
    });

    /// No declared property.
    #[derive(Clone, Default, PartialEq)]
    struct Empty {
        additional: Additional,
    }

    object!(Empty = "x.empty" {});

    #[derive(Clone, Debug, PartialEq)]
    enum AnyEntity {
        Entity(Box<Entity>),
        Call(Box<Call>),
    }

    impl AnyObject for AnyEntity {
        fn read_variant<'de, A: MapAccess<'de>>(object: Partial<'de, A>) -> Result<Self, A::Error> {
            Ok(match object.type_name() {
                Some("microsoft.graph.call") => AnyEntity::Call(object.finish()?),
                _ => AnyEntity::Entity(object.finish()?),
            })
        }
    }

    impl<'de> Deserialize<'de> for AnyEntity {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read_any(deserializer)
        }
    }

    impl Serialize for AnyEntity {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                AnyEntity::Entity(entity) => entity.serialize(serializer),
                AnyEntity::Call(call) => write_with_type(&**call, serializer),
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
    fn a_struct_keeps_null_absent_and_undeclared_and_writes_its_type_first() {
        let text = r##"{"callbackUri":null,"futureProperty":{"a":[1,2]},"@odata.id":"calls/1","id":"1","@odata.type":"#microsoft.graph.call","participants@odata.nextLink":"https://next"}"##;
        let call: Call = serde_json::from_str(text).unwrap();
        assert_eq!(call.id, Field::Value("1".into()));
        assert_eq!(call.callback_uri, Field::Null);
        assert_eq!(call.state, Field::Absent);
        assert_eq!(call.odata_type(), Some("#microsoft.graph.call"));
        assert_eq!(call.annotation("odata.id"), Some(&json!("calls/1")));
        assert_eq!(call.annotation("participants@odata.nextLink"), Some(&json!("https://next")));
        assert_eq!(call.annotation("odata.etag"), None);
        assert_eq!(
            serde_json::to_string(&call).unwrap(),
            r##"{"@odata.type":"#microsoft.graph.call","id":"1","callbackUri":null,"@odata.id":"calls/1","futureProperty":{"a":[1,2]},"participants@odata.nextLink":"https://next"}"##
        );
        // Owned keys (from a `Value`) and escaped ones read alike.
        let from_value: Call = serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(from_value, call);
        let escaped: Call = serde_json::from_str(&text.replace(r#""id""#, r#""\u0069d""#)).unwrap();
        assert_eq!(escaped, call);
    }

    #[test]
    fn a_struct_without_properties_keeps_everything_undeclared() {
        let text = r##"{"@odata.type":"#x.empty","id":"1"}"##;
        let empty: Empty = serde_json::from_str(text).unwrap();
        assert_eq!(empty.additional.len(), 2);
        assert_eq!(serde_json::to_string(&empty).unwrap(), text);
        assert_eq!(format!("{:?}", Empty::default()), "Empty");
    }

    #[test]
    fn errors_name_the_place() {
        let error = serde_json::from_str::<Call>(r#"{"id":"1","id":"2"}"#).unwrap_err();
        assert!(error.to_string().starts_with("duplicate field `id`"), "{error}");
        let error = serde_json::from_str::<Call>(r##"{"@odata.type":"#a","@odata.type":"#b"}"##).unwrap_err();
        assert!(error.to_string().starts_with("duplicate field `@odata.type`"), "{error}");
        let error = serde_json::from_str::<Call>("[1]").unwrap_err();
        assert!(error.to_string().contains("an object of type `microsoft.graph.call`"), "{error}");
        let error = serde_json::from_str::<Call>(r#"{"state":5}"#).unwrap_err();
        assert!(error.to_string().contains("line 1 column"), "{error}");
        let error = serde_json::from_str::<AnyEntity>(r##"{"id":5,"@odata.type":"#microsoft.graph.call"}"##).unwrap_err();
        assert!(error.to_string().contains("invalid type"), "{error}");
        assert!(serde_json::from_str::<AnyEntity>("3").is_err());
    }

    #[test]
    fn any_reads_the_named_type_wherever_the_annotation_is() {
        let first = r##"{"@odata.type":"#microsoft.graph.call","id":"1","state":"Established","x":true}"##;
        let expected: AnyEntity = serde_json::from_str(first).unwrap();
        let AnyEntity::Call(call) = &expected else {
            panic!("expected a call, got {expected:?}");
        };
        assert_eq!(call.state.value().and_then(OpenEnum::member), Some(CallState::Established));
        assert_eq!(call.state.value().map(OpenEnum::as_str), Some("Established"));
        for text in [
            r##"{"id":"1","@odata.type":"#microsoft.graph.call","state":"Established","x":true}"##,
            r##"{"id":"1","state":"Established","x":true,"@odata.type":"#microsoft.graph.call"}"##,
        ] {
            let any: AnyEntity = serde_json::from_str(text).unwrap();
            assert_eq!(any, expected, "{text}");
            assert_eq!(serde_json::to_string(&any).unwrap(), first);
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::from_value::<AnyEntity>(value).unwrap(), expected);
        }
        // Sent twice, once before the annotation and once after.
        assert!(serde_json::from_str::<AnyEntity>(r##"{"id":"1","@odata.type":"#microsoft.graph.call","id":"2"}"##).is_err());
    }

    #[test]
    fn unknown_unrelated_or_missing_type_reads_as_the_base_which_keeps_it() {
        for input in [
            json!({"@odata.type": "#microsoft.graph.somethingNew", "id": "7", "newProperty": true}),
            json!({"id": "7", "@odata.type": "#microsoft.graph.identity"}),
            json!({"@odata.type": 3, "id": "7"}),
            json!({"id": "7"}),
        ] {
            let any: AnyEntity = serde_json::from_value(input.clone()).unwrap();
            let AnyEntity::Entity(entity) = &any else {
                panic!("expected the base type, got {any:?}");
            };
            assert_eq!(entity.id, Field::Value("7".into()));
            assert_eq!(entity.additional.get("@odata.type"), input.get("@odata.type"));
            assert_eq!(serde_json::to_value(&any).unwrap(), input);
        }
    }

    #[test]
    fn a_derived_value_built_in_rust_writes_its_type_first() {
        let call = Call {
            id: Field::Value("9".into()),
            state: Field::Value(CallState::Incoming.into()),
            ..Call::default()
        };
        let text = serde_json::to_string(&AnyEntity::Call(Box::new(call.clone()))).unwrap();
        assert_eq!(text, r##"{"@odata.type":"#microsoft.graph.call","id":"9","state":"incoming"}"##);
        let AnyEntity::Call(back) = serde_json::from_str(&text).unwrap() else {
            panic!("expected a call");
        };
        assert_eq!((&back.id, &back.state), (&call.id, &call.state));
        assert_eq!(back.odata_type(), Some("#microsoft.graph.call"));
        assert_eq!(call.with_odata_type().odata_type(), Some("#microsoft.graph.call"));
    }

    #[test]
    fn a_partial_object_reads_back_untyped() {
        let text = r##"{"a":1,"@odata.type":"#x.y","b":[null]}"##;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        struct Untyped;
        impl<'de> Visitor<'de> for Untyped {
            type Value = (Option<String>, Value);
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let partial = Partial::read_to_type(map)?;
                let name = partial.type_name().map(str::to_owned);
                Ok((name, partial.into_value()?))
            }
        }
        let (name, value) = deserializer.deserialize_map(Untyped).unwrap();
        assert_eq!(name.as_deref(), Some("x.y"));
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
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
        entity.additional_mut().insert("@odata.id", json!("x"));
        assert_eq!(format!("{entity:?}"), r#"Entity { additional: {"@odata.id": String("x")} }"#);
        let present: Option<u8> = Some(3);
        let missing: Option<u8> = None;
        assert!(present.is_present() && !missing.is_present());
        assert_eq!(format!("{:?}", present.as_debug()), "3");
    }
}
