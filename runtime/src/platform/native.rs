//! [`sleep`] on native targets: tokio's timer.

use std::time::Duration;

/// Waits for `duration`; dropping the future cancels the wait.
///
/// Runs on tokio's timer, which the actix `System` (and `#[actix::test]`,
/// `#[tokio::test]`) provide. Polled outside any tokio runtime it waits on
/// a helper thread instead of panicking.
pub async fn sleep(duration: Duration) {
    if tokio::runtime::Handle::try_current().is_ok() {
        tokio::time::sleep(duration).await;
    } else {
        sleep_on_a_thread(duration).await;
    }
}

/// The wait for executors without a timer (`futures::executor::block_on`).
async fn sleep_on_a_thread(duration: Duration) {
    let (done, waited) = futures::channel::oneshot::channel::<()>();
    let spawned = std::thread::Builder::new()
        .name("code-mesh-sleep".into())
        .spawn(move || {
            std::thread::sleep(duration);
            // The sleeper may have been dropped meanwhile: nothing to wake.
            let _ = done.send(());
        });
    match spawned {
        // A cancelled sender also ends the wait; that only happens if the
        // thread died, which a plain sleep does not.
        Ok(_) => {
            let _ = waited.await;
        }
        // No thread to be had: block this (timer-less) executor instead.
        Err(_) => std::thread::sleep(duration),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[actix::test]
    async fn sleeps_at_least_the_duration_on_the_actix_runtime() {
        let started = Instant::now();
        sleep(Duration::from_millis(30)).await;
        assert!(started.elapsed() >= Duration::from_millis(30));
    }

    #[test]
    fn sleeps_without_a_tokio_runtime_too() {
        let started = Instant::now();
        futures::executor::block_on(sleep(Duration::from_millis(30)));
        assert!(started.elapsed() >= Duration::from_millis(30));
    }
}
