//! TLS material generated at runtime with `rcgen` (ECDSA P-256).
//!
//! Positive material: a CA, a server certificate for `IP:127.0.0.1` + `DNS:localhost`, a
//! client certificate (EKU `clientAuth`). Negative material: an unrelated second CA, a client
//! certificate from that CA, a server certificate naming only `DNS:localhost` (SAN mismatch
//! when dialling `127.0.0.1`), and an expired server certificate.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, date_time_ymd,
};
use serde::Serialize;

use crate::error::{Error, Result};

/// Paths of every PEM file the harness generated for TLS modes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TlsFiles {
    /// The CA that signed the server and client certificates (trust this one).
    pub ca: PathBuf,
    /// Server certificate, SAN `IP:127.0.0.1` and `DNS:localhost`.
    pub server_cert: PathBuf,
    /// Key of [`TlsFiles::server_cert`].
    pub server_key: PathBuf,
    /// Client certificate with EKU `clientAuth`, signed by [`TlsFiles::ca`].
    pub client_cert: PathBuf,
    /// Key of [`TlsFiles::client_cert`].
    pub client_key: PathBuf,
    /// Negative: an unrelated CA (trusting only it must fail: "unknown CA").
    pub other_ca: PathBuf,
    /// Negative: a client certificate signed by [`TlsFiles::other_ca`] (mTLS must reject it).
    pub other_client_cert: PathBuf,
    /// Key of [`TlsFiles::other_client_cert`].
    pub other_client_key: PathBuf,
    /// Negative: a server certificate naming only `DNS:localhost`, signed by [`TlsFiles::ca`].
    pub localhost_only_cert: PathBuf,
    /// Key of [`TlsFiles::localhost_only_cert`].
    pub localhost_only_key: PathBuf,
    /// Negative: a server certificate (both SANs, signed by [`TlsFiles::ca`]) that expired in 2001.
    pub expired_cert: PathBuf,
    /// Key of [`TlsFiles::expired_cert`].
    pub expired_key: PathBuf,
}

/// Which certificate the server presents in a TLS mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerCert {
    /// [`TlsFiles::server_cert`]: valid for `127.0.0.1` and `localhost`.
    #[default]
    Valid,
    /// [`TlsFiles::localhost_only_cert`]: a client dialling `127.0.0.1` must reject it.
    LocalhostOnly,
    /// [`TlsFiles::expired_cert`]: every client must reject it.
    Expired,
}

impl ServerCert {
    /// Parses `valid`, `localhost-only` or `expired` (also with `_`).
    pub fn parse(s: &str) -> Result<Self> {
        match s.replace('_', "-").as_str() {
            "valid" => Ok(ServerCert::Valid),
            "localhost-only" => Ok(ServerCert::LocalhostOnly),
            "expired" => Ok(ServerCert::Expired),
            other => Err(Error::InvalidArgument(format!(
                "server cert {other:?}: expected valid, localhost-only or expired"
            ))),
        }
    }
}

impl TlsFiles {
    /// Generates all material into `dir` (which must exist).
    pub fn generate(dir: &Path) -> Result<Self> {
        let (ca_params, ca_key) = new_ca("JetBridge test CA")?;
        let ca_cert = ca_params
            .self_signed(&ca_key)
            .map_err(|e| Error::crypto("CA certificate", e))?;
        let ca = Issuer::new(ca_params, ca_key);
        let (other_params, other_key) = new_ca("JetBridge unrelated CA")?;
        let other_cert = other_params
            .self_signed(&other_key)
            .map_err(|e| Error::crypto("other CA certificate", e))?;
        let other = Issuer::new(other_params, other_key);

        let both = ["127.0.0.1", "localhost"];
        let write = |name: &str, pem: &str| write_pem(dir, name, pem);
        let (server_cert, server_key) = leaf(&ca, "server", &both, Eku::Server, false)?;
        let (client_cert, client_key) = leaf(&ca, "client", &[], Eku::Client, false)?;
        let (oc_cert, oc_key) = leaf(&other, "other-client", &[], Eku::Client, false)?;
        let (lo_cert, lo_key) = leaf(&ca, "localhost-only", &["localhost"], Eku::Server, false)?;
        let (ex_cert, ex_key) = leaf(&ca, "expired", &both, Eku::Server, true)?;
        Ok(TlsFiles {
            ca: write("ca.pem", &ca_cert.pem())?,
            server_cert: write("server-cert.pem", &server_cert)?,
            server_key: write("server-key.pem", &server_key)?,
            client_cert: write("client-cert.pem", &client_cert)?,
            client_key: write("client-key.pem", &client_key)?,
            other_ca: write("other-ca.pem", &other_cert.pem())?,
            other_client_cert: write("other-client-cert.pem", &oc_cert)?,
            other_client_key: write("other-client-key.pem", &oc_key)?,
            localhost_only_cert: write("localhost-only-cert.pem", &lo_cert)?,
            localhost_only_key: write("localhost-only-key.pem", &lo_key)?,
            expired_cert: write("expired-cert.pem", &ex_cert)?,
            expired_key: write("expired-key.pem", &ex_key)?,
        })
    }

    /// The certificate and key files for the chosen server certificate.
    pub fn server_pair(&self, which: ServerCert) -> (&Path, &Path) {
        match which {
            ServerCert::Valid => (&self.server_cert, &self.server_key),
            ServerCert::LocalhostOnly => (&self.localhost_only_cert, &self.localhost_only_key),
            ServerCert::Expired => (&self.expired_cert, &self.expired_key),
        }
    }
}

enum Eku {
    Server,
    Client,
}

fn new_ca(cn: &str) -> Result<(CertificateParams, KeyPair)> {
    let key = KeyPair::generate().map_err(|e| Error::crypto("CA key", e))?;
    let mut params = CertificateParams::new(Vec::<String>::new())
        .map_err(|e| Error::crypto("CA parameters", e))?;
    params.distinguished_name.push(DnType::CommonName, cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    Ok((params, key))
}

/// Returns (certificate PEM, key PEM) of a leaf signed by `issuer`.
fn leaf(
    issuer: &Issuer<'_, KeyPair>,
    cn: &str,
    sans: &[&str],
    eku: Eku,
    expired: bool,
) -> Result<(String, String)> {
    let what = format!("{cn} certificate");
    let key = KeyPair::generate().map_err(|e| Error::crypto(&what, e))?;
    let sans: Vec<String> = sans.iter().map(|s| s.to_string()).collect();
    let mut params = CertificateParams::new(sans).map_err(|e| Error::crypto(&what, e))?;
    params.distinguished_name.push(DnType::CommonName, cn);
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![match eku {
        Eku::Server => ExtendedKeyUsagePurpose::ServerAuth,
        Eku::Client => ExtendedKeyUsagePurpose::ClientAuth,
    }];
    if expired {
        params.not_before = date_time_ymd(2000, 1, 1);
        params.not_after = date_time_ymd(2001, 1, 1);
    }
    let cert = params
        .signed_by(&key, issuer)
        .map_err(|e| Error::crypto(&what, e))?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// Writes `pem` to `dir/name` (mode 0600) and returns the path.
pub(crate) fn write_pem(dir: &Path, name: &str, pem: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    crate::files::write_private(&path, pem.as_bytes())?;
    Ok(path)
}
