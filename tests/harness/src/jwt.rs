//! NATS JWTs (nats-io/jwt v2 wire format) built and signed without `nsc`.
//!
//! Format: `base64url(header) "." base64url(claims) "." base64url(ed25519(header "." claims))`,
//! all base64url without padding, header `{"typ":"JWT","alg":"ed25519-nkey"}`. The `jti` is
//! base32 (no padding) of SHA-512/256 over the JSON of the standard claim fields with an
//! empty `jti`, in nats-io/jwt's field order (`aud, exp, jti, iat, iss, name, nbf, sub`).

use data_encoding::{BASE32_NOPAD, BASE64URL_NOPAD};
use nkeys::KeyPair;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha512_256};

use crate::error::{Error, Result};

/// The JOSE header every NATS v2 JWT carries.
const HEADER: &str = r#"{"typ":"JWT","alg":"ed25519-nkey"}"#;

/// The claims of one JWT; `iss` and `jti` are filled in by [`encode`].
#[derive(Debug, Clone)]
pub struct JwtClaims {
    /// `sub`: the public key the JWT is about (`O…`, `A…` or `U…`).
    pub subject: String,
    /// `name`: a human-readable name.
    pub name: String,
    /// `aud`: who the JWT is for (auth-callout user and response JWTs); `None` for most.
    pub audience: Option<String>,
    /// `iat`: issue time, Unix seconds.
    pub issued_at: i64,
    /// `exp`: expiry, Unix seconds; `None` never expires.
    pub expires: Option<i64>,
    /// `nats`: the type-specific body (see [`operator_body`], [`account_body`], [`user_body`]).
    pub nats: Value,
}

/// Standard claim fields, in nats-io/jwt `ClaimsData` order (this order feeds the `jti` hash).
#[derive(Serialize)]
struct StdClaims<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    aud: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
    #[serde(skip_serializing_if = "str::is_empty")]
    jti: &'a str,
    iat: i64,
    iss: &'a str,
    name: &'a str,
    sub: &'a str,
}

#[derive(Serialize)]
struct FullClaims<'a> {
    #[serde(flatten)]
    std: StdClaims<'a>,
    nats: &'a Value,
}

/// Signs `claims` with `issuer` (an operator key for operator and account JWTs, an account
/// key for user JWTs) and returns the encoded JWT.
pub fn encode(claims: &JwtClaims, issuer: &KeyPair) -> Result<String> {
    let iss = issuer.public_key();
    let mut std = StdClaims {
        aud: claims.audience.as_deref(),
        exp: claims.expires,
        jti: "",
        iat: claims.issued_at,
        iss: &iss,
        name: &claims.name,
        sub: &claims.subject,
    };
    let for_hash = serde_json::to_vec(&std).map_err(|e| Error::crypto("JWT claims", e))?;
    let jti = BASE32_NOPAD.encode(&Sha512_256::digest(&for_hash));
    std.jti = &jti;
    let full = FullClaims {
        std,
        nats: &claims.nats,
    };
    let body = serde_json::to_vec(&full).map_err(|e| Error::crypto("JWT claims", e))?;
    let signing_input = format!(
        "{}.{}",
        BASE64URL_NOPAD.encode(HEADER.as_bytes()),
        BASE64URL_NOPAD.encode(&body)
    );
    let sig = issuer
        .sign(signing_input.as_bytes())
        .map_err(|e| Error::crypto("JWT signature", e))?;
    Ok(format!("{signing_input}.{}", BASE64URL_NOPAD.encode(&sig)))
}

/// Decodes the claims part of a JWT as JSON, without verifying anything (for tests).
pub fn decode_claims(jwt: &str) -> Result<Value> {
    let part = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| Error::InvalidArgument("JWT without a claims part".into()))?;
    let raw = BASE64URL_NOPAD
        .decode(part.as_bytes())
        .map_err(|e| Error::InvalidArgument(format!("JWT claims are not base64url: {e}")))?;
    serde_json::from_slice(&raw).map_err(|e| Error::InvalidArgument(format!("JWT claims: {e}")))
}

/// `nats` body of an operator JWT naming its system account.
pub fn operator_body(system_account: &str) -> Value {
    json!({ "system_account": system_account, "type": "operator", "version": 2 })
}

/// `nats` body of an account JWT: all NATS limits unlimited; JetStream limits unlimited
/// (`-1`) when `jetstream`, else `0` (JetStream disabled for the account). `revocations`
/// maps user public keys to a Unix time: user JWTs issued before it are revoked.
pub fn account_body(jetstream: bool, revocations: &[(String, i64)]) -> Value {
    let js = if jetstream { -1 } else { 0 };
    let mut body = json!({
        "limits": {
            "subs": -1, "data": -1, "payload": -1,
            "imports": -1, "exports": -1, "wildcards": true, "conn": -1, "leaf": -1,
            "mem_storage": js, "disk_storage": js, "streams": js, "consumer": js,
        },
        "default_permissions": { "pub": {}, "sub": {} },
        "type": "account",
        "version": 2,
    });
    if !revocations.is_empty() {
        let map: serde_json::Map<String, Value> = revocations
            .iter()
            .map(|(k, t)| (k.clone(), json!(t)))
            .collect();
        body["revocations"] = Value::Object(map);
    }
    body
}

/// `nats` body of a user JWT with unlimited subs/data/payload and no permission limits.
pub fn user_body() -> Value {
    json!({
        "pub": {}, "sub": {},
        "subs": -1, "data": -1, "payload": -1,
        "type": "user", "version": 2,
    })
}

/// The text of a `.creds` file holding `jwt` and `seed`, in the exact layout nats tools write.
pub fn creds_file_contents(jwt: &str, seed: &str) -> String {
    format!(
        "-----BEGIN NATS USER JWT-----\n{jwt}\n------END NATS USER JWT------\n\n\
         ************************* IMPORTANT *************************\n\
         NKEY Seed printed below can be used to sign and prove identity.\n\
         NKEYs are sensitive and should be treated as secrets.\n\n\
         -----BEGIN USER NKEY SEED-----\n{seed}\n------END USER NKEY SEED------\n\n\
         *************************************************************\n"
    )
}

/// Current Unix time in seconds.
pub(crate) fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
