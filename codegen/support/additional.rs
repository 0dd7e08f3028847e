//! [`Additional`]: what an object carries that its type does not declare —
//! undeclared properties and instance annotations — kept as sent.
//!
//! It reads like a JSON object map. `@odata.type`, which almost every object
//! Graph sends carries and often nothing else undeclared, has a slot of its
//! own: keeping it costs no map, and it is written first, where Graph writes
//! it and where a reader picking a type by it wants it.

use std::fmt;
use std::ops::Index;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// The annotation naming an object's type.
pub(crate) const ODATA_TYPE: &str = "@odata.type";

/// Properties and annotations the schema does not declare, kept verbatim so
/// they survive a round trip; `@odata.type` among them, always listed first.
#[derive(Clone, Default)]
pub struct Additional {
    odata_type: Option<Tag>,
    members: Map<String, Value>,
}

/// An `@odata.type` as kept: most name the struct's own type, and share one
/// value made once per type; any other value is kept as sent.
#[derive(Clone)]
pub(crate) enum Tag {
    Shared(&'static Value),
    Owned(Value),
}

impl Tag {
    fn value(&self) -> &Value {
        match self {
            Tag::Shared(value) => value,
            Tag::Owned(value) => value,
        }
    }

    fn into_value(self) -> Value {
        match self {
            Tag::Shared(value) => value.clone(),
            Tag::Owned(value) => value,
        }
    }
}

impl PartialEq for Additional {
    fn eq(&self, other: &Self) -> bool {
        self.odata_type.as_ref().map(Tag::value) == other.odata_type.as_ref().map(Tag::value)
            && self.members == other.members
    }
}

impl Additional {
    /// No members.
    pub fn new() -> Self {
        Self::default()
    }

    /// The member named `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        if key == ODATA_TYPE {
            self.odata_type.as_ref().map(Tag::value)
        } else {
            self.members.get(key)
        }
    }

    /// The member named `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        if key == ODATA_TYPE {
            let tag = self.odata_type.as_mut()?;
            if let Tag::Shared(value) = tag {
                *tag = Tag::Owned((*value).clone());
            }
            match tag {
                Tag::Owned(value) => Some(value),
                Tag::Shared(_) => None,
            }
        } else {
            self.members.get_mut(key)
        }
    }

    /// Whether there is a member named `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets the member `key`, returning what it replaced.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        if key == ODATA_TYPE {
            self.odata_type.replace(Tag::Owned(value)).map(Tag::into_value)
        } else {
            self.members.insert(key, value)
        }
    }

    /// Removes the member `key`, returning it.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        if key == ODATA_TYPE {
            self.odata_type.take().map(Tag::into_value)
        } else {
            self.members.remove(key)
        }
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        usize::from(self.odata_type.is_some()) + self.members.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.odata_type.is_none() && self.members.is_empty()
    }

    /// The members: `@odata.type` first, then the others by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        let odata_type = self.odata_type.as_ref().map(|tag| (ODATA_TYPE, tag.value()));
        odata_type
            .into_iter()
            .chain(self.members.iter().map(|(key, value)| (key.as_str(), value)))
    }

    /// The members but `@odata.type`, by name.
    pub(crate) fn others(&self) -> &Map<String, Value> {
        &self.members
    }

    /// Sets `@odata.type`, returning whether it was already set.
    pub(crate) fn set_type(&mut self, tag: Tag) -> bool {
        self.odata_type.replace(tag).is_some()
    }

    /// Sets an undeclared member other than `@odata.type`.
    pub(crate) fn insert_other(&mut self, key: String, value: Value) {
        debug_assert_ne!(key, ODATA_TYPE);
        self.members.insert(key, value);
    }

    /// The members as a JSON object.
    pub fn into_map(self) -> Map<String, Value> {
        self.into_iter().collect()
    }
}

impl From<Map<String, Value>> for Additional {
    fn from(map: Map<String, Value>) -> Self {
        map.into_iter().collect()
    }
}

impl FromIterator<(String, Value)> for Additional {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Self {
        let mut additional = Additional::new();
        additional.extend(members);
        additional
    }
}

