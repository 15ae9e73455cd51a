//! Authentication modes and the per-run credentials (positive and negative material).
//!
//! One [`Credentials`] is generated per [`crate::Server`] or [`crate::Cluster`]; all nodes of
//! a cluster share it. Secrets are random per run. `Debug` never prints secrets.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use nkeys::KeyPair;
use serde::Serialize;

use crate::callout::CalloutMaterial;
use crate::error::{Error, Result};
use crate::files::{conf_quote, random_hex};
use crate::jwt_material::JwtCredentials;
use crate::tls::{ServerCert, TlsFiles};

/// How clients must authenticate to the servers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMode {
    /// No authentication.
    #[default]
    None,
    /// `authorization { token: … }` with a random token.
    Token,
    /// `authorization { users: [{user: app, password: …}] }` with a random password.
    User,
    /// `authorization { users: [{nkey: U…}] }`; the client signs the nonce with the seed.
    Nkey,
    /// Decentralized JWT: operator, system account, app account with JetStream, user creds;
    /// `resolver: MEMORY` with `resolver_preload`.
    Jwt,
    /// TLS, server certificate only (`tls {}` without `verify`); no other auth.
    Tls,
    /// Mutual TLS (`verify: true`): clients must present a certificate from the CA.
    Mtls,
    /// TLS before INFO (`handshake_first: true`); clients must start with TLS.
    TlsFirst,
    /// Auth callout (config mode): the harness's callout service accepts one random token
    /// (`token`) and denies everything else (`wrong_secret`, no token). Single servers only.
    Callout,
}

impl AuthMode {
    /// All modes, in CLI order.
    pub const ALL: [AuthMode; 9] = [
        AuthMode::None,
        AuthMode::Token,
        AuthMode::User,
        AuthMode::Nkey,
        AuthMode::Jwt,
        AuthMode::Tls,
        AuthMode::Mtls,
        AuthMode::TlsFirst,
        AuthMode::Callout,
    ];

    /// The CLI name: `none|token|user|nkey|jwt|tls|mtls|tls-first|callout`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::None => "none",
            AuthMode::Token => "token",
            AuthMode::User => "user",
            AuthMode::Nkey => "nkey",
            AuthMode::Jwt => "jwt",
            AuthMode::Tls => "tls",
            AuthMode::Mtls => "mtls",
            AuthMode::TlsFirst => "tls-first",
            AuthMode::Callout => "callout",
        }
    }

    /// Parses a CLI name (see [`AuthMode::as_str`]; `tls_first` is accepted too).
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.replace('_', "-");
        AuthMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "auth mode {s:?}: expected none, token, user, nkey, jwt, tls, mtls, tls-first or callout"
                ))
            })
    }

    /// True for the TLS modes (`tls`, `mtls`, `tls-first`).
    pub fn is_tls(self) -> bool {
        matches!(self, AuthMode::Tls | AuthMode::Mtls | AuthMode::TlsFirst)
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An nkey user: public key and seed.
#[derive(Clone, Serialize)]
pub struct NkeyCredentials {
    /// The user's public key (`U…`), listed in the server config.
    pub public: String,
    /// The user's seed (`SU…`); sign the server nonce with it.
    pub seed: String,
    /// Negative: a valid user seed whose public key is NOT in the server config.
    pub other_seed: String,
}

/// TLS material and how the servers use it.
#[derive(Clone, Serialize)]
pub struct TlsCredentials {
    /// All PEM files.
    #[serde(flatten)]
    pub files: TlsFiles,
    /// The certificate the servers present.
    pub server_cert_in_use: ServerCert,
    /// `verify: true` (mTLS): the server requires a client certificate from `ca`.
    pub verify: bool,
    /// `handshake_first: true`: the client must start TLS before reading INFO.
    pub handshake_first: bool,
}

/// Everything a client needs to authenticate in the chosen [`AuthMode`], plus negatives.
///
/// Only the field(s) for the mode are `Some`. Serializes to the CLI's `auth` JSON object.
#[derive(Clone, Serialize)]
pub struct Credentials {
    /// The mode the servers run in.
    pub mode: AuthMode,
    /// Token mode: the token. Callout mode: the token the callout service accepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// User mode: the user name (`app`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// User mode: the password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Token/user/callout modes, negative: a random secret that is not the token or password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrong_secret: Option<String>,
    /// Nkey mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nkey: Option<NkeyCredentials>,
    /// JWT mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtCredentials>,
    /// TLS modes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsCredentials>,
    /// Callout mode: the service's own material (server side; never serialized).
    #[serde(skip)]
    pub(crate) callout: Option<CalloutMaterial>,
}

impl fmt::Debug for Credentials {
    /// Prints the mode and file paths only, never a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Credentials");
        d.field("mode", &self.mode);
        if let Some(j) = &self.jwt {
            d.field("creds", &j.user.creds);
        }
        if let Some(t) = &self.tls {
            d.field("ca", &t.files.ca);
        }
        d.finish_non_exhaustive()
    }
}

