//! Writing the generated crate: all at once or not at all, and the staleness
//! check that compares what would be written with what is on disk.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::File;
use crate::error::{Error, Result};

/// Replaces the directory `dir` with exactly `files`, touching only what
/// changed, and returns the paths that changed (written, or removed because
/// they are no longer generated).
///
/// When nothing changed, nothing is written. Otherwise the new directory is
/// put together beside `dir` (unchanged files hard-linked, so they keep their
/// modification time; the changed ones written) and swapped in by renaming,
/// so a failure leaves `dir` as it was.
pub fn write(dir: &Path, files: &[File]) -> Result<Vec<String>> {
    let changed = stale(dir, files)?;
    if changed.is_empty() {
        return Ok(changed);
    }
    let staging = sibling(dir, "codegen-new");
    let old = sibling(dir, "codegen-old");
    let io_error = |what: &str, path: &Path, e: io::Error| {
        Error::new(format!("{what} {}: {e}", path.display()))
    };
    for leftover in [&staging, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| io_error("cannot remove", leftover, e))?;
        }
    }
    for file in files {
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e))?;
        }
        let current = dir.join(&file.path);
        let unchanged = fs::read(&current).is_ok_and(|on_disk| on_disk == file.contents.as_bytes());
        if !(unchanged && keep(&current, &path)) {
            fs::write(&path, &file.contents).map_err(|e| io_error("cannot write", &path, e))?;
        }
    }
    if dir.exists() {
        fs::rename(dir, &old).map_err(|e| io_error("cannot move aside", dir, e))?;
    }
    if let Err(e) = fs::rename(&staging, dir) {
        // Put the previous crate back before reporting.
        let _ = fs::rename(&old, dir);
        return Err(io_error("cannot move into place", dir, e));
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| io_error("cannot remove", &old, e))?;
    }
    Ok(changed)
}

/// Puts the unchanged file `current` at `staged` as it is (a hard link, or a
/// copy with its modification time); false if neither works.
fn keep(current: &Path, staged: &Path) -> bool {
    if fs::hard_link(current, staged).is_ok() {
        return true;
    }
    let copied = || -> io::Result<()> {
        let modified = fs::metadata(current)?.modified()?;
        fs::copy(current, staged)?;
        fs::File::options()
            .write(true)
            .open(staged)?
            .set_modified(modified)
    };
    copied().is_ok()
}

/// The paths under `dir` that differ from `files`: changed, missing, or not
/// generated at all. Empty when `dir` is fresh.
pub fn stale(dir: &Path, files: &[File]) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    for file in files {
        match fs::read_to_string(dir.join(&file.path)) {
            Ok(on_disk) if on_disk == file.contents => {}
            Ok(_) => stale.push(format!("{} (changed)", file.path)),
            Err(_) => stale.push(format!("{} (missing)", file.path)),
        }
    }
    let mut on_disk = Vec::new();
    list(dir, dir, &mut on_disk)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", dir.display())))?;
    for path in on_disk {
        if !files.iter().any(|f| f.path == path) {
            stale.push(format!("{path} (not generated)"));
        }
    }
    stale.sort();
    Ok(stale)
}

fn list(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            list(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_owned());
    dir.with_file_name(format!(".{name}.{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_then_check_is_fresh_and_edits_are_stale() {
        let root = std::env::temp_dir().join(format!("codegen-output-test-{}", std::process::id()));
        let dir = root.join("crate");
        let files = vec![File {
            path: "src/lib.rs".into(),
            contents: "// hi\n".into(),
        }];
        assert_eq!(write(&dir, &files).unwrap(), ["src/lib.rs (missing)"]);
        assert_eq!(stale(&dir, &files).unwrap(), Vec::<String>::new());
        fs::write(dir.join("src/lib.rs"), "// edited\n").unwrap();
        fs::write(dir.join("extra.rs"), "").unwrap();
        assert_eq!(
            stale(&dir, &files).unwrap(),
            ["extra.rs (not generated)", "src/lib.rs (changed)"]
        );
        write(&dir, &files).unwrap();
        assert!(stale(&dir, &files).unwrap().is_empty());
        fs::remove_dir_all(&root).unwrap();
    }

    /// Regenerating touches only the files whose contents change.
    #[test]
    fn unchanged_files_are_not_touched() {
        let root =
            std::env::temp_dir().join(format!("codegen-output-touch-{}", std::process::id()));
        let dir = root.join("crate");
        let file = |path: &str, contents: &str| File {
            path: path.into(),
            contents: contents.into(),
        };
        let first = vec![file("a.rs", "// a\n"), file("src/b.rs", "// b\n")];
        write(&dir, &first).unwrap();
        let identity = |path: &str| {
            let metadata = fs::metadata(dir.join(path)).unwrap();
            (
                metadata.modified().unwrap(),
                std::os::unix::fs::MetadataExt::ino(&metadata),
            )
        };
        let (a, b) = (identity("a.rs"), identity("src/b.rs"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(write(&dir, &first).unwrap().is_empty());
        assert_eq!((identity("a.rs"), identity("src/b.rs")), (a, b));
        let second = vec![file("a.rs", "// a\n"), file("src/b.rs", "// b, changed\n")];
        assert_eq!(write(&dir, &second).unwrap(), ["src/b.rs (changed)"]);
        assert_eq!(identity("a.rs"), a);
        assert_ne!(identity("src/b.rs"), b);
        assert_eq!(
            fs::read_to_string(dir.join("src/b.rs")).unwrap(),
            "// b, changed\n"
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
