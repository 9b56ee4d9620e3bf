//! The Supervisor's behaviour, end to end through its actor messages and
//! events, with small real roles.

// All of this crate is test code: a failed expectation should fail loudly,
// helpers included (clippy only recognises `#[test]` functions as tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cancelling;
mod changes;
mod messaging;
mod plan_modes;
mod plans;
mod restarts;
mod scheduling;
mod status;
mod support;
mod turns;
mod usage;
