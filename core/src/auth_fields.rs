//! Credentials as every binding receives them: flat optional fields, turned
//! into one [`Auth`] mode here, with one set of messages for every language.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::options::{Auth, Secret};

/// The credential fields of a binding's connect options, as given. At most one
/// mode may be set; `user`/`password` and `jwt`/`jwt_seed` go in pairs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AuthFields {
    /// A shared token.
    pub token: Option<String>,
    /// User name (needs `password`).
    pub user: Option<String>,
    /// Password (needs `user`).
    pub password: Option<String>,
    /// NKey seed (`SU…`).
    pub nkey_seed: Option<String>,
    /// User JWT (needs `jwt_seed`).
    pub jwt: Option<String>,
    /// The NKey seed that signs for `jwt`.
    pub jwt_seed: Option<String>,
    /// Path of a `.creds` file.
    pub creds_file: Option<String>,
}

impl std::fmt::Debug for AuthFields {
    /// Names the fields that are set, never their values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.set_fields()).finish()
    }
}

impl AuthFields {
    fn set_fields(&self) -> Vec<&'static str> {
        let fields = [
            ("token", &self.token),
            ("user", &self.user),
            ("password", &self.password),
            ("nkey_seed", &self.nkey_seed),
            ("jwt", &self.jwt),
            ("jwt_seed", &self.jwt_seed),
            ("creds_file", &self.creds_file),
        ];
        fields
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(n, _)| *n)
            .collect()
    }

    /// The one mode these fields ask for (`Auth::None` when none is set), or
    /// `INVALID_ARGUMENT` when a pair is incomplete or two modes are set.
    pub fn into_auth(self) -> Result<Auth> {
        let mut modes = Vec::new();
        if let Some(token) = self.token {
            modes.push(Auth::Token(Secret::new(token)));
        }
        match (self.user, self.password) {
            (Some(user), Some(password)) => modes.push(Auth::UserPassword {
                user,
                password: Secret::new(password),
            }),
            (None, None) => {}
            _ => return Err(Error::invalid("auth", "user and password go together")),
        }
        if let Some(seed) = self.nkey_seed {
            modes.push(Auth::NKey(Secret::new(seed)));
        }
        match (self.jwt, self.jwt_seed) {
            (Some(jwt), Some(seed)) => modes.push(Auth::Jwt {
                jwt: Secret::new(jwt),
                seed: Secret::new(seed),
            }),
            (None, None) => {}
            _ => return Err(Error::invalid("auth", "jwt and jwt_seed go together")),
        }
        if let Some(path) = self.creds_file {
            modes.push(Auth::CredsFile(PathBuf::from(path)));
        }
        if modes.len() > 1 {
            return Err(Error::invalid(
                "auth",
                "set at most one of token, user/password, nkey_seed, jwt/jwt_seed, creds_file",
            ));
        }
        Ok(modes.pop().unwrap_or_default())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn one_mode_or_a_named_error() {
        assert_eq!(AuthFields::default().into_auth().unwrap(), Auth::None);
        let token = AuthFields {
            token: some("t"),
            ..AuthFields::default()
        };
        assert_eq!(token.into_auth().unwrap(), Auth::Token(Secret::new("t")));
        let half = AuthFields {
            user: some("u"),
            ..AuthFields::default()
        };
        let err = half.into_auth().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert_eq!(err.message(), "invalid auth: user and password go together");
        let two = AuthFields {
            token: some("t"),
            nkey_seed: some("SU"),
            ..AuthFields::default()
        };
        assert!(
            two.into_auth()
                .unwrap_err()
                .message()
                .contains("at most one of")
        );
    }

    #[test]
    fn debug_names_fields_not_values() {
        let f = AuthFields {
            token: some("s3cret"),
            ..AuthFields::default()
        };
        assert_eq!(format!("{f:?}"), "[\"token\"]");
    }
}
