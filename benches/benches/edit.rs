//! The editing tools on big files: `edit` on a 10 MB file (an exact match
//! near the end, and a fuzzy one that runs four strategies before
//! indentation-flexible matches), and `read` with an offset deep into a
//! 100 MB file.
//!
//! The files are generated in a temporary directory during setup. Each edit
//! iteration is a whole tool call: read the file, match, write it back
//! atomically (flushed to disk), diff. Edits alternate between two texts so
//! that the file stays the same size.
//!
//! `cargo bench -p code-mesh-benches --bench edit`

// Benches are not library code: a broken setup should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_runtime::protocol::AgentId;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolOutput};
use code_mesh_tools::{EditTool, ReadTool};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::fmt::Write as _;
use std::fs;
use std::future::Future;
use std::hint::black_box;
use std::path::Path;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// Size of the file edited.
const EDIT_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Size of the file read.
const READ_FILE_BYTES: usize = 100 * 1024 * 1024;

/// Runs a tool call to completion. The file tools never wait on anything,
/// so polling with a waker that does nothing is enough (no runtime needed).
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// Three-line Rust functions, numbered, until the text reaches `bytes`;
/// returns the text and the number of functions.
fn functions(bytes: usize) -> (String, usize) {
    let mut text = String::with_capacity(bytes + 64);
    let mut count = 0;
    while text.len() < bytes {
        writeln!(
            text,
            "fn function_{count}(x: u32) -> u32 {{\n    x + {count}\n}}"
        )
        .unwrap();
        count += 1;
    }
    (text, count)
}

fn call(tool: &dyn Tool, ctx: &ToolContext, arguments: serde_json::Value) -> ToolOutput {
    run(tool.call(arguments, ctx)).unwrap()
}

/// Edits `file` in `ctx`, alternating between `a` → `b` and `b` → `a`.
fn alternate(c: &mut Criterion, name: &str, ctx: &ToolContext, a: &str, b: &str) {
    let mut forward = true;
    c.bench_function(name, |bencher| {
        bencher.iter(|| {
            let (old, new) = if forward { (a, b) } else { (b, a) };
            forward = !forward;
            let edited = call(
                &EditTool,
                ctx,
                json!({ "filePath": "big.rs", "oldString": old, "newString": new }),
            );
            black_box(edited);
        });
    });
}

fn edit_10_mb(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (text, count) = functions(EDIT_FILE_BYTES);
    fs::write(dir.path().join("big.rs"), &text).unwrap();
    let ctx = ToolContext::new(dir.path(), AgentId(1));
    let near_end = count - 10;

    alternate(
        c,
        "edit_10mb_exact_near_end",
        &ctx,
        &format!("    x + {near_end}\n}}"),
        &format!("    x * {near_end}\n}}"),
    );

    // The exact bench may have stopped after an odd number of edits.
    fs::write(dir.path().join("big.rs"), &text).unwrap();

    // The block copied one level too deep: exact fails; line-trimmed,
    // block-anchor and whitespace-normalised find it but stand aside;
    // indentation-flexible matches and re-indents.
    let shifted = |body: &str| {
        format!("    fn function_{near_end}(x: u32) -> u32 {{\n        {body}\n    }}")
    };
    let edited = call(
        &EditTool,
        &ctx,
        json!({
            "filePath": "big.rs",
            "oldString": shifted(&format!("x + {near_end}")),
            "newString": shifted(&format!("x - {near_end}")),
        }),
    );
    assert!(
        edited.output.contains("indentation-flexible"),
        "{}",
        edited.output
    );
    alternate(
        c,
        "edit_10mb_fuzzy_indentation_near_end",
        &ctx,
        &shifted(&format!("x - {near_end}")),
        &shifted(&format!("x + {near_end}")),
    );
}

fn read_deep_100_mb(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (text, count) = functions(READ_FILE_BYTES);
    let path = dir.path().join("huge.rs");
    fs::write(&path, &text).unwrap();
    drop(text);
    let lines = count * 3;
    let offset = lines - lines / 20;
    let ctx = ToolContext::new(dir.path(), AgentId(1));
    let check = call(
        &ReadTool,
        &ctx,
        json!({ "filePath": "huge.rs", "offset": offset, "limit": 100 }),
    );
    assert!(
        check.output.contains(&format!("{:05}| ", offset + 1)),
        "{}",
        &check.output[..200]
    );
    c.bench_function("read_100mb_offset_95_percent", |bencher| {
        bencher.iter(|| {
            black_box(call(
                &ReadTool,
                &ctx,
                json!({ "filePath": "huge.rs", "offset": offset, "limit": 100 }),
            ))
        });
    });
    remove(&path);
}

/// Removes a big file now rather than when the directory goes.
fn remove(path: &Path) {
    let _ = fs::remove_file(path);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = edit_10_mb, read_deep_100_mb
}
criterion_main!(benches);
