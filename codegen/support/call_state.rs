//! A call and its roster kept current from callback notifications, without
//! I/O: [`apply`] folds a notification into a [`CallState`] and says what
//! changed, each event with the old and the new value.
//!
//! Graph documents that notifications can arrive out of order, and some
//! arrive twice. The rules, so that any delivery order ends in the state
//! in-order delivery gives:
//! - A call's `state` only moves forward through its lifecycle (`incoming`,
//!   `establishing`, then the states of a live call, then `terminating`,
//!   `terminated`); an update to an earlier stage is reported as
//!   [`Event::Stale`] and not applied. The states of a live call (`established`,
//!   `hold`, `transferring`, ...) follow one another as they come: the
//!   service gives them no order.
//! - A participant that left stays gone: a later update of it is stale.
//! - A participant update with a `rosterSequenceNumber` lower than one
//!   already applied for it is stale; the same number with other content is
//!   stale too, and with the same content a duplicate. Without the number
//!   (beta does not send it) updates apply as they come: nothing tells them apart.
//! - A duplicate changes nothing and reports nothing.
//!
//! The state is plain data that serializes, so a bot can keep it in its own
//! store and notifications need not reach the same process.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::support::Notification;
use crate::support::notifications::call_path;

/// What a bot knows of one call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallState {
    /// The call's `state` as last applied.
    pub state: Option<String>,
    /// The `resultInfo` the call terminated with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_info: Option<Value>,
    /// The call resource was deleted.
    pub deleted: bool,
    /// The participants present, by id, as last sent.
    pub participants: BTreeMap<String, Value>,
    /// The participants that left.
    pub left: BTreeSet<String>,
    /// The highest `rosterSequenceNumber` applied, per participant present.
    pub roster_sequence: BTreeMap<String, i64>,
}

/// What a notification changed. `id` is a participant's id (`call` for the
/// call itself in [`Event::Stale`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The call's `state` moved.
    CallState {
        /// The state before, if one was known.
        old: Option<String>,
        /// The state now.
        new: String,
    },
    /// The call terminated.
    Terminated {
        /// Its `resultInfo`, if sent.
        result_info: Option<Value>,
    },
    /// The call resource was deleted.
    Deleted,
    /// A participant joined (first seen).
    Joined {
        /// The participant's id.
        id: String,
        /// The participant as sent.
        participant: Value,
    },
    /// A participant changed.
    Updated {
        /// The participant's id.
        id: String,
        /// The participant before.
        old: Value,
        /// The participant now.
        new: Value,
    },
    /// A participant left.
    Left {
        /// The participant's id.
        id: String,
        /// The participant as last known, if it was.
        old: Option<Value>,
    },
    /// An update that came too late to apply (see the module's rules).
    Stale {
        /// The participant's id, or `call`.
        id: String,
        /// The update as sent.
        update: Value,
    },
}

/// The stage of a call's lifecycle its `state` belongs to.
fn stage(state: &str) -> u8 {
    match state {
        "incoming" => 0,
        "establishing" => 1,
        "terminating" => 3,
        "terminated" => 4,
        // established, hold, transferring, transferAccepted, redirecting,
        // and states this crate does not know: a live call.
        _ => 2,
    }
}

/// Folds `notification` into `state` if it concerns `call` (its call id);
/// returns what changed. Operations and other resources change nothing here.
pub fn apply<D>(state: &mut CallState, call: &str, notification: &Notification<D>) -> Vec<Event> {
    let Some((id, tail)) = notification.resource_url.as_deref().and_then(call_path) else {
        return Vec::new();
    };
    if id != call {
        return Vec::new();
    }
    let deleted = notification.change_type.as_deref() == Some("deleted");
    let items = notification.items();
    let mut events = Vec::new();
    match tail.trim_matches('/') {
        "" => {
            for item in &items {
                apply_call(state, item, &mut events);
            }
            if deleted && !state.deleted {
                state.deleted = true;
                events.push(Event::Deleted);
            }
        }
        "participants" => {
            for item in items {
                if deleted {
                    leave(state, item, &mut events);
                } else {
                    upsert(state, item, &mut events);
                }
            }
        }
        _ => {}
    }
    events
}

fn apply_call(state: &mut CallState, call: &Value, events: &mut Vec<Event>) {
    let Some(new) = call.get("state").and_then(Value::as_str) else {
        return;
    };
    let old = state.state.clone();
    if old.as_deref() == Some(new) {
        return;
    }
    if old.as_deref().is_some_and(|old| stage(new) < stage(old)) {
        events.push(Event::Stale {
            id: "call".to_owned(),
            update: call.clone(),
        });
        return;
    }
    state.state = Some(new.to_owned());
    events.push(Event::CallState {
        old,
        new: new.to_owned(),
    });
    if new == "terminated" {
        let result_info = call.get("resultInfo").filter(|v| !v.is_null()).cloned();
        state.result_info = result_info.clone();
        events.push(Event::Terminated { result_info });
    }
}

