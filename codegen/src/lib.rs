//! Generates Rust bindings for Microsoft Graph from its CSDL metadata.
//!
//! The pipeline, one module each: [`csdl`] reads XML into a syntax tree,
//! [`model`] resolves it, [`slice`] keeps what the roots reach, [`emit`]
//! turns the model into formatted Rust files, and [`output`] writes them.
//! [`csdl_writer`] writes a model back as CSDL, for `cargo xtask slice`.

pub mod csdl;
pub mod csdl_writer;
pub mod emit;
pub mod error;
pub mod model;
pub mod naming;
pub mod output;
pub mod slice;

use std::path::Path;

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
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))?;
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
pub fn generate(documents: &[csdl::Document], additions: &[csdl::Document], options: &emit::CrateOptions) -> Result<Generated> {
    let (model, notices) = sliced_model(documents, additions, &slice::Roots::communications())?;
    let files = emit::crate_files(&model, options)?;
    Ok(Generated { model, files, notices })
}