impl Extend<(String, Value)> for Additional {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, members: I) {
        for (key, value) in members {
            self.insert(key, value);
        }
    }
}

impl IntoIterator for Additional {
    type Item = (String, Value);
    type IntoIter = std::iter::Chain<
        std::option::IntoIter<(String, Value)>,
        serde_json::map::IntoIter,
    >;

    /// The members: `@odata.type` first, then the others by name.
    fn into_iter(self) -> Self::IntoIter {
        let odata_type = self.odata_type.map(|tag| (ODATA_TYPE.to_owned(), tag.into_value()));
        odata_type.into_iter().chain(self.members)
    }
}

impl Index<&str> for Additional {
    type Output = Value;

    /// The member `key`, or `null` when there is none (as `serde_json::Value` indexes).
    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl fmt::Debug for Additional {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Additional {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Additional {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Additional;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Additional, A::Error> {
                let mut additional = Additional::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    additional.insert(key, value);
                }
                Ok(additional)
            }
        }
        deserializer.deserialize_map(Members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_like_a_map_with_the_type_first() {
        let mut additional: Additional = [
            ("b".to_owned(), json!(2)),
            ("@odata.type".to_owned(), json!("#x.y")),
            ("@odata.id".to_owned(), json!("id")),
        ]
        .into_iter()
        .collect();
        assert_eq!(additional.len(), 3);
        assert_eq!(additional["@odata.type"], "#x.y");
        assert_eq!(additional["missing"], Value::Null);
        assert!(additional.contains_key("b") && !additional.contains_key("c"));
        let keys: Vec<&str> = additional.iter().map(|(key, _)| key).collect();
        assert_eq!(keys, ["@odata.type", "@odata.id", "b"]);
        assert_eq!(
            serde_json::to_string(&additional).unwrap(),
            r##"{"@odata.type":"#x.y","@odata.id":"id","b":2}"##
        );
        assert_eq!(format!("{additional:?}"), r##"{"@odata.type": String("#x.y"), "@odata.id": String("id"), "b": Number(2)}"##);

        assert_eq!(additional.insert("@odata.type", json!("#x.z")), Some(json!("#x.y")));
        assert_eq!(additional.remove("@odata.type"), Some(json!("#x.z")));
        assert_eq!(additional.remove("b"), Some(json!(2)));
        *additional.get_mut("@odata.id").unwrap() = json!("other");
        assert_eq!(additional.clone().into_map(), json!({"@odata.id": "other"}).as_object().unwrap().clone());
        additional.extend(Additional::from_iter([("@odata.type".to_owned(), json!("#t"))]));
        let members: Vec<(String, Value)> = additional.clone().into_iter().collect();
        assert_eq!(members, [("@odata.type".to_owned(), json!("#t")), ("@odata.id".to_owned(), json!("other"))]);
        additional.remove("@odata.id");
        additional.remove("@odata.type");
        assert!(additional.is_empty());
    }

    #[test]
    fn a_shared_type_equals_the_same_type_sent_and_turns_owned_to_change() {
        static TAG: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
        let tag = TAG.get_or_init(|| json!("#x.y"));
        let mut shared = Additional::new();
        assert!(!shared.set_type(Tag::Shared(tag)));
        let sent: Additional = [("@odata.type".to_owned(), json!("#x.y"))].into_iter().collect();
        assert_eq!(shared, sent);
        assert_eq!(shared["@odata.type"], "#x.y");
        *shared.get_mut("@odata.type").unwrap() = json!("#x.z");
        assert_eq!(shared["@odata.type"], "#x.z");
        assert_eq!(tag, "#x.y");
        assert_ne!(shared, sent);
    }

    #[test]
    fn round_trips_as_an_object() {
        let text = r##"{"@odata.type":"#x.y","a":[1,{"b":null}],"z@odata.nextLink":"u"}"##;
        let additional: Additional = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&additional).unwrap(), text);
        let map: Map<String, Value> = serde_json::from_str(text).unwrap();
        assert_eq!(Additional::from(map), additional);
        assert!(serde_json::from_str::<Additional>("[1]").is_err());
    }
}
