//! Stream administration: create, update, info, delete, purge, get message.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::api::wire::{nanos, opt_nanos, rfc3339_nanos};
use crate::client::{Client, ClientInner};
use crate::config_overlay;
use crate::error::{Error, Result};
use crate::runtime;
use crate::server_version::{V2_11, V2_12, V2_14, Version};
use crate::stream_nested::{ConsumerLimits, Placement, Republish, StreamSource, SubjectTransform};
use crate::validate;

/// Where a stream keeps its messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageType {
    /// On disk (default).
    #[default]
    File,
    /// In memory.
    Memory,
}

/// When a stream removes messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RetentionPolicy {
    /// Keep until a limit (count, bytes, age) is hit (default).
    #[default]
    Limits,
    /// Keep while a consumer still has to see the message.
    Interest,
    /// Remove once acknowledged by a consumer.
    #[serde(rename = "workqueue")]
    WorkQueue,
}

/// What a full stream does with a new message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiscardPolicy {
    /// Drop the oldest messages (default).
    #[default]
    Old,
    /// Reject the new message (`LIMIT_EXCEEDED`).
    New,
}

/// How a stream compresses what it stores (server 2.10+).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Not compressed (default).
    #[default]
    None,
    /// S2 compression (file storage).
    S2,
}

crate::names::named!(Compression, "compression", { None => "none", S2 => "s2" });
crate::names::named!(StorageType, "storage", { File => "file", Memory => "memory" });
crate::names::named!(RetentionPolicy, "retention", {
    Limits => "limits",
    Interest => "interest",
    WorkQueue => "workqueue",
});
crate::names::named!(DiscardPolicy, "discard", { Old => "old", New => "new" });

crate::record::record! {
    /// A stream's configuration. Limits of `-1` mean unlimited; a zero
    /// `max_age` means forever; a zero `duplicate_window` means the server
    /// default (2 minutes). An optional field left unset takes the server's
    /// default on create and keeps the stream's current value on update.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct StreamConfig {
        /// Stream name: one token, no `.`, `*`, `>` or whitespace.
        pub name: String,
        /// Subjects the stream captures (wildcards allowed).
        #[serde(default)]
        pub subjects: Vec<String>,
        /// Retention policy.
        #[serde(default)]
        pub retention: RetentionPolicy,
        /// Storage type.
        #[serde(default)]
        pub storage: StorageType,
        /// Number of replicas (1, 3 or 5).
        #[serde(rename = "num_replicas", default = "one")]
        pub replicas: usize,
        /// Most messages kept.
        #[serde(default = "unlimited")]
        pub max_msgs: i64,
        /// Most bytes kept.
        #[serde(default = "unlimited")]
        pub max_bytes: i64,
        /// Oldest message age kept.
        #[serde(with = "nanos", default)]
        pub max_age: Duration,
        /// Largest message accepted, in bytes.
        #[serde(rename = "max_msg_size", default = "unlimited32")]
        pub max_msg_size: i32,
        /// Most messages kept per subject.
        #[serde(default = "unlimited")]
        pub max_msgs_per_subject: i64,
        /// What happens when the stream is full.
        #[serde(default)]
        pub discard: DiscardPolicy,
        /// How long message ids are remembered for deduplication.
        #[serde(with = "nanos", default)]
        pub duplicate_window: Duration,
        /// Free text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// Most consumers the stream may have.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub max_consumers: Option<i64>,
        /// Store messages without sending a publish ack.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub no_ack: Option<bool>,
        /// How stored messages are compressed.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub compression: Option<Compression>,
        /// With discard `new`: apply `max_msgs_per_subject` by refusing the
        /// new message rather than dropping the oldest.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub discard_new_per_subject: Option<bool>,
        /// The sequence of the first message stored.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub first_seq: Option<u64>,
        /// Messages can no longer be deleted (cannot be undone).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub deny_delete: Option<bool>,
        /// The stream can no longer be purged (cannot be undone).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub deny_purge: Option<bool>,
        /// A `Nats-Rollup` header may purge the subject or the stream.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_rollup_hdrs: Option<bool>,
        /// Any replica answers direct gets, not only the leader.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_direct: Option<bool>,
        /// A mirror of this stream answers direct gets for it.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub mirror_direct: Option<bool>,
        /// No message can be added or removed any more (cannot be undone;
        /// set it with an update).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub sealed: Option<bool>,
        /// A message may carry its own time to live (`Nats-TTL`; server
        /// 2.11+).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_msg_ttl: Option<bool>,
        /// Leave a delete marker, kept this long, when a subject's last
        /// message is removed by age (server 2.11+).
        #[serde(with = "opt_nanos", default, skip_serializing_if = "Option::is_none")]
        pub subject_delete_marker_ttl: Option<Duration>,
        /// Atomic batch publishes are accepted (server 2.12+).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_atomic: Option<bool>,
        /// Messages are counters (`Nats-Incr`; server 2.12+).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_msg_counter: Option<bool>,
        /// Messages may be scheduled (server 2.12+).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_msg_schedules: Option<bool>,
        /// Free-form text keys and values.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub metadata: Option<BTreeMap<String, String>>,
        /// Where its replicas are placed.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub placement: Option<Placement>,
        /// The stream it mirrors (a mirror has no subjects of its own).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub mirror: Option<StreamSource>,
        /// Streams it copies messages from (unset: keeps the stream's on
        /// update).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub sources: Vec<StreamSource>,
        /// Subjects rewritten as they are stored.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub subject_transform: Option<SubjectTransform>,
        /// Stored messages are also published elsewhere.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub republish: Option<Republish>,
        /// Limits its consumers get unless they set their own.
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub consumer_limits: Option<ConsumerLimits>,
        /// Fast-ingest batch publishes are accepted (server 2.14+; a
        /// publisher made with `fast_ingest` uses them).
        #[serde(
            default,
            deserialize_with = "unset_at_default",
            skip_serializing_if = "Option::is_none"
        )]
        pub allow_batched: Option<bool>,
    }
}

