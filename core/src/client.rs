//! The client: one connection to a NATS server (or cluster) with JetStream.
//!
//! `Client` is cheap to clone (an `Arc`). Every async method runs on the core
//! runtime (see [`crate::runtime`]), so it can be awaited from any executor.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{OnceCell, watch};

use crate::ack_queue::AckQueue;
use crate::ack_router::AckRouter;
use crate::counters::{Counters, CountersSnapshot, bump};
use crate::drain::DrainState;
use crate::error::{Error, ErrorKind, Result};
use crate::events::{ConnectionEvent, EventHub};
use crate::options::{Auth, ConnectOptions};
use crate::runtime;
use crate::window_cache::WindowCache;

/// The connection as consumers see it: `generation` grows by one on every
/// (re)connect, so a consumer can tell that it must re-issue its pulls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionState {
    /// True while connected.
    pub connected: bool,
    /// Number of successful connects so far (1 after the initial connect).
    pub generation: u64,
    /// True once the client was closed.
    pub closed: bool,
}

/// A connected JetBridge client. Clone it freely; all clones share one
/// connection. Dropping the last clone closes the connection.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) nc: async_nats::Client,
    pub(crate) options: ConnectOptions,
    pub(crate) api_prefix: String,
    pub(crate) counters: Arc<Counters>,
    pub(crate) state: watch::Receiver<ConnectionState>,
    state_tx: Arc<watch::Sender<ConnectionState>>,
    pub(crate) closed: AtomicBool,
    pub(crate) ack_router: OnceCell<AckRouter>,
    pub(crate) ack_queue: AckQueue,
    pub(crate) windows: WindowCache,
    /// What `drain` stops and waits for.
    pub(crate) drain: DrainState,
    events: Arc<EventHub>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("servers", &self.inner.options.redacted_servers())
            .field("name", &self.inner.options.name)
            .field("state", &*self.inner.state.borrow())
            .finish()
    }
}

impl Client {
    /// Connects with `options`. Fails with `AUTH`, `TLS`, `CONNECTION`,
    /// `TIMEOUT` or `INVALID_ARGUMENT`; never falls back to plaintext when TLS
    /// was asked for.
    pub async fn connect(options: ConnectOptions) -> Result<Client> {
        runtime::run(async move { Client::connect_on_runtime(options).await }).await
    }

    async fn connect_on_runtime(options: ConnectOptions) -> Result<Client> {
        crate::fault::point("connect");
        options.validate()?;
        let counters = Arc::new(Counters::default());
        let (state_tx, state_rx) = watch::channel(ConnectionState {
            connected: false,
            generation: 0,
            closed: false,
        });
        let state_tx = Arc::new(state_tx);
        let (servers, auth) = options.split_url_credentials()?;
        let events = Arc::new(EventHub::default());
        let nats_options = build_nats_options(
            &options,
            &auth,
            counters.clone(),
            state_tx.clone(),
            events.clone(),
        )
        .await?;
        let nc = nats_options
            .connect(servers)
            .await
            .map_err(|e| crate::error_map::connect_error(&e, &options))?;
        // The initial connect is generation 1. The event callback handles
        // the first Connected event on its own task; waiting for it here
        // means a listener made after `connect` returns (`events()`) sees
        // only what happens later, never that first Connected. (Bounded: if
        // the event were never handled, generation 1 is set here.)
        let mut first = state_tx.subscribe();
        let _ = tokio::time::timeout(
            options.connect_timeout,
            first.wait_for(|s| s.generation >= 1),
        )
        .await;
        state_tx.send_modify(|s| {
            s.connected = true;
            s.generation = s.generation.max(1);
        });
        let api_prefix = options.js_api_prefix();
        let ack_queue = AckQueue::start(nc.clone(), counters.clone());
        Ok(Client {
            inner: Arc::new(ClientInner {
                nc,
                options,
                api_prefix,
                counters,
                state: state_rx,
                state_tx,
                closed: AtomicBool::new(false),
                ack_router: OnceCell::new(),
                ack_queue,
                windows: WindowCache::default(),
                drain: DrainState::default(),
                events,
            }),
        })
    }

    /// The options this client was built from (secrets stay redacted in `Debug`).
    pub fn options(&self) -> &ConnectOptions {
        &self.inner.options
    }

