//! The decentralized-JWT world of one run: operator, system account, app account (JetStream
//! on), a second account without JetStream, users, and the server config that trusts them.

use std::path::{Path, PathBuf};

use nkeys::KeyPair;
use serde::Serialize;

use crate::auth::{seed_of, write_creds};
use crate::error::Result;
use crate::files::conf_quote;
use crate::jwt::{JwtClaims, account_body, encode, now_unix, operator_body, user_body};

/// One user identity: JWT, seed and a creds file holding both.
#[derive(Clone, Serialize)]
pub struct UserCredentials {
    /// The user's public key (`U…`); for `mismatched_seed` the key of the JWT's subject.
    pub public: String,
    /// The user JWT.
    pub jwt: String,
    /// The user seed (`SU…`).
    pub seed: String,
    /// A creds file with `jwt` and `seed` in the standard marker format (mode 0600).
    pub creds: PathBuf,
}

/// Operator/account/user material for [`crate::AuthMode::Jwt`].
#[derive(Clone, Serialize)]
pub struct JwtCredentials {
    /// Operator public key (`O…`).
    pub operator: String,
    /// Operator JWT (self-signed).
    pub operator_jwt: String,
    /// System account public key.
    pub system_account: String,
    /// System account JWT.
    pub system_account_jwt: String,
    /// A user of the system account (for `$SYS` requests).
    pub system_user: UserCredentials,
    /// App account public key (JetStream enabled, unlimited).
    pub account: String,
    /// App account JWT (lists `revoked` in its revocations).
    pub account_jwt: String,
    /// The good user of the app account.
    pub user: UserCredentials,
    /// Negative: a user of the app account whose JWT expired an hour ago.
    pub expired: UserCredentials,
    /// Negative: a user revoked by the app account JWT.
    pub revoked: UserCredentials,
    /// Account without JetStream (limits 0): connecting works, JetStream calls fail.
    pub no_jetstream_account: String,
    /// JWT of [`JwtCredentials::no_jetstream_account`].
    pub no_jetstream_account_jwt: String,
    /// A user of [`JwtCredentials::no_jetstream_account`].
    pub no_jetstream: UserCredentials,
    /// Negative: the good user's JWT with a seed of a different user.
    pub mismatched_seed: UserCredentials,
}

impl JwtCredentials {
    /// Generates all keys and JWTs and writes the creds files into `dir`.
    pub fn generate(dir: &Path) -> Result<Self> {
        let now = now_unix();
        let operator = KeyPair::new_operator();
        let sys = KeyPair::new_account();
        let app = KeyPair::new_account();
        let nojs = KeyPair::new_account();

        let revoked_kp = KeyPair::new_user();
        // The revoked user's JWT is issued before the revocation time (strictly older).
        let revocations = vec![(revoked_kp.public_key(), now)];
        let account_jwt = |kp: &KeyPair, name: &str, js: bool, rev: &[(String, i64)]| {
            encode(
                &claims(kp, name, now, None, account_body(js, rev)),
                &operator,
            )
        };
        let operator_jwt = encode(
            &claims(
                &operator,
                "jetbridge-op",
                now,
                None,
                operator_body(&sys.public_key()),
            ),
            &operator,
        )?;
        let system_account_jwt = account_jwt(&sys, "SYS", false, &[])?;
        let app_jwt = account_jwt(&app, "APP", true, &revocations)?;
        let nojs_jwt = account_jwt(&nojs, "NOJS", false, &[])?;

        let user = new_user(dir, "user", &app, KeyPair::new_user(), now, None)?;
        let mismatched = UserCredentials {
            seed: seed_of(&KeyPair::new_user())?,
            ..user.clone()
        };
        let mismatched = UserCredentials {
            creds: write_creds(
                dir,
                "mismatched-seed.creds",
                &mismatched.jwt,
                &mismatched.seed,
            )?,
            ..mismatched
        };
        Ok(JwtCredentials {
            operator: operator.public_key(),
            operator_jwt,
            system_account: sys.public_key(),
            system_account_jwt,
            system_user: new_user(dir, "system", &sys, KeyPair::new_user(), now, None)?,
            account: app.public_key(),
            account_jwt: app_jwt,
            expired: new_user(
                dir,
                "expired",
                &app,
                KeyPair::new_user(),
                now - 7200,
                Some(now - 3600),
            )?,
            revoked: new_user(dir, "revoked", &app, revoked_kp, now - 60, None)?,
            no_jetstream_account: nojs.public_key(),
            no_jetstream_account_jwt: nojs_jwt,
            no_jetstream: new_user(dir, "no-jetstream", &nojs, KeyPair::new_user(), now, None)?,
            user,
            mismatched_seed: mismatched,
        })
    }

    /// The `operator`, `system_account`, `resolver: MEMORY` and `resolver_preload` lines.
    pub fn server_config(&self) -> String {
        let mut out = format!(
            "operator: {}\nsystem_account: {}\nresolver: MEMORY\nresolver_preload: {{\n",
            conf_quote(&self.operator_jwt),
            conf_quote(&self.system_account)
        );
        for (k, v) in [
            (&self.system_account, &self.system_account_jwt),
            (&self.account, &self.account_jwt),
            (&self.no_jetstream_account, &self.no_jetstream_account_jwt),
        ] {
            out.push_str(&format!("  {}: {}\n", conf_quote(k), conf_quote(v)));
        }
        out.push_str("}\n");
        out
    }
}

fn claims(
    subject: &KeyPair,
    name: &str,
    iat: i64,
    exp: Option<i64>,
    nats: serde_json::Value,
) -> JwtClaims {
    JwtClaims {
        subject: subject.public_key(),
        name: name.to_string(),
        audience: None,
        issued_at: iat,
        expires: exp,
        nats,
    }
}

/// Issues a user JWT for `user` signed by `account` and writes `<name>.creds`.
fn new_user(
    dir: &Path,
    name: &str,
    account: &KeyPair,
    user: KeyPair,
    iat: i64,
    exp: Option<i64>,
) -> Result<UserCredentials> {
    let jwt = encode(&claims(&user, name, iat, exp, user_body()), account)?;
    let seed = seed_of(&user)?;
    let creds = write_creds(dir, &format!("{name}.creds"), &jwt, &seed)?;
    Ok(UserCredentials {
        public: user.public_key(),
        jwt,
        seed,
        creds,
    })
}