/// An optional option as the server reports it: its default value (`false`,
/// `0`, `none`, empty) reads as unset, so that every language (C, whose
/// zero is "unset", included) reads the same info, and an update sending the
/// info back leaves the server's choice alone.
fn unset_at_default<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default + PartialEq,
{
    Ok(Option::<T>::deserialize(d)?.filter(|v| *v != T::default()))
}

fn one() -> usize {
    1
}
fn unlimited() -> i64 {
    -1
}
fn unlimited32() -> i32 {
    -1
}

impl StreamConfig {
    /// A file-storage, limits-retention stream capturing `subjects`.
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        subjects: impl IntoIterator<Item = S>,
    ) -> StreamConfig {
        StreamConfig {
            name: name.into(),
            subjects: subjects.into_iter().map(Into::into).collect(),
            ..StreamConfig::default()
        }
    }

    /// The options set here that need a newer server than 2.10, with the
    /// version each needs (checked against the connected server).
    pub(crate) fn server_features(&self) -> Vec<(&'static str, Version)> {
        let on = |o: Option<bool>| o == Some(true);
        [
            (on(self.allow_msg_ttl), "allow_msg_ttl", V2_11),
            (
                self.subject_delete_marker_ttl.is_some(),
                "subject_delete_marker_ttl",
                V2_11,
            ),
            (on(self.allow_atomic), "allow_atomic", V2_12),
            (on(self.allow_batched), "allow_batched", V2_14),
            (on(self.allow_msg_counter), "allow_msg_counter", V2_12),
            (on(self.allow_msg_schedules), "allow_msg_schedules", V2_12),
        ]
        .into_iter()
        .filter_map(|(set, field, needs)| set.then_some((field, needs)))
        .collect()
    }

    /// Checks the configuration before it is sent.
    pub fn validate(&self) -> Result<()> {
        validate::token("stream name", &self.name)?;
        for s in &self.subjects {
            validate::subject("stream subject", s)?;
        }
        if !matches!(self.replicas, 1..=5) {
            return Err(Error::invalid("replicas", "must be between 1 and 5"));
        }
        if !self.duplicate_window.is_zero() && self.duplicate_window < Duration::from_millis(100) {
            return Err(Error::invalid(
                "duplicate_window",
                "must be at least 100ms (or 0 for the default)",
            ));
        }
        Ok(())
    }
}

