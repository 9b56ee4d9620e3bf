//! SSE parsing throughput, in bytes of response body per second, for each
//! wire format: a recorded streamed answer (a long Markdown text answer and
//! an `edit` tool call) decoded into model events, with no HTTP.
//!
//! - `anthropic`: `code_mesh_providers::anthropic::decode_sse`, the path
//!   every Anthropic answer takes (`eventsource-stream`, then our decoder).
//! - `openai`: `code_mesh_providers::openai_compat::decode_sse`, the path
//!   every chat-completions answer takes (async-openai's SSE reader on a
//!   tokio task, our lenient chunks, our decoder).
//!
//! Each is fed the body as a streaming server's writes arrive (one chunk
//! per event) and in one piece. Splitting the body into chunks is set-up,
//! not timed.
//!
//! `cargo bench -p code-mesh-benches --bench sse`

// Benches are not library code: a broken setup should stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_providers::{anthropic, openai_compat};
use code_mesh_runtime::model::{FinishReason, ModelEvent};
use code_mesh_runtime::provider::ModelStream;
use code_mesh_test_support::recordings::{ANTHROPIC_MESSAGES_SSE, OPENAI_CHAT_SSE};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use futures::StreamExt;
use std::convert::Infallible;
use tokio::runtime::Runtime;

/// One recording and how to decode it.
struct Format {
    name: &'static str,
    body: &'static str,
    decode: fn(Vec<Vec<u8>>) -> ModelStream,
}

const FORMATS: [Format; 2] = [
    Format {
        name: "anthropic",
        body: ANTHROPIC_MESSAGES_SSE,
        decode: |chunks| {
            let bytes = futures::stream::iter(chunks.into_iter().map(Ok::<_, Infallible>));
            anthropic::decode_sse("anthropic", bytes)
        },
    },
    Format {
        name: "openai",
        body: OPENAI_CHAT_SSE,
        decode: |chunks| openai_compat::decode_sse("openai", chunks),
    },
];

/// The body as a streaming server's writes arrive: one chunk per event.
fn per_event(body: &str) -> Vec<Vec<u8>> {
    body.split_inclusive("\n\n")
        .map(|event| event.as_bytes().to_vec())
        .collect()
}

/// Decodes to the end and checks the answer came out whole.
fn decode_all(runtime: &Runtime, format: &Format, chunks: Vec<Vec<u8>>) -> usize {
    let events: Vec<_> = runtime.block_on((format.decode)(chunks).collect());
    assert_eq!(
        events.last(),
        Some(&Ok(ModelEvent::Finished(FinishReason::ToolCalls))),
        "{} did not decode to the end",
        format.name
    );
    events.len()
}

fn sse_decoding(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("sse_decode");
    for format in &FORMATS {
        group.throughput(Throughput::Bytes(format.body.len() as u64));
        let chunkings: [(&str, Vec<Vec<u8>>); 2] = [
            ("per_event", per_event(format.body)),
            ("one_chunk", vec![format.body.as_bytes().to_vec()]),
        ];
        for (chunking, chunks) in chunkings {
            group.bench_function(format!("{}/{chunking}", format.name), |b| {
                b.iter_batched(
                    || chunks.clone(),
                    |chunks| decode_all(&runtime, format, chunks),
                    BatchSize::SmallInput,
                );
            });
        }
    }
    group.finish();
}

criterion_group!(benches, sse_decoding);
criterion_main!(benches);
