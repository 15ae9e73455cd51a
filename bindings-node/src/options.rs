//! Connection options from a JavaScript options object.
//!
//! The object mirrors the core's `ConnectOptions` in camelCase, with
//! durations in milliseconds and the credentials in one `auth` object holding
//! exactly one mode. Defaults are the core's: every absent field keeps
//! `ConnectOptions::default()`'s value.

use jetbridge::{Auth, AuthFields, ConnectOptions, Result, TlsOptions};

use crate::convert::{millis, opt_size};

/// Credentials: exactly one of `token`, `user`+`password`, `nkeySeed`,
/// `jwt`+`seed`, `credsFile` (or none).
#[napi_derive::napi(object, object_to_js = false)]
pub struct NativeAuth {
    /// A shared token.
    pub token: Option<String>,
    /// User name (with `password`).
    pub user: Option<String>,
    /// Password (with `user`).
    pub password: Option<String>,
    /// An NKey seed (`SU…`).
    pub nkey_seed: Option<String>,
    /// A user JWT (with `seed`).
    pub jwt: Option<String>,
    /// The user NKey seed that signs for `jwt`.
    pub seed: Option<String>,
    /// Path of a `.creds` file.
    pub creds_file: Option<String>,
}

/// TLS settings; certificates are always verified.
#[napi_derive::napi(object, object_to_js = false)]
pub struct NativeTlsOptions {
    /// Require TLS even when the server does not ask for it.
    pub required: Option<bool>,
    /// PEM file with extra root certificates.
    pub ca_file: Option<String>,
    /// PEM client certificate (with `clientKey`).
    pub client_cert: Option<String>,
    /// PEM client key.
    pub client_key: Option<String>,
    /// TLS handshake before the server's INFO.
    pub handshake_first: Option<bool>,
}

/// Everything `connect` takes.
#[napi_derive::napi(object, object_to_js = false)]
pub struct NativeConnectOptions {
    /// Server URLs.
    pub servers: Vec<String>,
    /// Connection name.
    pub name: Option<String>,
    /// Credentials.
    pub auth: Option<NativeAuth>,
    /// TLS.
    pub tls: Option<NativeTlsOptions>,
    /// Reconnect attempts after a lost connection; absent = forever.
    pub max_reconnects: Option<f64>,
    /// Initial connect timeout.
    pub connect_timeout_ms: Option<f64>,
    /// JetStream API request timeout.
    pub request_timeout_ms: Option<f64>,
    /// Client PING interval.
    pub ping_interval_ms: Option<f64>,
    /// How long a publish retries with the same id before `PUBLISH_OUTCOME_UNKNOWN`.
    pub publish_retry_budget_ms: Option<f64>,
    /// How long one publish attempt waits for its ack.
    pub publish_ack_timeout_ms: Option<f64>,
    /// JetStream domain.
    pub domain: Option<String>,
    /// JetStream API prefix.
    pub api_prefix: Option<String>,
    /// Inbox prefix.
    pub inbox_prefix: Option<String>,
}

impl NativeConnectOptions {
    /// The core options (validated later by the core `Client::connect`).
    pub(crate) fn into_core(self) -> Result<ConnectOptions> {
        let mut o = ConnectOptions::with_servers(self.servers);
        o.name = self.name;
        if let Some(auth) = self.auth {
            o.auth = auth.into_core()?;
        }
        if let Some(tls) = self.tls {
            o.tls = TlsOptions {
                required: tls.required.unwrap_or(false),
                ca_file: tls.ca_file.map(Into::into),
                client_cert: tls.client_cert.map(Into::into),
                client_key: tls.client_key.map(Into::into),
                handshake_first: tls.handshake_first.unwrap_or(false),
            };
        }
        o.max_reconnects = opt_size("maxReconnects", self.max_reconnects)?;
        let durations = [
            (
                "connectTimeoutMs",
                self.connect_timeout_ms,
                &mut o.connect_timeout,
            ),
            (
                "requestTimeoutMs",
                self.request_timeout_ms,
                &mut o.request_timeout,
            ),
            (
                "pingIntervalMs",
                self.ping_interval_ms,
                &mut o.ping_interval,
            ),
            (
                "publishRetryBudgetMs",
                self.publish_retry_budget_ms,
                &mut o.publish_retry_budget,
            ),
            (
                "publishAckTimeoutMs",
                self.publish_ack_timeout_ms,
                &mut o.publish_ack_timeout,
            ),
        ];
        for (what, ms, slot) in durations {
            if let Some(ms) = ms {
                *slot = millis(what, ms)?;
            }
        }
        o.domain = self.domain;
        o.api_prefix = self.api_prefix;
        if let Some(prefix) = self.inbox_prefix {
            o.inbox_prefix = prefix;
        }
        Ok(o)
    }
}

impl NativeAuth {
    /// The core's one auth-mode assembly (`jetbridge::AuthFields`); `seed`
    /// is its `jwt_seed`.
    fn into_core(self) -> Result<Auth> {
        AuthFields {
            token: self.token,
            user: self.user,
            password: self.password,
            nkey_seed: self.nkey_seed,
            jwt: self.jwt,
            jwt_seed: self.seed,
            creds_file: self.creds_file,
        }
        .into_auth()
    }
}