impl Default for StreamConfig {
    fn default() -> StreamConfig {
        StreamConfig {
            name: String::new(),
            subjects: Vec::new(),
            retention: RetentionPolicy::Limits,
            storage: StorageType::File,
            replicas: 1,
            max_msgs: -1,
            max_bytes: -1,
            max_age: Duration::ZERO,
            max_msg_size: -1,
            max_msgs_per_subject: -1,
            discard: DiscardPolicy::Old,
            duplicate_window: Duration::ZERO,
            description: None,
            max_consumers: None,
            no_ack: None,
            compression: None,
            discard_new_per_subject: None,
            first_seq: None,
            deny_delete: None,
            deny_purge: None,
            allow_rollup_hdrs: None,
            allow_direct: None,
            mirror_direct: None,
            sealed: None,
            allow_msg_ttl: None,
            subject_delete_marker_ttl: None,
            allow_atomic: None,
            allow_msg_counter: None,
            allow_msg_schedules: None,
            metadata: None,
            placement: None,
            mirror: None,
            sources: Vec::new(),
            subject_transform: None,
            republish: None,
            consumer_limits: None,
            allow_batched: None,
        }
    }
}

/// A stream's current contents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamState {
    /// Messages stored.
    #[serde(default)]
    pub messages: u64,
    /// Bytes stored.
    #[serde(default)]
    pub bytes: u64,
    /// Sequence of the first stored message.
    #[serde(rename = "first_seq", default)]
    pub first_sequence: u64,
    /// Sequence of the last stored message.
    #[serde(rename = "last_seq", default)]
    pub last_sequence: u64,
    /// Number of consumers.
    #[serde(rename = "consumer_count", default)]
    pub consumers: u64,
}

/// Where a replicated stream or consumer runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterInfo {
    /// Name of the leader server, if any.
    #[serde(default)]
    pub leader: Option<String>,
}

/// A stream's configuration and state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamInfo {
    /// The configuration as the server holds it (defaults filled in).
    pub config: StreamConfig,
    /// The current state.
    pub state: StreamState,
    /// Creation time, Unix nanoseconds.
    #[serde(with = "rfc3339_nanos", default)]
    pub created: i64,
    /// Cluster placement, for replicated streams.
    #[serde(default)]
    pub cluster: Option<ClusterInfo>,
}

crate::record::record! {
    /// Which messages a purge removes. Left empty, it removes everything.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
    pub struct PurgeOptions {
        /// Only messages on this subject.
        #[serde(rename = "filter", skip_serializing_if = "Option::is_none")]
        pub subject: Option<String>,
        /// Remove messages below this sequence.
        #[serde(rename = "seq", skip_serializing_if = "Option::is_none")]
        pub up_to_sequence: Option<u64>,
        /// Keep this many newest messages.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub keep: Option<u64>,
    }
}

/// The `{"success": bool}` answer of the JetStream delete APIs.
#[derive(Deserialize)]
pub(crate) struct Success {
    #[serde(default)]
    pub(crate) success: bool,
}

#[derive(Deserialize)]
struct PurgeReply {
    #[serde(default)]
    purged: u64,
}

#[derive(Deserialize)]
struct StreamNames {
    #[serde(default)]
    streams: Option<Vec<String>>,
}

