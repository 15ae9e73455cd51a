//! Entry points for fuzzing and property tests (not part of the API).
//!
//! Each takes arbitrary input, runs one parser or validator of the core, and
//! panics only when an invariant is broken — so any panic a fuzzer finds is
//! a bug. Used by `core/tests/props.rs` (stable, in CI) and the cargo-fuzz
//! targets in `core/fuzz/` (nightly, long tier).

use crate::{DaprConfig, validate};

/// Subject, name, header and msg-id validation: never panics, and whatever
/// is accepted holds no whitespace or CR/LF.
pub fn validators(s: &str) {
    if validate::publish_subject("subject", s).is_ok() {
        assert!(
            !s.is_empty() && !s.chars().any(char::is_whitespace),
            "accepted subject {s:?}"
        );
        assert!(
            !s.split('.').any(|t| t.is_empty() || t == "*" || t == ">"),
            "accepted subject {s:?}"
        );
    }
    if validate::token("name", s).is_ok() {
        assert!(
            !s.is_empty() && !s.contains(['.', '*', '>', ' ']),
            "accepted name {s:?}"
        );
    }
    if validate::header_value("X", s).is_ok() {
        assert!(!s.contains(['\r', '\n']), "accepted header value {s:?}");
    }
    let _ = validate::header_name(s);
    if validate::msg_id(s).is_ok() {
        assert!(
            !s.contains(['\r', '\n']) && !s.is_empty(),
            "accepted msg id {s:?}"
        );
    }
    let _ = validate::headers(&[(s.to_string(), s.to_string())]);
}

/// Classification of a server's reply to a publish.
pub fn publish_reply(body: &[u8]) {
    let _ = crate::ack_router::classify_body(body);
}

/// Parsing of a JetStream ack subject and a raw header block.
pub fn delivery_metadata(s: &str) {
    if let Some(meta) = crate::message::parse_ack_subject(s) {
        assert!(!meta.stream.contains('.') && !meta.consumer.contains('.'));
    }
    let _ = crate::message::parse_header_block(s.as_bytes());
}

/// The Dapr metadata parser (map and YAML).
pub fn dapr(pairs: &[(String, String)], yaml: &str) {
    if let Ok(cfg) = DaprConfig::from_metadata(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    {
        assert!(cfg.connect.validate().is_ok());
        assert!(!cfg.connect.servers.is_empty());
    }
    let _ = DaprConfig::from_yaml_str(yaml);
    let _ = crate::parse_go_duration(yaml);
}

/// URL credential handling: redaction never shows the userinfo.
pub fn urls(s: &str) {
    let red = crate::redact_url(s);
    if let Some(i) = s.find("://") {
        let rest = &s[i + 3..];
        let end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..end].rfind('@') {
            let expected = format!("{}[REDACTED]@{}", &s[..i + 3], &rest[at + 1..]);
            assert_eq!(red, expected, "userinfo of {s:?} not redacted");
        }
    }
    let o = crate::ConnectOptions::with_servers([s]);
    let _ = o.validate();
    let _ = o.split_url_credentials();
}
