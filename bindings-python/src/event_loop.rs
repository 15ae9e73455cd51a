//! Waking an asyncio event loop from core threads without taking the GIL.
//!
//! Each loop gets one [`LoopBridge`]: a queue of finished outcomes and a
//! socket pair whose read end is registered with `loop.add_reader`. A core
//! thread that finishes a call pushes `(future, outcome)` onto the queue and,
//! if the queue was empty, writes one byte. The loop then runs [`Drain`] on
//! its own thread, with the GIL: it empties the socket, takes the whole queue
//! and resolves every future. One wakeup serves any number of finished calls,
//! and no core thread ever waits for the GIL — so heartbeats and acks keep
//! flowing while Python is busy.
//!
//! Bridges are kept per loop object; loops that are closed are dropped from
//! the registry the next time a new loop shows up. Needs a loop with
//! `add_reader` (every selector loop and uvloop on Unix).

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::runtime::{Outcome, resolve};

/// The wakeup channel of one event loop.
pub(crate) struct LoopBridge {
    queue: Mutex<Vec<(Py<PyAny>, Outcome)>>,
    wake_tx: UnixStream,
    wake_rx: UnixStream,
}

impl LoopBridge {
    fn new() -> std::io::Result<LoopBridge> {
        let (wake_tx, wake_rx) = UnixStream::pair()?;
        wake_tx.set_nonblocking(true)?;
        wake_rx.set_nonblocking(true)?;
        Ok(LoopBridge {
            queue: Mutex::new(Vec::new()),
            wake_tx,
            wake_rx,
        })
    }

    /// Queues an outcome for `future` and wakes the loop if it may be asleep.
    /// Called on core threads; never touches Python.
    pub(crate) fn deliver(&self, future: Py<PyAny>, outcome: Outcome) {
        let first = {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.push((future, outcome));
            queue.len() == 1
        };
        if first {
            // A full socket buffer already means "wake up"; nothing to do.
            let _ = (&self.wake_tx).write(&[1]);
        }
    }
}

/// The loop's reader callback: resolves every queued future.
#[pyclass(frozen, module = "jetbridge._native")]
struct Drain {
    bridge: Arc<LoopBridge>,
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        // Empty the socket first, then take the queue: a push in between
        // leaves a byte behind (a harmless extra wakeup), never a lost one.
        let mut buf = [0u8; 256];
        while let Ok(n) = (&self.bridge.wake_rx).read(&mut buf) {
            if n < buf.len() {
                break;
            }
        }
        let items =
            std::mem::take(&mut *self.bridge.queue.lock().unwrap_or_else(|p| p.into_inner()));
        for (future, outcome) in items {
            if let Err(e) = resolve(py, future.bind(py), outcome) {
                // Resolving only fails if the loop is broken; report, go on.
                e.write_unraisable(py, Some(future.bind(py)));
            }
        }
    }
}

/// Bridges by loop; a strong reference keeps the loop's id from being reused
/// while its entry exists.
static BRIDGES: Mutex<Vec<(Py<PyAny>, Arc<LoopBridge>)>> = Mutex::new(Vec::new());
static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `asyncio.get_running_loop()`: `RuntimeError` outside a coroutine.
pub(crate) fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    GET_RUNNING_LOOP
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("asyncio")?.getattr("get_running_loop")?.unbind())
        })?
        .bind(py)
        .call0()
}

/// The bridge of `event_loop`, created and registered on first use.
///
/// The registry lock is never held while Python code runs (that could
/// deadlock with the GIL). Only the loop's own thread asks for its bridge, so
/// two bridges for one loop cannot be created concurrently.
pub(crate) fn bridge_for(
    py: Python<'_>,
    event_loop: &Bound<'_, PyAny>,
) -> PyResult<Arc<LoopBridge>> {
    let known: Vec<Py<PyAny>> = {
        let bridges = BRIDGES.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, bridge)) = bridges
            .iter()
            .find(|(l, _)| l.as_ptr() == event_loop.as_ptr())
        {
            return Ok(bridge.clone());
        }
        bridges.iter().map(|(l, _)| l.clone_ref(py)).collect()
    };
    // A new loop: forget closed ones (their readers went with their selectors).
    let closed: Vec<usize> = known
        .iter()
        .filter(|l| {
            l.bind(py)
                .call_method0("is_closed")
                .and_then(|c| c.is_truthy())
                .unwrap_or(true)
        })
        .map(|l| l.as_ptr() as usize)
        .collect();
    let bridge = Arc::new(LoopBridge::new().map_err(|e| {
        crate::error::to_py(jetbridge::Error::new(
            jetbridge::ErrorKind::Internal,
            format!("cannot create the event loop wakeup socket: {e}"),
        ))
    })?);
    let drain = Drain {
        bridge: bridge.clone(),
    };
    event_loop.call_method1(
        "add_reader",
        (bridge.wake_rx.as_raw_fd(), Py::new(py, drain)?),
    )?;
    let removed: Vec<(Py<PyAny>, Arc<LoopBridge>)> = {
        let mut bridges = BRIDGES.lock().unwrap_or_else(|p| p.into_inner());
        let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut *bridges)
            .into_iter()
            .partition(|(l, _)| closed.contains(&(l.as_ptr() as usize)));
        *bridges = kept;
        bridges.push((event_loop.clone().unbind(), bridge.clone()));
        gone
    };
    drop(removed);
    drop(known);
    Ok(bridge)
}
