//! Test-only fault injection: a panic at a named point, so that every
//! binding can prove it contains panics (the caller gets a `PANIC` error and
//! the process stays usable).
//!
//! Armed only by the environment variable `JETBRIDGE_TEST_PANIC=<point>`,
//! read once; when unset this costs one atomic load. Points: `connect`,
//! `publish`, `fetch`, `ack`, `deliver` (inside the task that feeds a
//! message stream).

use std::sync::OnceLock;

static ARMED: OnceLock<Option<String>> = OnceLock::new();

/// The environment variable that arms a point.
pub const ENV: &str = "JETBRIDGE_TEST_PANIC";

/// Panics when `point` is the armed point.
pub fn point(point: &'static str) {
    let armed = ARMED.get_or_init(|| std::env::var(ENV).ok().filter(|p| !p.is_empty()));
    if armed.as_deref() == Some(point) {
        panic!("injected test panic at {point} ({ENV})");
    }
}
