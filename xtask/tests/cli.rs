//! The xtask as a maintainer runs it: exit codes, messages, and what it leaves on disk.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn bad_csdl_fails_with_its_place_and_leaves_the_output_alone() {
    let dir = scratch("bad-csdl");
    let out = dir.join("out");
    assert!(
        xtask(&["codegen", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let before = tree(&out);

    let bad = dir.join("bad.xml");
    std::fs::write(&bad, "<edmx:Edmx xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  <edmx:DataServices>\n    <Schema").unwrap();
    let output = xtask(&[
        "codegen",
        "--metadata",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let expected = format!(
        "error: {}:3:12: malformed XML: the root node was opened but never closed\n",
        bad.display()
    );
    assert_eq!(stderr, expected);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(tree(&out), before, "a failed run changed the output");
}

/// Every schema of the bad-schema suite: exit code 1, one `error:` line, no
/// panic, and the output directory byte-identical afterwards.
#[test]
fn every_bad_schema_exits_1_and_changes_nothing() {
    let out = scratch("bad-suite").join("out");
    assert!(
        xtask(&["codegen", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let before = tree(&out);
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/bad_schemas");
    for entry in std::fs::read_dir(suite).unwrap() {
        let path = entry.unwrap().path();
        let output = xtask(&[
            "codegen",
            "--metadata",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: {stderr}",
            path.display()
        );
        assert!(
            stderr.starts_with("error: ") && stderr.lines().count() == 1,
            "{}: {stderr}",
            path.display()
        );
    }
    assert_eq!(tree(&out), before, "a failed run changed the output");
}

#[test]
fn check_names_stale_files_and_changes_nothing() {
    let out = scratch("check").join("out");
    assert!(
        xtask(&["codegen", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let fresh = xtask(&["codegen", "--check", "--out", out.to_str().unwrap()]);
    assert!(
        fresh.status.success(),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    std::fs::write(out.join("src/v1/graph.rs"), "// edited by hand\n").unwrap();
    let stale = xtask(&["codegen", "--check", "--out", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stderr.contains("src/v1/graph.rs (changed)"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("src/v1/graph.rs")).unwrap(),
        "// edited by hand\n"
    );
}

#[test]
fn same_input_same_bytes() {
    let first = scratch("determinism-1").join("out");
    let second = scratch("determinism-2").join("out");
    assert!(
        xtask(&["codegen", "--out", first.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        xtask(&["codegen", "--out", second.to_str().unwrap()])
            .status
            .success()
    );
    let strip = |files: Vec<(PathBuf, Vec<u8>)>, root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        files
            .into_iter()
            .map(|(p, c)| (p.strip_prefix(root).unwrap().to_path_buf(), c))
            .collect()
    };
    assert_eq!(strip(tree(&first), &first), strip(tree(&second), &second));
}

/// `--api` names a version this repository has; anything else is refused
/// before the document is read.
#[test]
fn an_unknown_api_version_is_refused() {
    let output = xtask(&["codegen", "--metadata", "any.xml", "--api", "v2.0"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: --api v2.0: not one of beta, v1.0\n"
    );
}

/// An unchanged regeneration changes no file.
#[test]
fn regenerating_unchanged_output_changes_nothing() {
    let out = scratch("unchanged").join("out");
    assert!(
        xtask(&["codegen", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let again = xtask(&["codegen", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains(": 0 of "), "{stdout}");
}
