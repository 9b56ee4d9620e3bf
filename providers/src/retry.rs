//! [`Retrying`]: sends a request again when it failed in a way that waiting
//! may fix, with backoff.

use crate::backoff::{Backoff, Jitter};
use async_trait::async_trait;
use code_mesh_runtime::model::ModelRequest;
use code_mesh_runtime::platform;
use code_mesh_runtime::provider::{ModelStream, Provider, ProviderError};
use std::time::Duration;

/// How many times, and after what waits, a failed request is sent again.
///
/// ```
/// use code_mesh_providers::{Backoff, RetryPolicy};
/// use std::time::Duration;
///
/// let policy = RetryPolicy::new()
///     .retries(4)
///     .backoff(Backoff::new().base(Duration::from_millis(250)));
/// assert_eq!(policy.max_attempts(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    retries: u32,
    backoff: Backoff,
}

impl RetryPolicy {
    /// Retries after the first attempt, by default: three attempts in all.
    pub const DEFAULT_RETRIES: u32 = 2;

    /// [`DEFAULT_RETRIES`](Self::DEFAULT_RETRIES) retries with the default
    /// [`Backoff`].
    pub fn new() -> Self {
        Self {
            retries: Self::DEFAULT_RETRIES,
            backoff: Backoff::new(),
        }
    }

