//! `@odata.type` may come anywhere in an object: first (as Graph writes
//! it), last, or between. For every seed example of a type and every object
//! in it that has an `@odata.type`, the annotation is moved to each position
//! among the object's members; `decode_slice` of each text gives the same
//! typed value, and that value writes back the same bytes.

use conformance::{Documents, fixture_text, manifest, repair_trailing_commas};
use serde_json::Value;

/// `value` as JSON text, with the members of the object at `target` (a
/// path of member names and array indexes) in their order but with
/// `@odata.type` moved to `position`.
fn write(value: &Value, at: &[Step], target: &[Step], position: usize, out: &mut String) {
    match value {
        Value::Object(members) => {
            let mut keys: Vec<&String> = members.keys().collect();
            if at == target {
                keys.retain(|k| *k != "@odata.type");
                keys.insert(position.min(keys.len()), members.get_key_value("@odata.type").unwrap().0);
            }
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key).unwrap());
                out.push(':');
                let mut next = at.to_vec();
                next.push(Step::Key((*key).clone()));
                write(&members[key.as_str()], &next, target, position, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let mut next = at.to_vec();
                next.push(Step::Index(i));
                write(item, &next, target, position, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every object in `value` with an `@odata.type`, by path, with its member count.
fn annotated(value: &Value, at: Vec<Step>, found: &mut Vec<(Vec<Step>, usize)>) {
    match value {
        Value::Object(members) => {
            if members.contains_key("@odata.type") {
                found.push((at.clone(), members.len()));
            }
            for (key, member) in members {
                let mut next = at.clone();
                next.push(Step::Key(key.clone()));
                annotated(member, next, found);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mut next = at.clone();
                next.push(Step::Index(i));
                annotated(item, next, found);
            }
        }
        _ => {}
    }
}

macro_rules! anywhere {
    ($version:ident) => {
        #[test]
        fn $version() {
            let (mut examples, mut moves) = (0, 0);
            for entry in manifest() {
                let Documents::Type { r#type } = &entry.documents else {
                    continue;
                };
                let text = repair_trailing_commas(&fixture_text(&entry));
                let Ok(value) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                let Ok(expected) = generated::$version::decode_slice(r#type, text.as_bytes()) else {
                    continue;
                };
                let bytes = serde_json::to_vec(&expected).unwrap();
                let mut objects = Vec::new();
                annotated(&value, Vec::new(), &mut objects);
                for (path, members) in objects {
                    for position in 0..members {
                        let mut moved = String::new();
                        write(&value, &[], &path, position, &mut moved);
                        if path.is_empty() && position > 0 {
                            assert!(!moved.starts_with(r#"{"@odata.type""#), "not moved: {moved}");
                        }
                        let decoded = generated::$version::decode_slice(r#type, moved.as_bytes())
                            .unwrap_or_else(|e| panic!("{} with @odata.type {position} of {path:?}: {e}", entry.fixture));
                        assert_eq!(decoded, expected, "{} with @odata.type {position} of {path:?}", entry.fixture);
                        assert_eq!(serde_json::to_vec(&decoded).unwrap(), bytes, "{}", entry.fixture);
                        moves += 1;
                    }
                }
                examples += 1;
            }
            assert!(examples >= 40 && moves >= 500, "{examples} examples, {moves} moves");
            println!("{examples} examples, @odata.type moved {moves} times");
        }
    };
}

anywhere!(beta);
anywhere!(v1);
