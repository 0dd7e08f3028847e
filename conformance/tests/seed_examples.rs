//! The acceptance test: every JSON example documented in the seed pages is
//! read into its documented type and written back, and the result must equal
//! the input as JSON data (every property kept with its value, nothing
//! invented, explicit nulls still null; key order free). A snapshot of each
//! typed value records how the example is understood.
//!
//! Each example goes through the module of the API version its page
//! documents (`generated::beta` or `generated::v1`); then every beta example
//! goes through `v1` too, to show what a bot that moves to v1.0 would read.
//!
//! A plain binary (`harness = false`) so that its last lines are the figures
//! the README quotes.

use conformance::{Api, Documents, Entry, fixture_text, manifest, repair_trailing_commas};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The typed value read from `input`, written back, and its debug form.
fn through<T: DeserializeOwned + Serialize + std::fmt::Debug>(
    input: Value,
) -> Result<(Value, String), String> {
    let typed: T = serde_json::from_value(input).map_err(|e| e.to_string())?;
    let output = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    Ok((output, format!("{typed:#?}")))
}

/// `round_trip` for one API version's module: the example read as its
/// documented type (or action parameters) of that version, and written back.
macro_rules! round_trip_in {
    ($name:ident, $version:ident) => {
        fn $name(entry: &Entry, input: Value) -> Result<(Value, String), String> {
            use generated::$version::api::{AnswerParameters, InviteParameters};
            match &entry.documents {
                Documents::Type { r#type } => {
                    let typed =
                        generated::$version::decode(r#type, input).map_err(|e| e.to_string())?;
                    let output = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
                    Ok((output, format!("{typed:#?}")))
                }
                Documents::Action { action, binding } => {
                    match (action.as_str(), binding.as_str()) {
                        ("microsoft.graph.invite", "Collection(microsoft.graph.participant)") => {
                            through::<InviteParameters>(input)
                        }
                        ("microsoft.graph.answer", "microsoft.graph.call") => {
                            through::<AnswerParameters>(input)
                        }
                        _ => Err(format!(
                            "no parameters type for {action} bound to {binding}"
                        )),
                    }
                }
                Documents::Collection { collection } => {
                    Err(format!("no collection fixtures expected ({collection})"))
                }
            }
        }
    };
}

round_trip_in!(round_trip_beta, beta);
round_trip_in!(round_trip_v1, v1);

/// The example through the module of the version its page documents.
fn round_trip(entry: &Entry, input: Value) -> Result<(Value, String), String> {
    match entry.api {
        Api::Beta => round_trip_beta(entry, input),
        Api::V1 => round_trip_v1(entry, input),
    }
}

/// The example as JSON, its trailing commas removed where it has them.
fn input_of(entry: &Entry) -> Result<Value, String> {
    let documented = fixture_text(entry);
    let text = if entry.valid_json {
        documented
    } else {
        repair_trailing_commas(&documented)
    };
    serde_json::from_str(&text).map_err(|e| format!("not JSON even after repair: {e}"))
}

/// Every beta example through `v1`: how many decode, and how many of those
/// come back unchanged. Undeclared properties are kept, so every one that
/// decodes must round-trip; the ones that do not decode are listed.
fn beta_examples_through_v1(entries: &[Entry]) -> Vec<String> {
    let (mut total, mut decoded, mut unchanged) = (0, 0, 0);
    let mut failures = Vec::new();
    for entry in entries.iter().filter(|e| e.api == Api::Beta) {
        total += 1;
        let Ok(input) = input_of(entry) else { continue };
        match round_trip_v1(entry, input.clone()) {
            Ok((output, _)) => {
                decoded += 1;
                if output == input {
                    unchanged += 1;
                } else {
                    failures.push(format!(
                        "{} through v1: differs after the round trip\n  in:  {input}\n  out: {output}",
                        entry.fixture
                    ));
                }
            }
            Err(e) => println!("not in v1: {}: {e}", entry.fixture),
        }
    }
    println!(
        "beta seed examples through v1: {decoded}/{total} decode, {unchanged}/{decoded} of them round-trip exactly"
    );
    failures
}

fn main() {
    let entries = manifest();
    let (mut exact, mut repaired) = (0, 0);
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for entry in &entries {
        let input = match input_of(entry) {
            Ok(value) => value,
            Err(e) => {
                failures.push(format!("{}: {e}", entry.fixture));
                continue;
            }
        };
        match round_trip(entry, input.clone()) {
            Ok((output, debug)) if output == input => {
                if entry.valid_json {
                    exact += 1
                } else {
                    repaired += 1
                }
                snapshots.push((
                    entry.fixture.trim_end_matches(".json").replace('/', "__"),
                    debug,
                ));
            }
            Ok((output, _)) => failures.push(format!(
                "{}: differs after the round trip\n  in:  {input}\n  out: {output}",
                entry.fixture
            )),
            Err(e) => failures.push(format!("{}: {e}", entry.fixture)),
        }
    }
    failures.extend(beta_examples_through_v1(&entries));
    for failure in &failures {
        println!("FAILED {failure}");
    }
    for (name, debug) in snapshots {
        insta::assert_snapshot!(name, debug);
    }
    println!(
        "seed examples: {}/{} round-trip exactly ({repaired} of them after removing trailing commas)",
        exact + repaired,
        entries.len()
    );
    if !failures.is_empty() {
        std::process::exit(1);
    }
}
