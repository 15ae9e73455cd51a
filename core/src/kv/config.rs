//! A bucket's configuration and the stream it becomes.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::stream::{Compression, StorageType, StreamConfig};
use crate::stream_nested::{Placement, Republish, StreamSource, SubjectTransform};

use super::keys::validate_bucket;

/// The most revisions per key a bucket can keep (the server's limit).
pub(crate) const MAX_HISTORY: u8 = 64;

crate::record::record! {
    /// A bucket's configuration. `Default` gives one revision per key, no TTL,
    /// no size limits, file storage, one replica.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct KvConfig {
        /// The bucket's name: letters, digits, `-` and `_`.
        pub bucket: String,
        /// Free text.
        pub description: Option<String>,
        /// Revisions kept per key, 1 to 64 (default 1).
        pub history: u8,
        /// How long an entry lives; unset = forever.
        pub ttl: Option<Duration>,
        /// Largest value in bytes; unset = the server's max payload.
        pub max_value_size: Option<i32>,
        /// Largest bucket in bytes; unset = unlimited.
        pub max_bytes: Option<i64>,
        /// Where the bucket's stream keeps its messages.
        pub storage: StorageType,
        /// Replicas (1, 3 or 5 in a cluster).
        pub replicas: usize,
        /// Compress the bucket's stream (s2).
        pub compression: bool,
        /// Where the bucket's replicas are placed (cluster, tags).
        pub placement: Option<Placement>,
        /// Republish every change to another subject.
        pub republish: Option<Republish>,
        /// Free-form text keys and values kept with the bucket.
        pub metadata: BTreeMap<String, String>,
        /// Keys may have their own TTL (`create_with_ttl`), and a key
        /// removed by the bucket's `ttl` leaves a purge marker kept this
        /// long (server 2.11+; at least 1 s).
        pub limit_marker_ttl: Option<Duration>,
        /// Make the bucket a read-only copy of another bucket (named as a
        /// bucket, or by its stream's `KV_` name). Reads see the origin's
        /// keys as far as copied; writes go to the origin. The mirror also
        /// answers reads of the origin (the server's `mirror_direct`), which
        /// may then briefly lag a write. Not with `sources`.
        pub mirror: Option<StreamSource>,
        /// Buckets whose entries this bucket also receives, each named as a
        /// bucket or by its stream's `KV_` name; their keys become this
        /// bucket's keys.
        pub sources: Vec<StreamSource>,
    }
}

impl Default for KvConfig {
    fn default() -> KvConfig {
        KvConfig {
            bucket: String::new(),
            description: None,
            history: 1,
            ttl: None,
            max_value_size: None,
            max_bytes: None,
            storage: StorageType::File,
            replicas: 1,
            compression: false,
            placement: None,
            republish: None,
            metadata: BTreeMap::new(),
            limit_marker_ttl: None,
            mirror: None,
            sources: Vec::new(),
        }
    }
}