impl Client {
    /// Creates a stream. Creating it again with the same configuration returns
    /// its info; a different configuration is `ALREADY_EXISTS`.
    pub async fn create_stream(&self, config: StreamConfig) -> Result<StreamInfo> {
        config.validate()?;
        let inner = self.inner.clone();
        runtime::run(async move {
            inner.require_features(&config.server_features())?;
            let info: StreamInfo = inner
                .api_request(&format!("STREAM.CREATE.{}", config.name), &config)
                .await?;
            inner.windows.remember_stream(&info);
            Ok(info)
        })
        .await
    }

    /// Updates a stream's configuration (`NOT_FOUND` if it does not exist).
    ///
    /// Every field of `config` is sent as given (`description: None` keeps the
    /// server's). Every setting the server holds that [`StreamConfig`] does not
    /// model (sources, mirror, republish, subject transform, placement,
    /// compression, metadata, …) is read from the server first and sent back
    /// unchanged: an update never removes a setting it does not name. (The read
    /// and the update are two requests; a change made by another client in
    /// between is overwritten, as with any read-modify-write.)
    pub async fn update_stream(&self, config: StreamConfig) -> Result<StreamInfo> {
        config.validate()?;
        let inner = self.inner.clone();
        runtime::run(async move {
            inner.require_features(&config.server_features())?;
            let current: config_overlay::RawInfo = inner
                .api_request(&format!("STREAM.INFO.{}", config.name), "")
                .await?;
            let body = config_overlay::overlay(current.config, &config)?;
            let info: StreamInfo = inner
                .api_request(&format!("STREAM.UPDATE.{}", config.name), &body)
                .await?;
            inner.windows.remember_stream(&info);
            Ok(info)
        })
        .await
    }

    /// Creates a stream from JetStream's own JSON config (for the buckets,
    /// whose settings `StreamConfig` does not model); the same config again
    /// returns it, another is `ALREADY_EXISTS`.
    pub(crate) async fn create_raw_stream(
        &self,
        name: &str,
        config: serde_json::Value,
    ) -> Result<()> {
        let (inner, subject) = (self.inner.clone(), format!("STREAM.CREATE.{name}"));
        runtime::run(async move {
            let _: serde_json::Value = inner.api_request(&subject, &config).await?;
            Ok(())
        })
        .await
    }

    /// Updates stream `name` to `config` (JetStream's JSON), creating it
    /// when it does not exist.
    pub(crate) async fn create_or_update_raw_stream(
        &self,
        name: &str,
        config: serde_json::Value,
    ) -> Result<()> {
        let (inner, name) = (self.inner.clone(), name.to_string());
        runtime::run(async move {
            let update = format!("STREAM.UPDATE.{name}");
            let updated: Result<serde_json::Value> = inner.api_request(&update, &config).await;
            match updated {
                // 10059: stream not found.
                Err(e) if e.api_code() == Some(10059) => {
                    let create = format!("STREAM.CREATE.{name}");
                    let _: serde_json::Value = inner.api_request(&create, &config).await?;
                    Ok(())
                }
                other => other.map(|_| ()),
            }
        })
        .await
    }

    /// The info of the stream behind a bucket or store: `NOT_FOUND` naming
    /// `what` (e.g. `bucket "cfg"`), with the server's code, when it does
    /// not exist.
    pub(crate) async fn bucket_stream(&self, name: &str, what: &str) -> Result<StreamInfo> {
        match self.stream_info(name).await {
            Err(e) if e.kind() == crate::ErrorKind::NotFound => {
                let missing = Error::new(crate::ErrorKind::NotFound, format!("{what} not found"));
                Err(match e.api_code() {
                    Some(code) => missing.with_api_code(code),
                    None => missing,
                })
            }
            other => other,
        }
    }

