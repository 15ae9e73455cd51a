//! The native client: connect, close, state and counters. Publishing, stream
//! and consumer administration and continuous consumers add their methods to
//! [`Client`] in their own files.

use std::path::PathBuf;

use jetbridge::record::FieldSource;
use jetbridge::{Auth, ConnectOptions};
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyDict};

use crate::convert::{Fields, opt_duration, seconds};
use crate::error;
use crate::runtime::{Call, as_is, spawn, spawn_to_completion};

/// A connected client. Holds the core `Client` (an `Arc`): cheap to share
/// between threads; closing it closes every clone.
#[pyclass(frozen, module = "jetbridge._native")]
pub(crate) struct Client {
    pub(crate) inner: jetbridge::Client,
}

/// Connects with the options object (`jetbridge.ConnectOptions`). Returns a
/// `Call` resolving to a `Client`.
#[pyfunction]
pub(crate) fn connect(options: &Bound<'_, PyAny>) -> PyResult<Call> {
    let options = connect_options(options)?;
    spawn(jetbridge::Client::connect(options), |py, inner| {
        Ok(Py::new(py, Client { inner })?.into_any())
    })
}

/// Builds core options; unset (`None`) fields keep the core's defaults.
pub(crate) fn connect_options(obj: &Bound<'_, PyAny>) -> PyResult<ConnectOptions> {
    let f = Fields::new(obj, "options");
    let mut o = ConnectOptions::default();
    if let Some(servers) = f.raw("servers")? {
        o.servers = match servers.extract::<String>() {
            Ok(one) => one
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Err(_) => f.strings("servers")?.unwrap_or_default(),
        };
    }
    o.name = f.string("name")?;
    o.auth = auth(&f)?;
    o.tls.required = f.boolean("tls_required")?.unwrap_or(false);
    o.tls.ca_file = f.string("tls_ca_file")?.map(PathBuf::from);
    o.tls.client_cert = f.string("tls_client_cert")?.map(PathBuf::from);
    o.tls.client_key = f.string("tls_client_key")?.map(PathBuf::from);
    o.tls.handshake_first = f.boolean("tls_handshake_first")?.unwrap_or(false);
    o.max_reconnects = f.int("max_reconnects")?;
    if let Some(d) = f.duration("connect_timeout")? {
        o.connect_timeout = d;
    }
    if let Some(d) = f.duration("request_timeout")? {
        o.request_timeout = d;
    }
    if let Some(d) = f.duration("ping_interval")? {
        o.ping_interval = d;
    }
    if let Some(d) = f.duration("publish_retry_budget")? {
        o.publish_retry_budget = d;
    }
    if let Some(d) = f.duration("publish_ack_timeout")? {
        o.publish_ack_timeout = d;
    }
    o.domain = f.string("domain")?;
    o.api_prefix = f.string("api_prefix")?;
    if let Some(prefix) = f.string("inbox_prefix")? {
        o.inbox_prefix = prefix;
    }
    Ok(o)
}

/// The credential fields, as one mode: the core's `AuthFields` rule.
fn auth(f: &Fields<'_, '_>) -> PyResult<Auth> {
    jetbridge::AuthFields {
        token: f.string("token")?,
        user: f.string("user")?,
        password: f.string("password")?,
        nkey_seed: f.string("nkey_seed")?,
        jwt: f.string("jwt")?,
        jwt_seed: f.string("jwt_seed")?,
        creds_file: f.string("creds_file")?,
    }
    .into_auth()
    .map_err(error::to_py)
}

