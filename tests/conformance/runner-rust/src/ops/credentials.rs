//! The `credentials` and `tls` arguments of `connect`: which of the harness's
//! materials (SPEC.md §4.1, "Credentials") the connection uses. The secrets
//! come from the environment the driver sets; they never pass through the
//! scenario file, and the runner never prints them.

use std::path::PathBuf;

use jetbridge::{Auth, Secret, TlsOptions};

use crate::args::Args;
use crate::outcome::{StepError, runner};

/// Where each named material set comes from. `Jwt(a, b)` is a user JWT in
/// `$a` with its seed in `$b`.
enum Material {
    None,
    Token(&'static str),
    UserPassword(&'static str, &'static str),
    NKey(&'static str),
    Jwt(&'static str, &'static str),
    CredsFile(&'static str),
}

fn material(name: &str) -> Option<Material> {
    use Material::*;
    Some(match name {
        "none" => None,
        "token" => Token("JB_TOKEN"),
        "wrong_token" => Token("JB_WRONG_TOKEN"),
        "user" => UserPassword("JB_USER", "JB_PASSWORD"),
        "wrong_password" => UserPassword("JB_USER", "JB_WRONG_PASSWORD"),
        "nkey" => NKey("JB_NKEY_SEED"),
        "other_nkey" => NKey("JB_OTHER_NKEY_SEED"),
        "jwt" => Jwt("JB_JWT", "JB_JWT_SEED"),
        "jwt_expired" => Jwt("JB_JWT_EXPIRED", "JB_JWT_EXPIRED_SEED"),
        "jwt_revoked" => Jwt("JB_JWT_REVOKED", "JB_JWT_REVOKED_SEED"),
        "jwt_mismatched" => Jwt("JB_JWT_MISMATCHED", "JB_JWT_MISMATCHED_SEED"),
        "jwt_no_js" => Jwt("JB_JWT_NO_JS", "JB_JWT_NO_JS_SEED"),
        "creds" => CredsFile("JB_CREDS"),
        "creds_expired" => CredsFile("JB_CREDS_EXPIRED"),
        "creds_revoked" => CredsFile("JB_CREDS_REVOKED"),
        "creds_mismatched" => CredsFile("JB_CREDS_MISMATCHED"),
        "creds_no_js" => CredsFile("JB_CREDS_NO_JS"),
        _ => return Option::None,
    })
}

fn env(name: &str) -> Result<String, StepError> {
    std::env::var(name).map_err(|_| runner(format!("environment variable {name} is not set")))
}

/// The `Auth` of a `credentials` argument. Absent: `token` when `$JB_TOKEN`
/// is set (a token server), else `none`.
pub(crate) fn auth(a: &Args<'_>) -> Result<Auth, StepError> {
    let name = match a.string("credentials")? {
        Some(n) => n,
        None if std::env::var_os("JB_TOKEN").is_some() => "token".to_string(),
        None => "none".to_string(),
    };
    let m =
        material(&name).ok_or_else(|| StepError::Unsupported(format!("credentials {name:?}")))?;
    Ok(match m {
        Material::None => Auth::None,
        Material::Token(t) => Auth::Token(Secret::new(env(t)?)),
        Material::UserPassword(u, p) => Auth::UserPassword {
            user: env(u)?,
            password: Secret::new(env(p)?),
        },
        Material::NKey(s) => Auth::NKey(Secret::new(env(s)?)),
        Material::Jwt(j, s) => Auth::Jwt {
            jwt: Secret::new(env(j)?),
            seed: Secret::new(env(s)?),
        },
        Material::CredsFile(f) => Auth::CredsFile(PathBuf::from(env(f)?)),
    })
}

/// The `tls` argument: `required`, `ca_file`, `client_cert`, `client_key`,
/// `handshake_first` (paths usually `${JB_CA}` and friends).
pub(crate) fn tls(a: &Args<'_>) -> Result<TlsOptions, StepError> {
    let Some(t) = a.object("tls")? else {
        return Ok(TlsOptions::default());
    };
    Ok(TlsOptions {
        required: t.bool("required")?.unwrap_or(false),
        ca_file: t.string("ca_file")?.map(PathBuf::from),
        client_cert: t.string("client_cert")?.map(PathBuf::from),
        client_key: t.string("client_key")?.map(PathBuf::from),
        handshake_first: t.bool("handshake_first")?.unwrap_or(false),
    })
}
