//! Malformed and hostile CSDL, one small file each under `tests/bad_schemas/`,
//! named for what it breaks. Each must fail with one message that names the
//! place (file:line:column where there is one) — never a panic. The messages
//! are snapshot-tested together, so a change in any of them shows in review.

use std::fmt::Write;
use std::path::Path;

/// The error the pipeline gives for one file, with the directory trimmed off.
fn error_of(path: &Path) -> String {
    let dir = format!("{}/", path.parent().unwrap().display());
    let result = codegen::read_file(path).and_then(|document| {
        let roots = codegen::slice::Roots {
            singletons: Vec::new(),
            types: Vec::new(),
        };
        codegen::sliced_model(&[document], &[], &roots)
    });
    match result {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(error) => error.to_string().replace(&dir, ""),
    }
}

#[test]
fn every_bad_schema_fails_with_a_located_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_schemas");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 25, "the suite has {} schemas", paths.len());
    let mut report = String::new();
    for path in &paths {
        let message = error_of(path);
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(
            !message.contains('\n'),
            "{name}: one line expected, got {message}"
        );
        // Only unreadable bytes have no position to name.
        if name != "not_utf8.xml" {
            let located = message.split(": ").next().unwrap().split(':').count() == 3;
            assert!(located, "{name}: no file:line:column in {message}");
        }
        let shown: String = message.chars().take(300).collect();
        writeln!(report, "{name}\n    {shown}").unwrap();
    }
    insta::assert_snapshot!(report);
}
