//! `cargo xtask`: the maintainers' commands. Each is a thin layer over the
//! `codegen` library; errors print as one line with their place and exit 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::{output, slice};

// Emitting allocates millions of small token trees on two threads; mimalloc
// takes about a fifth off whole-document codegen (2.3 s -> 1.9 s on 2 cores)
// compared with the system malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintainer commands for the Graph bindings"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the `generated` crate, every API version, from `schemas/` (or a crate of one
    /// version from a whole `$metadata` document).
    Codegen {
        /// A whole Graph `$metadata` document to generate from, sliced in memory, instead of `schemas/`.
        #[arg(long)]
        metadata: Option<PathBuf>,
        /// The API version of `--metadata` (`beta` or `v1.0`), whose additions it is merged with;
        /// by default `beta` if the file name says so, `v1.0` otherwise.
        #[arg(long, requires = "metadata")]
        api: Option<String>,
        /// Write a fresh crate here instead of `generated/`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Change nothing; fail, naming the stale files, if the output is not up to date.
        #[arg(long)]
        check: bool,
        /// Generate every namespace of the `--metadata` document, not only the
        /// communications slice (into `--out`, never over `generated/`).
        #[arg(long, requires_all = ["metadata", "out"])]
        all: bool,
    },
    /// Compare the communications slices of two `$metadata` documents, marking breaking changes.
    Diff {
        /// The older document.
        old: PathBuf,
        /// The newer document.
        new: PathBuf,
        /// Print JSON for tools instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Cut the communications slice from a downloaded `$metadata` into `schemas/<version>/communications.xml`.
    Slice {
        /// The downloaded `$metadata` document.
        #[arg(long)]
        metadata: PathBuf,
        /// Its API version (`beta` or `v1.0`); by default `beta` if the file name says so, `v1.0` otherwise.
        #[arg(long)]
        api: Option<String>,
        /// Where to write the slice (default: `schemas/<version>/communications.xml`).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

fn run(command: Command) -> Result<(), String> {
    let root = root();
    match command {
        Command::Codegen {
            metadata,
            api,
            out,
            check,
            all,
        } => {
            let project = codegen::Project { root: root.clone() };
            let generated = match &metadata {
                Some(metadata) => {
                    let version = api_version(api.as_deref(), metadata)?;
                    if all {
                        project.generate_all(metadata, version)
                    } else {
                        project.generate_from(metadata, version)
                    }
                }
                None => project.generate(),
            }
            .map_err(|e| e.to_string())?;
            for notice in &generated.notices {
                eprintln!("note: {notice}");
            }
            let dir = out.unwrap_or_else(|| project.generated_dir());
            if check {
                let stale = output::stale(&dir, &generated.files).map_err(|e| e.to_string())?;
                if !stale.is_empty() {
                    return Err(format!(
                        "{} is stale; run `cargo xtask codegen`:\n  {}",
                        dir.display(),
                        stale.join("\n  ")
                    ));
                }
                println!(
                    "{} is up to date ({} files)",
                    dir.display(),
                    generated.files.len()
                );
            } else {
                let changed = output::write(&dir, &generated.files).map_err(|e| e.to_string())?;
                println!(
                    "{}: {} of {} files changed{}",
                    dir.display(),
                    changed.len(),
                    generated.files.len(),
                    changed
                        .iter()
                        .map(|c| format!("\n  {c}"))
                        .collect::<String>()
                );
            }
            Ok(())
        }
        Command::Diff { old, new, json } => {
            let slice = |path: &Path| -> Result<codegen::model::Model, String> {
                let document = codegen::read_file(path).map_err(|e| e.to_string())?;
                codegen::sliced_model(&[document], &[], &slice::Roots::communications())
                    .map(|(model, _)| model)
                    .map_err(|e| e.to_string())
            };
            let report = codegen::diff::diff(&slice(&old)?, &slice(&new)?);
            if json {
                print!("{}", report.to_json());
            } else {
                print!("{report}");
            }
            Ok(())
        }
        Command::Slice { metadata, api, out } => {
            let version = api_version(api.as_deref(), &metadata)?;
            let document = codegen::read_file(&metadata).map_err(|e| e.to_string())?;
            let (model, _) =
                codegen::sliced_model(&[document], &[], &slice::Roots::communications())
                    .map_err(|e| e.to_string())?;
            let source = metadata
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let comment = format!(
                "@generated by `cargo xtask slice` from {source}: the communications slice, facts only. Do not edit; add to additions.xml instead."
            );
            let out = out.unwrap_or_else(|| codegen::Project { root }.slice_path(version));
            std::fs::write(&out, codegen::csdl_writer::write(&model, &comment))
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            println!(
                "wrote {} ({} types, {} operations)",
                out.display(),
                model.types.len(),
                model.operations.len()
            );
            Ok(())
        }
    }
}

/// The API version `--api` names, or the one the file name suggests.
fn api_version(api: Option<&str>, metadata: &Path) -> Result<&'static codegen::ApiVersion, String> {
    match api {
        None => Ok(codegen::ApiVersion::of_file(metadata)),
        Some(name) => codegen::ApiVersion::named(name).ok_or_else(|| {
            let known: Vec<&str> = codegen::API_VERSIONS.iter().map(|v| v.name).collect();
            format!("--api {name}: not one of {}", known.join(", "))
        }),
    }
}
