//! The first byte picks a type (and, by its parity, the API version) of the
//! generated crate, the rest is JSON. What `generated::beta::decode` or
//! `generated::v1::decode` accepts must serialize back to the same JSON value.
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
    let decoded = if selector % 2 == 0 {
        generated::beta::decode(name, value.clone()).map(|d| serde_json::to_value(&d))
    } else {
        generated::v1::decode(name, value.clone()).map(|d| serde_json::to_value(&d))
    };
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
