//! What decoding costs a bot, typed against untyped, in one run.
//!
//! Inputs (read once, outside the timing):
//! - `notifications`: the 47 documented callback bodies (the seed fixtures
//!   documented as `microsoft.graph.commsNotifications`), as one batch;
//! - `roster`: one roster notification of 200 participants, built from the
//!   documented roster notification of the create call page;
//! - `seeds`: every seed example of a type that is JSON (trailing commas
//!   repaired), from the pages of both API versions, as one batch.
//!
//! Rows, each measured by criterion and again in the summary:
//! - `ignored_any`: a pure parse (`serde::de::IgnoredAny`);
//! - `value`: `serde_json::from_slice::<Value>`, the baseline every ratio is to;
//! - `value_str`: the same read as `decode_slice` reads (UTF-8 checked once
//!   for the whole text, then `from_str`), so that what the generated types
//!   cost and what reading as `str` saves are seen apart;
//! - `plain`: plain serde structs for the notification path as a typical
//!   generator writes them (`Option` fields, camelCase, no flatten, a
//!   tagged enum for resources), which lose what they do not declare;
//! - `typed`: the generated types (`generated::v1`), every resource typed
//!   as it is read: `from_slice::<CommsNotifications>` (for `seeds`:
//!   `decode` of the documented type from a parsed `Value`);
//! - `typed_slice`: the same through `generated::v1::decode_slice`;
//! - `*_serialize`: writing the decoded value back to bytes.
//!
//! After criterion's report, a summary table gives each row's median time
//! and its ratio to `value` from rounds interleaved in the same process
//! (each round times every row once, in turn, starting one row further
//! than the round before), so drift in the machine's speed touches all rows
//! alike. Inputs of several items are summarized twice: all items decoded
//! in one call and kept until the row's time is taken, and one item per
//! call, each dropped (untimed) before the next, as a bot handles one
//! callback at a time; drops are never timed.
//!
//! Run with `cargo bench -p conformance --bench decode`.

use std::hint::black_box;
use std::ops::Range;
use std::time::{Duration, Instant};

use conformance::{Documents, Role, fixture_text, manifest, repair_trailing_commas};
use criterion::Criterion;
use generated::support::Resource;
use generated::v1::{CommsNotifications, Decoded};
use serde::de::IgnoredAny;
use serde_json::Value;

/// The plain-serde baseline: what a typify-style generator emits for the
/// notification path.
mod plain {
    use serde::{Deserialize, Serialize};

    #[derive(Deserialize, Serialize)]
    pub struct CommsNotifications {
        pub value: Option<Vec<CommsNotification>>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CommsNotification {
        pub change_type: Option<String>,
        pub resource_url: Option<String>,
        pub resource: Option<String>,
        pub resource_data: Option<ResourceData>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(untagged)]
    pub enum ResourceData {
        Many(Vec<Resource>),
        One(Box<Resource>),
    }