    /// The names of the buckets or stores whose streams are called
    /// `<prefix><name>` and capture `subjects`, sorted.
    pub(crate) async fn bucket_names(&self, subjects: &str, prefix: &str) -> Result<Vec<String>> {
        let streams = self.list_streams(Some(subjects)).await?;
        let mut names: Vec<String> = streams
            .iter()
            .filter_map(|s| s.config.name.strip_prefix(prefix))
            .map(str::to_string)
            .collect();
        names.sort();
        Ok(names)
    }

    /// A stream's configuration and state.
    pub async fn stream_info(&self, name: &str) -> Result<StreamInfo> {
        validate::token("stream name", name)?;
        let (inner, name) = (self.inner.clone(), name.to_string());
        runtime::run(async move { inner.stream_info(&name).await }).await
    }

    /// Deletes a stream and all its messages and consumers.
    pub async fn delete_stream(&self, name: &str) -> Result<()> {
        validate::token("stream name", name)?;
        let (inner, name) = (self.inner.clone(), name.to_string());
        runtime::run(async move {
            let reply: Success = inner
                .api_request(&format!("STREAM.DELETE.{name}"), "")
                .await?;
            inner.windows.forget_stream(&name);
            if reply.success {
                Ok(())
            } else {
                Err(Error::new(
                    crate::ErrorKind::Server,
                    format!("the server did not confirm deleting stream {name:?}"),
                ))
            }
        })
        .await
    }

    /// Removes messages; returns how many were removed.
    pub async fn purge_stream(&self, name: &str, options: PurgeOptions) -> Result<u64> {
        validate::token("stream name", name)?;
        if let Some(s) = &options.subject {
            validate::subject("purge subject", s)?;
        }
        if options.keep.is_some() && options.up_to_sequence.is_some() {
            return Err(Error::invalid(
                "purge options",
                "keep and up_to_sequence are exclusive",
            ));
        }
        let (inner, name) = (self.inner.clone(), name.to_string());
        runtime::run(async move {
            let reply: PurgeReply = inner
                .api_request(&format!("STREAM.PURGE.{name}"), &options)
                .await?;
            Ok(reply.purged)
        })
        .await
    }

    /// The name of the stream that captures `subject` (`NOT_FOUND` if none).
    pub async fn stream_by_subject(&self, subject: &str) -> Result<String> {
        validate::subject("subject", subject)?;
        let (inner, subject) = (self.inner.clone(), subject.to_string());
        runtime::run(async move { inner.stream_by_subject(&subject).await }).await
    }
}

impl ClientInner {
    pub(crate) async fn stream_info(&self, name: &str) -> Result<StreamInfo> {
        let info: StreamInfo = self.api_request(&format!("STREAM.INFO.{name}"), "").await?;
        self.windows.remember_stream(&info);
        Ok(info)
    }

    pub(crate) async fn stream_by_subject(&self, subject: &str) -> Result<String> {
        let body = serde_json::json!({ "subject": subject });
        let names: StreamNames = self.api_request("STREAM.NAMES", &body).await?;
        names
            .streams
            .and_then(|v| v.into_iter().next())
            .ok_or_else(|| {
                Error::new(
                    crate::ErrorKind::NotFound,
                    format!("no stream captures subject {subject:?}"),
                )
            })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn options_the_server_reports_at_their_default_read_as_unset() {
        let c: StreamConfig = serde_json::from_str(
            r#"{"name":"S","allow_direct":false,"compression":"none","first_seq":0,
                "sealed":true,"max_consumers":-1,"metadata":{}}"#,
        )
        .unwrap();
        assert_eq!(c.allow_direct, None);
        assert_eq!(c.compression, None);
        assert_eq!(c.first_seq, None);
        assert_eq!(c.metadata, None);
        assert_eq!(c.sealed, Some(true));
        assert_eq!(c.max_consumers, Some(-1));
        let s2: StreamConfig = serde_json::from_str(r#"{"name":"S","compression":"s2"}"#).unwrap();
        assert_eq!(s2.compression, Some(Compression::S2));
    }
}
