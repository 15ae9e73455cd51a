//! Entry points for fuzzing and property tests (not part of the API).
//!
//! Each takes arbitrary input, runs one parser or validator of the core, and
//! panics only when an invariant is broken — so any panic a fuzzer finds is
//! a bug. Used by the property tests in `props.rs` (stable, in CI) and the cargo-fuzz
//! targets in `core/fuzz/` (nightly, long tier).

use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Auth, ConnectOptions, DaprConfig, ErrorKind, Secret, validate};

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

/// Credential material — an nkey seed, a JWT with its seed, a creds file's
/// contents: checking it (what `connect` does before dialling) never panics,
/// a refusal is `INVALID_ARGUMENT`, and its text shows none of the material.
#[allow(clippy::expect_used)] // a fuzz entry point: a panic is how it reports
pub fn credentials(jwt: &str, seed: &str, creds_file: &[u8]) {
    static N: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "jb-fuzz-{}-{}.creds",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, creds_file).expect("writing a scratch creds file");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let material: Vec<String> = [jwt, seed]
        .into_iter()
        .map(str::to_string)
        .chain(
            String::from_utf8_lossy(creds_file)
                .lines()
                .map(str::to_string),
        )
        .map(|s| s.trim().to_string())
        .filter(|s| s.len() >= 16)
        .collect();
    for auth in [
        Auth::NKey(Secret::new(seed)),
        Auth::Jwt {
            jwt: Secret::new(jwt),
            seed: Secret::new(seed),
        },
        Auth::CredsFile(path.clone()),
    ] {
        let checked =
            runtime.block_on(crate::client::check_auth(&ConnectOptions::default(), &auth));
        if let Err(e) = checked {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
            let text = format!("{e} {e:?}");
            for m in &material {
                assert!(
                    !text.contains(m.as_str()),
                    "the error shows credential material: {text}"
                );
            }
        }
    }
    let _ = std::fs::remove_file(&path);
}

#[cfg(test)]
mod props;
