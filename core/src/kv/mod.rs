//! Key-value buckets on JetStream, compatible with the official clients'
//! buckets (stream `KV_<bucket>`, subjects `$KV.<bucket>.<key>`, the
//! `KV-Operation` header for deletes and purges).
//!
//! - A revision is the stream sequence of the entry's message.
//! - `create` and `update` are compare-and-set on the key's last revision; a
//!   conflict is `WRONG_LAST_SEQUENCE`. Like every JetBridge publish they
//!   carry a msg id, so a retry after a lost ack never writes twice.
//! - `get` of a key never written and of a deleted key are both `NOT_FOUND`;
//!   `entry` tells them apart (`None` versus a `Delete`/`Purge` entry).

mod config;
mod key_list;
mod keys;
mod status;
mod watch;

use std::time::Duration;

use bytes::Bytes;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::message_get::StoredMessage;
use crate::publish::{Expectations, PublishMessage};

pub use config::KvConfig;
pub(crate) use config::user_metadata;
pub use key_list::KvKeys;
pub(crate) use keys::validate_bucket;
use keys::validate_key;
pub use status::KvStatus;
pub use watch::{KvWatchEvent, KvWatchOptions, KvWatcher};

/// The watch filter that matches every key: what bindings pass when the
/// caller gives none.
pub const WATCH_ALL: &str = ">";

/// The header that marks deletes and purges.
const OPERATION_HEADER: &str = "KV-Operation";

/// The header of the markers the server writes itself (server 2.11+).
const MARKER_REASON_HEADER: &str = "Nats-Marker-Reason";

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KvOperation {
    /// A value was written.
    Put,
    /// The key was deleted (history kept).
    Delete,
    /// The key was purged (history removed).
    Purge,
}

crate::names::named!(KvOperation, "kv operation", { Put => "put", Delete => "delete", Purge => "purge" });

/// One revision of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvEntry {
    /// The bucket.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The value (empty for deletes and purges).
    pub value: Bytes,
    /// The revision: the stream sequence of this entry.
    pub revision: u64,
    /// When it was written, Unix nanoseconds.
    pub created: i64,
    /// Put, delete or purge.
    pub operation: KvOperation,
}

/// A bucket handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct KeyValue {
    client: Client,
    bucket: String,
    /// The bucket whose subjects its entries carry: a mirror's origin, or
    /// the bucket itself.
    subjects_of: String,
}

