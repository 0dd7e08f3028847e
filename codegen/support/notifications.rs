//! Callback notifications: the `resourceData` of each notification, typed by
//! its `@odata.type` through a generated `decode` (see [`DecodeAny`]).
//!
//! The schema declares neither `resource` nor `resourceData` on a notification,
//! so both arrive in its `additional` properties; the service sends one object
//! in one notification (a call, an operation) and an array in the next (a
//! roster of participants). This reads both shapes.

use crate::support::{DecodeAny, DecodeError, Object};

/// One item of a notification's `resourceData`; `D` is the `Decoded` of the
/// model it is read with (`generated::v1::Decoded`).
#[derive(Clone, Debug, PartialEq)]
pub enum Resource<D> {
    /// Decoded as the type its `@odata.type` names.
    Typed(D),
    /// No `@odata.type`, or one this crate does not know: kept as sent.
    Untyped(serde_json::Value),
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
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Resource::Typed(value) => value.serialize(serializer),
            Resource::Untyped(value) => value.serialize(serializer),
        }
    }
}

/// The items of `notification`'s `resourceData`, an object or an array of
/// objects, each decoded by its `@odata.type` as a type of `D`'s model.
/// Absent `resourceData` gives no items. An item that names a known type but
/// does not fit it is an error.
pub fn resources<D: DecodeAny>(
    notification: &impl Object,
) -> Result<Vec<Resource<D>>, DecodeError> {
    match notification.additional().get("resourceData") {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(serde_json::Value::Array(items)) => items.iter().map(resource).collect(),
        Some(item) => Ok(vec![resource(item)?]),
    }
}

fn resource<D: DecodeAny>(item: &serde_json::Value) -> Result<Resource<D>, DecodeError> {
    let Some(type_name) = crate::support::type_name_of(item) else {
        return Ok(Resource::Untyped(item.clone()));
    };
    match D::decode(type_name, item.clone()) {
        Ok(value) => Ok(Resource::Typed(value)),
        Err(error) if error.is_unknown_type() => Ok(Resource::Untyped(item.clone())),
        Err(error) => Err(error),
    }
}
