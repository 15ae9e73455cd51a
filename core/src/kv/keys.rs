//! The server's rules for bucket names and keys, checked before anything is
//! sent, with `INVALID_ARGUMENT` naming the bucket or key.

use crate::error::{Error, Result};

/// A bucket name: letters, digits, `-` and `_`.
pub(crate) fn validate_bucket(bucket: &str) -> Result<()> {
    if bucket.is_empty() {
        return Err(Error::invalid("bucket", "must not be empty"));
    }
    if !bucket
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Error::invalid(
            "bucket",
            format!("{bucket:?} may hold only letters, digits, '-' and '_'"),
        ));
    }
    Ok(())
}

/// A key: letters, digits and `-/_=.`, not starting or ending with `.`, no
/// empty token.
pub(crate) fn validate_key(key: &str) -> Result<()> {
    check(key, false)
}

/// A watch filter: a key where `*` may stand for one token and a final `>`
/// for the rest.
pub(crate) fn validate_filter(filter: &str) -> Result<()> {
    check(filter, true)
}

fn check(key: &str, wildcards: bool) -> Result<()> {
    let what = if wildcards { "key filter" } else { "key" };
    if key.is_empty() {
        return Err(Error::invalid(what, "must not be empty"));
    }
    if key.starts_with('.') || key.ends_with('.') || key.contains("..") {
        return Err(Error::invalid(what, format!("{key:?} has an empty token")));
    }
    let mut tokens = key.split('.').peekable();
    while let Some(token) = tokens.next() {
        let wildcard = wildcards && (token == "*" || (token == ">" && tokens.peek().is_none()));
        let plain = token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-/_=".contains(&b));
        if !wildcard && !plain {
            return Err(Error::invalid(
                what,
                format!("{key:?} may hold only letters, digits and '-/_=.'"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_server_rules() {
        for good in ["a", "a.b", "A-z_0=9/x", "config.db.host"] {
            assert!(validate_key(good).is_ok(), "{good}");
        }
        for bad in ["", ".a", "a.", "a..b", "a b", "a*", "a.>", "ké"] {
            let e = validate_key(bad).unwrap_err();
            assert!(e.message().contains("key"), "{bad}: {e}");
        }
        assert!(validate_filter("a.*.c").is_ok());
        assert!(validate_filter(">").is_ok());
        assert!(validate_filter("a.>.c").is_err());
        assert!(validate_bucket("my-bucket_1").is_ok());
        assert!(validate_bucket("my.bucket").is_err());
    }
}
