//! Property tests: whatever the service adds to a documented payload (unknown
//! properties, annotations, unknown enum values, an unknown or unrelated
//! `@odata.type`, explicit nulls) survives a read and a write unchanged.

use conformance::{Api, Documents, fixture_text, manifest, repair_trailing_commas};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many changed payloads were read (and checked) and how many refused:
/// the test is only worth something if most are read.
static DECODED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);

/// Documented payloads with their API version and type, the starting points.
fn documented() -> Vec<(Api, String, Value)> {
    manifest()
        .into_iter()
        .filter_map(|entry| match &entry.documents {
            Documents::Type { r#type } => {
                let text = repair_trailing_commas(&fixture_text(&entry));
                Some((
                    entry.api,
                    r#type.clone(),
                    serde_json::from_str(&text).unwrap(),
                ))
            }
            _ => None,
        })
        .collect()
}

/// `value` read as `type_name` of the `api` module and written back.
fn read_and_write(api: Api, type_name: &str, value: Value) -> Result<Value, String> {
    let written = match api {
        Api::Beta => generated::beta::decode(type_name, value).map(serde_json::to_value),
        Api::V1 => generated::v1::decode(type_name, value).map(serde_json::to_value),
    };
    written
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "[a-zA-Z0-9 #@._-]{0,12}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z@.]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One change the service might make to an object.
#[derive(Clone, Debug)]
enum Change {
    /// A property (or annotation, `name@odata.x`) the schema does not declare.
    Add(String, Value),
    /// An `@odata.type` the crate does not know, or a known one that is unrelated.
    OdataType(String),
    /// A string value (enum member or not) replaced by another string.
    Restring(String),
    /// A value replaced by an explicit null.
    Null,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        ("x[A-Za-z]{1,10}(@odata\\.[a-z]{1,6})?", json_value())
            .prop_map(|(k, v)| Change::Add(k, v)),
        prop_oneof![
            "#microsoft\\.graph\\.[a-z]{1,10}".boxed(),
            Just("#microsoft.graph.invitationParticipantInfo".to_owned()).boxed(),
            Just("#microsoft.graph.call".to_owned()).boxed(),
        ]
        .prop_map(Change::OdataType),
        "[a-zA-Z]{1,12}".prop_map(Change::Restring),
        Just(Change::Null),
    ]
}

/// Applies `change` to the `index`-th object (in document order) of `value`.
fn apply(value: &mut Value, index: &mut usize, change: &Change) -> bool {
    match value {
        Value::Object(map) => {
            if *index == 0 {
                edit(map, change);
                return true;
            }
            *index -= 1;
            map.values_mut().any(|v| apply(v, index, change))
        }
        Value::Array(items) => items.iter_mut().any(|v| apply(v, index, change)),
        _ => false,
    }
}

fn edit(map: &mut Map<String, Value>, change: &Change) {
    match change {
        Change::Add(key, value) => {
            map.insert(key.clone(), value.clone());
        }
        Change::OdataType(name) => {
            map.insert("@odata.type".to_owned(), Value::String(name.clone()));
        }
        Change::Restring(text) => {
            if let Some(slot) = map.values_mut().find(|v| v.is_string()) {
                *slot = Value::String(text.clone());
            }
        }
        Change::Null => {
            if let Some(slot) = map.values_mut().find(|v| !v.is_object() && !v.is_array()) {
                *slot = Value::Null;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    fn service_additions_round_trip(example in any::<prop::sample::Index>(), changes in prop::collection::vec((any::<usize>(), change()), 1..6)) {
        let examples = documented();
        let (api, type_name, mut value) = examples[example.index(examples.len())].clone();
        for (index, change) in &changes {
            let mut index = index % 8;
            apply(&mut value, &mut index, change);
        }
        // A change may make the payload invalid for its type (a string where a
        // number belongs, a value that is no GUID): an error is fine, loss is not.
        match read_and_write(api, &type_name, value.clone()) {
            Ok(written) => {
                DECODED.fetch_add(1, Ordering::Relaxed);
                prop_assert_eq!(written, value);
            }
            Err(_) => {
                REFUSED.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Runs the property, then checks it was not vacuous.
#[test]
fn service_additions_survive_a_round_trip() {
    service_additions_round_trip();
    let (decoded, refused) = (
        DECODED.load(Ordering::Relaxed),
        REFUSED.load(Ordering::Relaxed),
    );
    println!(
        "{decoded} changed payloads read back unchanged, {refused} refused as invalid for their type"
    );
    assert!(decoded > 3 * refused, "{decoded} read, {refused} refused");
}