impl Credentials {
    /// Generates fresh credentials for `mode`, writing files (creds, PEMs) into `dir`.
    /// `server_cert` only matters for TLS modes.
    pub fn generate(mode: AuthMode, server_cert: ServerCert, dir: &Path) -> Result<Self> {
        let mut c = Credentials {
            mode,
            token: None,
            user: None,
            password: None,
            wrong_secret: None,
            nkey: None,
            jwt: None,
            tls: None,
            callout: None,
        };
        match mode {
            AuthMode::None => {}
            AuthMode::Token => {
                c.token = Some(format!("t0k-{}", random_hex()?));
                c.wrong_secret = Some(format!("wrong-{}", random_hex()?));
            }
            AuthMode::User => {
                c.user = Some("app".into());
                c.password = Some(random_hex()?);
                c.wrong_secret = Some(format!("wrong-{}", random_hex()?));
            }
            AuthMode::Nkey => {
                let user = KeyPair::new_user();
                c.nkey = Some(NkeyCredentials {
                    public: user.public_key(),
                    seed: seed_of(&user)?,
                    other_seed: seed_of(&KeyPair::new_user())?,
                });
            }
            AuthMode::Jwt => c.jwt = Some(JwtCredentials::generate(dir)?),
            AuthMode::Callout => {
                let token = format!("t0k-{}", random_hex()?);
                c.callout = Some(CalloutMaterial {
                    service_password: random_hex()?,
                    issuer: Arc::new(KeyPair::new_account()),
                    accepted_token: token.clone(),
                });
                c.token = Some(token);
                c.wrong_secret = Some(format!("wrong-{}", random_hex()?));
            }
            AuthMode::Tls | AuthMode::Mtls | AuthMode::TlsFirst => {
                c.tls = Some(TlsCredentials {
                    files: TlsFiles::generate(dir)?,
                    server_cert_in_use: server_cert,
                    verify: mode == AuthMode::Mtls,
                    handshake_first: mode == AuthMode::TlsFirst,
                });
            }
        }
        Ok(c)
    }

    /// The nats-server config lines implementing this mode (empty for [`AuthMode::None`]).
    pub fn server_config(&self) -> String {
        let mut out = String::new();
        if let Some(c) = &self.callout {
            out.push_str(&format!(
                "authorization {{\n  users: [ {{ user: auth, password: {} }} ]\n  \
                 auth_callout {{ issuer: {}, auth_users: [ auth ] }}\n}}\n",
                conf_quote(&c.service_password),
                conf_quote(&c.issuer.public_key())
            ));
            return out;
        }
        if let Some(t) = &self.token {
            out.push_str(&format!("authorization {{ token: {} }}\n", conf_quote(t)));
        }
        if let (Some(u), Some(p)) = (&self.user, &self.password) {
            out.push_str(&format!(
                "authorization {{ users: [ {{ user: {}, password: {} }} ] }}\n",
                conf_quote(u),
                conf_quote(p)
            ));
        }
        if let Some(n) = &self.nkey {
            out.push_str(&format!(
                "authorization {{ users: [ {{ nkey: {} }} ] }}\n",
                conf_quote(&n.public)
            ));
        }
        if let Some(j) = &self.jwt {
            out.push_str(&j.server_config());
        }
        if let Some(t) = &self.tls {
            let (cert, key) = t.files.server_pair(t.server_cert_in_use);
            out.push_str(&format!(
                "tls {{\n  cert_file: {}\n  key_file: {}\n  ca_file: {}\n  timeout: 2\n",
                conf_path(cert),
                conf_path(key),
                conf_path(&t.files.ca)
            ));
            if t.verify {
                out.push_str("  verify: true\n");
            }
            if t.handshake_first {
                out.push_str("  handshake_first: true\n");
            }
            out.push_str("}\n");
        }
        out
    }
}

/// The seed of a key pair as text.
pub(crate) fn seed_of(kp: &KeyPair) -> Result<String> {
    kp.seed().map_err(|e| Error::crypto("nkey seed", e))
}

/// A path quoted for the server config.
pub(crate) fn conf_path(p: &Path) -> String {
    conf_quote(&p.to_string_lossy())
}

/// Writes a creds file for `jwt` + `seed` at `dir/name` (mode 0600).
pub(crate) fn write_creds(dir: &Path, name: &str, jwt: &str, seed: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    crate::files::write_private(&path, crate::jwt::creds_file_contents(jwt, seed).as_bytes())?;
    Ok(path)
}
