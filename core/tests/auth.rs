//! Every auth mode against a real server: good credentials work, bad ones fail
//! with a typed error (`AUTH`, `TLS`), TLS never falls back to plaintext, and
//! no secret shows up in any `Debug` output or error text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use jetbridge::{
    Auth, Client, ConnectOptions, ErrorKind, PublishMessage, Secret, StreamConfig, TlsOptions,
};
use jetbridge_harness::{AuthMode, ServerCert};
use support::*;

fn start(mode: AuthMode, cert: ServerCert) -> Server {
    Server::start_with(ServerOptions::default().auth(mode).server_cert(cert)).expect("start server")
}

fn opts(url: String, auth: Auth) -> ConnectOptions {
    let mut o = options([url]);
    o.auth = auth;
    o.connect_timeout = Duration::from_secs(3);
    o.max_reconnects = Some(0);
    o
}

/// Everything printed or raised while trying `o`: the options' Debug, the
/// client's Debug or the error's Display and Debug.
struct Seen(String);

impl Seen {
    fn new() -> Seen {
        Seen(String::new())
    }

    async fn connect(&mut self, o: ConnectOptions) -> jetbridge::Result<Client> {
        self.0 += &format!("{o:?}\n{:?}\n", o.auth);
        let r = Client::connect(o).await;
        match &r {
            Ok(c) => self.0 += &format!("{c:?}\n"),
            Err(e) => self.0 += &format!("{e}\n{e:?}\n"),
        }
        r
    }

    fn assert_clean(&self, secrets: &[&str]) {
        for s in secrets.iter().filter(|s| s.len() >= 4) {
            assert!(
                !self.0.contains(s),
                "a secret leaked into output:\n{}",
                self.0
            );
        }
    }
}

async fn works(c: &Client) {
    c.create_stream(StreamConfig::new("AUTHS", ["auths"]))
        .await
        .unwrap();
    let ack = c.publish(PublishMessage::new("auths", "x")).await.unwrap();
    assert_eq!(ack.sequence, 1);
}

#[tokio::test]
async fn token_user_and_nkey_accept_good_and_reject_bad_credentials() {
    let mut seen = Seen::new();
    let srv = start(AuthMode::Token, ServerCert::Valid);
    let cred = srv.credentials().clone();
    let (token, wrong) = (
        cred.token.clone().unwrap(),
        cred.wrong_secret.clone().unwrap(),
    );
    works(
        &seen
            .connect(opts(srv.url(), Auth::Token(Secret::new(&token))))
            .await
            .unwrap(),
    )
    .await;
    let e = seen
        .connect(opts(srv.url(), Auth::Token(Secret::new(&wrong))))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert_eq!(
        seen.connect(opts(srv.url(), Auth::None))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Auth
    );
    // A token in the URL is used, and redacted when shown.
    let url = srv.url().replace("nats://", &format!("nats://{token}@"));
    works_again(&seen.connect(opts(url, Auth::None)).await.unwrap()).await;
    seen.assert_clean(&[&token, &wrong]);

    let srv = start(AuthMode::User, ServerCert::Valid);
    let cred = srv.credentials().clone();
    let (user, pass, wrong) = (
        cred.user.clone().unwrap(),
        cred.password.clone().unwrap(),
        cred.wrong_secret.clone().unwrap(),
    );
    let up = |p: &str| Auth::UserPassword {
        user: user.clone(),
        password: Secret::new(p),
    };
    works(&seen.connect(opts(srv.url(), up(&pass))).await.unwrap()).await;
    assert_eq!(
        seen.connect(opts(srv.url(), up(&wrong)))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Auth
    );
    let url = srv
        .url()
        .replace("nats://", &format!("nats://{user}:{pass}@"));
    works_again(&seen.connect(opts(url, Auth::None)).await.unwrap()).await;
    seen.assert_clean(&[&pass, &wrong]);

    let srv = start(AuthMode::Nkey, ServerCert::Valid);
    let nk = srv.credentials().nkey.clone().unwrap();
    works(
        &seen
            .connect(opts(srv.url(), Auth::NKey(Secret::new(&nk.seed))))
            .await
            .unwrap(),
    )
    .await;
    let e = seen
        .connect(opts(srv.url(), Auth::NKey(Secret::new(&nk.other_seed))))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    let e = seen
        .connect(opts(srv.url(), Auth::NKey(Secret::new("SUnotaseed"))))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    seen.assert_clean(&[&nk.seed, &nk.other_seed, "SUnotaseed"]);
}

async fn works_again(c: &Client) {
    let ack = c
        .publish(PublishMessage::new("auths", "again"))
        .await
        .unwrap();
    assert!(ack.sequence >= 2);
}

