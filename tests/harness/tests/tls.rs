//! TLS, mTLS and TLS-first: the good material connects, every negative case fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use async_nats::ConnectOptions;
use common::{connect, js_roundtrip, opts};
use jetbridge_harness::{AuthMode, Server, ServerCert, ServerOptions, TlsCredentials};

fn server(mode: AuthMode, cert: ServerCert) -> (Server, TlsCredentials) {
    let s = Server::start_with(ServerOptions::default().auth(mode).server_cert(cert)).unwrap();
    let t = s.credentials().tls.clone().unwrap();
    (s, t)
}

fn trusting(ca: &std::path::Path) -> ConnectOptions {
    opts()
        .require_tls(true)
        .add_root_certificates(ca.to_path_buf())
}

#[tokio::test]
async fn tls_server_verify() {
    let (s, t) = server(AuthMode::Tls, ServerCert::Valid);
    assert!(!t.verify && !t.handshake_first);
    for f in [
        &t.files.ca,
        &t.files.server_cert,
        &t.files.client_key,
        &t.files.other_ca,
    ] {
        assert!(
            std::fs::read_to_string(f)
                .unwrap()
                .starts_with("-----BEGIN ")
        );
    }
    let c = connect(trusting(&t.files.ca), &s.tls_url()).await.unwrap();
    js_roundtrip(&c).await.unwrap();
    // nats:// URL: the client upgrades because the server requires TLS.
    connect(trusting(&t.files.ca), &s.url()).await.unwrap();
    // Unknown CA.
    assert!(
        connect(trusting(&t.files.other_ca), &s.tls_url())
            .await
            .is_err()
    );
    // Plain client (system roots only) against a TLS-required server.
    assert!(connect(opts(), &s.url()).await.is_err());
}

#[tokio::test]
async fn san_mismatch_is_rejected() {
    let (s, t) = server(AuthMode::Tls, ServerCert::LocalhostOnly);
    assert_eq!(t.server_cert_in_use, ServerCert::LocalhostOnly);
    let err = connect(trusting(&t.files.ca), &s.tls_url())
        .await
        .unwrap_err();
    eprintln!("SAN mismatch: {err}");
    // The same certificate is fine for the name it does carry.
    let by_name = format!("tls://localhost:{}", s.port());
    connect(trusting(&t.files.ca), &by_name).await.unwrap();
}

#[tokio::test]
async fn expired_server_cert_is_rejected() {
    let (s, t) = server(AuthMode::Tls, ServerCert::Expired);
    let err = connect(trusting(&t.files.ca), &s.tls_url())
        .await
        .unwrap_err();
    eprintln!("expired: {err}");
}

#[tokio::test]
async fn mtls() {
    let (s, t) = server(AuthMode::Mtls, ServerCert::Valid);
    assert!(t.verify);
    let good = trusting(&t.files.ca)
        .add_client_certificate(t.files.client_cert.clone(), t.files.client_key.clone());
    let c = connect(good, &s.tls_url()).await.unwrap();
    js_roundtrip(&c).await.unwrap();
    // No client certificate.
    assert!(connect(trusting(&t.files.ca), &s.tls_url()).await.is_err());
    // Client certificate from the unrelated CA.
    let foreign = trusting(&t.files.ca).add_client_certificate(
        t.files.other_client_cert.clone(),
        t.files.other_client_key.clone(),
    );
    assert!(connect(foreign, &s.tls_url()).await.is_err());
}

#[tokio::test]
async fn tls_first() {
    let (s, t) = server(AuthMode::TlsFirst, ServerCert::Valid);
    assert!(t.handshake_first);
    let c = connect(trusting(&t.files.ca).tls_first(), &s.tls_url())
        .await
        .unwrap();
    js_roundtrip(&c).await.unwrap();
    // A client that waits for INFO before TLS never gets one.
    assert!(connect(trusting(&t.files.ca), &s.tls_url()).await.is_err());
}
