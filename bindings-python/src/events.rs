//! Connection events: `Client.events()` gives an [`EventListener`] over the
//! core's event stream. Names and details are the core's
//! (`ConnectionEvent::name`, `detail`).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::{Stream, StreamExt};
use pyo3::prelude::*;

use crate::client::Client;
use crate::convert;
use crate::runtime::{Call, spawn_value};

type Events = Pin<Box<dyn Stream<Item = jetbridge::ConnectionEvent> + Send>>;

struct Shared {
    events: tokio::sync::Mutex<Events>,
    ended: AtomicBool,
}

/// One listener of a client's connection events, from when it was made.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct EventListener {
    shared: Arc<Shared>,
}

#[pymethods]
impl EventListener {
    /// The next event as `(kind, detail)`, waiting up to `max_wait`
    /// (`Call[tuple | None]`): `None` when none came in time or the
    /// listener has ended (then `ended` is true).
    fn next(&self, max_wait: &Bound<'_, PyAny>) -> PyResult<Call> {
        let max_wait = convert::duration(max_wait, "timeout")?;
        let shared = self.shared.clone();
        spawn_value(async move {
            if shared.ended.load(Ordering::Acquire) {
                return Ok(None);
            }
            let mut events = shared.events.lock().await;
            match tokio::time::timeout(max_wait, events.next()).await {
                Err(_) => Ok(None),
                Ok(Some(e)) => {
                    if e.is_last() {
                        shared.ended.store(true, Ordering::Release);
                    }
                    Ok(Some((e.name(), e.detail())))
                }
                Ok(None) => {
                    shared.ended.store(true, Ordering::Release);
                    Ok(None)
                }
            }
        })
    }

    /// True once the listener has ended (it delivered `closed`); no event
    /// follows.
    #[getter]
    fn ended(&self) -> bool {
        self.shared.ended.load(Ordering::Acquire)
    }
}

/// The core's event names, in order (`ConnectionEvent::NAMES`).
#[pyfunction]
pub(crate) fn connection_event_kinds() -> Vec<&'static str> {
    jetbridge::ConnectionEvent::NAMES.to_vec()
}

#[pymethods]
impl Client {
    /// A listener of the connection events from now on.
    fn events(&self) -> EventListener {
        let events: Events = Box::pin(self.inner.events());
        EventListener {
            shared: Arc::new(Shared {
                events: tokio::sync::Mutex::new(events),
                ended: AtomicBool::new(false),
            }),
        }
    }
}
