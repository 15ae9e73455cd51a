//! Each non-TLS auth mode accepts the good credentials and rejects the bad ones.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{connect, js_roundtrip, opts};
use jetbridge_harness::{AuthMode, Server, ServerOptions};

fn server(mode: AuthMode) -> Server {
    Server::start_with(ServerOptions::default().auth(mode)).unwrap()
}

#[tokio::test]
async fn none_accepts_anyone() {
    let s = server(AuthMode::None);
    assert_eq!(s.credentials().mode, AuthMode::None);
    let c = connect(opts(), &s.url()).await.unwrap();
    js_roundtrip(&c).await.unwrap();
}

#[tokio::test]
async fn token() {
    let s = server(AuthMode::Token);
    let cr = s.credentials();
    let token = cr.token.clone().unwrap();
    let c = connect(opts().token(token), &s.url()).await.unwrap();
    js_roundtrip(&c).await.unwrap();
    let wrong = cr.wrong_secret.clone().unwrap();
    assert!(connect(opts().token(wrong), &s.url()).await.is_err());
    assert!(connect(opts(), &s.url()).await.is_err());
}

#[tokio::test]
async fn callout_accepts_its_token_denies_the_rest_and_survives_a_restart() {
    let mut s = server(AuthMode::Callout);
    let cr = s.credentials().clone();
    let token = cr.token.clone().unwrap();
    let c = connect(opts().token(token.clone()), &s.url())
        .await
        .unwrap();
    js_roundtrip(&c).await.unwrap();
    let wrong = cr.wrong_secret.clone().unwrap();
    assert!(connect(opts().token(wrong), &s.url()).await.is_err());
    assert!(connect(opts(), &s.url()).await.is_err());
    // The service reconnects by itself after the server comes back.
    s.restart().unwrap();
    let c = connect(opts().token(token), &s.url()).await.unwrap();
    js_roundtrip(&c).await.unwrap();
}

#[tokio::test]
async fn user_password() {
    let s = server(AuthMode::User);
    let cr = s.credentials();
    let (u, p) = (cr.user.clone().unwrap(), cr.password.clone().unwrap());
    let c = connect(opts().user_and_password(u.clone(), p), &s.url())
        .await
        .unwrap();
    js_roundtrip(&c).await.unwrap();
    let wrong = cr.wrong_secret.clone().unwrap();
    assert!(
        connect(opts().user_and_password(u, wrong), &s.url())
            .await
            .is_err()
    );
    assert!(connect(opts(), &s.url()).await.is_err());
}

#[tokio::test]
async fn nkey() {
    let s = server(AuthMode::Nkey);
    let n = s.credentials().nkey.clone().unwrap();
    assert!(n.public.starts_with('U') && n.seed.starts_with("SU"));
    let c = connect(opts().nkey(n.seed), &s.url()).await.unwrap();
    js_roundtrip(&c).await.unwrap();
    assert!(connect(opts().nkey(n.other_seed), &s.url()).await.is_err());
    assert!(connect(opts(), &s.url()).await.is_err());
}

async fn with_creds(path: &std::path::Path) -> async_nats::ConnectOptions {
    async_nats::ConnectOptions::with_credentials_file(path)
        .await
        .unwrap()
        .connection_timeout(std::time::Duration::from_secs(3))
}