    /// The current connection state.
    pub fn connection_state(&self) -> ConnectionState {
        *self.inner.state.borrow()
    }

    /// A receiver that changes on every connect, disconnect and close.
    pub fn watch_connection(&self) -> watch::Receiver<ConnectionState> {
        self.inner.state.clone()
    }

    /// Counters since connect.
    pub fn counters(&self) -> CountersSnapshot {
        self.inner.counters.snapshot()
    }

    /// The server's maximum payload size in bytes.
    pub fn max_payload(&self) -> usize {
        self.inner.nc.max_payload()
    }

    /// True once `close` or `drain` was called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }

    /// Flushes what was sent and closes the connection. Later calls on this
    /// client (and its publishers and consumers) fail with `CLOSED`.
    /// Closing twice is fine.
    pub async fn close(&self) -> Result<()> {
        let inner = self.inner.clone();
        runtime::run(async move { inner.shutdown().await }).await
    }

    /// Waits until every ack queued so far (`ack`, `nak`, `term`,
    /// `in_progress` of any message of this client) was written to the
    /// connection and, with `confirm`, until the server has read them (a
    /// round trip through the server after them), so it has received every
    /// one. (Applying an ack to its consumer happens on the server right
    /// after; `ack_sync` confirms one
    /// message's ack end to end.) `CONNECTION` or `TIMEOUT` when the server
    /// cannot be reached within the request timeout.
    pub async fn flush_acks(&self, confirm: bool) -> Result<()> {
        let inner = self.inner.clone();
        runtime::run(async move {
            inner.check_open()?;
            let timeout = inner.options.request_timeout;
            inner
                .ack_queue
                .flush_within(
                    timeout,
                    "the queued acks did not reach the connection in time",
                )
                .await?;
            if confirm {
                inner.round_trip(timeout, "the acks").await?;
            }
            Ok(())
        })
        .await
    }

    /// Connection events from now on, as a `Stream` that ends after
    /// [`ConnectionEvent::Closed`]. Each call gets its own listener; one that
    /// falls behind by more than 256 events gets [`ConnectionEvent::Missed`].
    /// On a client already closed the stream ends at once, with nothing.
    pub fn events(&self) -> impl futures::Stream<Item = ConnectionEvent> + Send + Unpin + 'static {
        self.inner.events.listen(&self.inner.closed)
    }

    /// Graceful shutdown with [`DEFAULT_DRAIN_TIMEOUT`](crate::DEFAULT_DRAIN_TIMEOUT):
    /// see [`Client::drain_within`].
    pub async fn drain(&self) -> Result<()> {
        self.drain_within(crate::drain::DEFAULT_DRAIN_TIMEOUT).await
    }

    /// Graceful shutdown (module `drain`): refuses new publishes, fetches and
    /// streams at once (`CLOSED`), stops every message stream from pulling
    /// (its buffer stays readable), waits up to `timeout` until every publish
    /// accepted before is settled and every message handed out got its final
    /// ack, nak or term, then flushes the acks and closes. Acks are accepted
    /// until then. Returns `TIMEOUT` if `timeout` ran out (the client is closed
    /// all the same). Draining a closed client is fine.
    pub async fn drain_within(&self, timeout: Duration) -> Result<()> {
        let inner = self.inner.clone();
        runtime::run(async move {
            if inner.closed.load(Ordering::Acquire) {
                return Ok(());
            }
            crate::log::log!(
                Info,
                "connection",
                "draining (up to {} ms)",
                timeout.as_millis()
            );
            let waited = inner.drain.run(timeout).await;
            inner.shutdown().await?;
            waited
        })
        .await
    }
}

