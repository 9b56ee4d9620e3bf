//! The session store: what recording one record costs (handed to the OS,
//! and with `fsync` as well), and how long a 10 000-message session takes
//! to load.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use code_mesh_runtime::model::ChatMessage;
use code_mesh_runtime::session::{
    JsonlSessionStore, SessionRecord, SessionRecorder, SessionStore, replay,
};
use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;

/// A message of a typical size (a paragraph of answer).
fn message(i: usize) -> SessionRecord {
    SessionRecord::Message {
        message: ChatMessage::Assistant {
            content: format!(
                "Answer {i}: {}",
                "the parser now keeps CRLF endings. ".repeat(8)
            ),
            tool_calls: Vec::new(),
        },
    }
}

fn append(c: &mut Criterion) {
    let mut group = c.benchmark_group("session_append");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    for sync in [false, true] {
        let data = tempfile::tempdir().unwrap();
        let store = JsonlSessionStore::new(data.path(), "bench");
        let writer = store.writer("s").unwrap().sync_each_record(sync);
        let record = message(0);
        let name = if sync {
            "write_flush_fsync"
        } else {
            "write_flush"
        };
        group.bench_function(name, |b| b.iter(|| writer.record(&record)));
        assert!(writer.take_failure().is_none());
    }
    group.finish();
}

fn load(c: &mut Criterion) {
    let data = tempfile::tempdir().unwrap();
    let store = JsonlSessionStore::new(data.path(), "bench");
    {
        let writer = store.writer("s").unwrap();
        for i in 0..10_000 {
            writer.record(&message(i));
        }
    }
    let mut group = c.benchmark_group("session_load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    group.bench_function("10k_messages_and_replay", |b| {
        b.iter(|| {
            let loaded = store.load("s").unwrap();
            assert_eq!(replay(&loaded.records).len(), 10_000);
        });
    });
    group.finish();
}

criterion_group!(benches, append, load);
criterion_main!(benches);
