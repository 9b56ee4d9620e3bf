//! [`IdleTimeout`]: gives up on an answer when the server goes quiet.

use async_trait::async_trait;
use code_mesh_runtime::model::ModelRequest;
use code_mesh_runtime::platform;
use code_mesh_runtime::provider::{ModelStream, Provider, ProviderError};
use futures::StreamExt;
use futures::future::{Either, select};
use std::pin::pin;
use std::time::Duration;

/// A [`Provider`] whose answers end with a `Stream` error when the server
/// sends nothing for a while: no response within the timeout of sending the
/// request, or no next piece of the answer within the timeout of the last.
///
/// A dead connection that the network never reports (a proxy that stopped
/// forwarding, a server stuck mid-answer) would otherwise hang the session.
/// The request is aborted when it times out: the stream underneath is
/// dropped. Waiting uses [`platform::sleep`], so this works in wasm too.
///
/// ```no_run
/// use code_mesh_providers::{IdleTimeout, OpenAiCompatibleConfig};
/// use std::time::Duration;
///
/// let ollama = OpenAiCompatibleConfig::new("ollama")
///     .base_url("http://localhost:11434/v1")
///     .build()?;
/// let watched = IdleTimeout::new(ollama, "ollama", Duration::from_secs(300));
/// # Ok::<(), code_mesh_runtime::provider::ProviderError>(())
/// ```
#[derive(Debug)]
pub struct IdleTimeout<P> {
    inner: P,
    provider_id: String,
    timeout: Duration,
}

// Not generic, so `IdleTimeout::DEFAULT` needs no type parameter.
impl IdleTimeout<()> {
    /// How long the server may stay quiet, by default.
    pub const DEFAULT: Duration = Duration::from_secs(120);
}

impl<P> IdleTimeout<P> {
    /// `inner`, registered as `provider_id` (named in the error), giving up
    /// after `timeout` without data.
    pub fn new(inner: P, provider_id: impl Into<String>, timeout: Duration) -> Self {
        Self {
            inner,
            provider_id: provider_id.into(),
            timeout,
        }
    }

    /// How long the server may stay quiet.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The provider underneath.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    fn no_response(&self) -> ProviderError {
        self.error(format!(
            "no response from {} within {}",
            self.provider_id,
            seconds(self.timeout)
        ))
    }

    fn error(&self, what: String) -> ProviderError {
        ProviderError::Stream {
            provider: self.provider_id.clone(),
            message: format!(
                "{what}; try again, or raise provider.{}.timeout (milliseconds) in the config",
                self.provider_id
            ),
        }
    }
}

#[async_trait(?Send)]
impl<P: Provider> Provider for IdleTimeout<P> {
    async fn stream(&self, request: ModelRequest) -> Result<ModelStream, ProviderError> {
        let started = self.inner.stream(request);
        let deadline = pin!(platform::sleep(self.timeout));
        let stream = match select(started, deadline).await {
            Either::Left((answer, _)) => answer?,
            // Dropping `started` here aborts the request.
            Either::Right(((), _)) => return Err(self.no_response()),
        };
        let quiet = self.error(format!(
            "no data from {} for {}",
            self.provider_id,
            seconds(self.timeout)
        ));
        Ok(watched(stream, self.timeout, quiet))
    }
}

/// `stream`, ending with `quiet` once no item came for `timeout`.
fn watched(stream: ModelStream, timeout: Duration, quiet: ProviderError) -> ModelStream {
    let state = (Some(stream), quiet);
    futures::stream::unfold(state, move |(stream, quiet)| async move {
        let mut stream = stream?;
        let next = {
            let deadline = pin!(platform::sleep(timeout));
            match select(stream.next(), deadline).await {
                Either::Left((item, _)) => Some(item),
                Either::Right(((), _)) => None,
            }
        };
        match next {
            Some(Some(item)) => Some((item, (Some(stream), quiet))),
            Some(None) => None,
            // Gave up: the stream (and with it the connection) is dropped.
            None => Some((Err(quiet.clone()), (None, quiet))),
        }
    })
    .boxed_local()
}

/// `120 s`, or `1.5 s` for timeouts that are not whole seconds.
fn seconds(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::model::{FinishReason, ModelEvent};

    const SHORT: Duration = Duration::from_millis(50);

    /// Never answers: the request hangs before any response.
    struct Silent;

    #[async_trait(?Send)]
    impl Provider for Silent {
        async fn stream(&self, _request: ModelRequest) -> Result<ModelStream, ProviderError> {
            futures::future::pending().await
        }
    }

    /// Answers with one text delta, then hangs.
    struct StallsAfterHello;

    #[async_trait(?Send)]
    impl Provider for StallsAfterHello {
        async fn stream(&self, _request: ModelRequest) -> Result<ModelStream, ProviderError> {
            let hello = futures::stream::iter([Ok(ModelEvent::TextDelta("Hello".into()))]);
            Ok(hello.chain(futures::stream::pending()).boxed_local())
        }
    }

    /// Answers with a text delta every 20 ms, fifteen times, then finishes.
    struct Steady;

    #[async_trait(?Send)]
    impl Provider for Steady {
        async fn stream(&self, _request: ModelRequest) -> Result<ModelStream, ProviderError> {
            let ticks = futures::stream::iter(0..15).then(|n| async move {
                platform::sleep(Duration::from_millis(20)).await;
                Ok(ModelEvent::TextDelta(n.to_string()))
            });
            let finish = futures::stream::iter([Ok(ModelEvent::Finished(FinishReason::Stop))]);
            Ok(ticks.chain(finish).boxed_local())
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn no_response_within_the_timeout_is_a_stream_error() {
        let watched = IdleTimeout::new(Silent, "ollama", SHORT);
        let error = watched.stream(ModelRequest::default()).await.err().unwrap();
        let ProviderError::Stream { provider, message } = &error else {
            panic!("not a stream error: {error:?}");
        };
        assert_eq!(provider, "ollama");
        assert!(
            message.contains("no response from ollama within 0.05 s"),
            "{message}"
        );
        assert!(message.contains("provider.ollama.timeout"), "{message}");
        assert!(!error.is_transient());
    }

    #[tokio::test(flavor = "current_thread")]
    async fn stalled_answer_ends_with_a_stream_error_after_what_arrived() {
        let watched = IdleTimeout::new(StallsAfterHello, "openai", SHORT);
        let items: Vec<_> = watched
            .stream(ModelRequest::default())
            .await
            .unwrap()
            .collect()
            .await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0], Ok(ModelEvent::TextDelta("Hello".into())));
        let Err(ProviderError::Stream { message, .. }) = &items[1] else {
            panic!("not a stream error: {:?}", items[1]);
        };
        assert!(
            message.contains("no data from openai for 0.05 s"),
            "{message}"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn steady_answer_longer_than_the_timeout_in_total_passes_through() {
        // 300 ms in all, never more than 20 ms apart.
        let watched = IdleTimeout::new(Steady, "openai", Duration::from_millis(200));
        let items: Vec<_> = watched
            .stream(ModelRequest::default())
            .await
            .unwrap()
            .collect()
            .await;
        assert_eq!(items.len(), 16);
        assert!(items.iter().all(Result::is_ok), "{items:?}");
    }

    #[test]
    fn whole_seconds_print_without_a_fraction() {
        assert_eq!(seconds(Duration::from_secs(120)), "120 s");
        assert_eq!(seconds(Duration::from_millis(1_500)), "1.5 s");
    }
}
