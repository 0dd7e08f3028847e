//! Benchmarks of the codegen pipeline.
//!
//! - `codegen/schemas_end_to_end`: what `cargo xtask codegen` does minus
//!   writing files: read `schemas/<version>/communications.xml` and
//!   `additions.xml` of both API versions, resolve, slice and emit the
//!   `generated` crate.
//! - `parse_baseline/<file>`: a bare roxmltree parse of each whole metadata
//!   document in `shared/csdl/`, with the reader's parsing options.
//! - `read_resolve_slice/<file>`: `csdl::read` + `model::resolve` +
//!   `slice::slice` of the same text.
//! - `generate_all/<file>`: what `cargo xtask codegen --all` does minus
//!   writing files: read, resolve and emit the whole document, every
//!   namespace, with area features (in memory, formatted).
//!
//! Like `cargo xtask`, the benchmark allocates with mimalloc.
//!
//! Files are read from disk once, outside the timing. Values a routine
//! returns are dropped outside the timing as well. After criterion's report
//! a summary table compares medians of the two per-file benches, from a
//! plain `Instant` loop run in the same process.
//!
//! Run with `cargo bench -p codegen --bench pipeline`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codegen::emit::CrateOptions;
use codegen::{csdl, model, slice};
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode};
use roxmltree::ParsingOptions;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SHARED_CSDL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/csdl");

/// Runs of each routine behind the summary table.
const SUMMARY_RUNS: usize = 10;

/// The options `csdl::read` parses with.
fn parsing_options<'input>() -> ParsingOptions<'input> {
    ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    }
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The whole codegen of the workspace's schemas, from texts in memory:
/// per API version, its slice and its additions.
fn codegen(texts: Vec<(&'static codegen::ApiVersion, String, String)>) -> codegen::Generated {
    let project = codegen::Project::this_repository();
    let inputs = texts
        .into_iter()
        .map(|(version, slice, additions)| {
            let slice = csdl::read("communications.xml", slice).expect("the slice reads");
            let additions = csdl::read("additions.xml", additions).expect("the additions read");
            (version, slice, additions)
        })
        .collect();
    project.generate_versions(inputs).expect("the schemas generate")
}

fn parse_baseline(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(text, parsing_options()).expect("the metadata parses")
}

/// Everything `read_resolve_slice` made, returned so it is dropped untimed.
type ReadResolveSlice = (csdl::Document, model::Model, model::Model);

fn read_resolve_slice(name: &str, text: String) -> ReadResolveSlice {
    let document = csdl::read(name, text).expect("the metadata reads");
    let (model, _notices) =
        model::resolve(std::slice::from_ref(&document), &[]).expect("the metadata resolves");
    let sliced =
        slice::slice(&model, &slice::Roots::communications()).expect("the metadata slices");
    (document, model, sliced)
}

/// The whole document generated, every namespace: `cargo xtask codegen --all`.
fn generate_all(name: &str, text: String) -> codegen::Generated {
    let document = csdl::read(name, text).expect("the metadata reads");
    let options = CrateOptions {
        name: "whole".to_owned(),
        area_features: true,
        inputs: vec![name.to_owned()],
    };
    codegen::generate_all(&[document], &[], &options).expect("the metadata generates")
}

/// A whole metadata document from `shared/csdl/`.
struct Metadata {
    file: String,
    path: PathBuf,
    text: String,
}

/// The metadata documents, or why there are none.
fn metadata_files() -> Result<Vec<Metadata>, String> {
    let dir = Path::new(SHARED_CSDL);
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("{} is not readable ({e})", dir.display()))?;
    let mut files: Vec<Metadata> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "xml"))
        .map(|path| Metadata {
            file: path
                .file_name()
                .expect("a file has a name")
                .to_string_lossy()
                .into_owned(),
            text: read_text(&path),
            path,
        })
        .collect();
    files.sort_by(|a, b| a.file.cmp(&b.file));
    if files.is_empty() {
        return Err(format!("{} holds no .xml file", dir.display()));
    }
    Ok(files)
}