fn upsert(state: &mut CallState, participant: &Value, events: &mut Vec<Event>) {
    let Some(id) = participant.get("id").and_then(Value::as_str) else {
        return;
    };
    let sequence = participant.get("rosterSequenceNumber").and_then(sequence_number);
    let stale = state.left.contains(id)
        || sequence.zip(state.roster_sequence.get(id)).is_some_and(|(new, seen)| new < *seen);
    if stale {
        events.push(Event::Stale {
            id: id.to_owned(),
            update: participant.clone(),
        });
        return;
    }
    if let Some(sequence) = sequence {
        if state.roster_sequence.get(id) == Some(&sequence) && state.participants.get(id) != Some(participant) {
            // The same number with other content: one of the two is stale; the first applied stays.
            events.push(Event::Stale {
                id: id.to_owned(),
                update: participant.clone(),
            });
            return;
        }
        state.roster_sequence.insert(id.to_owned(), sequence);
    }
    match state.participants.insert(id.to_owned(), participant.clone()) {
        None => events.push(Event::Joined {
            id: id.to_owned(),
            participant: participant.clone(),
        }),
        Some(old) if old != *participant => events.push(Event::Updated {
            id: id.to_owned(),
            old,
            new: participant.clone(),
        }),
        Some(_) => {}
    }
}

fn leave(state: &mut CallState, participant: &Value, events: &mut Vec<Event>) {
    let Some(id) = participant.get("id").and_then(Value::as_str) else {
        return;
    };
    if !state.left.insert(id.to_owned()) {
        return;
    }
    // Gone for good: its updates are stale without comparing numbers.
    state.roster_sequence.remove(id);
    let old = state.participants.remove(id);
    events.push(Event::Left {
        id: id.to_owned(),
        old,
    });
}

/// A `rosterSequenceNumber`: an `Edm.Int64`, which Graph may send as a number or a string.
fn sequence_number(value: &Value) -> Option<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::notifications::testing::notification;
    use serde_json::json;

    const CALL: &str = "/communications/calls/c1";
    const ROSTER: &str = "/communications/calls/c1/participants";

    #[test]
    fn a_call_from_establishing_to_deleted() {
        let mut state = CallState::default();
        let call = |s: &str| notification("updated", CALL, json!({"@odata.type": "#microsoft.graph.call", "state": s}));
        assert_eq!(
            apply(&mut state, "c1", &call("establishing")),
            [Event::CallState { old: None, new: "establishing".into() }]
        );
        apply(&mut state, "c1", &call("established"));
        // Late: an earlier stage than the call is at.
        assert!(matches!(apply(&mut state, "c1", &call("establishing"))[..], [Event::Stale { .. }]));
        // Hold and back: live states follow as they come.
        assert_eq!(apply(&mut state, "c1", &call("hold")).len(), 1);
        assert_eq!(apply(&mut state, "c1", &call("established")).len(), 1);
        let terminated = notification(
            "deleted",
            CALL,
            json!({"state": "terminated", "resultInfo": {"code": 200, "subcode": 5001}}),
        );
        assert_eq!(
            apply(&mut state, "c1", &terminated),
            [
                Event::CallState { old: Some("established".into()), new: "terminated".into() },
                Event::Terminated { result_info: Some(json!({"code": 200, "subcode": 5001})) },
                Event::Deleted
            ]
        );
        assert!(apply(&mut state, "c1", &terminated).is_empty(), "a duplicate reports nothing");
        // Another call's notification changes nothing.
        assert!(apply(&mut state, "c2", &call("established")).is_empty());
    }

    #[test]
    fn a_roster_with_joins_updates_leaves_and_stale_updates() {
        let mut state = CallState::default();
        let p = |id: &str, muted: bool, seq: i64| json!({"id": id, "isMuted": muted, "rosterSequenceNumber": seq});
        let events = apply(&mut state, "c1", &notification("updated", ROSTER, json!([p("a", false, 1), p("b", false, 1)])));
        assert_eq!(events.len(), 2);
        let events = apply(&mut state, "c1", &notification("updated", ROSTER, json!([p("a", true, 3)])));
        assert!(matches!(&events[..], [Event::Updated { id, .. }] if id == "a"));
        // Sequence 2 comes after 3: stale.
        let events = apply(&mut state, "c1", &notification("updated", ROSTER, json!([p("a", false, 2)])));
        assert!(matches!(&events[..], [Event::Stale { id, .. }] if id == "a"));
        assert_eq!(state.participants["a"]["isMuted"], json!(true));
        let events = apply(&mut state, "c1", &notification("deleted", ROSTER, json!([p("b", false, 1)])));
        assert!(matches!(&events[..], [Event::Left { id, old: Some(_) }] if id == "b"));
        // An update of a participant that left is stale.
        let events = apply(&mut state, "c1", &notification("updated", ROSTER, json!([p("b", true, 9)])));
        assert!(matches!(&events[..], [Event::Stale { .. }]));
        assert_eq!(state.participants.keys().collect::<Vec<_>>(), ["a"]);
        let stored = serde_json::to_value(&state).unwrap();
        assert_eq!(serde_json::from_value::<CallState>(stored).unwrap(), state);
    }
}