impl KeyValue {
    /// The bucket's name.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    fn stream(&self) -> String {
        config::stream_name(&self.bucket)
    }

    fn subject(&self, key: &str) -> String {
        format!("$KV.{}.{key}", self.subjects_of)
    }

    /// The latest entry of `key`, deletes and purges included; `None` when
    /// the key was never written (or its history was purged away).
    pub async fn entry(&self, key: &str) -> Result<Option<KvEntry>> {
        validate_key(key)?;
        match self
            .client
            .get_last_message(&self.stream(), &self.subject(key))
            .await
        {
            Ok(m) => Ok(Some(self.decode(m)?)),
            Err(e) if e.kind() == ErrorKind::NotFound && e.api_code() == Some(10037) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The current value of `key`: `NOT_FOUND` naming the key when it was
    /// never written, or was deleted or purged (the message says which).
    pub async fn get(&self, key: &str) -> Result<KvEntry> {
        match self.entry(key).await? {
            Some(e) if e.operation == KvOperation::Put => Ok(e),
            Some(e) => Err(Error::new(
                ErrorKind::NotFound,
                format!("key {key:?} was deleted at revision {}", e.revision),
            )),
            None => Err(Error::new(
                ErrorKind::NotFound,
                format!("key {key:?} not found"),
            )),
        }
    }

    /// `key` as of `revision`: `NOT_FOUND` when that revision is not this key's.
    pub async fn get_revision(&self, key: &str, revision: u64) -> Result<KvEntry> {
        validate_key(key)?;
        let not_found = || {
            Error::new(
                ErrorKind::NotFound,
                format!("key {key:?} has no revision {revision}"),
            )
        };
        let m = match self.client.get_message(&self.stream(), revision).await {
            Ok(m) => m,
            Err(e) if e.kind() == ErrorKind::NotFound => return Err(not_found()),
            Err(e) => return Err(e),
        };
        if m.subject != self.subject(key) {
            return Err(not_found());
        }
        self.decode(m)
    }

    /// Writes `value`; returns the new revision.
    pub async fn put(&self, key: &str, value: impl Into<Bytes>) -> Result<u64> {
        self.write(key, value.into(), None, Expectations::default(), None)
            .await
    }

    /// Writes `value` only if `key` has no value (never written, deleted or
    /// purged); `WRONG_LAST_SEQUENCE` when it has one.
    pub async fn create(&self, key: &str, value: impl Into<Bytes>) -> Result<u64> {
        self.create_expiring(key, value.into(), None).await
    }

    async fn create_expiring(&self, key: &str, value: Bytes, ttl: Option<Duration>) -> Result<u64> {
        let first = Expectations {
            last_subject_sequence: Some(0),
            ..Expectations::default()
        };
        match self.write(key, value.clone(), None, first, ttl).await {
            Err(e) if e.kind() == ErrorKind::WrongLastSequence => {
                // Over a delete or purge marker, create is an update of it.
                match self.entry(key).await? {
                    Some(last) if last.operation != KvOperation::Put => {
                        let cas = Expectations {
                            last_subject_sequence: Some(last.revision),
                            ..Expectations::default()
                        };
                        self.write(key, value, None, cas, ttl).await
                    }
                    _ => Err(Error::new(
                        ErrorKind::WrongLastSequence,
                        format!("key {key:?} already exists"),
                    )),
                }
            }
            other => other,
        }
    }

    /// [`KeyValue::create`] of a key that lives `ttl` (whole seconds, at
    /// least 1 s): then the server removes it. The bucket needs
    /// `limit_marker_ttl` (server 2.11+).
    pub async fn create_with_ttl(
        &self,
        key: &str,
        value: impl Into<Bytes>,
        ttl: Duration,
    ) -> Result<u64> {
        self.create_expiring(key, value.into(), Some(ttl)).await
    }

    /// Writes `value` only if `key`'s latest revision is `revision`;
    /// `WRONG_LAST_SEQUENCE` otherwise.
    pub async fn update(&self, key: &str, value: impl Into<Bytes>, revision: u64) -> Result<u64> {
        let cas = Expectations {
            last_subject_sequence: Some(revision),
            ..Expectations::default()
        };
        self.write(key, value.into(), None, cas, None).await
    }

    /// Deletes `key` (its history stays); with `revision`, only if that is
    /// its latest. Returns the delete marker's revision.
    pub async fn delete(&self, key: &str, revision: Option<u64>) -> Result<u64> {
        let cas = Expectations {
            last_subject_sequence: revision,
            ..Expectations::default()
        };
        self.write(key, Bytes::new(), Some(KvOperation::Delete), cas, None)
            .await
    }

    /// Purges `key`: removes its history, leaving one purge marker; with
    /// `revision`, only if that is its latest.
    pub async fn purge(&self, key: &str, revision: Option<u64>) -> Result<u64> {
        let cas = Expectations {
            last_subject_sequence: revision,
            ..Expectations::default()
        };
        self.write(key, Bytes::new(), Some(KvOperation::Purge), cas, None)
            .await
    }

    /// Every revision of `key` still kept, oldest first (deletes included);
    /// `NOT_FOUND` when there is none.
    pub async fn history(&self, key: &str) -> Result<Vec<KvEntry>> {
        validate_key(key)?;
        let options = KvWatchOptions {
            include_history: true,
            ..KvWatchOptions::default()
        };
        let entries = self.watch(key, options).await?.initial().await?;
        if entries.is_empty() {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("key {key:?} not found"),
            ));
        }
        Ok(entries)
    }

    /// The keys that have a value now (deleted and purged keys left out).
    pub async fn keys(&self) -> Result<Vec<String>> {
        self.keys_matching(WATCH_ALL).await
    }

    /// The keys matching `filter` (`*` for one token, a final `>` for the
    /// rest) that have a value now; `TIMEOUT` when they do not arrive
    /// within 30 s (for large buckets, [`KeyValue::list_keys`] streams them).
    pub async fn keys_matching(&self, filter: &str) -> Result<Vec<String>> {
        let keys = self.list_keys(filter).await?;
        let mut out = Vec::new();
        let collect = async {
            while let Some(key) = keys.next().await? {
                out.push(key);
            }
            Ok::<(), Error>(())
        };
        tokio::time::timeout(INITIAL_TIMEOUT, collect)
            .await
            .map_err(|_| {
                Error::new(
                    ErrorKind::Timeout,
                    "the bucket's keys did not arrive within 30 s",
                )
            })??;
        Ok(out)
    }

    async fn write(
        &self,
        key: &str,
        value: Bytes,
        operation: Option<KvOperation>,
        expect: Expectations,
        ttl: Option<Duration>,
    ) -> Result<u64> {
        validate_key(key)?;
        let mut msg = PublishMessage::new(self.subject(key), value);
        msg.expect = expect;
        msg.ttl = ttl;
        match operation {
            Some(KvOperation::Delete) => msg.headers.push((OPERATION_HEADER.into(), "DEL".into())),
            Some(KvOperation::Purge) => {
                msg.headers.push((OPERATION_HEADER.into(), "PURGE".into()));
                msg.headers.push(("Nats-Rollup".into(), "sub".into()));
            }
            _ => {}
        }
        Ok(self.client.publish(msg).await?.sequence)
    }

    fn decode(&self, m: StoredMessage) -> Result<KvEntry> {
        KvEntry::from_parts(
            &self.bucket,
            &self.subjects_of,
            &m.subject,
            &m.headers,
            m.payload,
            m.sequence,
            m.timestamp,
        )
    }
}

