//! [`resilient`]: every provider the front end uses, wrapped in the idle
//! timeout and retries its settings ask for.

use crate::{IdleTimeout, RetryPolicy, Retrying};
use code_mesh_runtime::config::ProviderSettings;
use code_mesh_runtime::provider::Provider;
use std::rc::Rc;
use std::time::Duration;

/// `provider`, registered as `provider_id`, with an [`IdleTimeout`] on each
/// attempt and [`Retrying`] around them, as `settings` say:
/// `timeout` (ms; 120 000 when unset, 0 for none) and `retries` (2 when
/// unset, 0 for none).
///
/// The timeout sits inside the retries, so a server that never answers is
/// given up on after one timeout, not one per attempt: a timed-out answer
/// is a `Stream` error, which is not retried.
pub fn resilient(
    provider: Rc<dyn Provider>,
    provider_id: &str,
    settings: &ProviderSettings,
) -> Rc<dyn Provider> {
    let timeout = settings
        .timeout
        .map_or(IdleTimeout::DEFAULT, Duration::from_millis);
    let watched: Rc<dyn Provider> = if timeout.is_zero() {
        provider
    } else {
        Rc::new(IdleTimeout::new(provider, provider_id, timeout))
    };
    let policy =
        RetryPolicy::new().retries(settings.retries.unwrap_or(RetryPolicy::DEFAULT_RETRIES));
    Rc::new(Retrying::with_policy(watched, policy))
}
