//! The tools' costs: `grep` over a generated tree of 50 000 small files,
//! against Debian's `rg` over the same tree in the same run, as a ratio.
//!
//! The tree is written once into a temporary directory: 50 directories of
//! 10 subdirectories of 100 files, each a few hundred bytes of Rust-like
//! text, one in a thousand holding the needle; a `.gitignore` leaves out one
//! more directory of files that also hold it, so both searches must honour
//! it. `rg` runs as a subprocess with `--no-require-git` (our walker's rule:
//! `.gitignore` counts outside a git repository too), so both do the same
//! work. After the two benches the medians and their ratio are printed.
//!
//! `cargo bench -p code-mesh-benches --bench tools`

// Benches are not library code: a broken setup should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_runtime::protocol::AgentId;
use code_mesh_runtime::tool::{Tool, ToolContext};
use code_mesh_tools::GrepTool;
use criterion::{Criterion, criterion_group, criterion_main};
use std::cell::RefCell;
use std::fs;
use std::future::Future;
use std::path::Path;
use std::process::{Command, Stdio};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// Top-level directories × subdirectories × files: 50 000 files.
const TOP_DIRS: usize = 50;
const SUB_DIRS: usize = 10;
const FILES_PER_DIR: usize = 100;
/// One file in this many holds the needle.
const NEEDLE_EVERY: usize = 1000;
const NEEDLE: &str = "NEEDLE_7731";

/// Writes the tree under `root`; returns how many files hold the needle
/// outside the ignored directory.
fn generate(root: &Path) -> usize {
    let mut with_needle = 0;
    let mut number: usize = 0;
    for top in 0..TOP_DIRS {
        for sub in 0..SUB_DIRS {
            let dir = root.join(format!("crate{top:02}/src/mod{sub}"));
            fs::create_dir_all(&dir).unwrap();
            for file in 0..FILES_PER_DIR {
                number += 1;
                let needle = number.is_multiple_of(NEEDLE_EVERY);
                with_needle += usize::from(needle);
                fs::write(dir.join(format!("f{file:03}.rs")), source(number, needle)).unwrap();
            }
        }
    }
    fs::write(root.join(".gitignore"), "generated/\n").unwrap();
    let ignored = root.join("generated");
    fs::create_dir_all(&ignored).unwrap();
    for file in 0..1000 {
        fs::write(ignored.join(format!("g{file}.rs")), source(file, true)).unwrap();
    }
    with_needle
}

/// A small Rust-like file; with the needle on one line when `needle`.
fn source(number: usize, needle: bool) -> String {
    let tag = if needle { NEEDLE } else { "plain" };
    format!(
        "//! Module {number}.\n\nuse std::collections::HashMap;\n\n\
         /// Computes item {number}.\npub fn item_{number}(input: &HashMap<String, u64>) -> u64 {{\n    \
         let value = input.get(\"key_{number}\").copied().unwrap_or_default();\n    \
         value * 2 + {number} // {tag}\n}}\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    \
         fn works() {{\n        assert_eq!(super::item_{number}(&Default::default()), {number});\n    \
         }}\n}}\n"
    )
}

/// Runs a future that never waits (grep without a tokio runtime searches
/// in place) to completion.
fn run_now<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// Samples criterion measures per bench; the ones before them are warm-up.
const SAMPLES: usize = 20;

/// The median of the measured (last [`SAMPLES`]) of `samples`.
fn median(samples: &[Duration]) -> Duration {
    let measured = &samples[samples.len().saturating_sub(SAMPLES)..];
    let mut sorted = measured.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// Whether Debian's `rg` can be run.
fn rg_available() -> bool {
    Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn grep_against_rg(c: &mut Criterion) {
    let tree = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let expected = generate(tree.path());
    eprintln!(
        "generated {} files ({} with the needle) in {:.1?}",
        TOP_DIRS * SUB_DIRS * FILES_PER_DIR,
        expected,
        started.elapsed()
    );
    let ctx = ToolContext::new(tree.path(), AgentId(1));
    let arguments = serde_json::json!({ "pattern": NEEDLE });
    let found = run_now(GrepTool.call(arguments.clone(), &ctx)).unwrap();
    assert!(
        found
            .output
            .starts_with(&format!("Found {expected} matches")),
        "{}",
        found.output
    );

    let ours = RefCell::new(Vec::new());
    let theirs = RefCell::new(Vec::new());
    let mut group = c.benchmark_group("grep_50k_files");
    group
        .sample_size(SAMPLES)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("code_mesh_grep", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                run_now(GrepTool.call(arguments.clone(), &ctx)).unwrap();
            }
            let elapsed = start.elapsed();
            ours.borrow_mut().push(elapsed / iters as u32);
            elapsed
        });
    });
    let rg = rg_available();
    if rg {
        group.bench_function("rg_subprocess", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    let output = Command::new("rg")
                        .args(["--no-require-git", "-n", NEEDLE])
                        .arg(tree.path())
                        .output()
                        .unwrap();
                    assert_eq!(
                        String::from_utf8_lossy(&output.stdout).lines().count(),
                        expected
                    );
                }
                let elapsed = start.elapsed();
                theirs.borrow_mut().push(elapsed / iters as u32);
                elapsed
            });
        });
    }
    group.finish();

    let ours = median(&ours.borrow());
    if rg {
        let theirs = median(&theirs.borrow());
        eprintln!(
            "grep over 50 000 files: code-mesh {ours:.2?} · rg {theirs:.2?} · ours/rg = {:.2}",
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    } else {
        eprintln!(
            "grep over 50 000 files: code-mesh {ours:.2?}; rg not found (apt-get install \
             ripgrep) so no ratio"
        );
    }
}

criterion_group!(benches, grep_against_rg);
criterion_main!(benches);
