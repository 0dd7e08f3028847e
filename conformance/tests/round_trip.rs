//! Every documented JSON example read into its documented type and written
//! back: the result must equal the input as JSON data.

use conformance::{Documents, manifest, fixture_text, repair_trailing_commas};

#[test]
fn seed_examples_round_trip() {
    let mut exact = 0;
    let mut repaired = 0;
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    let entries = manifest();
    for entry in &entries {
        let Documents::Type { r#type } = &entry.documents else {
            skipped.push(entry.fixture.clone());
            continue;
        };
        let text = fixture_text(entry);
        let text = if entry.valid_json { text } else { repair_trailing_commas(&text) };
        let input: serde_json::Value = serde_json::from_str(&text).unwrap();
        match generated::decode(r#type, input.clone()) {
            Ok(typed) => {
                let output = serde_json::to_value(&typed).unwrap();
                if output == input {
                    if entry.valid_json { exact += 1 } else { repaired += 1 }
                } else {
                    failures.push(format!("{}: differs\n  in:  {input}\n  out: {output}", entry.fixture));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", entry.fixture)),
        }
    }
    println!("skipped (no type yet): {skipped:?}");
    println!("seed examples: {exact}/{} round-trip exactly, {repaired} after repair", entries.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
