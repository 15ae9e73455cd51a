//! Connection options: servers, credentials, TLS, reconnect and timeouts.
//!
//! Credentials are held in [`Secret`], whose `Debug` prints `[REDACTED]`, and
//! server URLs with embedded `user:pass@` are redacted whenever they are shown.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};

/// A string that never shows itself in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself. Only pass it to the connection, never to a log.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret::new(value)
    }
}

/// How the client proves who it is. At most one mode is used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// No credentials (or credentials embedded in the URL).
    #[default]
    None,
    /// A shared token.
    Token(Secret),
    /// User and password.
    UserPassword {
        /// The user name.
        user: String,
        /// The password.
        password: Secret,
    },
    /// An NKey seed (`SU…`); the seed signs the server's nonce and never leaves
    /// the process.
    NKey(Secret),
    /// A user JWT and the seed that signs the nonce (Dapr's `jwt` + `seedKey`).
    Jwt {
        /// The user JWT.
        jwt: Secret,
        /// The user NKey seed.
        seed: Secret,
    },
    /// A `.creds` file holding the user JWT and seed.
    CredsFile(PathBuf),
}

/// TLS settings. Certificates are always verified; there is no switch to turn
/// verification off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// Require TLS even when the server does not ask for it.
    pub required: bool,
    /// PEM file with extra root certificates to trust.
    pub ca_file: Option<PathBuf>,
    /// PEM client certificate for mutual TLS (needs `client_key`).
    pub client_cert: Option<PathBuf>,
    /// PEM private key of the client certificate.
    pub client_key: Option<PathBuf>,
    /// Do the TLS handshake before the server's INFO (`handshake_first`).
    pub handshake_first: bool,
}

impl TlsOptions {
    /// True when any TLS setting asks for TLS.
    pub fn wants_tls(&self) -> bool {
        self.required
            || self.handshake_first
            || self.ca_file.is_some()
            || self.client_cert.is_some()
            || self.client_key.is_some()
    }
}

/// Everything needed to connect. `Default` gives the documented defaults.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Server URLs (`nats://`, `tls://`), tried in random order.
    pub servers: Vec<String>,
    /// Connection name shown by the server.
    pub name: Option<String>,
    /// Credentials.
    pub auth: Auth,
    /// TLS settings.
    pub tls: TlsOptions,
    /// Reconnect attempts after a lost connection; `None` (default) = forever.
    pub max_reconnects: Option<usize>,
    /// Timeout of the initial TCP/TLS connect (default 5 s).
    pub connect_timeout: Duration,
    /// Timeout of each JetStream API request (default 5 s).
    pub request_timeout: Duration,
    /// Client PING interval (default 10 s); two missed PONGs drop the connection.
    pub ping_interval: Duration,
    /// How long a publish keeps retrying with the same message id on no
    /// responders, 409 "in process" and ack timeouts before it reports
    /// `PUBLISH_OUTCOME_UNKNOWN` (default 25 s).
    pub publish_retry_budget: Duration,
    /// How long one publish attempt waits for its ack (default 5 s).
    pub publish_ack_timeout: Duration,
    /// JetStream domain (`$JS.<domain>.API`).
    pub domain: Option<String>,
    /// JetStream API prefix (default `$JS.API`).
    pub api_prefix: Option<String>,
    /// Inbox prefix for replies (default `_INBOX`).
    pub inbox_prefix: String,
}

impl Default for ConnectOptions {
    fn default() -> ConnectOptions {
        ConnectOptions {
            servers: vec!["nats://127.0.0.1:4222".to_string()],
            name: None,
            auth: Auth::None,
            tls: TlsOptions::default(),
            max_reconnects: None,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(5),
            ping_interval: Duration::from_secs(10),
            publish_retry_budget: Duration::from_secs(25),
            publish_ack_timeout: Duration::from_secs(5),
            domain: None,
            api_prefix: None,
            inbox_prefix: "_INBOX".to_string(),
        }
    }
}

impl ConnectOptions {
    /// Options for these servers with every other setting at its default.
    pub fn with_servers<I, S>(servers: I) -> ConnectOptions
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ConnectOptions {
            servers: servers.into_iter().map(Into::into).collect(),
            ..ConnectOptions::default()
        }
    }

    /// Checks the options without connecting.
    pub fn validate(&self) -> Result<()> {
        if self.servers.is_empty() {
            return Err(Error::invalid(
                "servers",
                "at least one server URL is required",
            ));
        }
        for url in &self.servers {
            if url.trim().is_empty() || url.chars().any(char::is_whitespace) {
                return Err(Error::invalid(
                    "servers",
                    format!("{:?} is not a server URL", redact_url(url)),
                ));
            }
        }
        if self.tls.client_cert.is_some() != self.tls.client_key.is_some() {
            return Err(Error::invalid(
                "tls",
                "client_cert and client_key must be given together",
            ));
        }
        for (what, d) in [
            ("connect_timeout", self.connect_timeout),
            ("request_timeout", self.request_timeout),
            ("ping_interval", self.ping_interval),
            ("publish_ack_timeout", self.publish_ack_timeout),
        ] {
            if d.is_zero() {
                return Err(Error::invalid(what, "must be greater than zero"));
            }
        }
        if self.domain.is_some() && self.api_prefix.is_some() {
            return Err(Error::invalid(
                "domain",
                "domain and api_prefix are exclusive",
            ));
        }
        if let Some(domain) = &self.domain {
            crate::validate::token("domain", domain)?;
        }
        if let Some(prefix) = &self.api_prefix {
            crate::validate::subject("api_prefix", prefix)?;
        }
        crate::validate::subject("inbox_prefix", &self.inbox_prefix)?;
        Ok(())
    }

    /// The JetStream API prefix these options select.
    pub fn js_api_prefix(&self) -> String {
        match (&self.domain, &self.api_prefix) {
            (Some(domain), _) => format!("$JS.{domain}.API"),
            (None, Some(prefix)) => prefix.trim_end_matches('.').to_string(),
            (None, None) => "$JS.API".to_string(),
        }
    }

    /// The server list with any `user:pass@` replaced by `[REDACTED]@`.
    pub fn redacted_servers(&self) -> Vec<String> {
        self.servers.iter().map(|s| redact_url(s)).collect()
    }
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("servers", &self.redacted_servers())
            .field("name", &self.name)
            .field("auth", &self.auth)
            .field("tls", &self.tls)
            .field("max_reconnects", &self.max_reconnects)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("ping_interval", &self.ping_interval)
            .field("publish_retry_budget", &self.publish_retry_budget)
            .field("publish_ack_timeout", &self.publish_ack_timeout)
            .field("domain", &self.domain)
            .field("api_prefix", &self.api_prefix)
            .field("inbox_prefix", &self.inbox_prefix)
            .finish()
    }
}

