//! What the fixture tests share: the fixtures under `tests/fixtures/` and the
//! crate the generator makes of each (the whole resolved model, not a slice).

// Each test binary that includes this module uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use codegen::emit::{CrateOptions, File};

/// `../shared/<sub>` beside the repository (reference data it does not
/// commit), or `None`, said, where it is absent. Under CI (`CI` set) it must
/// be there: a green CI never hides missing reference data.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(sub);
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

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The name of every `tests/fixtures/<name>.xml`, sorted.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "xml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The files of crate `fixture_<name>`, generated from `tests/fixtures/<name>.xml`,
/// and the notes the generator prints, the fixture's directory trimmed off their places.
pub fn generate(name: &str) -> codegen::Result<(Vec<File>, Vec<String>)> {
    let input = format!("tests/fixtures/{name}.xml");
    let document = codegen::read_file(&fixtures_dir().join(format!("{name}.xml")))?;
    let (model, notices) = codegen::model::resolve(&[document], &[])?;
    let dir = format!("{}/", fixtures_dir().display());
    let notices = notices.iter().map(|n| n.replace(&dir, "")).collect();
    let options = CrateOptions {
        name: format!("fixture_{name}"),
        // A fixture is a whole document, as with `cargo xtask codegen --all`.
        area_features: true,
        inputs: vec![input],
    };
    Ok((codegen::emit::crate_files(&model, &options)?, notices))
}
