//! The bodies the `invite` example sends are the documented ones: example 1
//! of the v1.0 page through `generated::v1`, of the beta page through
//! `generated::beta`.

use conformance::{fixture_text, invite, manifest};
use serde_json::Value;

fn documented(fixture: &str) -> Value {
    let entry = manifest()
        .into_iter()
        .find(|entry| entry.fixture == fixture)
        .unwrap_or_else(|| panic!("{fixture} is not in the manifest"));
    serde_json::from_str(&fixture_text(&entry)).unwrap()
}

#[test]
fn the_example_sends_the_documented_v1_body() {
    let built = serde_json::to_value(invite::v1::invite_parameters()).unwrap();
    assert_eq!(built, documented("invite-v1-fr/ex1-request.json"));
}

#[test]
fn the_example_sends_the_documented_beta_body() {
    let built = serde_json::to_value(invite::beta::invite_parameters()).unwrap();
    assert_eq!(built, documented("invite-beta-ja/ex1-request.json"));
}
