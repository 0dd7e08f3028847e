//! Generates Rust bindings for Microsoft Graph from its CSDL metadata.
//!
//! The pipeline, one module each: [`csdl`] reads XML into a syntax tree,
//! [`model`] resolves it (noting the [`departures`] from CSDL it accepts),
//! [`slice`] keeps what the roots reach, [`names`] decides every Rust name,
//! [`api_plan`] plans the `api` module, [`emit`] renders the model and the
//! plan as formatted Rust files, and [`output`] writes them.
//! [`capabilities`] is the one description of the capability statements the
//! generator honours. [`csdl_writer`] writes a model back as CSDL, for `cargo
//! xtask slice`, and [`diff`] compares two models and their plans, for `cargo
//! xtask diff`.

pub mod api_plan;
pub mod capabilities;
pub mod csdl;
pub mod csdl_writer;
pub mod departures;
pub mod diff;
pub mod emit;
pub mod error;
pub mod model;
pub mod names;
pub mod naming;
pub mod output;
pub mod reference;
pub mod slice;

use std::path::{Path, PathBuf};

pub use error::{Error, Result};

/// What a run of the pipeline produced.
pub struct Generated {
    /// The model of each API version the crate holds, in the crate's order
    /// (one for a crate made from one document).
    pub models: Vec<model::Model>,
    pub files: Vec<emit::File>,
    /// Things the maintainer should read (additions the schema now has,
    /// departures from CSDL that were accepted).
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
        models: vec![model],
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
        models: vec![model],
        files,
        notices,
    })
}

/// A Graph API version this repository generates: its inputs under
/// `schemas/` and its module in the `generated` crate.
#[derive(Debug, PartialEq, Eq)]
pub struct ApiVersion {
    /// As Graph spells it in URLs, and the directory of its inputs under
    /// `schemas/`: `beta`, `v1.0`.
    pub name: &'static str,
    /// Its module and cargo feature in `generated`: `beta`, `v1`.
    pub module: &'static str,
    /// The `view` of its pages in the API reference.
    pub view: &'static str,
}

/// The versions of `generated`, in the order of its modules.
pub const API_VERSIONS: &[ApiVersion] = &[
    ApiVersion {
        name: "beta",
        module: "beta",
        view: "graph-rest-beta",
    },
    ApiVersion {
        name: "v1.0",
        module: "v1",
        view: "graph-rest-1.0",
    },
];

impl ApiVersion {
    /// The version named `name` (`beta`, `v1.0` or its module's name `v1`).
    pub fn named(name: &str) -> Option<&'static ApiVersion> {
        API_VERSIONS
            .iter()
            .find(|v| v.name == name || v.module == name)
    }

    /// The version a downloaded `$metadata` file is taken to be without
    /// `--api`: beta when its file name says so, v1.0 otherwise (a document
    /// does not state its version).
    pub fn of_file(path: &Path) -> &'static ApiVersion {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
        let beta = name.is_some_and(|n| n.contains("beta"));
        &API_VERSIONS[if beta { 0 } else { 1 }]
    }

    pub fn service_root(&self) -> String {
        format!("https://graph.microsoft.com/{}", self.name)
    }
}

/// The `$metadata` document a slice written by `cargo xtask slice` was cut
/// from, as its first comment records it.
pub fn snapshot_of(slice: &csdl::Document) -> Option<&str> {
    let text = &slice.source.text;
    let comment = &text[text.find("<!--")? + 4..text.find("-->")?];
    let after = comment.split_once("cargo xtask slice` from ")?.1;
    after.split_once(':').map(|(name, _)| name.trim())
}