/// Every iteration takes tens of milliseconds: ten samples of equal size
/// (flat sampling) keep the whole run short.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
}

fn bench_schemas(c: &mut Criterion) {
    let project = codegen::Project::this_repository();
    let texts: Vec<(&'static codegen::ApiVersion, String, String)> = codegen::API_VERSIONS
        .iter()
        .map(|version| {
            let slice = read_text(&project.slice_path(version));
            (version, slice, read_text(&project.additions_path(version)))
        })
        .collect();
    let mut group = c.benchmark_group("codegen");
    configure(&mut group);
    group.bench_function("schemas_end_to_end", |b| {
        b.iter_batched(
            || texts.clone(),
            |texts| codegen(black_box(texts)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn bench_metadata(c: &mut Criterion, files: &[Metadata]) {
    let mut group = c.benchmark_group("parse_baseline");
    configure(&mut group);
    for metadata in files {
        group.bench_function(&metadata.file, |b| {
            b.iter_with_large_drop(|| parse_baseline(black_box(&metadata.text)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("read_resolve_slice");
    configure(&mut group);
    for metadata in files {
        let name = metadata.path.display().to_string();
        group.bench_function(&metadata.file, |b| {
            b.iter_batched(
                || metadata.text.clone(),
                |text| read_resolve_slice(&name, black_box(text)),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();

    let mut group = c.benchmark_group("generate_all");
    configure(&mut group);
    group.measurement_time(Duration::from_secs(20));
    for metadata in files {
        let name = metadata.path.display().to_string();
        group.bench_function(&metadata.file, |b| {
            b.iter_batched(
                || metadata.text.clone(),
                |text| generate_all(&name, black_box(text)),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// The median time of `runs` calls of `routine`, each given a fresh input
/// from `setup`; neither `setup` nor dropping the output is timed.
fn median<I, O>(
    runs: usize,
    mut setup: impl FnMut() -> I,
    mut routine: impl FnMut(I) -> O,
) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let input = setup();
            let start = Instant::now();
            let output = black_box(routine(black_box(input)));
            let elapsed = start.elapsed();
            drop(output);
            elapsed
        })
        .collect();
    times.sort();
    let middle = times.len() / 2;
    if times.len().is_multiple_of(2) {
        (times[middle - 1] + times[middle]) / 2
    } else {
        times[middle]
    }
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

fn print_summary(files: &[Metadata]) {
    println!();
    println!("summary: medians of {SUMMARY_RUNS} runs each (std::time::Instant, same process)");
    println!(
        "{:<28} {:>10} {:>16} {:>20} {:>7} {:>14} {:>7}",
        "file", "size", "parse_baseline", "read_resolve_slice", "ratio", "generate_all", "ratio"
    );
    for metadata in files {
        let parse = median(SUMMARY_RUNS, || (), |()| parse_baseline(&metadata.text));
        let name = metadata.path.display().to_string();
        let full = median(
            SUMMARY_RUNS,
            || metadata.text.clone(),
            |text| read_resolve_slice(&name, text),
        );
        let whole = median(
            SUMMARY_RUNS.min(5),
            || metadata.text.clone(),
            |text| generate_all(&name, text),
        );
        println!(
            "{:<28} {:>7.1} MB {:>16} {:>20} {:>6.2}x {:>14} {:>6.1}x",
            metadata.file,
            metadata.text.len() as f64 / 1e6,
            millis(parse),
            millis(full),
            full.as_secs_f64() / parse.as_secs_f64(),
            millis(whole),
            whole.as_secs_f64() / parse.as_secs_f64()
        );
    }
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench_schemas(&mut criterion);
    let files = match metadata_files() {
        Ok(files) => files,
        Err(why) => {
            println!("skipping parse_baseline and read_resolve_slice: {why}");
            Vec::new()
        }
    };
    bench_metadata(&mut criterion, &files);
    criterion.final_summary();
    // Only a real benchmark run (`cargo bench`) gets the summary, not
    // `cargo test --benches` or `--list`.
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list");
    if benchmarking && !files.is_empty() {
        print_summary(&files);
    }
}