#[tokio::test]
async fn jwt_and_creds_file_and_every_negative_case() {
    let mut seen = Seen::new();
    let srv = start(AuthMode::Jwt, ServerCert::Valid);
    let j = srv.credentials().jwt.clone().unwrap();
    let jwt = |u: &jetbridge_harness::UserCredentials| Auth::Jwt {
        jwt: Secret::new(&u.jwt),
        seed: Secret::new(&u.seed),
    };
    works(&seen.connect(opts(srv.url(), jwt(&j.user))).await.unwrap()).await;
    works_again(
        &seen
            .connect(opts(srv.url(), Auth::CredsFile(j.user.creds.clone())))
            .await
            .unwrap(),
    )
    .await;
    for bad in [&j.expired, &j.revoked, &j.mismatched_seed] {
        let e = seen.connect(opts(srv.url(), jwt(bad))).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
        let e = seen
            .connect(opts(srv.url(), Auth::CredsFile(bad.creds.clone())))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    }
    // An account without JetStream connects, but JetStream says so.
    let c = seen
        .connect(opts(srv.url(), jwt(&j.no_jetstream)))
        .await
        .unwrap();
    let e = c
        .create_stream(StreamConfig::new("NOJS", ["nojs"]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::JetstreamNotEnabled | ErrorKind::JetstreamUnavailable
        ),
        "{e}"
    );
    // Publishing there is a typed error at once, not a 25 s retry.
    let started = std::time::Instant::now();
    let e = c
        .publish(PublishMessage::new("nojs", "x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::JetstreamNotEnabled, "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let e = seen
        .connect(opts(
            srv.url(),
            Auth::CredsFile("/nonexistent/x.creds".into()),
        ))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let secrets: Vec<&str> = [
        &j.user,
        &j.expired,
        &j.revoked,
        &j.mismatched_seed,
        &j.no_jetstream,
    ]
    .iter()
    .flat_map(|u| [u.jwt.as_str(), u.seed.as_str()])
    .collect();
    seen.assert_clean(&secrets);
}

fn tls(ca: Option<&std::path::Path>) -> TlsOptions {
    TlsOptions {
        required: true,
        ca_file: ca.map(Into::into),
        ..TlsOptions::default()
    }
}

#[tokio::test]
async fn tls_verifies_the_server_and_never_falls_back_to_plaintext() {
    let mut seen = Seen::new();
    let srv = start(AuthMode::Tls, ServerCert::Valid);
    let f = srv.credentials().tls.clone().unwrap().files;
    let with = |url: String, t: TlsOptions| ConnectOptions {
        tls: t,
        ..opts(url, Auth::None)
    };
    works(
        &seen
            .connect(with(srv.tls_url(), tls(Some(&f.ca))))
            .await
            .unwrap(),
    )
    .await;
    // Unknown CA (the system roots and another CA) → TLS.
    assert_eq!(
        seen.connect(with(srv.tls_url(), tls(None)))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Tls
    );
    assert_eq!(
        seen.connect(with(srv.tls_url(), tls(Some(&f.other_ca))))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Tls
    );
    // A plain client against a TLS-only server: no plaintext session.
    let e = seen.connect(opts(srv.url(), Auth::None)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    // Wrong name and expired certificates are refused.
    for cert in [ServerCert::LocalhostOnly, ServerCert::Expired] {
        let bad = start(AuthMode::Tls, cert);
        let f = bad.credentials().tls.clone().unwrap().files;
        let e = seen
            .connect(with(bad.tls_url(), tls(Some(&f.ca))))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Tls, "{cert:?}: {e}");
    }
    // A client that requires TLS refuses a plaintext server.
    let plain = server();
    let e = seen
        .connect(with(plain.url(), tls(Some(&f.ca))))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    seen.assert_clean(&[]);
}

#[tokio::test]
async fn mutual_tls_and_handshake_first() {
    let mut seen = Seen::new();
    let srv = start(AuthMode::Mtls, ServerCert::Valid);
    let f = srv.credentials().tls.clone().unwrap().files;
    let mtls = |cert: &std::path::Path, key: &std::path::Path| TlsOptions {
        client_cert: Some(cert.into()),
        client_key: Some(key.into()),
        ..tls(Some(&f.ca))
    };
    let with = |t: TlsOptions| ConnectOptions {
        tls: t,
        ..opts(srv.tls_url(), Auth::None)
    };
    works(
        &seen
            .connect(with(mtls(&f.client_cert, &f.client_key)))
            .await
            .unwrap(),
    )
    .await;
    let e = seen.connect(with(tls(Some(&f.ca)))).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "missing client cert: {e}");
    let e = seen
        .connect(with(mtls(&f.other_client_cert, &f.other_client_key)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "client cert from another CA: {e}");
    let half = TlsOptions {
        client_cert: Some(f.client_cert.clone()),
        ..tls(Some(&f.ca))
    };
    assert_eq!(
        seen.connect(with(half)).await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );

    let first = start(AuthMode::TlsFirst, ServerCert::Valid);
    let f = first.credentials().tls.clone().unwrap().files;
    let hf = TlsOptions {
        handshake_first: true,
        ..tls(Some(&f.ca))
    };
    works(
        &seen
            .connect(ConnectOptions {
                tls: hf,
                ..opts(first.tls_url(), Auth::None)
            })
            .await
            .unwrap(),
    )
    .await;
    let e = seen
        .connect(ConnectOptions {
            tls: tls(Some(&f.ca)),
            ..opts(first.tls_url(), Auth::None)
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "without handshake_first: {e}");
    seen.assert_clean(&[]);
}