/// The inputs of this repository's own bindings: per API version, the slice
/// and the hand-written additions under `schemas/`, and the crate they become.
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

    /// `schemas/<version>/communications.xml`, which `cargo xtask slice` writes.
    pub fn slice_path(&self, version: &ApiVersion) -> PathBuf {
        self.root
            .join("schemas")
            .join(version.name)
            .join("communications.xml")
    }

    /// `schemas/<version>/additions.xml`, written by hand.
    pub fn additions_path(&self, version: &ApiVersion) -> PathBuf {
        self.root
            .join("schemas")
            .join(version.name)
            .join("additions.xml")
    }

    /// `schemas/<version>/reference-pages.txt`: the API reference pages
    /// known to exist, which the docs link (see [`reference`]).
    pub fn reference_pages_path(&self, version: &ApiVersion) -> PathBuf {
        self.root
            .join("schemas")
            .join(version.name)
            .join("reference-pages.txt")
    }

    /// The reference pages of `version`; none when it has no list.
    pub fn reference_pages(&self, version: &ApiVersion) -> Result<reference::ReferencePages> {
        let path = self.reference_pages_path(version);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::new(format!("cannot read {}: {e}", path.display()))),
        };
        Ok(reference::ReferencePages::parse(&text, version.view))
    }

    pub fn generated_dir(&self) -> PathBuf {
        self.root.join("generated")
    }

    /// The `generated` crate: one module per API version, each from its
    /// slice and additions.
    pub fn generate(&self) -> Result<Generated> {
        let mut inputs = Vec::new();
        for version in API_VERSIONS {
            let slice = read_file(&self.slice_path(version))?;
            let additions = read_file(&self.additions_path(version))?;
            inputs.push((version, slice, additions));
        }
        self.generate_versions(inputs)
    }

    /// [`Self::generate`] from documents already read: per version, its
    /// slice and its additions.
    pub fn generate_versions(
        &self,
        inputs: Vec<(&ApiVersion, csdl::Document, csdl::Document)>,
    ) -> Result<Generated> {
        let mut models = Vec::new();
        let mut notices = Vec::new();
        for (_, slice, additions) in &inputs {
            let (model, noticed) = sliced_model(
                std::slice::from_ref(slice),
                std::slice::from_ref(additions),
                &slice::Roots::communications(),
            )?;
            models.push(model);
            notices.extend(noticed);
        }
        let mut versions = Vec::new();
        for ((version, slice, _), model) in inputs.iter().zip(&models) {
            versions.push(emit::VersionModule {
                module: version.module.to_owned(),
                title: format!("Microsoft Graph {}", version.name),
                service_root: version.service_root(),
                inputs: vec![
                    self.relative(&self.slice_path(version)),
                    self.relative(&self.additions_path(version)),
                ],
                snapshot: snapshot_of(slice)
                    .unwrap_or("an unrecorded document")
                    .to_owned(),
                reference: self.reference_pages(version)?,
                model,
            });
        }
        let files = emit::versioned_crate_files("generated", &versions)?;
        Ok(Generated {
            models,
            files,
            notices,
        })
    }

    /// A crate of one API version made from a whole `$metadata` document,
    /// sliced in memory, with that version's additions.
    pub fn generate_from(&self, metadata: &Path, version: &ApiVersion) -> Result<Generated> {
        self.generate_with(metadata, version, generate)
    }

    /// Every namespace of `metadata`, with the additions of `version`.
    pub fn generate_all(&self, metadata: &Path, version: &ApiVersion) -> Result<Generated> {
        self.generate_with(metadata, version, generate_all)
    }

    /// The options of a crate named `generated` made from `schema` and the
    /// additions of `version`, which its docs name relative to the repository.
    pub fn crate_options(&self, schema: &Path, version: &ApiVersion) -> emit::CrateOptions {
        emit::CrateOptions {
            name: "generated".to_owned(),
            area_features: false,
            inputs: vec![
                self.relative(schema),
                self.relative(&self.additions_path(version)),
            ],
        }
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    fn generate_with(
        &self,
        metadata: &Path,
        version: &ApiVersion,
        pipeline: fn(
            &[csdl::Document],
            &[csdl::Document],
            &emit::CrateOptions,
        ) -> Result<Generated>,
    ) -> Result<Generated> {
        pipeline(
            &[read_file(metadata)?],
            &[read_file(&self.additions_path(version))?],
            &self.crate_options(metadata, version),
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
        let generated = project.generate().unwrap_or_else(|e| panic!("{e}"));
        let stale = output::stale(&project.generated_dir(), &generated.files).unwrap();
        assert!(
            stale.is_empty(),
            "generated/ is stale; run `cargo xtask codegen`:\n  {}",
            stale.join("\n  ")
        );
    }

    /// Every addition under `schemas/` is used: a notice means one names
    /// nothing (a typo) or the snapshot has caught up with it.
    #[test]
    fn committed_additions_are_all_used() {
        let generated = Project::this_repository().generate().unwrap();
        assert!(
            generated.notices.is_empty(),
            "{}",
            generated.notices.join("\n")
        );
    }

    #[test]
    fn slices_record_their_snapshot() {
        let project = Project::this_repository();
        for version in API_VERSIONS {
            let slice = read_file(&project.slice_path(version)).unwrap();
            let snapshot = snapshot_of(&slice).unwrap();
            assert!(
                snapshot.starts_with(&format!("graph-{}-", version.name)),
                "{snapshot}"
            );
        }
    }

    /// The order of elements in the input does not change a byte of the output.
    #[test]
    fn output_does_not_depend_on_input_order() {
        let project = Project::this_repository();
        let expected = project.generate().unwrap().files;
        let mut inputs = Vec::new();
        for version in API_VERSIONS {
            let mut document = read_file(&project.slice_path(version)).unwrap();
            let additions = read_file(&project.additions_path(version)).unwrap();
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
            inputs.push((version, document, additions));
        }
        let shuffled = project.generate_versions(inputs).unwrap().files;
        assert_eq!(shuffled.len(), expected.len());
        for (a, b) in shuffled.iter().zip(&expected) {
            assert!(a == b, "{} differs when the input order changes", a.path);
        }
    }

    /// Docs link the reference pages `schemas/<version>/reference-pages.txt`
    /// lists, and only those.
    #[test]
    fn docs_link_listed_reference_pages_only() {
        let files = Project::this_repository().generate().unwrap().files;
        let api = |module: &str| {
            let path = format!("src/{module}/api.rs");
            files.iter().find(|f| f.path == path).unwrap().contents.clone()
        };
        let v1 = api("v1");
        let invite = "[API reference](https://learn.microsoft.com/graph/api/participant-invite?view=graph-rest-1.0)";
        assert!(v1.contains(invite));
        assert!(api("beta").contains(&invite.replace("graph-rest-1.0", "graph-rest-beta")));
        // `recordResponse` is documented on `call-record`: not derivable, so not linked.
        let record = &v1[v1.find("`POST /communications/calls/{call-id}/recordResponse`").unwrap()..];
        let method = &record[..record.find("pub fn").unwrap()];
        assert!(!method.contains("API reference"), "{method}");
    }
}