/// Core options as a dict of the Python `ConnectOptions` fields. Secrets are
/// included: this feeds `ConnectOptions`, whose repr hides them.
pub(crate) fn connect_options_to_dict<'py>(
    py: Python<'py>,
    o: &ConnectOptions,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("servers", &o.servers)?;
    d.set_item("name", &o.name)?;
    match &o.auth {
        Auth::None => {}
        Auth::Token(t) => d.set_item("token", t.expose())?,
        Auth::UserPassword { user, password } => {
            d.set_item("user", user)?;
            d.set_item("password", password.expose())?;
        }
        Auth::NKey(seed) => d.set_item("nkey_seed", seed.expose())?,
        Auth::Jwt { jwt, seed } => {
            d.set_item("jwt", jwt.expose())?;
            d.set_item("jwt_seed", seed.expose())?;
        }
        Auth::CredsFile(path) => d.set_item("creds_file", path.to_string_lossy())?,
    }
    let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.to_string_lossy().into_owned());
    d.set_item("tls_required", o.tls.required)?;
    d.set_item("tls_ca_file", path(&o.tls.ca_file))?;
    d.set_item("tls_client_cert", path(&o.tls.client_cert))?;
    d.set_item("tls_client_key", path(&o.tls.client_key))?;
    d.set_item("tls_handshake_first", o.tls.handshake_first)?;
    d.set_item("max_reconnects", o.max_reconnects)?;
    d.set_item("connect_timeout", seconds(o.connect_timeout))?;
    d.set_item("request_timeout", seconds(o.request_timeout))?;
    d.set_item("ping_interval", seconds(o.ping_interval))?;
    d.set_item("publish_retry_budget", seconds(o.publish_retry_budget))?;
    d.set_item("publish_ack_timeout", seconds(o.publish_ack_timeout))?;
    d.set_item("domain", &o.domain)?;
    d.set_item("api_prefix", &o.api_prefix)?;
    d.set_item("inbox_prefix", &o.inbox_prefix)?;
    Ok(d)
}

/// A server URL with its userinfo (`user:pass@`) replaced by `[REDACTED]`:
/// the core's `redact_url`, so every language redacts alike.
#[pyfunction]
pub(crate) fn redact_url(url: &str) -> String {
    jetbridge::redact_url(url)
}

/// The core's default connect options, as a dict (documentation and tests).
#[pyfunction]
pub(crate) fn default_connect_options(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    connect_options_to_dict(py, &ConnectOptions::default())
}

/// The core's `DEFAULT_DRAIN_TIMEOUT` in seconds (documentation and tests).
#[pyfunction]
pub(crate) fn default_drain_timeout() -> f64 {
    seconds(jetbridge::DEFAULT_DRAIN_TIMEOUT)
}

#[pymethods]
impl Client {
    /// Flushes and closes the connection (`Call[None]`). Closing twice is
    /// fine. Runs to completion even if the wait is cancelled.
    fn close(&self) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn_to_completion(async move { client.close().await }, as_is)
    }

    /// Graceful shutdown, then closed (`Call[None]`): the core's
    /// `drain_within(timeout)`, or its `drain()` (`DEFAULT_DRAIN_TIMEOUT`)
    /// when `timeout` is `None`. `TIMEOUT` when time ran out (closed all the
    /// same). Runs to completion even if the wait is cancelled.
    #[pyo3(signature = (timeout=None))]
    fn drain(&self, timeout: Option<&Bound<'_, PyAny>>) -> PyResult<Call> {
        let timeout = opt_duration(timeout, "timeout")?;
        let client = self.inner.clone();
        let drain = async move {
            match timeout {
                Some(t) => client.drain_within(t).await,
                None => client.drain().await,
            }
        };
        spawn_to_completion(drain, as_is)
    }

    /// `Call[None]`: the core's `flush_acks(confirm)`, once every queued ack
    /// was written (and, with `confirm`, the server answered after them).
    fn flush_acks(&self, confirm: bool) -> PyResult<Call> {
        let client = self.inner.clone();
        spawn(async move { client.flush_acks(confirm).await }, as_is)
    }

    /// `(connected, generation, closed)`.
    fn connection_state(&self) -> (bool, u64, bool) {
        let s = self.inner.connection_state();
        (s.connected, s.generation, s.closed)
    }

    /// The counters since connect, as a dict (the core's names, in order).
    fn counters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.inner.counters().pairs().into_py_dict(py)
    }

    /// The server's maximum payload in bytes.
    fn max_payload(&self) -> PyResult<usize> {
        error::guard(|| Ok(self.inner.max_payload()))
    }

    /// True once the client is closed: by `close`, or when `drain` ends.
    fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// The server list with any `user:pass@` redacted.
    fn redacted_servers(&self) -> Vec<String> {
        self.inner.options().redacted_servers()
    }

    /// The connection name.
    fn name(&self) -> Option<String> {
        self.inner.options().name.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "Client(servers={:?}, closed={})",
            self.inner.options().redacted_servers(),
            self.inner.is_closed()
        )
    }
}
