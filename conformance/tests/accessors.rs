//! Base properties of polymorphic values read without a match: every
//! `Any...` enum has one accessor per property its base type declares, which
//! works for every variant, the fallback included.

use generated::support::{Field, OpenEnum};
use serde_json::json;

/// A roster participant whose identity set is the v1.0 derived type
/// `communicationsIdentitySet`: `user()` reads it as it reads a plain set.
#[test]
fn a_derived_identity_set_reads_like_the_base() {
    use generated::v1::{AnyIdentitySet, Participant};
    let participant: Participant = serde_json::from_value(json!({
        "id": "p1",
        "info": {"identity": {
            "@odata.type": "#microsoft.graph.communicationsIdentitySet",
            "user": {"@odata.type": "#microsoft.graph.identity", "id": "u1", "displayName": "Ann"},
            "endpointType": "default"
        }}
    }))
    .unwrap();
    let identity = participant.info.value().unwrap().identity.value().unwrap();
    assert!(matches!(
        identity,
        AnyIdentitySet::CommunicationsIdentitySet(_)
    ));
    let user = identity.user().value().unwrap();
    assert_eq!(user.id().value().map(String::as_str), Some("u1"));
    assert_eq!(user.display_name().value().map(String::as_str), Some("Ann"));
    assert!(identity.application().is_absent());
}

/// Any operation's id, status, clientContext and resultInfo, whatever its type,
/// in both versions; an unknown `@odata.type` reads as the base and answers too.
#[test]
fn any_operation_answers_the_base_properties() {
    macro_rules! check {
        ($version:ident) => {{
            use generated::$version::{AnyCommsOperation, OperationStatus};
            for odata_type in [
                "#microsoft.graph.inviteParticipantsOperation",
                "#microsoft.graph.muteParticipantOperation",
                "#microsoft.graph.playPromptOperation",
                "#microsoft.graph.commsOperation",
                "#microsoft.graph.someFutureOperation",
            ] {
                let operation: AnyCommsOperation = serde_json::from_value(json!({
                    "@odata.type": odata_type,
                    "id": "op1",
                    "status": "completed",
                    "clientContext": "ctx",
                    "resultInfo": null
                }))
                .unwrap();
                assert_eq!(operation.id().value().map(String::as_str), Some("op1"), "{odata_type}");
                assert_eq!(
                    operation.status().value().and_then(OpenEnum::member),
                    Some(OperationStatus::Completed)
                );
                assert_eq!(operation.client_context(), &Field::Value("ctx".to_owned()));
                assert!(operation.result_info().is_null());
            }
        }};
    }
    check!(beta);
    check!(v1);
}