/// A bucket's or store's metadata as its user set it: without the keys the
/// server adds itself (`_nats.ver`, `_nats.level`, …), so that a status's
/// configuration can be given back to create-or-update unchanged.
pub(crate) fn user_metadata(s: &StreamConfig) -> BTreeMap<String, String> {
    s.metadata
        .iter()
        .flatten()
        .filter(|(k, _)| !k.starts_with("_nats."))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The stream behind bucket `bucket`.
pub(crate) fn stream_name(bucket: &str) -> String {
    format!("KV_{bucket}")
}

/// The bucket a mirror or source names (its stream's name, or the bucket's).
pub(crate) fn origin_bucket(source: &StreamSource) -> &str {
    source
        .name
        .strip_prefix("KV_")
        .unwrap_or(source.name.as_str())
}

/// The subjects of every key of `bucket`.
fn all_keys(bucket: &str) -> String {
    format!("$KV.{bucket}.>")
}

/// A mirror or source as the stream gets it: the origin's stream name, and
/// for a source, its keys rewritten to `bucket`'s (unless the caller gave
/// transforms, or it is the same bucket in another domain).
fn to_stream_source(source: &StreamSource, bucket: &str, rewrite: bool) -> StreamSource {
    let origin = origin_bucket(source);
    let mut out = source.clone();
    out.name = stream_name(origin);
    let same_bucket_elsewhere = source.external.is_some() && origin == bucket;
    if rewrite && out.subject_transforms.is_empty() && !same_bucket_elsewhere {
        out.subject_transforms = vec![SubjectTransform {
            src: all_keys(origin),
            dest: all_keys(bucket),
        }];
    }
    out
}

/// The reverse of [`to_stream_source`]: what the caller gave.
fn from_stream_source(source: &StreamSource, bucket: &str) -> StreamSource {
    let origin = origin_bucket(source).to_string();
    let mut out = source.clone();
    let default_rewrite = [SubjectTransform {
        src: all_keys(&origin),
        dest: all_keys(bucket),
    }];
    if out.subject_transforms == default_rewrite {
        out.subject_transforms.clear();
    }
    out.name = origin;
    out
}

impl KvConfig {
    /// A bucket called `bucket` with every other setting at its default.
    pub fn new(bucket: impl Into<String>) -> KvConfig {
        KvConfig {
            bucket: bucket.into(),
            ..KvConfig::default()
        }
    }

    /// Checks the configuration: `INVALID_ARGUMENT` naming the field.
    pub fn validate(&self) -> Result<()> {
        validate_bucket(&self.bucket)?;
        if self.history == 0 || self.history > MAX_HISTORY {
            return Err(Error::invalid(
                "history",
                format!("must be 1 to {MAX_HISTORY}"),
            ));
        }
        if self.ttl.is_some_and(|t| t < Duration::from_millis(100)) {
            return Err(Error::invalid("ttl", "must be at least 100ms"));
        }
        if self.max_value_size.is_some_and(|n| n < 1) {
            return Err(Error::invalid("max_value_size", "must be at least 1"));
        }
        if self.max_bytes.is_some_and(|n| n < 1) {
            return Err(Error::invalid("max_bytes", "must be at least 1"));
        }
        if self.replicas == 0 || self.replicas > 5 {
            return Err(Error::invalid("replicas", "must be 1 to 5"));
        }
        if self
            .limit_marker_ttl
            .is_some_and(|t| t < Duration::from_secs(1))
        {
            return Err(Error::invalid("limit_marker_ttl", "must be at least 1s"));
        }
        if self.mirror.is_some() && !self.sources.is_empty() {
            return Err(Error::invalid(
                "mirror",
                "a bucket has either a mirror or sources, not both",
            ));
        }
        for source in self.mirror.iter().chain(&self.sources) {
            validate_bucket(origin_bucket(source))?;
        }
        Ok(())
    }

    /// The stream config JetStream gets, as the official clients make it.
    pub(crate) fn stream_config(&self) -> Value {
        let nanos = |d: Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        let ttl = self.ttl.map_or(0, nanos);
        // The duplicate window never exceeds the TTL (2 minutes at most).
        let window = self.ttl.map_or(Duration::from_secs(120), |t| {
            t.min(Duration::from_secs(120))
        });
        let mut config = json!({
            "name": stream_name(&self.bucket),
            "description": self.description,
            "subjects": [format!("$KV.{}.>", self.bucket)],
            "retention": "limits",
            "max_msgs_per_subject": i64::from(self.history),
            "max_msgs": -1,
            "max_bytes": self.max_bytes.unwrap_or(-1),
            "max_age": ttl,
            "max_msg_size": self.max_value_size.unwrap_or(-1),
            "storage": crate::names::Named::name(&self.storage),
            "num_replicas": self.replicas,
            "discard": "new",
            "duplicate_window": nanos(window),
            "allow_rollup_hdrs": true,
            "deny_delete": true,
            "deny_purge": false,
            "allow_direct": true,
        });
        let Some(stream) = config.as_object_mut() else {
            return config;
        };
        if self.compression {
            stream.insert("compression".into(), json!("s2"));
        }
        if let Some(p) = &self.placement {
            stream.insert("placement".into(), json!(p));
        }
        if let Some(r) = &self.republish {
            stream.insert("republish".into(), json!(r));
        }
        if !self.metadata.is_empty() {
            stream.insert("metadata".into(), json!(self.metadata));
        }
        if let Some(t) = self.limit_marker_ttl {
            stream.insert("allow_msg_ttl".into(), json!(true));
            stream.insert("subject_delete_marker_ttl".into(), json!(nanos(t)));
        }
        if let Some(m) = &self.mirror {
            stream.remove("subjects");
            let mirror = to_stream_source(m, &self.bucket, false);
            // `mirror_direct` as the official clients set it (the server
            // sets it anyway for a mirror of a stream with direct gets): the
            // mirror also answers the origin's direct gets, so a read from
            // the origin may briefly lag a write while a mirror catches up.
            stream.insert("mirror".into(), json!(mirror));
            stream.insert("mirror_direct".into(), json!(true));
        }
        if !self.sources.is_empty() {
            let sources: Vec<StreamSource> = self
                .sources
                .iter()
                .map(|s| to_stream_source(s, &self.bucket, true))
                .collect();
            stream.insert("sources".into(), json!(sources));
        }
        config
    }

    /// The bucket whose subjects its entries carry: a mirror's origin, or
    /// the bucket itself.
    pub(crate) fn subjects_of(&self) -> String {
        self.mirror
            .as_ref()
            .map_or(self.bucket.clone(), |m| origin_bucket(m).to_string())
    }

    /// The configuration a bucket's stream holds (as the server reports it).
    pub(crate) fn from_stream(bucket: &str, s: &StreamConfig) -> KvConfig {
        let positive = |n: i64| (n > 0).then_some(n);
        KvConfig {
            bucket: bucket.to_string(),
            description: s.description.clone(),
            history: u8::try_from(s.max_msgs_per_subject.max(1)).unwrap_or(MAX_HISTORY),
            ttl: (!s.max_age.is_zero()).then_some(s.max_age),
            max_value_size: (s.max_msg_size > 0).then_some(s.max_msg_size),
            max_bytes: positive(s.max_bytes),
            storage: s.storage,
            replicas: s.replicas,
            compression: s.compression == Some(Compression::S2),
            placement: s.placement.clone(),
            republish: s.republish.clone(),
            metadata: user_metadata(s),
            limit_marker_ttl: s.subject_delete_marker_ttl.filter(|t| !t.is_zero()),
            mirror: s.mirror.as_ref().map(|m| from_stream_source(m, bucket)),
            sources: s
                .sources
                .iter()
                .map(|m| from_stream_source(m, bucket))
                .collect(),
        }
    }

    /// The server features the configuration needs.
    pub(crate) fn features(&self) -> Vec<(&'static str, crate::server_version::Version)> {
        let mut needs = Vec::new();
        if self.limit_marker_ttl.is_some() {
            needs.push(("a key-value limit_marker_ttl", crate::server_version::V2_11));
        }
        needs
    }
}
