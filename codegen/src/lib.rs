//! Generates Rust bindings for Microsoft Graph from its CSDL metadata.
//!
//! The pipeline, one module each: [`csdl`] reads XML into a syntax tree,
//! [`model`] resolves it, [`slice`] keeps what the roots reach, [`emit`]
//! turns the model into formatted Rust files, and [`output`] writes them.
//! [`csdl_writer`] writes a model back as CSDL, for `cargo xtask slice`, and
//! [`diff`] compares two models, for `cargo xtask diff`.

pub mod csdl;
pub mod csdl_writer;
pub mod departures;
pub mod diff;
pub mod emit;
pub mod error;
pub mod model;
pub mod naming;
pub mod output;
pub mod slice;

use std::path::{Path, PathBuf};

pub use error::{Error, Result};

/// What a run of the pipeline produced.
pub struct Generated {
    pub model: model::Model,
    pub files: Vec<emit::File>,
    /// Things the maintainer should read (additions the schema now has).
    pub notices: model::Notices,
}

/// Reads a CSDL file, naming it by its path in errors.
pub fn read_file(path: &Path) -> Result<csdl::Document> {
    let cannot = |e: std::io::Error| Error::new(format!("cannot read {}: {e}", path.display()));
    // Refuse an oversized file before reading it, so memory stays bounded.
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > csdl::MAX_DOCUMENT_BYTES as u64 {
        return Err(Error::new(format!(
            "{}: the document is {size} bytes; the reader accepts at most {}",
            path.display(),
            csdl::MAX_DOCUMENT_BYTES
        )));
    }
    let text = std::fs::read_to_string(path).map_err(cannot)?;
    csdl::read(&path.display().to_string(), text)
}

/// Resolves `documents` extended by `additions` and cuts the slice of `roots`.
pub fn sliced_model(
    documents: &[csdl::Document],
    additions: &[csdl::Document],
    roots: &slice::Roots,
) -> Result<(model::Model, model::Notices)> {
    let (model, notices) = model::resolve(documents, additions)?;
    Ok((slice::slice(&model, roots)?, notices))
}

/// The whole pipeline: read, resolve, slice, emit.
pub fn generate(
    documents: &[csdl::Document],
    additions: &[csdl::Document],
    options: &emit::CrateOptions,
) -> Result<Generated> {
    let (model, notices) = sliced_model(documents, additions, &slice::Roots::communications())?;
    let files = emit::crate_files(&model, options)?;
    Ok(Generated {
        model,
        files,
        notices,
    })
}

/// The pipeline without the slice: every type and operation of `documents`,
/// with a cargo feature per area (see [`slice::areas`]).
pub fn generate_all(
    documents: &[csdl::Document],
    additions: &[csdl::Document],
    options: &emit::CrateOptions,
) -> Result<Generated> {
    let (model, notices) = model::resolve(documents, additions)?;
    let options = emit::CrateOptions {
        area_features: true,
        ..options.clone()
    };
    let files = emit::crate_files(&model, &options)?;
    Ok(Generated {
        model,
        files,
        notices,
    })
}

/// The inputs of this repository's own bindings: the slice and the hand-written
/// additions under `schemas/`, and the crate they become.
pub struct Project {
    pub root: PathBuf,
}

impl Project {
    /// The repository that holds this crate.
    pub fn this_repository() -> Project {
        let codegen = Path::new(env!("CARGO_MANIFEST_DIR"));
        Project {
            root: codegen.parent().unwrap_or(codegen).to_path_buf(),
        }
    }

    pub fn slice_path(&self) -> PathBuf {
        self.root.join("schemas/communications.xml")
    }

    pub fn additions_path(&self) -> PathBuf {
        self.root.join("schemas/additions.xml")
    }

    pub fn generated_dir(&self) -> PathBuf {
        self.root.join("generated")
    }

    /// Generates the `generated` crate from `schema` (default: the slice in
    /// `schemas/`) and the additions.
    pub fn generate(&self, schema: Option<&Path>) -> Result<Generated> {
        self.generate_with(schema, generate)
    }

    /// Generates every namespace of `metadata`, with the additions.
    pub fn generate_all(&self, metadata: &Path) -> Result<Generated> {
        self.generate_with(Some(metadata), generate_all)
    }

    /// The options of the `generated` crate made from `schema` and the
    /// additions, which its docs name relative to the repository.
    pub fn crate_options(&self, schema: &Path) -> emit::CrateOptions {
        let inputs = [schema, self.additions_path().as_path()]
            .iter()
            .map(|path| {
                path.strip_prefix(&self.root)
                    .unwrap_or(path)
                    .display()
                    .to_string()
            })
            .collect();
        emit::CrateOptions {
            name: "generated".to_owned(),
            area_features: false,
            inputs,
        }
    }

    fn generate_with(
        &self,
        schema: Option<&Path>,
        pipeline: fn(
            &[csdl::Document],
            &[csdl::Document],
            &emit::CrateOptions,
        ) -> Result<Generated>,
    ) -> Result<Generated> {
        let slice_path = self.slice_path();
        let schema = schema.unwrap_or(&slice_path);
        pipeline(
            &[read_file(schema)?],
            &[read_file(&self.additions_path())?],
            &self.crate_options(schema),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `generated/` is exactly what the generator makes of `schemas/`.
    #[test]
    fn generated_crate_is_fresh() {
        let project = Project::this_repository();
        let generated = project.generate(None).unwrap_or_else(|e| panic!("{e}"));
        let stale = output::stale(&project.generated_dir(), &generated.files).unwrap();
        assert!(
            stale.is_empty(),
            "generated/ is stale; run `cargo xtask codegen`:\n  {}",
            stale.join("\n  ")
        );
    }

    /// Every addition in `schemas/additions.xml` is used: a notice means one
    /// names nothing (a typo) or the snapshot has caught up with it.
    #[test]
    fn committed_additions_are_all_used() {
        let generated = Project::this_repository().generate(None).unwrap();
        assert!(
            generated.notices.is_empty(),
            "{}",
            generated.notices.join("\n")
        );
    }

    /// The order of elements in the input does not change a byte of the output.
    #[test]
    fn output_does_not_depend_on_input_order() {
        let project = Project::this_repository();
        let expected = project.generate(None).unwrap().files;
        let mut document = read_file(&project.slice_path()).unwrap();
        let additions = read_file(&project.additions_path()).unwrap();
        document.schemas.reverse();
        for schema in &mut document.schemas {
            schema.structured_types.reverse();
            schema.enum_types.reverse();
            schema.operations.reverse();
            for ty in &mut schema.structured_types {
                ty.properties.reverse();
                ty.navigation_properties.reverse();
            }
            for ty in &mut schema.enum_types {
                ty.members.reverse();
            }
        }
        let options = project.crate_options(&project.slice_path());
        let shuffled = generate(&[document], &[additions], &options).unwrap().files;
        assert_eq!(shuffled.len(), expected.len());
        for (a, b) in shuffled.iter().zip(&expected) {
            assert!(a == b, "{} differs when the input order changes", a.path);
        }
    }
}