    // Unboxed variants, as a typical generator writes them.
    #[allow(clippy::large_enum_variant)]
    #[derive(Deserialize, Serialize)]
    #[serde(tag = "@odata.type")]
    pub enum Resource {
        #[serde(rename = "#microsoft.graph.call")]
        Call(Call),
        #[serde(rename = "#microsoft.graph.participant")]
        Participant(Participant),
        #[serde(rename = "#microsoft.graph.inviteParticipantsOperation")]
        InviteParticipantsOperation(Operation),
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Call {
        pub id: Option<String>,
        pub state: Option<String>,
        pub direction: Option<String>,
        pub callback_uri: Option<String>,
        pub tenant_id: Option<String>,
        pub result_info: Option<ResultInfo>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ResultInfo {
        pub code: Option<i64>,
        pub subcode: Option<i64>,
        pub message: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Participant {
        pub id: Option<String>,
        pub info: Option<ParticipantInfo>,
        pub media_streams: Option<Vec<MediaStream>>,
        pub is_muted: Option<bool>,
        pub is_in_lobby: Option<bool>,
        pub roster_sequence_number: Option<i64>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ParticipantInfo {
        pub identity: Option<IdentitySet>,
        pub endpoint_type: Option<String>,
        pub region: Option<String>,
        pub language_id: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    pub struct IdentitySet {
        pub user: Option<Identity>,
        pub application: Option<Identity>,
        pub device: Option<Identity>,
        pub phone: Option<Identity>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Identity {
        pub id: Option<String>,
        pub display_name: Option<String>,
        pub tenant_id: Option<String>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct MediaStream {
        pub media_type: Option<String>,
        pub source_id: Option<String>,
        pub direction: Option<String>,
        pub label: Option<String>,
        pub server_muted: Option<bool>,
    }

    #[derive(Deserialize, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Operation {
        pub id: Option<String>,
        pub status: Option<String>,
        pub client_context: Option<String>,
        pub result_info: Option<ResultInfo>,
    }
}

const NOTIFICATIONS: &str = "microsoft.graph.commsNotifications";

/// A documented body as bytes, trailing commas repaired; `None` if it is
/// not JSON even then.
fn bytes(entry: &conformance::Entry) -> Option<Vec<u8>> {
    let text = repair_trailing_commas(&fixture_text(entry));
    serde_json::from_str::<IgnoredAny>(&text).ok()?;
    Some(text.into_bytes())
}

/// The documented notification bodies.
fn notifications() -> Vec<Vec<u8>> {
    manifest()
        .iter()
        .filter(|e| e.role == Role::Notification)
        .filter(|e| matches!(&e.documents, Documents::Type { r#type } if r#type == NOTIFICATIONS))
        .filter_map(bytes)
        .collect()
}

/// One roster notification of 200 participants: the documented roster
/// notification with its participant repeated, each with its own id.
fn roster() -> Vec<u8> {
    let entry = manifest()
        .into_iter()
        .find(|e| e.fixture.ends_with("notification-roster.json") && e.fixture.contains("scheduled-meeting"))
        .expect("the create call page documents a roster notification");
    let mut body: Value = serde_json::from_slice(&bytes(&entry).expect("the roster is JSON")).unwrap();
    let data = &mut body["value"][0]["resourceData"];
    let template = data[0].clone();
    let participants: Vec<Value> = (0..200)
        .map(|i| {
            let mut participant = template.clone();
            participant["id"] = Value::String(format!("{i:08x}-6b4b-4e8e-9a4c-1d2f3e4a5b6c"));
            participant
        })
        .collect();
    *data = Value::Array(participants);
    serde_json::to_vec(&body).unwrap()
}

/// Every seed example of a type that is JSON (trailing commas repaired),
/// with the type it documents: the pages of both API versions, all read
/// through `generated::v1`, as the beta ones are in `seed_examples`.
fn seeds() -> Vec<(String, Vec<u8>)> {
    manifest()
        .iter()
        .filter_map(|e| match &e.documents {
            Documents::Type { r#type } => Some((r#type.clone(), bytes(e)?)),
            _ => None,
        })
        .collect()
}

/// A batch of notification bodies decoded into the generated types, every
/// resource typed.
fn typed(bodies: &[Vec<u8>]) -> Vec<CommsNotifications> {
    bodies
        .iter()
        .map(|body| {
            let notifications: CommsNotifications = serde_json::from_slice(body).expect("typed");
            assert_typed(&notifications);
            notifications
        })
        .collect()
}

/// `typed` through `decode_slice`.
fn typed_slice(bodies: &[Vec<u8>]) -> Vec<Decoded> {
    bodies
        .iter()
        .map(|body| {
            let decoded = generated::v1::decode_slice(NOTIFICATIONS, body).expect("typed");
            let Decoded::CommsNotifications(notifications) = &decoded else {
                panic!("not notifications");
            };
            assert_typed(notifications);
            decoded
        })
        .collect()
}

/// Every resource of every notification came out typed (a cheap walk, so
/// that no row can skip the work).
fn assert_typed(notifications: &CommsNotifications) {
    let typed = notifications
        .value
        .value()
        .into_iter()
        .flatten()
        .flat_map(|n| n.resource_data.value().map_or(&[][..], |data| data.items()))
        .all(|r| matches!(r, Resource::Typed(_)));
    assert!(typed, "a resource stayed untyped");
}

fn values(bodies: &[Vec<u8>]) -> Vec<Value> {
    bodies.iter().map(|b| serde_json::from_slice(b).expect("JSON")).collect()
}

/// `values`, reading as `decode_slice` does: UTF-8 checked once for the
/// whole text, then parsed as a `str`.
fn values_str(bodies: &[Vec<u8>]) -> Vec<Value> {
    bodies
        .iter()
        .map(|b| serde_json::from_str(std::str::from_utf8(b).expect("UTF-8")).expect("JSON"))
        .collect()
}

fn plains(bodies: &[Vec<u8>]) -> Vec<plain::CommsNotifications> {
    bodies.iter().map(|b| serde_json::from_slice(b).expect("plain")).collect()
}

fn ignored(bodies: &[Vec<u8>]) -> usize {
    bodies.iter().map(|b| serde_json::from_slice::<IgnoredAny>(b).map(|_| 1).expect("JSON")).sum()
}

/// A row: its name and what it runs over the items of an input in a range
/// (returning something to drop untimed).
type Row<'a> = (&'static str, Box<dyn Fn(Range<usize>) -> Box<dyn std::any::Any> + 'a>);

fn rows<'a>(bodies: &'a [Vec<u8>], seeds: Option<&'a [(String, Vec<u8>)]>) -> Vec<Row<'a>> {
    let decoded_values = values(bodies);
    let decoded_typed = typed(bodies);
    let decoded_plain = plains(bodies);
    let mut rows: Vec<Row<'a>> = vec![
        ("ignored_any", Box::new(move |r| Box::new(ignored(&bodies[r])))),
        ("value", Box::new(move |r| Box::new(values(&bodies[r])))),
        ("value_str", Box::new(move |r| Box::new(values_str(&bodies[r])))),
    ];
    match seeds {
        None => {
            rows.push(("plain", Box::new(move |r| Box::new(plains(&bodies[r])))));
            rows.push(("typed", Box::new(move |r| Box::new(typed(&bodies[r])))));
            rows.push(("typed_slice", Box::new(move |r| Box::new(typed_slice(&bodies[r])))));
            rows.push(("value_serialize", Box::new(move |r| Box::new(decoded_values[r].iter().map(|v| serde_json::to_vec(v).unwrap()).collect::<Vec<_>>()))));
            rows.push(("plain_serialize", Box::new(move |r| Box::new(decoded_plain[r].iter().map(|v| serde_json::to_vec(v).unwrap()).collect::<Vec<_>>()))));
            rows.push(("typed_serialize", Box::new(move |r| Box::new(decoded_typed[r].iter().map(|v| serde_json::to_vec(v).unwrap()).collect::<Vec<_>>()))));
        }
        Some(seeds) => {
            rows.push((
                "typed",
                Box::new(move |r| {
                    let decoded: Vec<_> = seeds[r]
                        .iter()
                        .map(|(ty, body)| generated::v1::decode(ty, serde_json::from_slice(body).unwrap()).expect("a seed decodes"))
                        .collect();
                    Box::new(decoded)
                }),
            ));
            rows.push((
                "typed_slice",
                Box::new(move |r| {
                    let decoded: Vec<_> = seeds[r]
                        .iter()
                        .map(|(ty, body)| generated::v1::decode_slice(ty, body).expect("a seed decodes"))
                        .collect();
                    Box::new(decoded)
                }),
            ));
        }
    }
    rows
}

/// Rounds of the summary: each times every row once, in turn.
const ROUNDS: usize = 101;

/// How a round runs a row over an input's items.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// All items in one call, everything decoded kept until the row's time is taken.
    Batch,
    /// One item at a time, each result dropped (untimed) before the next, as
    /// a bot decodes a callback, handles it and lets it go.
    Each,
}

fn summary(input: &str, items: usize, rows: &[Row<'_>], mode: Mode) {
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(ROUNDS); rows.len()];
    for round in 0..ROUNDS {
        // Each round starts at another row, so no row always follows the
        // same one (and the heap state its drop left).
        for row in (0..rows.len()).map(|i| (i + round) % rows.len()) {
            let run = &rows[row].1;
            let time = match mode {
                Mode::Batch => {
                    let start = Instant::now();
                    let out = black_box(run(0..items));
                    let time = start.elapsed();
                    drop(out);
                    time
                }
                Mode::Each => (0..items)
                    .map(|i| {
                        let start = Instant::now();
                        let out = black_box(run(i..i + 1));
                        let time = start.elapsed();
                        drop(out);
                        time
                    })
                    .sum(),
            };
            times[row].push(time);
        }
    }
    let median = |t: &mut Vec<Duration>| {
        t.sort();
        t[t.len() / 2]
    };
    let medians: Vec<Duration> = times.iter_mut().map(median).collect();
    let value = rows.iter().position(|(name, _)| *name == "value").map(|i| medians[i]);
    let serialize = rows.iter().position(|(name, _)| *name == "value_serialize").map(|i| medians[i]);
    let how = match mode {
        Mode::Batch => "all items per call, kept to the end of the row",
        Mode::Each => "one item per call, dropped before the next",
    };
    println!("\n{input} ({how}): median of {ROUNDS} interleaved rounds");
    println!("| row | median | ratio to value |");
    println!("| --- | --- | --- |");
    for ((name, _), median) in rows.iter().zip(&medians) {
        let base = if name.ends_with("_serialize") { serialize } else { value };
        let ratio = base.map_or(f64::NAN, |b| median.as_secs_f64() / b.as_secs_f64());
        println!("| {name} | {median:.2?} | {ratio:.2}x |");
    }
}

fn main() {
    let notifications = notifications();
    let roster = vec![roster()];
    let seeds = seeds();
    let seed_bodies: Vec<Vec<u8>> = seeds.iter().map(|(_, b)| b.clone()).collect();
    println!(
        "inputs: {} notification bodies ({} bytes), a roster of 200 ({} bytes), {} seed examples ({} bytes)",
        notifications.len(),
        notifications.iter().map(Vec::len).sum::<usize>(),
        roster[0].len(),
        seeds.len(),
        seed_bodies.iter().map(Vec::len).sum::<usize>(),
    );
    let inputs: [(&str, usize, Vec<Row<'_>>); 3] = [
        ("notifications", notifications.len(), rows(&notifications, None)),
        ("roster", 1, rows(&roster, None)),
        ("seeds", seeds.len(), rows(&seed_bodies, Some(&seeds))),
    ];
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    for (input, items, rows) in &inputs {
        let mut group = criterion.benchmark_group(*input);
        for (name, run) in rows {
            group.bench_function(*name, |b| b.iter(|| black_box(run(0..*items))));
        }
        group.finish();
    }
    criterion.final_summary();
    for (input, items, rows) in &inputs {
        summary(input, *items, rows, Mode::Batch);
        if *items > 1 {
            summary(input, *items, rows, Mode::Each);
        }
    }
}
