//! Every documented callback notification, read as
//! `microsoft.graph.commsNotifications`: each item of each notification's
//! `resourceData` (one object, or an array of them) must come back from
//! `support::resources` typed by its `@odata.type`, as the expected variant,
//! and serialize back to exactly the item that was sent. Each body goes
//! through the module of the API version its page documents.

use conformance::{Api, Documents, fixture_text, manifest};
use generated::support::{Resource, resources, type_name_of};
use serde_json::Value;

const NOTIFICATIONS: &str = "microsoft.graph.commsNotifications";

/// The items of a `resourceData`, in the shape sent.
fn items(resource_data: Option<&Value>) -> Vec<&Value> {
    match resource_data {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(item) => vec![item],
    }
}

/// A module of `notifications_of`, the test for one API version.
macro_rules! notifications_of {
    ($version:ident, $api:expr) => {
        mod $version {
            use super::*;
            use generated::$version::{AnyCommsOperation, Decoded};

            /// Whether `decoded` is the variant that `type_name` should decode to.
            fn is_expected_variant(type_name: &str, decoded: &Decoded) -> bool {
                match type_name {
                    "microsoft.graph.call" => matches!(decoded, Decoded::Call(_)),
                    "microsoft.graph.participant" => matches!(decoded, Decoded::Participant(_)),
                    "microsoft.graph.inviteParticipantsOperation" => {
                        matches!(decoded, Decoded::InviteParticipantsOperation(_))
                    }
                    // The base type reads polymorphically; without a more specific
                    // `@odata.type` inside, it stays the base.
                    "microsoft.graph.commsOperation" => matches!(
                        decoded,
                        Decoded::CommsOperation(operation)
                            if matches!(**operation, AnyCommsOperation::CommsOperation(_))
                    ),
                    _ => decoded.type_name() == type_name,
                }
            }

            #[test]
            fn every_documented_resource_is_typed_and_lossless() {
                let (mut files, mut notifications, mut typed, mut untyped) = (0, 0, 0, 0);
                let mut failures = Vec::new();
                for entry in manifest() {
                    let notification = matches!(&entry.documents, Documents::Type { r#type } if r#type == NOTIFICATIONS);
                    if !notification || entry.api != $api {
                        continue;
                    }
                    files += 1;
                    let input: Value = serde_json::from_str(&fixture_text(&entry))
                        .unwrap_or_else(|e| panic!("{}: {e}", entry.fixture));
                    let decoded = generated::$version::decode(NOTIFICATIONS, input.clone())
                        .unwrap_or_else(|e| panic!("{}: {e}", entry.fixture));
                    let Decoded::CommsNotifications(decoded) = decoded else {
                        panic!("{}: decoded as {}", entry.fixture, decoded.type_name());
                    };
                    let sent = input["value"].as_array().expect("a value array");
                    let received = decoded.value.value().expect("a value array");
                    assert_eq!(received.len(), sent.len(), "{}", entry.fixture);

                    for (index, (notification, sent)) in received.iter().zip(sent).enumerate() {
                        notifications += 1;
                        let place = format!("{} value[{index}]", entry.fixture);
                        let resources = match resources::<Decoded>(notification) {
                            Ok(resources) => resources,
                            Err(error) => {
                                failures.push(format!("{place}: {error}"));
                                continue;
                            }
                        };
                        let items = items(sent.get("resourceData"));
                        assert_eq!(resources.len(), items.len(), "{place}");
                        for (resource, item) in resources.iter().zip(items) {
                            let type_name = type_name_of(item);
                            match (resource, type_name) {
                                (Resource::Typed(value), Some(name)) if is_expected_variant(name, value) => {
                                    typed += 1;
                                    if value.type_name() != name {
                                        failures.push(format!("{place}: {name} read as {}", value.type_name()));
                                    }
                                }
                                (Resource::Untyped(_), None) => untyped += 1,
                                (resource, name) => {
                                    failures.push(format!("{place}: {name:?} read as {resource:?}"));
                                }
                            }
                            match serde_json::to_value(resource) {
                                Ok(output) if output == *item => {}
                                Ok(output) => {
                                    failures.push(format!("{place}: lossy\n  in:  {item}\n  out: {output}"))
                                }
                                Err(error) => failures.push(format!("{place}: {error}")),
                            }
                        }
                    }
                }
                println!(
                    "{files} notification bodies, {notifications} notifications, {} resources: {typed} typed, {untyped} untyped",
                    typed + untyped
                );
                assert!(failures.is_empty(), "{}", failures.join("\n"));
                assert!(files >= 5, "only {files} notification fixtures");
                assert_eq!(untyped, 0, "every documented resource names its type");
            }
        }
    };
}

notifications_of!(beta, Api::Beta);
notifications_of!(v1, Api::V1);
