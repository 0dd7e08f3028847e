//! Every documented callback notification, read as
//! `microsoft.graph.commsNotifications`: each item of each notification's
//! `resourceData` (one object, or an array of them) must come back in the
//! notification's `resource_data` typed by its `@odata.type`, as the
//! expected variant, and serialize back to exactly the item that was sent;
//! the body read from its bytes (`decode_slice`) and from a `Value`
//! (`decode`) gives the same. Each body goes through the module of the API
//! version its page documents.

use conformance::{Api, Documents, fixture_text, manifest};
use generated::support::{Resource, type_name_of};
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

/// What a bot reads of each notification of `body`: change type, call,
/// operation, how many resources, and the notification as sent.
type Read = (Option<String>, Option<String>, Option<String>, usize, Value);

fn as_a_bot_reads<D: generated::support::DecodeAny>(
    body: &str,
) -> Result<Vec<Read>, generated::support::DecodeError> {
    let notifications = generated::support::notifications::<D>(body.as_bytes())?;
    Ok(notifications
        .into_iter()
        .map(|n| {
            let call = n.call_id().map(str::to_owned);
            let operation = n.operation_id().map(str::to_owned);
            (n.change_type, call, operation, n.resources.len(), n.raw)
        })
        .collect())
}

/// Every documented callback body through `support::notifications`, as a
/// bot reads it: each notification names its change type and its call
/// (`resourceUrl`, or `resource` in the 2018 form, terminated and deleted
/// calls included), and its resources are typed.
#[test]
fn every_documented_body_reads_as_a_bot_reads_it() {
    let (mut bodies, mut with_call, mut with_operation) = (0, 0, 0);
    for entry in manifest() {
        if !matches!(&entry.documents, Documents::Type { r#type } if r#type == NOTIFICATIONS) {
            continue;
        }
        bodies += 1;
        let text = fixture_text(&entry);
        let sent: Value = serde_json::from_str(&text).unwrap();
        let read = match entry.api {
            Api::Beta => as_a_bot_reads::<generated::beta::Decoded>(&text),
            Api::V1 => as_a_bot_reads::<generated::v1::Decoded>(&text),
        }
        .unwrap_or_else(|e| panic!("{}: {e}", entry.fixture));
        let sent = sent["value"].as_array().unwrap();
        assert_eq!(read.len(), sent.len(), "{}", entry.fixture);
        for ((change_type, call, operation, resources, raw), sent) in read.into_iter().zip(sent) {
            assert_eq!(&raw, sent);
            assert_eq!(
                change_type.as_deref(),
                sent["changeType"].as_str(),
                "{}",
                entry.fixture
            );
            let url = sent
                .get("resourceUrl")
                .or(sent.get("resource"))
                .and_then(Value::as_str);
            let url = url.unwrap_or_else(|| panic!("{}: no resource", entry.fixture));
            let call = call.unwrap_or_else(|| panic!("{}: no call in {url}", entry.fixture));
            assert!(url.contains(&format!("/calls/{call}")), "{url}");
            with_call += 1;
            if let Some(operation) = operation {
                assert!(url.ends_with(&format!("/operations/{operation}")), "{url}");
                with_operation += 1;
            }
            assert_eq!(resources, items(sent.get("resourceData")).len());
        }
    }
    println!(
        "{bodies} bodies, {with_call} notifications with their call, {with_operation} with their operation"
    );
    assert_eq!(bodies, 47);
    assert!(with_operation > 0);
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
                    let from_bytes = generated::$version::decode_slice(NOTIFICATIONS, fixture_text(&entry).as_bytes())
                        .unwrap_or_else(|e| panic!("{}: {e}", entry.fixture));
                    assert_eq!(from_bytes, decoded, "{}", entry.fixture);
                    let Decoded::CommsNotifications(decoded) = decoded else {
                        panic!("{}: decoded as {}", entry.fixture, decoded.type_name());
                    };
                    let sent = input["value"].as_array().expect("a value array");
                    let received = decoded.value.value().expect("a value array");
                    assert_eq!(received.len(), sent.len(), "{}", entry.fixture);

                    for (index, (notification, sent)) in received.iter().zip(sent).enumerate() {
                        notifications += 1;
                        let place = format!("{} value[{index}]", entry.fixture);
                        let resources = notification.resource_data.value().map_or(&[][..], |data| data.items());
                        assert!(!notification.additional.contains_key("resourceData"), "{place}");
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

/// The documented invites end as operations that complete: for each invite
/// example (the beta pages and the v1.0 page), the tracker follows the
/// documented request's `clientContext` through the documented answer
/// (`Running`) and the documented notifications, to `Completed`, reported once.
#[test]
fn documented_invites_complete_through_the_tracker() {
    use generated::support::{Outcome, Tracker, notifications};
    let entries = manifest();
    let text = |fixture: &str| {
        let entry = entries.iter().find(|e| e.fixture == fixture)?;
        Some(fixture_text(entry))
    };
    let mut completed = 0;
    for page in ["invite-beta-ja", "invite-beta-de", "invite-v1-fr"] {
        for example in 1..=5 {
            let request: Value =
                serde_json::from_str(&text(&format!("{page}/ex{example}-request.json")).unwrap())
                    .unwrap();
            let context = request["clientContext"]
                .as_str()
                .expect("the invites send a clientContext");
            let mut tracker = Tracker::new();
            tracker.register(Some(context), 0, 60_000);
            let answer: Value =
                serde_json::from_str(&text(&format!("{page}/ex{example}-response.json")).unwrap())
                    .unwrap();
            assert_eq!(
                tracker.on_response(context, Some(&answer), None),
                None,
                "{page} ex{example}: running"
            );
            let mut resolved = Vec::new();
            for n in 1..=2 {
                let Some(body) = text(&format!("{page}/ex{example}-notification-{n}.json")) else {
                    continue;
                };
                for notification in
                    notifications::<generated::v1::Decoded>(body.as_bytes()).unwrap()
                {
                    resolved.extend(tracker.on_notification(&notification));
                }
            }
            assert_eq!(resolved.len(), 1, "{page} ex{example}: {resolved:?}");
            assert_eq!(
                tracker.get(context).unwrap().outcome,
                Outcome::Completed,
                "{page} ex{example}"
            );
            completed += 1;
        }
    }
    assert_eq!(completed, 15);
}