impl ClientInner {
    /// Returns once the server has read everything this connection sent
    /// before the call: an empty message to a fresh inbox comes back through
    /// the server, which reads a connection's protocol in order. (async-nats'
    /// `flush` only writes the socket.) `TIMEOUT` naming `what` after
    /// `timeout`; `CONNECTION` when the probe cannot be sent.
    pub(crate) async fn round_trip(&self, timeout: Duration, what: &str) -> Result<()> {
        let cannot = |e: &dyn std::fmt::Display| {
            Error::new(
                ErrorKind::Connection,
                format!("cannot confirm {what} with the server: {e}"),
            )
        };
        let inbox = self.nc.new_inbox();
        let mut echo = self
            .nc
            .subscribe(inbox.clone())
            .await
            .map_err(|e| cannot(&e))?;
        self.nc
            .publish(inbox, bytes::Bytes::new())
            .await
            .map_err(|e| cannot(&e))?;
        let answered = tokio::time::timeout(timeout, futures::StreamExt::next(&mut echo)).await;
        let _ = echo.unsubscribe().await;
        match answered {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(cannot(&"the connection closed")),
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                format!(
                    "the server did not confirm {what} within {} ms",
                    timeout.as_millis()
                ),
            )),
        }
    }

    /// Fails with `CLOSED` once the client was closed or started draining:
    /// for calls that start new work (publish, fetch, a stream).
    pub(crate) fn check_accepting(&self) -> Result<()> {
        self.check_open()?;
        self.drain.check_accepting()
    }

    /// Fails with `CLOSED` once the client was closed.
    pub(crate) fn check_open(&self) -> Result<()> {
        if self.closed.load(Ordering::Acquire) {
            Err(Error::closed("client"))
        } else {
            Ok(())
        }
    }

    async fn shutdown(&self) -> Result<()> {
        if self.closed.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        // Queued acks go out before the connection closes.
        let _ = tokio::time::timeout(Duration::from_secs(2), self.ack_queue.flush()).await;
        // Best effort: a flush fails when the connection is already gone.
        let _ = tokio::time::timeout(Duration::from_secs(2), self.nc.flush()).await;
        let _ = self.nc.drain().await;
        self.state_tx.send_modify(|s| {
            s.closed = true;
            s.connected = false;
        });
        Ok(())
    }

    /// A fresh unique inbox subject.
    pub(crate) fn new_inbox(&self) -> String {
        self.nc.new_inbox()
    }
}

impl Drop for ClientInner {
    fn drop(&mut self) {
        self.state_tx.send_modify(|s| {
            s.closed = true;
            s.connected = false;
        });
    }
}

/// [`build_nats_options`] with fresh counters and state: checks credential
/// material without connecting (for the `fuzz::credentials` entry point).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) async fn check_auth(o: &ConnectOptions, auth: &Auth) -> Result<()> {
    let state = watch::channel(ConnectionState {
        connected: false,
        generation: 0,
        closed: false,
    })
    .0;
    build_nats_options(
        o,
        auth,
        Arc::new(Counters::default()),
        Arc::new(state),
        Arc::default(),
    )
    .await
    .map(|_| ())
}

/// Translates our options into async-nats options. Secrets are handed over
/// here and nowhere else.
async fn build_nats_options(
    o: &ConnectOptions,
    auth: &Auth,
    counters: Arc<Counters>,
    state: Arc<watch::Sender<ConnectionState>>,
    events: Arc<EventHub>,
) -> Result<async_nats::ConnectOptions> {
    let seen_first = Arc::new(AtomicBool::new(false));
    // Names the connection in log records: its name, else its (redacted) servers.
    let label: Arc<str> = match &o.name {
        Some(name) => format!("{name:?}").into(),
        None => o.redacted_servers().join(",").into(),
    };
    let mut n = async_nats::ConnectOptions::new()
        .connection_timeout(o.connect_timeout)
        .ping_interval(o.ping_interval)
        .request_timeout(Some(o.request_timeout))
        .custom_inbox_prefix(&o.inbox_prefix)
        .max_reconnects(o.max_reconnects)
        .subscription_capacity(1 << 20)
        .event_callback(move |event| {
            let counters = counters.clone();
            let state = state.clone();
            let seen_first = seen_first.clone();
            let label = label.clone();
            let events = events.clone();
            async move { on_event(&event, &counters, &state, &seen_first, &label, &events) }
        });
    if let Some(name) = &o.name {
        n = n.name(name);
    }
    n = match auth {
        Auth::None => n,
        Auth::Token(token) => n.token(token.expose().to_string()),
        Auth::UserPassword { user, password } => {
            n.user_and_password(user.clone(), password.expose().to_string())
        }
        Auth::NKey(seed) => {
            check_seed("nkey seed", seed.expose())?;
            n.nkey(seed.expose().to_string())
        }
        Auth::Jwt { jwt, seed } => {
            let key_pair = Arc::new(check_seed("seedKey", seed.expose())?);
            if jwt.expose().trim().is_empty() {
                return Err(Error::invalid("jwt", "must not be empty"));
            }
            n.jwt(jwt.expose().to_string(), move |nonce| {
                let key_pair = key_pair.clone();
                async move { key_pair.sign(&nonce).map_err(async_nats::AuthError::new) }
            })
        }
        Auth::CredsFile(path) => n.credentials_file(path).await.map_err(|e| {
            Error::invalid(
                "creds file",
                format!(
                    "cannot use {}: {}",
                    path.display(),
                    crate::error_map::io_reason(&e)
                ),
            )
        })?,
    };
    let tls = &o.tls;
    if tls.wants_tls() || o.servers.iter().any(|s| s.starts_with("tls://")) {
        n = n.require_tls(true);
    }
    if let Some(ca) = &tls.ca_file {
        readable("tls ca_file", ca)?;
        n = n.add_root_certificates(ca.clone());
    }
    if let (Some(cert), Some(key)) = (&tls.client_cert, &tls.client_key) {
        readable("tls client_cert", cert)?;
        readable("tls client_key", key)?;
        n = n.add_client_certificate(cert.clone(), key.clone());
    }
    if tls.handshake_first {
        n = n.tls_first();
    }
    Ok(n)
}