#[tokio::test]
async fn jwt_good_and_negative_material() {
    let s = server(AuthMode::Jwt);
    let j = s.credentials().jwt.clone().unwrap();
    let creds_text = std::fs::read_to_string(&j.user.creds).unwrap();
    assert!(creds_text.starts_with("-----BEGIN NATS USER JWT-----\n"));
    assert!(creds_text.contains("\n------END NATS USER JWT------\n"));
    assert!(creds_text.contains("-----BEGIN USER NKEY SEED-----\n"));
    assert!(creds_text.contains("\n------END USER NKEY SEED------\n"));

    let c = connect(with_creds(&j.user.creds).await, &s.url())
        .await
        .unwrap();
    js_roundtrip(&c).await.unwrap();
    // JWT + seed given directly (not via a file) works as well.
    let seed = j.user.seed.clone();
    let kp = std::sync::Arc::new(nkeys::KeyPair::from_seed(&seed).unwrap());
    let direct = opts().jwt(j.user.jwt.clone(), move |nonce| {
        let kp = kp.clone();
        async move { kp.sign(&nonce).map_err(async_nats::AuthError::new) }
    });
    connect(direct, &s.url()).await.unwrap();

    assert!(
        connect(with_creds(&j.expired.creds).await, &s.url())
            .await
            .is_err(),
        "expired"
    );
    assert!(
        connect(with_creds(&j.revoked.creds).await, &s.url())
            .await
            .is_err(),
        "revoked"
    );
    assert!(
        connect(with_creds(&j.mismatched_seed.creds).await, &s.url())
            .await
            .is_err(),
        "mismatched seed"
    );
    assert!(connect(opts(), &s.url()).await.is_err(), "no credentials");

    let nojs = connect(with_creds(&j.no_jetstream.creds).await, &s.url())
        .await
        .unwrap();
    let err = js_roundtrip(&nojs).await.unwrap_err();
    eprintln!("no-jetstream account error: {err}");

    connect(with_creds(&j.system_user.creds).await, &s.url())
        .await
        .unwrap();

    // The app account is a real JetStream account on the server.
    let jsz = s.monitor("/jsz?accounts=true").unwrap();
    let names: Vec<&str> = jsz["account_details"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert!(names.contains(&j.account.as_str()), "{names:?}");
}

#[test]
fn jwts_are_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let j = jetbridge_harness::JwtCredentials::generate(dir.path()).unwrap();
    let op = jetbridge_harness::jwt::decode_claims(&j.operator_jwt).unwrap();
    assert_eq!(op["iss"], op["sub"]);
    assert_eq!(op["nats"]["type"], "operator");
    assert_eq!(op["nats"]["system_account"], j.system_account.as_str());
    let acc = jetbridge_harness::jwt::decode_claims(&j.account_jwt).unwrap();
    assert_eq!(acc["iss"], j.operator.as_str());
    assert_eq!(acc["nats"]["limits"]["disk_storage"], -1);
    assert!(acc["nats"]["revocations"][&j.revoked.public].is_i64());
    let nojs = jetbridge_harness::jwt::decode_claims(&j.no_jetstream_account_jwt).unwrap();
    assert_eq!(nojs["nats"]["limits"]["disk_storage"], 0);
    let user = jetbridge_harness::jwt::decode_claims(&j.user.jwt).unwrap();
    assert_eq!(user["iss"], j.account.as_str());
    assert_eq!(user["jti"].as_str().unwrap().len(), 52);
    let expired = jetbridge_harness::jwt::decode_claims(&j.expired.jwt).unwrap();
    assert!(expired["exp"].as_i64().unwrap() < expired["iat"].as_i64().unwrap() + 7200);
    // Signature verifies with the issuer's public key.
    let parts: Vec<&str> = j.user.jwt.split('.').collect();
    let sig = data_encoding::BASE64URL_NOPAD
        .decode(parts[2].as_bytes())
        .unwrap();
    let issuer = nkeys::KeyPair::from_public_key(&j.account).unwrap();
    issuer
        .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
        .unwrap();
}

#[test]
fn debug_output_has_no_secrets() {
    for mode in [
        AuthMode::Token,
        AuthMode::Callout,
        AuthMode::User,
        AuthMode::Nkey,
        AuthMode::Jwt,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let c =
            jetbridge_harness::Credentials::generate(mode, Default::default(), dir.path()).unwrap();
        let dbg = format!("{c:?}");
        let json = serde_json::to_value(&c).unwrap();
        for secret in [
            c.token.clone(),
            c.password.clone(),
            c.nkey.as_ref().map(|n| n.seed.clone()),
            c.jwt.as_ref().map(|j| j.user.seed.clone()),
        ]
        .into_iter()
        .flatten()
        {
            assert!(!dbg.contains(&secret), "{mode}: Debug leaks a secret");
            assert!(
                json.to_string().contains(&secret),
                "{mode}: JSON must carry the secret"
            );
        }
    }
}
