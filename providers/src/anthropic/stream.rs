//! [`decode_sse`]: an answer's bytes, as they arrive, through the SSE parser
//! (`eventsource-stream`, which reassembles lines and UTF-8 characters cut
//! between chunks) and the [`Decoder`] into a [`ModelStream`].

use super::decoder::{BrokenStream, Decoder};
use code_mesh_runtime::model::ModelEvent;
use code_mesh_runtime::provider::{ModelStream, ProviderError};
use eventsource_stream::{EventStream, EventStreamError};
use futures::{Stream, StreamExt};
use std::collections::VecDeque;
use std::fmt::Display;
use std::pin::Pin;

/// Decodes a Messages API event stream into model events.
///
/// `bytes` is the response body in whatever chunks the network delivered
/// (the provider passes `reqwest`'s body stream; a test or a replay passes
/// recorded bytes, split anywhere). The stream yields text deltas as they
/// arrive, each tool call and piece of reasoning once its block is
/// complete, then usage and `Finished`, and ends at `message_stop`. An
/// `error` event, a failing body or a body that ends before `message_stop`
/// yields one `Err(ProviderError::Stream)` naming `provider_id`, and ends
/// the stream.
///
/// ```
/// use code_mesh_providers::anthropic::decode_sse;
/// use code_mesh_runtime::model::{FinishReason, ModelEvent};
/// use futures::StreamExt;
///
/// let body = concat!(
///     "event: message_start\n",
///     "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n",
///     "event: content_block_start\n",
///     "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
///     "event: content_block_delta\n",
///     "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
///     "event: message_delta\n",
///     "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}\n\n",
///     "event: message_stop\n",
///     "data: {\"type\":\"message_stop\"}\n\n",
/// );
/// // Cut mid-line: the parser puts the pieces back together.
/// let (a, b) = body.as_bytes().split_at(100);
/// let chunks = futures::stream::iter([Ok::<_, std::convert::Infallible>(a), Ok(b)]);
/// let events: Vec<_> = futures::executor::block_on(decode_sse("anthropic", chunks).collect());
/// assert_eq!(events[0], Ok(ModelEvent::TextDelta("Hi".into())));
/// assert_eq!(events.last(), Some(&Ok(ModelEvent::Finished(FinishReason::Stop))));
/// ```
pub fn decode_sse<S, B, E>(provider_id: impl Into<String>, bytes: S) -> ModelStream
where
    S: Stream<Item = Result<B, E>> + 'static,
    B: AsRef<[u8]>,
    E: Display + 'static,
{
    let reading = Reading {
        events: Box::pin(EventStream::new(bytes)),
        decoder: Decoder::default(),
        provider: provider_id.into(),
        decoded: Vec::new(),
        ready: VecDeque::new(),
        failure: None,
        ended: false,
    };
    futures::stream::unfold(reading, |mut reading| async move {
        loop {
            if let Some(event) = reading.ready.pop_front() {
                return Some((Ok(event), reading));
            }
            if let Some(error) = reading.failure.take() {
                return Some((Err(error), reading));
            }
            if reading.ended {
                return None;
            }
            reading.read_next().await;
        }
    })
    .boxed_local()
}

/// Where one answer's stream stands.
struct Reading<S> {
    events: Pin<Box<EventStream<S>>>,
    decoder: Decoder,
    provider: String,
    /// Scratch space the decoder appends to.
    decoded: Vec<ModelEvent>,
    /// Events decoded but not yet handed out.
    ready: VecDeque<ModelEvent>,
    /// Why the answer broke off, handed out after `ready`.
    failure: Option<ProviderError>,
    /// Set once the answer finished or broke; nothing is read after that.
    ended: bool,
}

impl<S, B, E> Reading<S>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: Display,
{
    /// Reads one server-sent event (or the end) into `ready`.
    async fn read_next(&mut self) {
        let outcome = match self.events.next().await {
            Some(Ok(event)) => self.decoder.event(&event.data, &mut self.decoded),
            Some(Err(EventStreamError::Transport(error))) => Err(BrokenStream(format!(
                "the connection failed mid-answer: {error}"
            ))),
            Some(Err(error)) => Err(BrokenStream(format!(
                "the answer is not a valid event stream: {error}"
            ))),
            None => {
                self.ended = true;
                self.decoder.end()
            }
        };
        self.ready.extend(self.decoded.drain(..));
        // The answer is complete at `message_stop`; what may follow is not read.
        if self.decoder.is_finished() {
            self.ended = true;
        }
        if let Err(BrokenStream(message)) = outcome {
            self.failure = Some(ProviderError::Stream {
                provider: self.provider.clone(),
                message,
            });
            self.ended = true;
        }
    }
}
