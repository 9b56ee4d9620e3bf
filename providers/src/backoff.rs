//! How long to wait before sending a failed request again: exponential
//! backoff with full jitter, or the server's own `Retry-After` when it gave
//! a reasonable one.

use code_mesh_runtime::platform;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The waits between attempts.
///
/// Before retry `n` (0 for the first) the wait is a random duration between
/// zero and `base × 2ⁿ`, never more than `cap` ("full jitter": clients that
/// failed together do not come back together). When the server said how long
/// to wait (`Retry-After`, `retry-after-ms`) and that is at most
/// `max_retry_after`, that is the wait instead; a longer demand (a daily
/// quota's "come back in 6 hours") is not honoured, and the normal backoff
/// applies.
///
/// ```
/// use code_mesh_providers::Backoff;
/// use std::time::Duration;
///
/// let backoff = Backoff::new().base(Duration::from_millis(100));
/// assert_eq!(backoff.ceiling(3), Duration::from_millis(800));
/// // The server asked for 1 s: that wins over the random backoff.
/// let wait = backoff.delay(0, Some(Duration::from_secs(1)), 0.5);
/// assert_eq!(wait, Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    max_retry_after: Duration,
}

impl Backoff {
    /// The longest wait before the first retry, by default.
    pub const DEFAULT_BASE: Duration = Duration::from_millis(500);
    /// The longest wait before any retry, by default.
    pub const DEFAULT_CAP: Duration = Duration::from_secs(30);
    /// The longest server-requested wait honoured, by default.
    pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

    /// Base 500 ms, doubling, capped at 30 s; server waits up to 60 s honoured.
    pub fn new() -> Self {
        Self {
            base: Self::DEFAULT_BASE,
            cap: Self::DEFAULT_CAP,
            max_retry_after: Self::DEFAULT_MAX_RETRY_AFTER,
        }
    }

    /// The longest wait before the first retry; it doubles for each one after.
    pub fn base(mut self, base: Duration) -> Self {
        self.base = base;
        self
    }

    /// The longest wait before any retry, however many came before.
    pub fn cap(mut self, cap: Duration) -> Self {
        self.cap = cap;
        self
    }

    /// The longest wait a server may ask for and get.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The longest wait before retry `retry` (0 for the first):
    /// `base × 2^retry`, at most the cap.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.base
            .checked_mul(factor)
            .map_or(self.cap, |ceiling| ceiling.min(self.cap))
    }

    /// The wait before retry `retry` (0 for the first): `retry_after` when
    /// the server gave one no longer than the maximum honoured, else
    /// `fraction` (a random number in `[0, 1)`) of the
    /// [`ceiling`](Self::ceiling).
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>, fraction: f64) -> Duration {
        match retry_after {
            Some(wait) if wait <= self.max_retry_after => wait,
            _ => self.ceiling(retry).mul_f64(fraction.clamp(0.0, 1.0)),
        }
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

/// Random fractions for jitter: SplitMix64 seeded from the clock. Not for
/// secrets; it only has to differ between clients and between calls, and it
/// works in wasm where an OS random source may not.
#[derive(Debug, Clone)]
pub(crate) struct Jitter {
    state: u64,
}

/// Mixed into each seed so jitters made in the same clock tick differ.
static SEEDS_MADE: AtomicU64 = AtomicU64::new(0);

impl Jitter {
    /// A generator seeded from the wall clock and a per-process counter.
    pub(crate) fn from_clock() -> Self {
        let nanos = platform::since_unix_epoch().as_nanos();
        // Folding the 128-bit count keeps its fast-moving low bits.
        let folded = (nanos as u64) ^ ((nanos >> 64) as u64);
        let count = SEEDS_MADE.fetch_add(1, Ordering::Relaxed);
        Self::seeded(folded ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// A generator giving the same fractions for the same seed (for tests).
    pub(crate) fn seeded(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next fraction, uniform in `[0, 1)`.
    pub(crate) fn fraction(&mut self) -> f64 {
        // The top 53 bits fill an f64's mantissa exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn ceiling_doubles_from_the_base_up_to_the_cap() {
        let backoff = Backoff::new();
        let ceilings: Vec<Duration> = (0..8).map(|retry| backoff.ceiling(retry)).collect();
        assert_eq!(
            ceilings,
            [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000].map(|ms| ms * MS)
        );
    }

    #[test]
    fn ceiling_never_overflows_for_huge_retry_counts() {
        let backoff = Backoff::new();
        assert_eq!(backoff.ceiling(31), Backoff::DEFAULT_CAP);
        assert_eq!(backoff.ceiling(64), Backoff::DEFAULT_CAP);
        assert_eq!(backoff.ceiling(u32::MAX), Backoff::DEFAULT_CAP);
    }

    #[test]
    fn jittered_delay_stays_between_zero_and_the_ceiling() {
        let backoff = Backoff::new();
        let mut jitter = Jitter::seeded(7);
        for retry in 0..10 {
            for _ in 0..100 {
                let delay = backoff.delay(retry, None, jitter.fraction());
                assert!(
                    delay <= backoff.ceiling(retry),
                    "{delay:?} at retry {retry}"
                );
            }
        }
        assert_eq!(backoff.delay(2, None, 0.0), Duration::ZERO);
        assert_eq!(backoff.delay(2, None, 0.5), 1_000 * MS);
        // Out-of-range fractions are clamped, never past the ceiling.
        assert_eq!(backoff.delay(0, None, 7.0), 500 * MS);
        assert_eq!(backoff.delay(0, None, -1.0), Duration::ZERO);
    }

    #[test]
    fn server_retry_after_wins_over_the_backoff() {
        let backoff = Backoff::new();
        assert_eq!(backoff.delay(0, Some(1_000 * MS), 0.9), 1_000 * MS);
        // Even when it is longer than the cap, up to the maximum honoured.
        assert_eq!(backoff.delay(5, Some(45_000 * MS), 0.9), 45_000 * MS);
        assert_eq!(backoff.delay(0, Some(Duration::ZERO), 0.9), Duration::ZERO);
    }

    #[test]
    fn server_retry_after_beyond_the_maximum_falls_back_to_the_backoff() {
        let backoff = Backoff::new().max_retry_after(Duration::from_secs(10));
        let delay = backoff.delay(1, Some(Duration::from_secs(3_600)), 0.5);
        assert_eq!(delay, 500 * MS);
    }

    #[test]
    fn jitter_fractions_are_in_the_unit_interval_and_spread_out() {
        let mut jitter = Jitter::seeded(42);
        let fractions: Vec<f64> = (0..1_000).map(|_| jitter.fraction()).collect();
        assert!(fractions.iter().all(|f| (0.0..1.0).contains(f)));
        let low = fractions.iter().filter(|f| **f < 0.5).count();
        assert!((400..600).contains(&low), "{low} of 1000 below one half");
    }

    #[test]
    fn jitters_from_the_clock_differ_from_each_other() {
        let mut first = Jitter::from_clock();
        let mut second = Jitter::from_clock();
        assert_ne!(first.fraction(), second.fraction());
    }
}
