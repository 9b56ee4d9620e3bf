//! Sleep and clocks for code that runs both natively and in WebAssembly,
//! and, on Unix, [`ProcessGroupGuard`] for code that runs commands.
//!
//! actix's and tokio's timers panic in `wasm32-unknown-unknown` ("time not
//! implemented on this platform"), so shared code (retries, timeouts) waits
//! and reads the time only through this module. Natively [`sleep`] is tokio's
//! timer; in wasm it is JavaScript's `setTimeout`. Dropping a sleep cancels
//! its timer: nothing keeps running in the background.
//!
//! ```
//! use code_mesh_runtime::platform::{now, sleep};
//! use std::time::Duration;
//!
//! # async fn demo() {
//! let started = now();
//! sleep(Duration::from_millis(10)).await;
//! assert!(started.elapsed() >= Duration::from_millis(10));
//! # }
//! ```

mod clock;
#[cfg(not(target_family = "wasm"))]
mod native;
#[cfg(unix)]
mod process_group;
#[cfg(target_family = "wasm")]
mod wasm;

pub use clock::{Instant, now, since_unix_epoch};
#[cfg(not(target_family = "wasm"))]
pub use native::sleep;
#[cfg(unix)]
pub use process_group::ProcessGroupGuard;
#[cfg(target_family = "wasm")]
pub use wasm::sleep;
