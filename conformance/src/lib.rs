//! Acceptance tests: the documented Graph JSON examples against the generated types.
//!
//! `fixtures/seeds/` holds every JSON block of the Graph reference pages in
//! `../shared/seeds`, byte for byte as documented (invalid JSON included), and
//! `fixtures/seeds/manifest.json` says where each block comes from and what it
//! documents. This crate reads them; `fixtures/extract_seeds.py` wrote them.

use std::path::PathBuf;

pub mod bot;
pub mod invite;
pub mod scripted;
pub mod signing;

use serde::Deserialize;

/// One documented JSON block: where it was copied from and what it documents.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The fixture file, relative to `fixtures/seeds/`.
    pub fixture: String,
    /// The seed page's file name in `../shared/seeds`.
    pub seed: String,
    /// 1-based line of the opening bracket in the seed page.
    pub line: usize,
    /// 1-based line of the closing bracket.
    pub end_line: usize,
    /// 1-based column (in chars) of the opening bracket.
    pub column: usize,
    /// 1-based column (in chars) of the closing bracket.
    pub end_column: usize,
    /// The reference page's title, e.g. `participant: invite`.
    pub page: String,
    pub api: Api,
    /// What the example shows, in English.
    pub example: String,
    pub role: Role,
    /// The request or status line shown above the block.
    pub http: Option<String>,
    /// Whether the block is valid JSON as documented.
    pub valid_json: bool,
    pub documents: Documents,
    /// Where serde_json reports the first error, for blocks that are not valid JSON.
    #[serde(default)]
    pub parse_error: Option<Position>,
}

/// The API version a page documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Api {
    #[serde(rename = "beta")]
    Beta,
    #[serde(rename = "v1.0")]
    V1,
}

/// What part of an exchange a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Request,
    Response,
    /// A callback the service posts to the bot.
    Notification,
}

/// What a block is a value of; names are qualified CSDL names (`microsoft.graph.call`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Documents {
    /// A value of this type.
    Type { r#type: String },
    /// The parameters of an action bound to `binding`.
    Action { action: String, binding: String },
    /// A collection of this type.
    Collection { collection: String },
}

/// A 1-based line and column, as serde_json reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// How the fixtures were copied; documentation only.
    #[allow(dead_code)]
    description: String,
    fixtures: Vec<Entry>,
}

/// `../shared/<sub>` beside the repository (reference data it does not
/// commit), or `None`, said, where it is absent. Under CI (`CI` set) it must
/// be there: a green CI never hides missing reference data.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")).join(sub);
    if path.exists() {
        return Some(path);
    }
    let why = format!(
        "{} is absent (reference data outside the repository)",
        path.display()
    );
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{why}; CI must have it");
    }
    println!("skipped: {why}");
    None
}

/// The directory that holds the fixtures and `manifest.json`.
pub fn seeds_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds"))
}

/// The manifest's entries, in the order of the seed pages.
pub fn manifest() -> Vec<Entry> {
    let path = seeds_dir().join("manifest.json");
    let text = read(&path);
    let manifest: Manifest =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    manifest.fixtures
}

/// The fixture's text, exactly as documented.
pub fn fixture_text(entry: &Entry) -> String {
    read(&seeds_dir().join(&entry.fixture))
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Byte offsets of the trailing commas in JSON text: commas outside string
/// literals whose next non-whitespace character is `}` or `]`.
pub fn trailing_commas(text: &str) -> Vec<usize> {
    // Scanning bytes is safe: `"`, `\` and `,` never occur inside a multi-byte UTF-8 char.
    let bytes = text.as_bytes();
    let (mut in_string, mut escaped) = (false, false);
    let mut commas = Vec::new();
    for (i, &byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if byte == b'"' {
            in_string = true;
        } else if byte == b',' {
            let next = bytes[i + 1..]
                .iter()
                .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
            if matches!(next, Some(b'}' | b']')) {
                commas.push(i);
            }
        }
    }
    commas
}

/// Removes the trailing commas (see [`trailing_commas`]) and changes nothing
/// else, so that the eight documented blocks with trailing commas can still be
/// checked against the types they document.
pub fn repair_trailing_commas(text: &str) -> String {
    let commas = trailing_commas(text);
    text.char_indices()
        .filter(|(i, _)| !commas.contains(i))
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_trailing_commas_in_objects_and_arrays() {
        let text = "{\n  \"a\": [1, 2,\n  ],\n  \"b\": {\"c\": null,}  ,\n}";
        assert_eq!(
            repair_trailing_commas(text),
            "{\n  \"a\": [1, 2\n  ],\n  \"b\": {\"c\": null}  \n}"
        );
    }

    #[test]
    fn keeps_commas_inside_strings() {
        let text = r#"{"a": "x,}", "b": "y, ]", "c": [1,],}"#;
        assert_eq!(
            repair_trailing_commas(text),
            r#"{"a": "x,}", "b": "y, ]", "c": [1]}"#
        );
    }

    #[test]
    fn an_escaped_quote_does_not_end_a_string() {
        let text = r#"{"a": "say \",}\" twice",}"#;
        assert_eq!(repair_trailing_commas(text), r#"{"a": "say \",}\" twice"}"#);
        assert_eq!(trailing_commas(text), vec![text.len() - 2]);
    }

    #[test]
    fn leaves_valid_json_and_other_commas_alone() {
        let text = "{\"a\": [1, 2], \"é\": {\"b\": \"c\"}}";
        assert!(trailing_commas(text).is_empty());
        assert_eq!(repair_trailing_commas(text), text);
        // Not a trailing comma: a value, not a closing bracket, follows it.
        assert_eq!(repair_trailing_commas("[1,,2]"), "[1,,2]");
    }

    #[test]
    fn documents_is_exactly_one_of_its_shapes() {
        let parse = serde_json::from_str::<Documents>;
        assert_eq!(
            parse(r#"{"type": "microsoft.graph.call"}"#).unwrap(),
            Documents::Type {
                r#type: "microsoft.graph.call".into()
            }
        );
        assert!(parse(r#"{"type": "microsoft.graph.call", "binding": "x"}"#).is_err());
        assert!(parse(r#"{"action": "microsoft.graph.answer"}"#).is_err());
    }
}

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
