//! What an object store holds and how it is configured; sealing it; the
//! stores of the account.

use crate::client::Client;
use crate::error::Result;

use super::ObjectStore;
use super::config::{ObjectStoreConfig, stream_name};

/// The prefix of a store's stream name.
const STREAM_PREFIX: &str = "OBJ_";

crate::record::record! {
    /// An object store's configuration (as the server holds it) and what it
    /// stores.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct ObjectStoreStatus {
        /// The store's name.
        pub bucket: String,
        /// Its configuration.
        pub config: ObjectStoreConfig,
        /// Sealed: nothing can be written or deleted any more.
        pub sealed: bool,
        /// Bytes stored (chunks and infos).
        pub bytes: u64,
    }
}

impl Client {
    /// A store's configuration and contents (`NOT_FOUND` if there is none).
    pub async fn object_store_status(&self, bucket: &str) -> Result<ObjectStoreStatus> {
        crate::kv::validate_bucket(bucket)?;
        let what = format!("object store {bucket:?}");
        let info = self.bucket_stream(&stream_name(bucket), &what).await?;
        Ok(ObjectStoreStatus {
            bucket: bucket.to_string(),
            config: ObjectStoreConfig::from_stream(bucket, &info.config),
            sealed: info.config.sealed.unwrap_or(false),
            bytes: info.state.bytes,
        })
    }

    /// The names of the account's object stores, sorted.
    pub async fn object_store_names(&self) -> Result<Vec<String>> {
        self.bucket_names("$O.*.M.>", STREAM_PREFIX).await
    }
}

impl ObjectStore {
    /// This store's configuration and contents.
    pub async fn status(&self) -> Result<ObjectStoreStatus> {
        self.client.object_store_status(&self.bucket).await
    }

    /// Seals the store: from now on nothing can be written or deleted
    /// (the server refuses). Sealing cannot be undone.
    pub async fn seal(&self) -> Result<ObjectStoreStatus> {
        let mut config = self.client.stream_info(&self.stream()).await?.config;
        config.sealed = Some(true);
        self.client.update_stream(config).await?;
        self.status().await
    }
}
