//! Connection events: the core's `Client::events()` stream, which
//! `lib/events.js` turns into an async iterable (`client.events()`).
//!
//! Each listener is a `NativeConnectionEvents`; JavaScript asks for one
//! event at a time (`next`), optionally bounded in time. An event crosses as
//! `{ kind, detail }`: the core's name (`ConnectionEvent::name`) and detail.
//! The listener ends after `closed` (at once on a client already closed) or
//! on `stop()`, which also ends a `next` that is waiting.

use std::sync::Arc;

use futures::{Stream, StreamExt};
use jetbridge::ConnectionEvent;
use napi::Env;
use napi::bindgen_prelude::PromiseRaw;
use tokio::sync::{Mutex, watch};

use crate::client::NativeClient;
use crate::convert::millis;
use crate::runtime::{guard, promise};

type Events = Box<dyn Stream<Item = ConnectionEvent> + Send + Unpin>;

/// One connection event.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeConnectionEvent {
    /// The core's name of the event (one of `eventKinds()`).
    pub kind: &'static str,
    /// The server's error text (`server_error`), the count missed
    /// (`missed`); `null` for the others.
    pub detail: Option<String>,
}

/// What one `next` found.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeEventNext {
    /// The event, or `null` when none came in time or the listener ended.
    pub event: Option<NativeConnectionEvent>,
    /// True once the listener has ended (after `closed`, or `stop()`).
    pub ended: bool,
}

/// The listener's stream (`None` once it ended) and its stop signal.
struct Slot {
    events: Mutex<Option<Events>>,
    stopped: watch::Sender<bool>,
}

/// A listener of a client's connection events.
#[napi_derive::napi]
pub struct NativeConnectionEvents {
    slot: Arc<Slot>,
}

/// Every event kind, in the core's order (`ConnectionEvent::NAMES`).
#[napi_derive::napi(js_name = "eventKinds")]
pub fn event_kinds() -> Vec<&'static str> {
    ConnectionEvent::NAMES.to_vec()
}

enum Got {
    Event(ConnectionEvent),
    Nothing,
    Ended,
}

#[napi_derive::napi]
impl NativeConnectionEvents {
    /// The next event, waiting up to `maxWaitMs` (absent: until one comes or
    /// the listener ends).
    #[napi]
    pub fn next<'env>(
        &self,
        env: &'env Env,
        max_wait_ms: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, NativeEventNext>> {
        let wait = guard(env, || {
            max_wait_ms
                .map(|ms| millis("options.timeoutMs", ms))
                .transpose()
        })?;
        let slot = self.slot.clone();
        let work = async move {
            let mut stopped = slot.stopped.subscribe();
            if *stopped.borrow_and_update() {
                return Ok(Got::Ended);
            }
            let mut events = tokio::select! {
                events = slot.events.lock() => events,
                _ = stopped.changed() => return Ok(Got::Ended),
            };
            let Some(stream) = events.as_mut() else {
                return Ok(Got::Ended);
            };
            let next = async {
                match wait {
                    Some(w) => tokio::time::timeout(w, stream.next()).await.ok(),
                    None => Some(stream.next().await),
                }
            };
            let got = tokio::select! {
                got = next => match got {
                    None => Got::Nothing,
                    Some(Some(e)) => Got::Event(e),
                    Some(None) => Got::Ended,
                },
                _ = stopped.changed() => Got::Ended,
            };
            if matches!(got, Got::Ended) {
                *events = None;
            }
            Ok(got)
        };
        promise(env, work, |_, got| {
            Ok(match got {
                Got::Event(e) => NativeEventNext {
                    ended: e.is_last(),
                    event: Some(NativeConnectionEvent {
                        kind: e.name(),
                        detail: e.detail(),
                    }),
                },
                Got::Nothing => NativeEventNext {
                    event: None,
                    ended: false,
                },
                Got::Ended => NativeEventNext {
                    event: None,
                    ended: true,
                },
            })
        })
    }

    /// Ends this listener; a waiting `next` resolves as ended at once.
    /// Twice is fine.
    #[napi]
    pub fn stop(&self) {
        self.slot.stopped.send_replace(true);
        if let Ok(mut events) = self.slot.events.try_lock() {
            *events = None;
        }
    }
}

#[napi_derive::napi]
impl NativeClient {
    /// A new listener of this client's connection events from now on.
    #[napi]
    pub fn events(&self) -> NativeConnectionEvents {
        NativeConnectionEvents {
            slot: Arc::new(Slot {
                events: Mutex::new(Some(Box::new(self.inner.events()))),
                stopped: watch::Sender::new(false),
            }),
        }
    }
}
