//! Reliability test 21, the capture half: a client that requires TLS never
//! sends `CONNECT` (and so never a credential) in clear, even to a plaintext
//! server that would accept it. A recording relay on 127.0.0.1 sits between
//! the client and a real token-auth server and keeps every byte the client
//! sent; a control run without TLS shows that the capture does see `CONNECT`
//! and the token when they are sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jetbridge::{Auth, Client, ConnectOptions, ErrorKind, Secret, TlsOptions};
use jetbridge_harness::AuthMode;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A TCP relay to `upstream` that records what clients send (client → server).
struct Recorder {
    port: u16,
    sent: Arc<Mutex<Vec<u8>>>,
}

impl Recorder {
    async fn start(upstream: u16) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sent = Arc::new(Mutex::new(Vec::new()));
        let record = sent.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect(("127.0.0.1", upstream)).await.unwrap();
                tokio::spawn(relay(client, server, record.clone()));
            }
        });
        Recorder { port, sent }
    }

    fn url(&self, userinfo: &str) -> String {
        format!("nats://{userinfo}127.0.0.1:{}", self.port)
    }

    fn sent(&self) -> Vec<u8> {
        self.sent.lock().unwrap().clone()
    }
}

/// Copies both ways until either side closes, appending client bytes to `record`.
async fn relay(client: TcpStream, server: TcpStream, record: Arc<Mutex<Vec<u8>>>) {
    let (mut client_rx, mut client_tx) = client.into_split();
    let (mut server_rx, mut server_tx) = server.into_split();
    let down = tokio::spawn(async move { tokio::io::copy(&mut server_rx, &mut client_tx).await });
    let mut buf = [0u8; 4096];
    while let Ok(n) = client_rx.read(&mut buf).await {
        if n == 0 {
            break;
        }
        record.lock().unwrap().extend_from_slice(&buf[..n]);
        if server_tx.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    down.abort();
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn options_to(url: String, auth: Auth, tls: TlsOptions) -> ConnectOptions {
    let mut o = options([url]);
    o.auth = auth;
    o.tls = tls;
    o.connect_timeout = Duration::from_secs(3);
    o.max_reconnects = Some(0);
    o
}

#[tokio::test]
async fn a_tls_required_client_sends_no_connect_and_no_secret_in_clear() {
    let srv = Server::start_with(ServerOptions::default().auth(AuthMode::Token)).unwrap();
    let token = srv.credentials().token.clone().unwrap();
    let auth = || Auth::Token(Secret::new(&token));

    // Control: without TLS the capture sees CONNECT and the token, so the
    // checks below can fail.
    let control = Recorder::start(srv.port()).await;
    let c = Client::connect(options_to(control.url(""), auth(), TlsOptions::default()))
        .await
        .expect("plaintext connect to the plaintext server");
    c.close().await.unwrap();
    assert!(contains(&control.sent(), "CONNECT"));
    assert!(contains(&control.sent(), &token));

    let cases = [
        (
            "TLS required, token option",
            String::new(),
            TlsOptions {
                required: true,
                ..TlsOptions::default()
            },
        ),
        (
            "TLS required, token in the URL",
            format!("{token}@"),
            TlsOptions {
                required: true,
                ..TlsOptions::default()
            },
        ),
        (
            "TLS handshake first",
            String::new(),
            TlsOptions {
                required: true,
                handshake_first: true,
                ..TlsOptions::default()
            },
        ),
    ];
    for (what, userinfo, tls) in cases {
        let capture = Recorder::start(srv.port()).await;
        let auth = if userinfo.is_empty() {
            auth()
        } else {
            Auth::None
        };
        let e = Client::connect(options_to(capture.url(&userinfo), auth, tls))
            .await
            .expect_err(what);
        assert!(
            matches!(e.kind(), ErrorKind::Tls | ErrorKind::Connection),
            "{what}: {e}"
        );
        let sent = capture.sent();
        assert!(
            !contains(&sent, "CONNECT"),
            "{what}: CONNECT went out in clear"
        );
        assert!(
            !contains(&sent, &token),
            "{what}: the token went out in clear"
        );
    }
}
