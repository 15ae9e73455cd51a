//! The client: connect, state, counters, close, drain.
//!
//! A `NativeClient` handle wraps a core `jetbridge::Client` (an `Arc`; cheap to
//! clone). Streams, publishing and consumers add their methods to this class
//! in their own files (`stream.rs`, `publish.rs`, `consumer.rs`).

use napi::Env;
use napi::bindgen_prelude::{Object, PromiseRaw};

use crate::convert::{millis, num};
use crate::dapr::NativeDaprConfig;
use crate::dapr_state::NativeDaprStateConfig;
use crate::options::NativeConnectOptions;
use crate::runtime::{guard, promise};
use jetbridge::record::camel_case;

/// A connected client. Dropped by the garbage collector; `close()` ends the
/// connection deterministically.
#[napi_derive::napi]
pub struct NativeClient {
    pub(crate) inner: jetbridge::Client,
}

/// The connection as the client sees it.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeConnectionState {
    /// True while connected.
    pub connected: bool,
    /// Successful connects so far (1 after the initial connect).
    pub generation: f64,
    /// True once closed.
    pub closed: bool,
}

/// Connects with an options object. Resolves to a client; rejects with
/// `AUTH`, `TLS`, `CONNECTION`, `TIMEOUT` or `INVALID_ARGUMENT`.
#[napi_derive::napi(js_name = "connect")]
pub fn connect(
    env: &Env,
    options: NativeConnectOptions,
) -> napi::Result<PromiseRaw<'_, NativeClient>> {
    let options = guard(env, || options.into_core())?;
    promise(env, jetbridge::Client::connect(options), |_, inner| {
        Ok(NativeClient { inner })
    })
}

/// Connects with the connection half of a Dapr configuration.
#[napi_derive::napi(js_name = "connectDapr")]
pub fn connect_dapr<'env>(
    env: &'env Env,
    config: &NativeDaprConfig,
) -> napi::Result<PromiseRaw<'env, NativeClient>> {
    let options = config.inner.connect.clone();
    promise(env, jetbridge::Client::connect(options), |_, inner| {
        Ok(NativeClient { inner })
    })
}

/// Connects with the connection half of a Dapr state configuration.
#[napi_derive::napi(js_name = "connectDaprState")]
pub fn connect_dapr_state<'env>(
    env: &'env Env,
    config: &NativeDaprStateConfig,
) -> napi::Result<PromiseRaw<'env, NativeClient>> {
    let options = config.inner.connect.clone();
    promise(env, jetbridge::Client::connect(options), |_, inner| {
        Ok(NativeClient { inner })
    })
}

#[napi_derive::napi]
impl NativeClient {
    /// The current connection state.
    #[napi]
    pub fn connection_state(&self) -> NativeConnectionState {
        let s = self.inner.connection_state();
        NativeConnectionState {
            connected: s.connected,
            generation: num(s.generation),
            closed: s.closed,
        }
    }

    /// A snapshot of the counters: the core's `CountersSnapshot::pairs()`,
    /// in its order, with camelCase keys (`unknown_outcomes` → `unknownOutcomes`).
    #[napi(ts_return_type = "Record<string, number>")]
    pub fn counters<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let mut o = Object::new(env)?;
        for (name, value) in self.inner.counters().pairs() {
            o.set(camel_case(name), num(value))?;
        }
        Ok(o)
    }

    /// The counters under the core's own names (`unknown_outcomes`), in
    /// its order, as `[name, value]` pairs: what the OpenTelemetry metrics
    /// (`jetbridge/otel`) are named after in every language.
    #[napi(js_name = "counterPairs", ts_return_type = "Array<[string, number]>")]
    pub fn counter_pairs(&self) -> Vec<(&'static str, f64)> {
        self.inner
            .counters()
            .pairs()
            .into_iter()
            .map(|(name, value)| (name, num(value)))
            .collect()
    }

    /// The server's maximum payload in bytes.
    #[napi(getter)]
    pub fn max_payload(&self) -> f64 {
        num(self.inner.max_payload() as u64)
    }

    /// True once `close` or `drain` was called.
    #[napi(getter)]
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Server URLs (credentials redacted).
    #[napi(getter)]
    pub fn servers(&self) -> Vec<String> {
        self.inner.options().redacted_servers()
    }

    /// Connection name.
    #[napi(getter)]
    pub fn name(&self) -> Option<String> {
        self.inner.options().name.clone()
    }

    /// A one-line description with every secret redacted.
    #[napi]
    pub fn describe(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// Flushes and closes. Later calls fail with `CLOSED`. Closing twice is fine.
    #[napi]
    pub fn close<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = self.inner.clone();
        promise(env, async move { client.close().await }, |_, ()| Ok(()))
    }

    /// The core's `flush_acks(confirm)`: resolves once every queued ack was
    /// written (and, with `confirm`, the server answered after them).
    #[napi]
    pub fn flush_acks<'env>(
        &self,
        env: &'env Env,
        confirm: bool,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.flush_acks(confirm).await },
            |_, ()| Ok(()),
        )
    }

    /// Graceful shutdown: the core's `drain_within(timeout)` when
    /// `timeoutMs` is given, else its `drain()` (`DEFAULT_DRAIN_TIMEOUT`).
    /// Rejects with `TIMEOUT` when time ran out (the client is closed all the
    /// same); a `timeoutMs` the core cannot take is `INVALID_ARGUMENT`.
    #[napi]
    pub fn drain<'env>(
        &self,
        env: &'env Env,
        timeout_ms: Option<f64>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let timeout = guard(env, || {
            timeout_ms
                .map(|ms| millis("options.timeoutMs", ms))
                .transpose()
        })?;
        let client = self.inner.clone();
        promise(
            env,
            async move {
                match timeout {
                    Some(t) => client.drain_within(t).await,
                    None => client.drain().await,
                }
            },
            |_, ()| Ok(()),
        )
    }
}
