//! Input validation shared by every entry point.
//!
//! Every check returns `INVALID_ARGUMENT` naming the parameter, before anything
//! is sent. async-nats has conversions that panic on bad input (header values
//! with CR/LF); the core only ever builds headers and subjects through here.

use async_nats::{HeaderMap, HeaderName, HeaderValue, Subject};

use crate::error::{Error, Result};

/// Longest stream or consumer name the server accepts.
pub const MAX_NAME_LEN: usize = 255;

/// Checks a subject used for subscribing or filtering (wildcards allowed).
pub fn subject(what: &str, s: &str) -> Result<()> {
    if s.is_empty() {
        return Err(Error::invalid(what, "must not be empty"));
    }
    if s.starts_with('.') || s.ends_with('.') || s.contains("..") {
        return Err(Error::invalid(what, format!("{s:?} has an empty token")));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            what,
            format!(
                "{:?} contains whitespace or a control character",
                s.escape_debug().to_string()
            ),
        ));
    }
    let mut tokens = s.split('.').peekable();
    while let Some(token) = tokens.next() {
        if token.len() > 1 && (token.contains('*') || token.contains('>')) {
            return Err(Error::invalid(
                what,
                format!("{s:?} has a malformed wildcard"),
            ));
        }
        if token == ">" && tokens.peek().is_some() {
            return Err(Error::invalid(
                what,
                format!("{s:?}: '>' must be the last token"),
            ));
        }
    }
    Ok(())
}

/// Checks a subject used for publishing (no wildcards) and converts it.
pub fn publish_subject(what: &str, s: &str) -> Result<Subject> {
    subject(what, s)?;
    if s.split('.').any(|t| t == "*" || t == ">") {
        return Err(Error::invalid(what, format!("{s:?} contains a wildcard")));
    }
    Subject::validated(s).map_err(|e| Error::invalid(what, e))
}

/// Checks a single subject token: stream and consumer names, domain.
pub fn token(what: &str, s: &str) -> Result<()> {
    if s.is_empty() {
        return Err(Error::invalid(what, "must not be empty"));
    }
    if s.len() > MAX_NAME_LEN {
        return Err(Error::invalid(
            what,
            format!("longer than {MAX_NAME_LEN} bytes"),
        ));
    }
    if let Some(c) = s
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '.' | '*' | '>' | '/' | '\\'))
    {
        return Err(Error::invalid(
            what,
            format!("{s:?} contains {c:?}, which is not allowed in a name"),
        ));
    }
    Ok(())
}

/// Checks a header value: no CR or LF (they would break the wire protocol).
pub fn header_value(name: &str, value: &str) -> Result<HeaderValue> {
    if value.contains(['\r', '\n']) {
        return Err(Error::invalid(
            "header value",
            format!("the value of {name:?} contains CR or LF"),
        ));
    }
    value
        .parse::<HeaderValue>()
        .map_err(|e| Error::invalid("header value", format!("{name:?}: {e}")))
}

/// Checks a header name: printable ASCII without ':' or whitespace.
pub fn header_name(name: &str) -> Result<HeaderName> {
    if name.is_empty() {
        return Err(Error::invalid("header name", "must not be empty"));
    }
    if name.chars().any(|c| !c.is_ascii_graphic() || c == ':') {
        return Err(Error::invalid(
            "header name",
            format!(
                "{:?} must be printable ASCII without ':'",
                name.escape_debug().to_string()
            ),
        ));
    }
    name.parse::<HeaderName>()
        .map_err(|e| Error::invalid("header name", format!("{name:?}: {e}")))
}

/// Builds a header map from name/value pairs, validating each.
pub fn headers(pairs: &[(String, String)]) -> Result<HeaderMap> {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let value = header_value(name, value)?;
        map.append(header_name(name)?, value);
    }
    Ok(map)
}

/// Checks a message id: non-empty, no CR/LF, no surrounding whitespace.
pub fn msg_id(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid("msg_id", "must not be empty"));
    }
    if id.contains(['\r', '\n']) || id.trim() != id {
        return Err(Error::invalid(
            "msg_id",
            "must not contain CR/LF or surrounding whitespace",
        ));
    }
    Ok(())
}

/// Longest priority group name the server accepts.
pub const MAX_GROUP_LEN: usize = 16;

/// Checks a priority group name (a consumer's `priority_groups`, a pull's
/// `group`): the server's rule, 1 to 16 of `A-Z a-z 0-9 - _ / =`.
pub fn priority_group(what: &str, s: &str) -> Result<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '=');
    if s.is_empty() || s.len() > MAX_GROUP_LEN || !s.chars().all(allowed) {
        return Err(Error::invalid(
            what,
            format!("{s:?} must be 1 to {MAX_GROUP_LEN} of A-Z, a-z, 0-9, '-', '_', '/', '='"),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert!(publish_subject("subject", "orders.created").is_ok());
        for bad in [
            "", "a..b", ".a", "a.", "a b", "a\r\nb", "a.*", "a.>", "a\tb",
        ] {
            assert!(publish_subject("subject", bad).is_err(), "{bad:?}");
        }
        assert!(subject("filter", "orders.*").is_ok());
        assert!(subject("filter", "orders.>").is_ok());
        assert!(subject("filter", "orders.>.x").is_err());
        assert!(subject("filter", "orders.a*").is_err());
    }

    #[test]
    fn priority_groups() {
        for good in ["jobs", "A-b_c/d=e", "0123456789abcdef"] {
            assert!(priority_group("group", good).is_ok(), "{good:?}");
        }
        for bad in ["", "jobs.a", "a b", "0123456789abcdefg", "jöbs", "a*"] {
            assert!(priority_group("group", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_and_headers() {
        assert!(token("stream", "ORDERS").is_ok());
        for bad in ["", "A.B", "A B", "A*", "A>", "a/b"] {
            assert!(token("stream", bad).is_err(), "{bad:?}");
        }
        assert!(header_value("X", "ok").is_ok());
        assert!(header_value("X", "bad\r\nInjected: 1").is_err());
        assert!(header_name("Bad Name").is_err());
        assert!(header_name("Bad:Name").is_err());
        assert!(headers(&[("X-A".into(), "1".into())]).is_ok());
        assert!(msg_id("id-1").is_ok());
        assert!(msg_id("id\n").is_err());
    }
}
