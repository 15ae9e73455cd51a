//! Free loopback ports.
//!
//! A port is picked by binding `127.0.0.1:0` and releasing it, so another process could take
//! it before nats-server binds it; servers therefore retry startup with fresh ports when they
//! fail with "address already in use". Within this process a port is never handed out twice.

use std::collections::HashSet;
use std::net::TcpListener;
use std::sync::{Mutex, OnceLock};

use crate::error::{Error, Result};

/// Attempts before giving up on finding a port not handed out before.
const MAX_ATTEMPTS: usize = 64;

fn handed_out() -> &'static Mutex<HashSet<u16>> {
    static SET: OnceLock<Mutex<HashSet<u16>>> = OnceLock::new();
    SET.get_or_init(|| Mutex::new(HashSet::new()))
}

/// Returns a currently free TCP port on 127.0.0.1 that this process has not returned before.
pub fn free_port() -> Result<u16> {
    for _ in 0..MAX_ATTEMPTS {
        let listener = TcpListener::bind("127.0.0.1:0")
            .map_err(|e| Error::io("binding 127.0.0.1:0 to pick a free port", e))?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::io("reading the picked port", e))?
            .port();
        let mut set = handed_out().lock().unwrap_or_else(|p| p.into_inner());
        if set.insert(port) {
            return Ok(port);
        }
    }
    Err(Error::State(format!(
        "no fresh free port after {MAX_ATTEMPTS} attempts"
    )))
}
