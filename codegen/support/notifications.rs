//! Callback notifications: the `resourceData` of each notification, typed by
//! its `@odata.type` as it is read ([`ResourceData`], the `resource_data` of
//! a generated `CommsNotification`); and a callback body read as a bot reads
//! it ([`notifications`]): each notification's change type, the call and
//! operation its resource names, and its typed resources, without I/O.
//!
//! The schema does not declare `resourceData`; the API reference documents
//! it as "additional data", one entity or a collection of entities: the
//! service sends one object in one notification (a call, an operation) and
//! an array in the next (a roster of participants). This reads both shapes.

use std::fmt;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde_json::Value;

use crate::support::object::visit_as_value;
use crate::support::{DecodeAny, DecodeError, Partial};

/// One item of a notification's `resourceData`; `D` is the `Decoded` of the
/// model it is read with (`generated::v1::Decoded`).
#[derive(Clone, Debug, PartialEq)]
pub enum Resource<D> {
    /// Decoded as the type its `@odata.type` names.
    Typed(D),
    /// No `@odata.type`, or one this crate does not know: kept as sent.
    Untyped(Value),
}

impl<D> Resource<D> {
    /// The typed value, if the item named a type the model has.
    pub fn typed(&self) -> Option<&D> {
        match self {
            Resource::Typed(value) => Some(value),
            Resource::Untyped(_) => None,
        }
    }
}

impl<D: serde::Serialize> serde::Serialize for Resource<D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Resource::Typed(value) => value.serialize(serializer),
            Resource::Untyped(value) => value.serialize(serializer),
        }
    }
}

/// Reads an object as the type its `@odata.type` names, streaming; anything
/// else is kept untyped.
impl<'de, D: DecodeAny> serde::Deserialize<'de> for Resource<D> {
    fn deserialize<De: Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        deserializer.deserialize_any(ResourceVisitor::<D>(std::marker::PhantomData))
    }
}

/// A notification's `resourceData`: the entity it is about, or a collection
/// of them, each item typed by its `@odata.type` as it is read.
#[derive(Clone, Debug, PartialEq)]
pub enum ResourceData<D> {
    /// One item, sent as itself.
    One(Resource<D>),
    /// Items sent as an array.
    Many(Vec<Resource<D>>),
}

impl<D> ResourceData<D> {
    /// The items, however they were sent.
    pub fn items(&self) -> &[Resource<D>] {
        match self {
            ResourceData::One(item) => std::slice::from_ref(item),
            ResourceData::Many(items) => items,
        }
    }
}

impl<D: serde::Serialize> serde::Serialize for ResourceData<D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ResourceData::One(item) => item.serialize(serializer),
            ResourceData::Many(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

impl<'de, D: DecodeAny> serde::Deserialize<'de> for ResourceData<D> {
    fn deserialize<De: Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        struct Data<D>(std::marker::PhantomData<D>);
        impl<'de, D: DecodeAny> Visitor<'de> for Data<D> {
            type Value = ResourceData<D>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an entity or a collection of entities")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(ResourceData::Many(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                ResourceVisitor::<D>(std::marker::PhantomData).visit_map(map).map(ResourceData::One)
            }
            visit_as_value!(|value| ResourceData::One(Resource::Untyped(value)); strings);
        }
        deserializer.deserialize_any(Data(std::marker::PhantomData))
    }
}

/// One item of `resourceData`.
struct ResourceVisitor<D>(std::marker::PhantomData<D>);

impl<'de, D: DecodeAny> Visitor<'de> for ResourceVisitor<D> {
    type Value = Resource<D>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an entity")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        D::read_resource(Partial::read_to_type(map)?)
    }
    visit_as_value!(|value| Resource::Untyped(value); strings, arrays);
}

/// The items of a `resourceData` value, each decoded by its `@odata.type`
/// as a type of `D`'s model. Absent `resourceData` gives no items. An item
/// that names a known type but does not fit it is an error.
pub fn resources_of<D: DecodeAny>(
    resource_data: Option<&serde_json::Value>,
) -> Result<Vec<Resource<D>>, DecodeError> {
    items(resource_data).into_iter().map(resource).collect()
}

/// The items of a `resourceData` value as sent: one object, or each of an
/// array; none when it is absent or `null`.
pub(crate) fn items(resource_data: Option<&serde_json::Value>) -> Vec<&serde_json::Value> {
    match resource_data {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::Array(items)) => items.iter().collect(),
        Some(item) => vec![item],
    }
}

/// Reads `item` where it lies, as [`ResourceData`] reads an item from text:
/// no copy of the whole `Value` first.
fn resource<D: DecodeAny>(item: &serde_json::Value) -> Result<Resource<D>, DecodeError> {
    serde::Deserialize::deserialize(item).map_err(|error| {
        let type_name = crate::support::type_name_of(item).unwrap_or("resourceData");
        DecodeError::invalid(type_name, error)
    })
}

/// One notification of a callback body, as a bot reads it; `D` is the
/// `Decoded` of the API version it is read with.
#[derive(Clone, Debug, PartialEq)]
pub struct Notification<D> {
    /// `changeType`: `created`, `updated` or `deleted`.
    pub change_type: Option<String>,
    /// `resourceUrl`, or `resource` in the 2018 form of a notification.
    pub resource_url: Option<String>,
    /// The items of its `resourceData`, typed by their `@odata.type`.
    pub resources: Vec<Resource<D>>,
    /// The notification as sent, for what this view does not name.
    pub raw: serde_json::Value,
}

