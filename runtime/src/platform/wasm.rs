//! [`sleep`] in WebAssembly: JavaScript's `setTimeout`, in browsers and Node.

use gloo_timers::future::TimeoutFuture;
use std::time::Duration;

/// The longest delay `setTimeout` takes (2³¹−1 ms, about 24.8 days); longer
/// ones fire at once, so they are waited for in pieces.
const MAX_TIMEOUT_MS: u128 = i32::MAX as u128;

/// Waits for `duration`; dropping the future clears the timer.
pub async fn sleep(duration: Duration) {
    let mut left = duration.as_millis();
    loop {
        let piece = left.min(MAX_TIMEOUT_MS);
        // `piece` fits: it is at most i32::MAX.
        TimeoutFuture::new(u32::try_from(piece).unwrap_or(i32::MAX as u32)).await;
        left -= piece;
        if left == 0 {
            break;
        }
    }
}
