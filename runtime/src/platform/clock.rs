//! The monotonic clock and the wall clock, on both targets.
//!
//! `std::time::Instant::now()` and `SystemTime::now()` panic in
//! `wasm32-unknown-unknown`; `web-time` reads `performance.now()` and
//! `Date.now()` there and is `std::time` natively.

use std::time::Duration;

/// A point on the monotonic clock: for measuring how long something took.
pub use web_time::Instant;

/// The current point on the monotonic clock.
pub fn now() -> Instant {
    Instant::now()
}

/// The wall-clock time as a duration since 1970-01-01 UTC: for comparing with
/// dates a server sends (an HTTP `Retry-After` date). Zero if the system
/// clock is set before 1970.
pub fn since_unix_epoch() -> Duration {
    web_time::SystemTime::now()
        .duration_since(web_time::UNIX_EPOCH)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_is_after_2020() {
        assert!(since_unix_epoch() > Duration::from_secs(1_577_836_800));
    }

    #[test]
    fn monotonic_clock_does_not_go_back() {
        let earlier = now();
        assert!(now() >= earlier);
    }
}