impl ConnectOptions {
    /// The server URLs without userinfo, and the credentials they carried
    /// (`nats://user:pass@host` → user/password, `nats://token@host` → token)
    /// when `auth` is `None`. Credentials in both places are `INVALID_ARGUMENT`.
    pub(crate) fn split_url_credentials(&self) -> Result<(Vec<String>, Auth)> {
        let mut servers = Vec::with_capacity(self.servers.len());
        let mut from_url: Option<Auth> = None;
        for url in &self.servers {
            let (scheme, rest) = match url.find("://") {
                Some(i) => (&url[..i + 3], &url[i + 3..]),
                None => ("", url.as_str()),
            };
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let Some(at) = rest[..authority_end].rfind('@') else {
                servers.push(url.clone());
                continue;
            };
            let info = &rest[..at];
            let auth = match info.split_once(':') {
                Some((user, pass)) => Auth::UserPassword {
                    user: percent_decode(user),
                    password: Secret::new(percent_decode(pass)),
                },
                None => Auth::Token(Secret::new(percent_decode(info))),
            };
            if from_url.as_ref().is_some_and(|a| *a != auth) {
                return Err(Error::invalid(
                    "servers",
                    "different credentials in different server URLs",
                ));
            }
            from_url = Some(auth);
            servers.push(format!("{scheme}{}", &rest[at + 1..]));
        }
        match (from_url, &self.auth) {
            (None, auth) => Ok((servers, auth.clone())),
            (Some(url_auth), Auth::None) => Ok((servers, url_auth)),
            (Some(_), _) => Err(Error::invalid(
                "servers",
                "credentials given both in a server URL and in auth",
            )),
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Replaces the userinfo of a URL (`nats://user:pass@host`) with `[REDACTED]`.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => (&url[..i + 3], &url[i + 3..]),
        None => ("", url),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}[REDACTED]@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let opts = ConnectOptions {
            servers: vec!["nats://alice:hunter2@127.0.0.1:4222".into()],
            auth: Auth::Jwt {
                jwt: "eyJ-secret-jwt".into(),
                seed: "SUAXXXXSECRET".into(),
            },
            ..ConnectOptions::default()
        };
        let text = format!("{opts:?} {:?}", Auth::Token("tok-secret".into()));
        for secret in [
            "hunter2",
            "alice",
            "eyJ-secret-jwt",
            "SUAXXXXSECRET",
            "tok-secret",
        ] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
        assert!(text.contains("[REDACTED]@127.0.0.1:4222"));
    }

    #[test]
    fn url_credentials_move_into_auth() {
        let o =
            ConnectOptions::with_servers(["nats://al%40x:p%3Ass@h:1", "tls://al%40x:p%3Ass@g:2"]);
        let (servers, auth) = o.split_url_credentials().unwrap();
        assert_eq!(servers, vec!["nats://h:1", "tls://g:2"]);
        assert_eq!(
            auth,
            Auth::UserPassword {
                user: "al@x".into(),
                password: "p:ss".into()
            }
        );
        let (_, auth) = ConnectOptions::with_servers(["nats://tok@h:1"])
            .split_url_credentials()
            .unwrap();
        assert_eq!(auth, Auth::Token("tok".into()));
        let mut both = ConnectOptions::with_servers(["nats://u:p@h:1"]);
        both.auth = Auth::Token("t".into());
        assert!(both.split_url_credentials().is_err());
    }

    #[test]
    fn redact_url_keeps_host_and_path() {
        assert_eq!(redact_url("nats://u:p@h:1"), "nats://[REDACTED]@h:1");
        assert_eq!(redact_url("tls://h:1"), "tls://h:1");
        assert_eq!(redact_url("u:p@h"), "[REDACTED]@h");
    }

    #[test]
    fn validate_rejects_half_mtls_and_empty_servers() {
        let mut o = ConnectOptions::default();
        o.tls.client_cert = Some("c.pem".into());
        assert!(o.validate().is_err());
        let o = ConnectOptions::with_servers(Vec::<String>::new());
        assert!(o.validate().is_err());
        assert_eq!(ConnectOptions::default().js_api_prefix(), "$JS.API");
    }
}
