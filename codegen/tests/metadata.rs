//! Microsoft's published metadata (`../shared/csdl`: two betas of 2021,
//! v1.0 of 2024, 2025-05, 2025-11 and 2026-03) through the generator: the
//! diff of consecutive snapshots of one API version, and what regenerating
//! from the newer one changes. These tests read reference data the
//! repository does not commit; where it is absent they say so and pass.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::emit::{CrateOptions, File};
use codegen::{diff, slice};

mod common;

fn snapshot(name: &str) -> Option<PathBuf> {
    common::shared(&format!("csdl/{name}"))
}

fn sliced(path: &Path) -> codegen::model::Model {
    let document = codegen::read_file(path).unwrap_or_else(|e| panic!("{e}"));
    codegen::sliced_model(&[document], &[], &slice::Roots::communications())
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

/// The pairs of consecutive snapshots of one API version, with the name of
/// their diff snapshots.
const PAIRS: &[(&str, &str, &str)] = &[
    (
        "graph-beta-2021-06-01.xml",
        "graph-beta-2021-07-13.xml",
        "beta_2021_06_01_to_2021_07_13",
    ),
    (
        "graph-v1.0-2025-05-20.xml",
        "graph-v1.0-2025-11-21.xml",
        "v1_2025_05_20_to_2025_11_21",
    ),
    (
        "graph-v1.0-2025-11-21.xml",
        "graph-v1.0-2026-03-17.xml",
        "v1_2025_11_21_to_2026_03_17",
    ),
    // Ten months at once, as a maintainer who skipped a snapshot sees it.
    (
        "graph-v1.0-2025-05-20.xml",
        "graph-v1.0-2026-03-17.xml",
        "v1_2025_05_20_to_2026_03_17",
    ),
];

/// The models of a pair, or `None` (said) where the reference data is absent.
fn pair(old: &str, new: &str) -> Option<(codegen::model::Model, codegen::model::Model)> {
    let (old, new) = (snapshot(old)?, snapshot(new)?);
    Some((sliced(&old), sliced(&new)))
}

/// `cargo xtask diff` of each pair, as text and as JSON.
#[test]
fn diff_of_consecutive_snapshots() {
    for (old, new, name) in PAIRS {
        let Some((old, new)) = pair(old, new) else {
            return;
        };
        let report = diff::diff(&old, &new);
        insta::assert_snapshot!(*name, report.to_string());
        insta::assert_snapshot!(format!("{name}_json"), report.to_json());
    }
}

/// The generated crate's items, keyed by the type each belongs to. Items
/// are separated by blank lines; one inside an `impl` (a method) is kept with
/// the line that opens its `impl`, so it names the type it belongs to.
fn items(files: &[File]) -> BTreeMap<String, String> {
    let mut items = BTreeMap::new();
    for file in files
        .iter()
        .filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("src/support/"))
    {
        let mut enclosing = String::new();
        // The last item of a file ends in a newline the others do not have.
        for chunk in file.contents.split("\n\n").map(str::trim_end) {
            let item = if chunk.starts_with(' ') {
                format!("{enclosing}\n{chunk}")
            } else {
                // The first line that is neither a doc comment nor an attribute.
                enclosing = chunk
                    .lines()
                    .find(|line| !line.starts_with("//") && !line.starts_with('#'))
                    .unwrap_or_default()
                    .to_owned();
                chunk.to_owned()
            };
            items.insert(format!("{}::{}", file.path, items.len()), item);
        }
    }
    items
}

/// Regenerating from the older snapshot and then the newer one changes only
/// the code of what changed: every changed item belongs to a type the diff
/// reports, or refers to one.
#[test]
fn regenerating_a_newer_snapshot_touches_only_what_changed() {
    for (old, new, name) in PAIRS {
        let Some((old_model, new_model)) = pair(old, new) else {
            return;
        };
        churn(name, &old_model, &new_model);
    }
}

fn churn(name: &str, old_model: &codegen::model::Model, new_model: &codegen::model::Model) {
    let report = diff::diff(old_model, new_model);
    let options = CrateOptions {
        name: "generated".to_owned(),
        area_features: false,
        inputs: vec!["metadata.xml".to_owned()],
    };
    let before: BTreeSet<String> = items(&codegen::emit::crate_files(old_model, &options).unwrap())
        .into_values()
        .collect();
    let after = codegen::emit::crate_files(new_model, &options).unwrap();
    // Rust names of the types the diff names (`microsoft.graph.identitySet` ->
    // `IdentitySet`), and of the types derived from them, whose structs
    // repeat the properties they inherit.
    let changed: BTreeSet<String> = report
        .changes
        .iter()
        .map(|c| c.subject.split('(').next().unwrap())
        .flat_map(|subject| match new_model.find(subject) {
            Some(id) => new_model
                .with_descendants(id)
                .into_iter()
                .map(|t| new_model.ty(t).name.name.clone())
                .collect(),
            None => vec![subject.rsplit('.').next().unwrap().to_owned()],
        })
        .map(|name| heck::AsUpperCamelCase(name).to_string())
        .collect();
    let templates: Vec<&str> = report
        .changes
        .iter()
        .map(|c| c.subject.as_str())
        .filter(|subject| subject.starts_with('/'))
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
        // Requests gained or lost are reported under their URL template.
        // (a template ends at a backtick, or goes on to an operation).
        let at_template = templates
            .iter()
            .any(|t| item.contains(&format!("{t}`")) || item.contains(&format!("{t}/")));
        if !crate_docs && !at_template && !changed.iter().any(|name| item.contains(name.as_str())) {
            unexplained.push(item);
        }
    }
    println!(
        "{name}: {touched} items changed for {} reported changes",
        report.changes.len()
    );
    assert!(
        touched > 0,
        "{name}: the snapshots differ, so something must change"
    );
    assert!(
        unexplained.is_empty(),
        "{name}: items changed that the diff does not explain:\n{}",
        unexplained.join("\n----\n")
    );
}

/// Every snapshot generates whole (`cargo xtask codegen --all`), in memory,
/// with the additions of its API version; `fixtures_compile` compiles their
/// communications slices.
#[test]
fn every_snapshot_generates_whole() {
    let project = codegen::Project::this_repository();
    for name in [
        "graph-beta-2021-06-01.xml",
        "graph-beta-2021-07-13.xml",
        "graph-v1.0-2024-01-23.xml",
        "graph-v1.0-2025-05-20.xml",
        "graph-v1.0-2025-11-21.xml",
        "graph-v1.0-2026-03-17.xml",
    ] {
        let Some(path) = snapshot(name) else {
            return;
        };
        let version = codegen::ApiVersion::of_file(&path);
        let generated = project
            .generate_all(&path, version)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let types = generated.models[0].types.len();
        println!("{name}: {types} types, {} files", generated.files.len());
        assert!(types > 2000, "{name}: only {types} types");
    }
}
