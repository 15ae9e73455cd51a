//! What a bucket holds and how it is configured, and the buckets of the
//! account.

use crate::client::Client;
use crate::error::Result;

use super::KeyValue;
use super::config::{self, KvConfig};
use super::keys::validate_bucket;

/// The prefix of a bucket's stream name.
const STREAM_PREFIX: &str = "KV_";

crate::record::record! {
    /// A bucket's configuration (as the server holds it) and what it stores.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct KvStatus {
        /// The bucket's name.
        pub bucket: String,
        /// Its configuration.
        pub config: KvConfig,
        /// Entries stored: every kept revision, delete and purge markers included.
        pub values: u64,
        /// Bytes stored.
        pub bytes: u64,
    }
}

impl Client {
    /// A bucket's configuration and contents (`NOT_FOUND` if there is none).
    pub async fn key_value_status(&self, bucket: &str) -> Result<KvStatus> {
        validate_bucket(bucket)?;
        let info = self
            .bucket_stream(&config::stream_name(bucket), &format!("bucket {bucket:?}"))
            .await?;
        Ok(KvStatus {
            bucket: bucket.to_string(),
            config: KvConfig::from_stream(bucket, &info.config),
            values: info.state.messages,
            bytes: info.state.bytes,
        })
    }

    /// The names of the account's buckets, sorted.
    pub async fn key_value_names(&self) -> Result<Vec<String>> {
        self.bucket_names("$KV.*.>", STREAM_PREFIX).await
    }
}

impl KeyValue {
    /// This bucket's configuration and contents.
    pub async fn status(&self) -> Result<KvStatus> {
        self.client.key_value_status(&self.bucket).await
    }
}
