//! Microsoft's published metadata (`../shared/csdl`, three snapshots) through
//! the generator. These tests read reference data the repository does not
//! commit; where it is absent they say so and pass.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::emit::{CrateOptions, File};
use codegen::{diff, slice};

fn snapshot(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/csdl")
        .join(name);
    if path.exists() {
        Some(path)
    } else {
        println!(
            "skipped: {} is absent (the reference metadata lives outside the repository)",
            path.display()
        );
        None
    }
}

fn sliced(path: &Path) -> codegen::model::Model {
    let document = codegen::read_file(path).unwrap_or_else(|e| panic!("{e}"));
    codegen::sliced_model(&[document], &[], &slice::Roots::communications())
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

#[test]
fn diff_of_the_two_beta_snapshots() {
    let (Some(old), Some(new)) = (
        snapshot("graph-beta-2021-06-01.xml"),
        snapshot("graph-beta-2021-07-13.xml"),
    ) else {
        return;
    };
    let report = diff::diff(&sliced(&old), &sliced(&new));
    insta::assert_snapshot!("beta_2021_06_01_to_2021_07_13", report.to_string());
    insta::assert_snapshot!("beta_2021_06_01_to_2021_07_13_json", report.to_json());
}

/// The generated crate's items, keyed by the type each belongs to.
fn items(files: &[File]) -> BTreeMap<String, String> {
    let mut items = BTreeMap::new();
    for file in files
        .iter()
        .filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("src/support/"))
    {
        // Items are separated by blank lines at the top level; docs and attributes stay with theirs.
        for chunk in file.contents.split("\n\n") {
            let owner = chunk
                .lines()
                .find_map(|line| {
                    let line = line.trim_start();
                    [
                        "pub struct ",
                        "pub enum ",
                        "impl crate::support::EnumMember for ",
                        "impl crate::support::Object for ",
                        "impl ::std::fmt::Debug for ",
                        "impl ",
                    ]
                    .iter()
                    .find_map(|prefix| line.strip_prefix(prefix))
                    .map(|rest| {
                        rest.split([' ', '<', '{'])
                            .next()
                            .unwrap_or_default()
                            .to_owned()
                    })
                })
                .unwrap_or_default();
            items.insert(
                format!("{}::{owner}::{}", file.path, items.len()),
                chunk.to_owned(),
            );
        }
    }
    items
}

/// Regenerating from the older beta and then the newer one changes only the
/// code of what changed: every changed item belongs to a type the diff
/// reports, or refers to one.
#[test]
fn regenerating_a_newer_beta_touches_only_what_changed() {
    let (Some(old), Some(new)) = (
        snapshot("graph-beta-2021-06-01.xml"),
        snapshot("graph-beta-2021-07-13.xml"),
    ) else {
        return;
    };
    let (old_model, new_model) = (sliced(&old), sliced(&new));
    let report = diff::diff(&old_model, &new_model);
    let options = CrateOptions {
        name: "generated".to_owned(),
        area_features: false,
        inputs: vec!["metadata.xml".to_owned()],
    };
    let before: BTreeSet<String> =
        items(&codegen::emit::crate_files(&old_model, &options).unwrap())
            .into_values()
            .collect();
    let after = codegen::emit::crate_files(&new_model, &options).unwrap();
    // Rust names of the types the diff names (`microsoft.graph.identitySet` -> `IdentitySet`).
    let changed: BTreeSet<String> = report
        .changes
        .iter()
        .map(|c| {
            c.subject
                .split('(')
                .next()
                .unwrap()
                .rsplit('.')
                .next()
                .unwrap()
                .to_owned()
        })
        .map(|name| heck::AsUpperCamelCase(name).to_string())
        .collect();
    let mut unexplained = Vec::new();
    let mut touched = 0;
    for item in items(&after)
        .into_values()
        .filter(|item| !before.contains(item))
    {
        touched += 1;
        // The crate docs count the types; that line changes with any added type.
        let crate_docs = item.contains("types in") && item.starts_with("// @generated");
        if !crate_docs && !changed.iter().any(|name| item.contains(name.as_str())) {
            unexplained.push(item);
        }
    }
    println!(
        "{touched} items changed for {} reported changes",
        report.changes.len()
    );
    assert!(
        touched > 0,
        "the snapshots differ, so something must change"
    );
    assert!(
        unexplained.is_empty(),
        "items changed that the diff does not explain:\n{}",
        unexplained.join("\n----\n")
    );
}
