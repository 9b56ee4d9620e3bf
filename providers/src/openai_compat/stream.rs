//! The [`ModelStream`] over async-openai's stream of chunks.

use super::chunk::ChatChunk;
use super::decoder::Decoder;
use super::errors::ErrorContext;
use async_openai::types::stream::StreamResponse;
use code_mesh_runtime::model::ModelEvent;
use code_mesh_runtime::provider::{ModelStream, ProviderError};
use futures::StreamExt;
use std::collections::VecDeque;

/// Where one answer's stream stands.
struct Reading {
    chunks: StreamResponse<ChatChunk>,
    decoder: Decoder,
    errors: ErrorContext,
    /// Events decoded but not yet handed out.
    ready: VecDeque<Result<ModelEvent, ProviderError>>,
    /// Set once the chunks ended or broke; nothing is read after that.
    ended: bool,
}

/// Events decoded from `chunks`. The stream ends after `Finished`, or after
/// one `Err(ProviderError::Stream)` when the answer broke off.
pub(crate) fn model_events(chunks: StreamResponse<ChatChunk>, errors: ErrorContext) -> ModelStream {
    let reading = Reading {
        chunks,
        decoder: Decoder::default(),
        errors,
        ready: VecDeque::new(),
        ended: false,
    };
    futures::stream::unfold(reading, |mut reading| async move {
        loop {
            if let Some(item) = reading.ready.pop_front() {
                return Some((item, reading));
            }
            if reading.ended {
                return None;
            }
            reading.read_next().await;
        }
    })
    .boxed_local()
}

impl Reading {
    /// Reads one chunk (or the end) into `ready`.
    async fn read_next(&mut self) {
        let decoded = match self.chunks.next().await {
            Some(Ok(chunk)) => self.decoder.chunk(chunk),
            Some(Err(error)) => {
                self.fail(self.errors.stream_failed(error));
                return;
            }
            None => {
                self.ended = true;
                self.decoder.end()
            }
        };
        match decoded {
            Ok(events) => self.ready.extend(events.into_iter().map(Ok)),
            Err(broken) => self.fail(self.errors.broken(broken)),
        }
    }

    fn fail(&mut self, error: ProviderError) {
        self.ready.push_back(Err(error));
        self.ended = true;
    }
}