impl<D> Notification<D> {
    /// The call the notification concerns (see [`call_id`]).
    pub fn call_id(&self) -> Option<&str> {
        self.resource_url.as_deref().and_then(call_id)
    }

    /// The operation it concerns, where its resource is one (see [`operation_id`]).
    pub fn operation_id(&self) -> Option<&str> {
        self.resource_url.as_deref().and_then(operation_id)
    }

    /// The items of its `resourceData` as sent.
    pub(crate) fn items(&self) -> Vec<&serde_json::Value> {
        items(self.raw.get("resourceData"))
    }
}

/// The notifications of a callback body, `{"value": [...]}` (a
/// `commsNotifications`), each with its resources typed as types of `D`'s
/// model. A body that is not JSON, or has no `value` array, is an error.
pub fn notifications<D: DecodeAny>(body: &[u8]) -> Result<Vec<Notification<D>>, DecodeError> {
    #[derive(serde::Deserialize)]
    struct Body {
        value: Vec<serde_json::Value>,
    }
    let body: Body = super::decode::from_json_bytes(body)
        .map_err(|error| DecodeError::invalid("microsoft.graph.commsNotifications", error))?;
    body.value
        .into_iter()
        .map(|raw| {
            let text = |name: &str| raw.get(name).and_then(|v| v.as_str()).map(str::to_owned);
            Ok(Notification {
                change_type: text("changeType"),
                resource_url: text("resourceUrl").or_else(|| text("resource")),
                resources: resources_of(raw.get("resourceData"))?,
                raw,
            })
        })
        .collect()
}

/// The id of the call a resource URL names: `/communications/calls/{id}`,
/// the 2018 `/app/calls/{id}`, or either below a service root
/// (`https://graph.microsoft.com/v1.0/communications/calls/{id}`), with or
/// without a further path (`/participants`, `/operations/{id}`). `None` for
/// a resource that is no call.
pub fn call_id(resource_url: &str) -> Option<&str> {
    call_path(resource_url).map(|(call, _)| call)
}

/// The id of the operation a resource URL names:
/// `/communications/calls/{call-id}/operations/{id}`. `None` for any other
/// resource (the documented `.../operations/participants` included, which
/// names no operation).
pub fn operation_id(resource_url: &str) -> Option<&str> {
    let (_, rest) = call_path(resource_url)?;
    let mut segments = rest.split('/').filter(|s| !s.is_empty());
    match (segments.next(), segments.next(), segments.next()) {
        (Some("operations"), Some(id), None) if id != "participants" => Some(id),
        _ => None,
    }
}

/// The call id and what follows it (`participants`, `operations/{id}`, or
/// nothing), of a URL with `.../communications/calls/{id}` or `.../app/calls/{id}`.
pub(crate) fn call_path(resource_url: &str) -> Option<(&str, &str)> {
    let path = resource_url.split(['?', '#']).next().unwrap_or_default();
    let start = ["/communications/calls/", "/app/calls/"]
        .iter()
        .filter_map(|marker| path.find(marker).map(|at| at + marker.len()))
        .min()
        .or_else(|| {
            ["communications/calls/", "app/calls/"]
                .iter()
                .find(|marker| path.starts_with(*marker))
                .map(|marker| marker.len())
        })?;
    let rest = &path[start..];
    let (call, after) = rest.split_once('/').unwrap_or((rest, ""));
    (!call.is_empty()).then_some((call, after))
}

/// What the tests of the modules that read notifications share.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A model without types: resources stay untyped.
    #[derive(Debug)]
    pub struct Untyped;

    impl DecodeAny for Untyped {
        fn decode(type_name: &str, _: serde_json::Value) -> Result<Self, DecodeError> {
            Err(DecodeError::unknown_type(type_name))
        }

        fn read_resource<'de, A: serde::de::MapAccess<'de>>(
            object: Partial<'de, A>,
        ) -> Result<Resource<Self>, A::Error> {
            object.into_value().map(Resource::Untyped)
        }
    }

    /// One notification of `change` at `url` with `data` as its `resourceData`.
    pub fn notification(change: &str, url: &str, data: serde_json::Value) -> Notification<Untyped> {
        let body = serde_json::json!({"value": [{"changeType": change, "resourceUrl": url, "resourceData": data}]});
        notifications::<Untyped>(body.to_string().as_bytes())
            .expect("a notification body")
            .remove(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_and_operation_ids_of_every_documented_form() {
        let cases = [
            ("/communications/calls/ab6233a5/participants", Some("ab6233a5"), None),
            ("/communications/calls/ab6233a5/operations/eec3812a", Some("ab6233a5"), Some("eec3812a")),
            ("/communications/calls/7531d31f/operations/participants", Some("7531d31f"), None),
            ("/app/calls/57DAB8B1894C409AB240BD8BEAE78896", Some("57DAB8B1894C409AB240BD8BEAE78896"), None),
            ("/app/calls/90ED/operations/0FE0", Some("90ED"), Some("0FE0")),
            ("https://graph.microsoft.com/v1.0/communications/calls/c1?x=1", Some("c1"), None),
            ("communications/calls/c2/participants/p1", Some("c2"), None),
            ("/communications/presences/u1", None, None),
            ("/communications/calls/", None, None),
        ];
        for (url, call, operation) in cases {
            assert_eq!(call_id(url), call, "{url}");
            assert_eq!(operation_id(url), operation, "{url}");
        }
    }
}
