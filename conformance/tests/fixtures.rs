//! The fixtures against their manifest and against the seed pages they were
//! copied from. Nothing here needs generated types.

use std::collections::BTreeSet;
use std::path::Path;

use conformance::{
    Entry, fixture_text, manifest, repair_trailing_commas, seeds_dir, trailing_commas,
};
use serde_json::Value;

/// The JSON blocks in the five seed pages (see the crate's `fixtures/extract_seeds.py`).
const BLOCKS: usize = 93;
/// Of those, the blocks of the Create call page that have trailing commas.
const INVALID: usize = 8;

#[test]
fn manifest_lists_every_fixture_file_and_nothing_else() {
    let entries = manifest();
    assert_eq!(entries.len(), BLOCKS);
    let listed: BTreeSet<String> = entries.iter().map(|e| e.fixture.clone()).collect();
    assert_eq!(listed.len(), BLOCKS, "a fixture is listed twice");

    let mut on_disk = BTreeSet::new();
    files_under(&seeds_dir(), &seeds_dir(), &mut on_disk);
    on_disk.remove("manifest.json");
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    assert!(missing.is_empty(), "listed but missing: {missing:?}");
    assert!(unlisted.is_empty(), "not in the manifest: {unlisted:?}");
}

fn files_under(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(root, &path, out);
        } else {
            let relative = path.strip_prefix(root).unwrap();
            out.insert(relative.to_str().unwrap().replace('\\', "/"));
        }
    }
}

#[test]
fn valid_blocks_parse_and_invalid_blocks_fail_where_recorded() {
    let entries = manifest();
    for entry in &entries {
        let text = fixture_text(entry);
        let parsed = serde_json::from_str::<Value>(&text);
        let name = &entry.fixture;
        match (entry.valid_json, parsed, entry.parse_error) {
            (true, Ok(_), None) => {}
            (false, Err(error), Some(at)) => {
                assert_eq!(
                    (error.line(), error.column()),
                    (at.line, at.column),
                    "{name}: {error}"
                );
                check_repair(entry, &text);
            }
            (valid, parsed, at) => {
                panic!("{name}: valid_json {valid}, parse_error {at:?}, but serde_json: {parsed:?}")
            }
        }
    }
    let invalid = entries.iter().filter(|e| !e.valid_json).count();
    assert_eq!(invalid, INVALID);
}

/// The repair makes an invalid block parse by removing trailing commas and nothing else.
fn check_repair(entry: &Entry, text: &str) {
    let name = &entry.fixture;
    let commas = trailing_commas(text);
    let repaired = repair_trailing_commas(text);
    if let Err(error) = serde_json::from_str::<Value>(&repaired) {
        panic!("{name}: still invalid after the repair: {error}");
    }
    assert!(!commas.is_empty(), "{name}: no trailing comma found");
    assert_eq!(text.len() - repaired.len(), commas.len(), "{name}");

    // The repaired text is the original with exactly those bytes, all commas, removed.
    let mut expected = text.as_bytes().to_vec();
    for &i in commas.iter().rev() {
        assert_eq!(expected.remove(i), b',', "{name}: byte {i} is not a comma");
    }
    assert_eq!(repaired.as_bytes(), expected, "{name}");

    // serde_json stops at the bracket after the first trailing comma.
    let bracket = commas[0] + text[commas[0] + 1..].find(['}', ']']).unwrap() + 1;
    let at = entry.parse_error.unwrap();
    assert_eq!(position(text, bracket), (at.line, at.column), "{name}");
}

/// 1-based (line, column in chars) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Byte offset of a 1-based (line, column in chars).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    start + text[start..].char_indices().nth(column - 1).unwrap().0
}

#[test]
fn fixtures_are_the_seed_text_byte_for_byte() {
    let Some(seeds) = conformance::shared("seeds") else {
        return;
    };
    for entry in manifest() {
        let seed = std::fs::read_to_string(seeds.join(&entry.seed)).unwrap();
        let start = offset(&seed, entry.line, entry.column);
        // The closing bracket is one byte, so the span ends one byte after it.
        let end = offset(&seed, entry.end_line, entry.end_column) + 1;
        assert_eq!(
            fixture_text(&entry),
            seed[start..end],
            "{} is not {}:{}",
            entry.fixture,
            entry.seed,
            entry.line
        );
    }
}
