//! Which nats-server version a feature needs, checked before the request is
//! sent: an older server would ignore an unknown field or never answer an
//! unknown API, so the caller gets `SERVER_TOO_OLD` naming the feature and
//! the version instead of a silent loss or a timeout.

use crate::client::ClientInner;
use crate::error::{Error, ErrorKind, Result};

/// A server version, `major.minor.patch`; anything after the patch number
/// (`-beta.1`, `+build`) is ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version(pub(crate) u32, pub(crate) u32, pub(crate) u32);

impl Version {
    /// Reads `"2.11.3"` or `"v2.12.0-beta.2"`; missing parts are 0. `None` when
    /// the text does not start with a number.
    pub(crate) fn parse(text: &str) -> Option<Version> {
        let text = text.trim().trim_start_matches('v');
        let mut parts = text.split('.').map(|p| {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        });
        let major = parts.next()??;
        let minor = parts.next().flatten().unwrap_or(0);
        let patch = parts.next().flatten().unwrap_or(0);
        Some(Version(major, minor, patch))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// nats-server 2.11: per-message TTL, subject delete markers, consumer pause
/// and priority groups.
pub(crate) const V2_11: Version = Version(2, 11, 0);
/// nats-server 2.12: atomic batch publish, counters, scheduled messages.
pub(crate) const V2_12: Version = Version(2, 12, 0);
/// nats-server 2.14: fast-ingest batch publishing (`allow_batched`).
pub(crate) const V2_14: Version = Version(2, 14, 0);

/// The error for `feature` on a server older than `needs`.
pub(crate) fn too_old(feature: &str, needs: Version, connected: &str) -> Error {
    Error::new(
        ErrorKind::ServerTooOld,
        format!(
            "{feature} needs nats-server {needs} or newer; the connected server is {connected}"
        ),
    )
}

impl ClientInner {
    /// The connected server's version, as it announced it (`"unknown"` before
    /// the first connection).
    pub(crate) fn server_version(&self) -> String {
        let info = self.nc.server_info();
        if info.version.is_empty() {
            "unknown".to_string()
        } else {
            info.version
        }
    }

    /// `Ok` when the connected server is `needs` or newer (or does not say
    /// which version it is); otherwise `SERVER_TOO_OLD` naming `feature`.
    pub(crate) fn require_server(&self, feature: &str, needs: Version) -> Result<()> {
        let connected = self.server_version();
        match Version::parse(&connected) {
            Some(v) if v < needs => Err(too_old(feature, needs, &connected)),
            _ => Ok(()),
        }
    }

    /// Checks every `(feature, version)` a request uses; the first one the
    /// server is too old for is the error.
    pub(crate) fn require_features(&self, features: &[(&str, Version)]) -> Result<()> {
        features
            .iter()
            .try_for_each(|(feature, needs)| self.require_server(feature, *needs))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_release_and_prerelease_versions() {
        assert_eq!(Version::parse("2.10.25"), Some(Version(2, 10, 25)));
        assert_eq!(Version::parse("v2.12.0-beta.2"), Some(Version(2, 12, 0)));
        assert_eq!(Version::parse("2.11"), Some(Version(2, 11, 0)));
        assert_eq!(Version::parse("unknown"), None);
        assert!(Version(2, 10, 25) < V2_11 && V2_11 < Version(2, 11, 1));
    }

    #[test]
    fn the_error_names_feature_version_and_server() {
        let e = too_old("consumer pause", V2_11, "2.10.25");
        assert_eq!(e.kind(), ErrorKind::ServerTooOld);
        assert_eq!(
            e.message(),
            "consumer pause needs nats-server 2.11.0 or newer; the connected server is 2.10.25"
        );
    }
}
