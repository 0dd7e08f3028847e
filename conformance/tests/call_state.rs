//! Property test: a call's notifications delivered shuffled and duplicated
//! end in the state that in-order delivery gives (`support::apply`'s rules:
//! a call's lifecycle only moves forward, a participant that left stays gone,
//! `rosterSequenceNumber` orders a participant's updates, duplicates change
//! nothing), and in-order delivery reports nothing as `Stale`.

use generated::support::{CallState, Event, Notification, apply, notifications};
use generated::v1::Decoded;
use proptest::prelude::*;
use serde_json::{Value, json};

const CALL: &str = "/communications/calls/c1";
const ROSTER: &str = "/communications/calls/c1/participants";

fn notification(change: &str, url: &str, data: Value) -> Notification<Decoded> {
    let body = json!({"value": [{"changeType": change, "resourceUrl": url, "resourceData": data}]});
    notifications::<Decoded>(body.to_string().as_bytes())
        .unwrap()
        .remove(0)
}

/// The notifications of one call, in the order the service sends them:
/// establishing, established, then per participant a join and `updates`
/// changes (each with the next `rosterSequenceNumber`) and perhaps a leave,
/// then termination and deletion.
fn in_order(participants: &[(usize, bool)]) -> Vec<Notification<Decoded>> {
    let call = |s: &str| json!({"@odata.type": "#microsoft.graph.call", "state": s});
    let mut sent = vec![
        notification("updated", CALL, call("establishing")),
        notification("updated", CALL, call("established")),
    ];
    for (index, (updates, leaves)) in participants.iter().enumerate() {
        let id = format!("p{index}");
        let participant = |sequence: usize| {
            json!({"@odata.type": "#microsoft.graph.participant", "id": id,
                   "isMuted": sequence % 2 == 1, "rosterSequenceNumber": sequence})
        };
        for sequence in 0..=*updates {
            sent.push(notification(
                "updated",
                ROSTER,
                json!([participant(sequence)]),
            ));
        }
        if *leaves {
            sent.push(notification(
                "deleted",
                ROSTER,
                json!([participant(*updates)]),
            ));
        }
    }
    sent.push(notification(
        "deleted",
        CALL,
        json!({"@odata.type": "#microsoft.graph.call", "state": "terminated",
               "resultInfo": {"code": 200, "subcode": 5001, "message": "done"}}),
    ));
    sent
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_delivery_order_ends_in_the_in_order_state(
        participants in prop::collection::vec((0usize..4, any::<bool>()), 0..5),
        order in any::<prop::sample::Index>(),
        duplicates in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
        seed in any::<u64>(),
    ) {
        let sent = in_order(&participants);
        let mut expected = CallState::default();
        for n in &sent {
            apply(&mut expected, "c1", n);
        }
        // Shuffle by a seeded permutation, then deliver some twice.
        let mut delivery: Vec<usize> = (0..sent.len()).collect();
        let mut state = seed ^ (order.index(usize::MAX) as u64);
        for i in (1..delivery.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            delivery.swap(i, (state >> 33) as usize % (i + 1));
        }
        for d in &duplicates {
            delivery.push(d.index(sent.len()));
        }
        let mut shuffled = CallState::default();
        for &i in &delivery {
            apply(&mut shuffled, "c1", &sent[i]);
        }
        prop_assert_eq!(&shuffled, &expected);
        prop_assert_eq!(shuffled.state.as_deref(), Some("terminated"));
        prop_assert!(shuffled.deleted);
        // In order, nothing is stale.
        let mut again = CallState::default();
        let in_order_stale = sent.iter()
            .flat_map(|n| apply(&mut again, "c1", n))
            .filter(|e| matches!(e, Event::Stale { .. }))
            .count();
        prop_assert_eq!(in_order_stale, 0);
    }
}
