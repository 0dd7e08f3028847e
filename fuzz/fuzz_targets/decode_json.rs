//! The first byte picks a type (and, by its parity, the API version) of the
//! generated crate, the rest is JSON. What `generated::beta::decode` or
//! `generated::v1::decode` accepts must serialize back to the same JSON value,
//! and `decode_slice` of that value's text (members in the order
//! `serde_json::Value` keeps, so `@odata.type` first or not by its name) must
//! give the same result: the streaming reader and the `Value` one agree.
#![no_main]

use libfuzzer_sys::fuzz_target;

const TYPES: &[&str] = &[
    "microsoft.graph.call",
    "microsoft.graph.commsNotifications",
    "microsoft.graph.commsNotification",
    "microsoft.graph.participant",
    "microsoft.graph.participantInfo",
    "microsoft.graph.commsOperation",
    "microsoft.graph.playPromptOperation",
    "microsoft.graph.identitySet",
    "microsoft.graph.identity",
    "microsoft.graph.callRecords.callRecord",
    "microsoft.graph.callRecords.session",
    "microsoft.graph.callRecords.segment",
    "microsoft.graph.callRecords.endpoint",
    "microsoft.graph.callRecords.mediaStream",
    "microsoft.graph.operationStatus",
    "microsoft.graph.modality",
    "microsoft.graph.onlineMeeting",
    "microsoft.graph.presence",
    "microsoft.graph.mediaConfig",
    "microsoft.graph.mediaPrompt",
    "microsoft.graph.resultInfo",
    "microsoft.graph.meetingInfo",
    "microsoft.graph.invitationParticipantInfo",
    "microsoft.graph.entity",
    "microsoft.graph.inviteParticipantsOperation",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, json)) = data.split_first() else {
        return;
    };
    let name = TYPES[usize::from(selector / 2) % TYPES.len()];
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return;
    };
    let text = serde_json::to_vec(&value).expect("a Value serializes");
    macro_rules! both_readers {
        ($version:ident) => {{
            let decoded = generated::$version::decode(name, value.clone());
            let from_text = generated::$version::decode_slice(name, &text);
            match (&decoded, &from_text) {
                (Ok(a), Ok(b)) => assert!(a == b, "{name}: decode_slice reads differently\n input: {value}"),
                (Err(_), Err(_)) => {}
                (a, b) => panic!(
                    "{name}: decode gives {:?}, decode_slice {:?}\n input: {value}",
                    a.as_ref().err().map(ToString::to_string),
                    b.as_ref().err().map(ToString::to_string),
                ),
            }
            decoded.map(|d| serde_json::to_value(&d))
        }};
    }
    let decoded = if selector % 2 == 0 { both_readers!(beta) } else { both_readers!(v1) };
    let back = match decoded {
        Ok(back) => back.unwrap_or_else(|e| panic!("{name}: decoded value does not serialize: {e}")),
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    assert!(
        back == value,
        "{name}: round trip is lossy\n input: {value}\noutput: {back}"
    );
});