fn check_seed(what: &str, seed: &str) -> Result<nkeys::KeyPair> {
    nkeys::KeyPair::from_seed(seed.trim()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("invalid {what}: not a valid NKey seed"),
        )
    })
}

fn readable(what: &str, path: &std::path::Path) -> Result<()> {
    std::fs::metadata(path).map(|_| ()).map_err(|e| {
        Error::invalid(
            what,
            format!(
                "cannot read {}: {}",
                path.display(),
                crate::error_map::io_reason(&e)
            ),
        )
    })
}

fn on_event(
    event: &async_nats::Event,
    counters: &Counters,
    state: &watch::Sender<ConnectionState>,
    seen_first: &AtomicBool,
    label: &str,
    events: &EventHub,
) {
    use crate::log::log;
    match event {
        async_nats::Event::Connected => {
            if !seen_first.swap(true, Ordering::AcqRel) {
                log!(Info, "connection", "{label}: connected");
                events.send(ConnectionEvent::Connected);
                // `connect` waits for this: generation 1 is the first connection.
                state.send_modify(|s| {
                    s.connected = true;
                    s.generation = s.generation.max(1);
                });
                return;
            }
            log!(Info, "connection", "{label}: reconnected");
            events.send(ConnectionEvent::Reconnected);
            bump(&counters.reconnects, 1);
            state.send_modify(|s| {
                s.connected = true;
                s.generation += 1;
            });
        }
        async_nats::Event::Disconnected => {
            log!(Warn, "connection", "{label}: disconnected; reconnecting");
            events.send(ConnectionEvent::Disconnected);
            state.send_modify(|s| s.connected = false);
        }
        async_nats::Event::Closed => {
            log!(Info, "connection", "{label}: closed");
            events.send(ConnectionEvent::Closed);
            state.send_modify(|s| {
                s.connected = false;
                s.closed = true;
            });
        }
        async_nats::Event::LameDuckMode => {
            events.send(ConnectionEvent::LameDuck);
            log!(
                Warn,
                "connection",
                "{label}: the server is entering lame duck mode"
            );
        }
        async_nats::Event::SlowConsumer(sid) => {
            events.send(ConnectionEvent::SlowConsumer);
            log!(
                Warn,
                "connection",
                "{label}: slow consumer on subscription {sid}"
            );
        }
        async_nats::Event::ServerError(e) => {
            log!(Error, "connection", "{label}: server error: {e}");
            events.send(ConnectionEvent::ServerError(e.to_string()));
        }
        async_nats::Event::ClientError(e) => {
            // A failed reconnect attempt, mostly: recovering, so a warning.
            log!(Warn, "connection", "{label}: client error: {e}");
        }
        async_nats::Event::Draining => log!(Info, "connection", "{label}: draining"),
    }
}