    /// How many times to send a failed request again (0: never).
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// The waits between attempts.
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// The most requests one call may send: the first and its retries.
    pub fn max_attempts(&self) -> u32 {
        self.retries.saturating_add(1)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// A [`Provider`] that sends a request again when it failed before any of
/// the answer arrived and [`ProviderError::is_transient`] says waiting may
/// help: rate limits (429), 408, 409, server errors (5xx, 529) and an
/// unreachable server. It waits per its [`RetryPolicy`] between attempts,
/// honouring the server's `Retry-After`.
///
/// An answer that breaks off midway is never retried: its text was already
/// shown, so the stream's `Stream` error is passed on. When every attempt
/// failed, the last error is returned, saying how many attempts were made.
/// Dropping the future cancels the request or the wait; nothing runs on in
/// the background.
///
/// ```no_run
/// use code_mesh_providers::{OpenAiCompatibleConfig, Retrying};
///
/// let ollama = OpenAiCompatibleConfig::new("ollama")
///     .base_url("http://localhost:11434/v1")
///     .build()?;
/// let patient = Retrying::new(ollama);
/// # Ok::<(), code_mesh_runtime::provider::ProviderError>(())
/// ```
#[derive(Debug)]
pub struct Retrying<P> {
    inner: P,
    policy: RetryPolicy,
}

impl<P> Retrying<P> {
    /// `inner` with the default [`RetryPolicy`].
    pub fn new(inner: P) -> Self {
        Self::with_policy(inner, RetryPolicy::new())
    }

    /// `inner`, retried per `policy`.
    pub fn with_policy(inner: P, policy: RetryPolicy) -> Self {
        Self { inner, policy }
    }

    /// The policy in force.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// The provider underneath.
    pub fn inner(&self) -> &P {
        &self.inner
    }
}

#[async_trait(?Send)]
impl<P: Provider> Provider for Retrying<P> {
    async fn stream(&self, mut request: ModelRequest) -> Result<ModelStream, ProviderError> {
        let mut jitter = Jitter::from_clock();
        let mut retry = 0;
        loop {
            let last_chance = retry >= self.policy.retries;
            let attempt = if last_chance {
                std::mem::take(&mut request)
            } else {
                request.clone()
            };
            let error = match self.inner.stream(attempt).await {
                Ok(stream) => return Ok(stream),
                Err(error) => error,
            };
            if last_chance || !error.is_transient() {
                return Err(after_attempts(error, retry + 1));
            }
            let asked = error.retry_after_ms().map(Duration::from_millis);
            let wait = self.policy.backoff.delay(retry, asked, jitter.fraction());
            platform::sleep(wait).await;
            retry += 1;
        }
    }
}

/// `error`, its message noting how many attempts it took when more than one.
fn after_attempts(error: ProviderError, attempts: u32) -> ProviderError {
    if attempts < 2 {
        return error;
    }
    let note = |message: String| format!("{message} (gave up after {attempts} attempts)");
    match error {
        ProviderError::RateLimited {
            provider,
            message,
            retry_after_ms,
        } => ProviderError::RateLimited {
            provider,
            message: note(message),
            retry_after_ms,
        },
        ProviderError::Http {
            provider,
            status,
            message,
            retry_after_ms,
        } => ProviderError::Http {
            provider,
            status,
            message: note(message),
            retry_after_ms,
        },
        ProviderError::Unreachable {
            provider,
            url,
            message,
        } => ProviderError::Unreachable {
            provider,
            url,
            message: note(message),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::model::{FinishReason, ModelEvent};
    use futures::StreamExt;
    use std::cell::RefCell;
    use std::collections::VecDeque;

    /// Answers each request with the next scripted result.
    struct Scripted {
        results: RefCell<VecDeque<Result<(), ProviderError>>>,
        calls: RefCell<u32>,
    }

    impl Scripted {
        fn new(results: impl IntoIterator<Item = Result<(), ProviderError>>) -> Self {
            Self {
                results: RefCell::new(results.into_iter().collect()),
                calls: RefCell::new(0),
            }
        }
    }

    #[async_trait(?Send)]
    impl Provider for Scripted {
        async fn stream(&self, _request: ModelRequest) -> Result<ModelStream, ProviderError> {
            *self.calls.borrow_mut() += 1;
            let next = self.results.borrow_mut().pop_front();
            match next {
                Some(Ok(())) | None => Ok(futures::stream::iter([Ok(ModelEvent::Finished(
                    FinishReason::Stop,
                ))])
                .boxed_local()),
                Some(Err(error)) => Err(error),
            }
        }
    }

    fn server_error() -> ProviderError {
        ProviderError::Http {
            provider: "p".into(),
            status: 503,
            message: "busy".into(),
            retry_after_ms: None,
        }
    }

    fn quick(inner: Scripted, retries: u32) -> Retrying<Scripted> {
        let backoff = Backoff::new().base(Duration::from_millis(1));
        Retrying::with_policy(inner, RetryPolicy::new().retries(retries).backoff(backoff))
    }

    #[tokio::test(flavor = "current_thread")]
    async fn transient_errors_are_retried_until_an_answer_comes() {
        let retrying = quick(Scripted::new([Err(server_error()), Err(server_error())]), 2);
        assert!(retrying.stream(ModelRequest::default()).await.is_ok());
        assert_eq!(*retrying.inner().calls.borrow(), 3);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn last_error_says_how_many_attempts_were_made() {
        let retrying = quick(
            Scripted::new(std::iter::repeat_with(|| Err(server_error())).take(3)),
            2,
        );
        let error = retrying
            .stream(ModelRequest::default())
            .await
            .err()
            .unwrap();
        assert_eq!(*retrying.inner().calls.borrow(), 3);
        assert!(
            error.to_string().contains("gave up after 3 attempts"),
            "{error}"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn permanent_errors_are_returned_at_once_unchanged() {
        let unauthorized = ProviderError::Unauthorized {
            provider: "p".into(),
            status: 401,
            message: "bad key".into(),
            env_var: "P_API_KEY".into(),
        };
        let retrying = quick(Scripted::new([Err(unauthorized.clone())]), 2);
        let error = retrying
            .stream(ModelRequest::default())
            .await
            .err()
            .unwrap();
        assert_eq!(error, unauthorized);
        assert_eq!(*retrying.inner().calls.borrow(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn zero_retries_sends_once() {
        let retrying = quick(Scripted::new([Err(server_error())]), 0);
        let error = retrying
            .stream(ModelRequest::default())
            .await
            .err()
            .unwrap();
        assert_eq!(error, server_error());
        assert_eq!(*retrying.inner().calls.borrow(), 1);
    }

    #[test]
    fn default_policy_makes_three_attempts() {
        assert_eq!(RetryPolicy::default().max_attempts(), 3);
        assert_eq!(
            RetryPolicy::new().retries(u32::MAX).max_attempts(),
            u32::MAX
        );
    }
}
