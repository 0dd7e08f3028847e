//! Every fixture's generated crate, and the communications slice of each
//! published metadata snapshot, passes clippy and rustdoc without a warning;
//! a fixture crate with area features also with each area alone (clippy and
//! rustdoc).
//!
//! The crates are written to a fresh workspace under `target/tmp/fixtures`,
//! with this repository's `Cargo.lock` so that no network is needed, and
//! checked by a nested cargo that has a target directory of its own.

use std::fs;
use std::path::Path;
use std::process::Command;

mod common;

#[test]
fn every_fixture_crate_passes_clippy_and_rustdoc() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let root = tmp.join("fixtures");
    let _ = fs::remove_dir_all(&root);
    let mut members = Vec::new();
    let mut failures = Vec::new();
    for name in common::fixture_names() {
        match common::generate(&name) {
            Ok((files, _)) => {
                for file in files {
                    let path = root.join(&name).join(&file.path);
                    fs::create_dir_all(path.parent().unwrap()).unwrap();
                    fs::write(path, file.contents).unwrap();
                }
                members.push(format!("{name:?}"));
            }
            Err(e) => failures.push(format!("fixture `{name}` is not generated: {e}")),
        }
    }
    // The communications slice of each published snapshot, as `--metadata` makes it.
    if let Some(csdl) = common::shared("csdl") {
        let project = codegen::Project::this_repository();
        for snapshot in [
            "graph-beta-2021-06-01",
            "graph-beta-2021-07-13",
            "graph-v1.0-2024-01-23",
            "graph-v1.0-2025-05-20",
            "graph-v1.0-2025-11-21",
            "graph-v1.0-2026-03-17",
        ] {
            let name = format!("metadata_{}", snapshot.replace(['-', '.'], "_"));
            let path = csdl.join(format!("{snapshot}.xml"));
            let generated = project.generate_from(&path, codegen::ApiVersion::of_file(&path));
            match generated {
                Ok(generated) => {
                    for file in generated.files {
                        let path = root.join(&name).join(&file.path);
                        fs::create_dir_all(path.parent().unwrap()).unwrap();
                        // One workspace, so each crate needs a name of its own.
                        let contents = file
                            .contents
                            .replace("name = \"generated\"", &format!("name = \"{name}\""));
                        fs::write(path, contents).unwrap();
                    }
                    members.push(format!("{name:?}"));
                }
                Err(e) => failures.push(format!("{snapshot} is not generated: {e}")),
            }
        }
    }
    let members = members.join(", ");
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{members}]\n");
    fs::write(root.join("Cargo.toml"), manifest).unwrap();
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    fs::copy(lock, root.join("Cargo.lock")).unwrap();

    for command in [
        "clippy --workspace --offline --keep-going --all-targets -- -D warnings",
        "doc --workspace --offline --keep-going --no-deps",
    ] {
        let args: Vec<&str> = command.split(' ').collect();
        if let Err(stderr) = cargo(&root, &args) {
            failures.push(format!("`cargo {command}` failed:\n{stderr}"));
        }
    }
    // A crate with area features also builds with each area alone (and what
    // it needs), which is how a crate that wants one area depends on it.
    for name in common::fixture_names() {
        let manifest = fs::read_to_string(root.join(&name).join("Cargo.toml")).unwrap_or_default();
        for area in area_features(&manifest) {
            let package = format!("fixture_{name}");
            let only = ["--no-default-features", "--features", &area];
            let clippy = [
                &["clippy", "--offline", "-p", &package][..],
                &only,
                &["--", "-D", "warnings"],
            ];
            let doc = [
                &["doc", "--offline", "--no-deps", "-p", &package][..],
                &only,
            ];
            for args in [clippy.concat(), doc.concat()] {
                if let Err(stderr) = cargo(&root, &args) {
                    failures.push(format!(
                        "fixture `{name}` with only `{area}`: `cargo {}` failed:\n{stderr}",
                        args[0]
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Runs the nested cargo in the fixtures workspace `root`, with its own target
/// directory and rustdoc warnings denied; its stderr when it fails.
fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let output = Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()))
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", tmp.join("fixtures-target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The areas listed by the `full` feature of a generated `Cargo.toml`.
fn area_features(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("full = ["))
        .map(|list| {
            list.trim_end_matches(']')
                .split(", ")
                .map(|area| area.trim_matches('"').to_owned())
                .collect()
        })
        .unwrap_or_default()
}