impl KvEntry {
    /// The entry a message on `subject` of `bucket`'s stream records; its
    /// subjects are those of `subjects_of` (a mirror's origin).
    pub(crate) fn from_parts(
        bucket: &str,
        subjects_of: &str,
        subject: &str,
        headers: &[(String, String)],
        value: Bytes,
        revision: u64,
        created: i64,
    ) -> Result<KvEntry> {
        let key = subject
            .strip_prefix("$KV.")
            .and_then(|s| s.strip_prefix(subjects_of))
            .and_then(|s| s.strip_prefix('.'))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Internal,
                    format!("{subject:?} is not a key of bucket {bucket:?}"),
                )
            })?;
        Ok(KvEntry {
            bucket: bucket.to_string(),
            key: key.to_string(),
            operation: operation_of(headers),
            value,
            revision,
            created,
        })
    }
}

/// The operation an entry's headers record: `KV-Operation`, or the marker
/// the server leaves when it removes a key (`Nats-Marker-Reason`: `MaxAge`
/// and `Purge` are purges, `Remove` a delete), as the official clients read
/// them.
fn operation_of(headers: &[(String, String)]) -> KvOperation {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    match (header(OPERATION_HEADER), header(MARKER_REASON_HEADER)) {
        (Some("DEL"), _) | (None, Some("Remove")) => KvOperation::Delete,
        (Some("PURGE"), _) | (None, Some("MaxAge" | "Purge")) => KvOperation::Purge,
        _ => KvOperation::Put,
    }
}

impl Client {
    /// Creates a bucket (`ALREADY_EXISTS` when it exists with another
    /// configuration; the same configuration returns it).
    pub async fn create_key_value(&self, config: KvConfig) -> Result<KeyValue> {
        config.validate()?;
        self.inner.require_features(&config.features())?;
        self.create_raw_stream(&config::stream_name(&config.bucket), config.stream_config())
            .await?;
        Ok(KeyValue {
            client: self.clone(),
            subjects_of: config.subjects_of(),
            bucket: config.bucket,
        })
    }

    /// Creates a bucket, or updates the one that exists to `config` (what
    /// the server cannot change, such as the storage, is its error).
    pub async fn create_or_update_key_value(&self, config: KvConfig) -> Result<KeyValue> {
        config.validate()?;
        self.inner.require_features(&config.features())?;
        self.create_or_update_raw_stream(
            &config::stream_name(&config.bucket),
            config.stream_config(),
        )
        .await?;
        Ok(KeyValue {
            client: self.clone(),
            subjects_of: config.subjects_of(),
            bucket: config.bucket,
        })
    }

    /// A handle to an existing bucket (`NOT_FOUND` if there is none).
    pub async fn key_value(&self, bucket: &str) -> Result<KeyValue> {
        validate_bucket(bucket)?;
        let info = self
            .bucket_stream(&config::stream_name(bucket), &format!("bucket {bucket:?}"))
            .await?;
        let subjects_of = info
            .config
            .mirror
            .as_ref()
            .map_or(bucket, config::origin_bucket);
        Ok(KeyValue {
            client: self.clone(),
            bucket: bucket.to_string(),
            subjects_of: subjects_of.to_string(),
        })
    }

    /// Deletes a bucket and every key in it.
    pub async fn delete_key_value(&self, bucket: &str) -> Result<()> {
        validate_bucket(bucket)?;
        self.delete_stream(&config::stream_name(bucket)).await
    }
}

/// How long the initial values of a watch may take to arrive.
pub(crate) const INITIAL_TIMEOUT: Duration = Duration::from_secs(30);
