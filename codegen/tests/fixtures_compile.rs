//! Every fixture's generated crate passes clippy and rustdoc without a warning.
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
            Ok(files) => {
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
    let members = members.join(", ");
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{members}]\n");
    fs::write(root.join("Cargo.toml"), manifest).unwrap();
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    fs::copy(lock, root.join("Cargo.lock")).unwrap();

    for command in [
        "clippy --workspace --offline --keep-going --all-targets -- -D warnings",
        "doc --workspace --offline --keep-going --no-deps",
    ] {
        let output = Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()))
            .args(command.split(' '))
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", tmp.join("fixtures-target"))
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .unwrap();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            failures.push(format!("`cargo {command}` failed:\n{stderr}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
