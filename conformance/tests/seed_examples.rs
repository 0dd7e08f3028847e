//! The acceptance test: every JSON example documented in the seed pages is
//! read into its documented type and written back, and the result must equal
//! the input as JSON data (every property kept with its value, nothing
//! invented, explicit nulls still null; key order free). A snapshot of each
//! typed value records how the example is understood.
//!
//! A plain binary (`harness = false`) so that its last line is the figure the
//! README quotes.

use conformance::{Documents, Entry, fixture_text, manifest, repair_trailing_commas};
use generated::api::{AnswerParameters, InviteParameters};
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

fn round_trip(entry: &Entry, input: Value) -> Result<(Value, String), String> {
    match &entry.documents {
        Documents::Type { r#type } => {
            let typed = generated::decode(r#type, input).map_err(|e| e.to_string())?;
            let output = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
            Ok((output, format!("{typed:#?}")))
        }
        Documents::Action { action, binding } => match (action.as_str(), binding.as_str()) {
            ("microsoft.graph.invite", "Collection(microsoft.graph.participant)") => {
                through::<InviteParameters>(input)
            }
            ("microsoft.graph.answer", "microsoft.graph.call") => {
                through::<AnswerParameters>(input)
            }
            _ => Err(format!(
                "no parameters type for {action} bound to {binding}"
            )),
        },
        Documents::Collection { collection } => {
            Err(format!("no collection fixtures expected ({collection})"))
        }
    }
}

fn main() {
    let entries = manifest();
    let (mut exact, mut repaired) = (0, 0);
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for entry in &entries {
        let documented = fixture_text(entry);
        let text = if entry.valid_json {
            documented
        } else {
            repair_trailing_commas(&documented)
        };
        let input: Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            Err(e) => {
                failures.push(format!(
                    "{}: not JSON even after repair: {e}",
                    entry.fixture
                ));
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
