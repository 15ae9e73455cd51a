//! An object store's configuration and the stream it becomes.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::stream::{Compression, StorageType, StreamConfig};
use crate::stream_nested::Placement;

crate::record::record! {
    /// An object store's configuration. `Default`: no TTL, no size limit, file
    /// storage, one replica.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ObjectStoreConfig {
        /// The bucket's name: letters, digits, `-` and `_`.
        pub bucket: String,
        /// Free text.
        pub description: Option<String>,
        /// How long an object lives; unset = forever.
        pub ttl: Option<Duration>,
        /// Largest bucket in bytes; unset = unlimited.
        pub max_bytes: Option<i64>,
        /// Where the bucket's stream keeps its messages.
        pub storage: StorageType,
        /// Replicas (1, 3 or 5 in a cluster).
        pub replicas: usize,
        /// Compress the store's stream (s2).
        pub compression: bool,
        /// Where the store's replicas are placed (cluster, tags).
        pub placement: Option<Placement>,
        /// Free-form text keys and values kept with the store.
        pub metadata: BTreeMap<String, String>,
    }
}

impl Default for ObjectStoreConfig {
    fn default() -> ObjectStoreConfig {
        ObjectStoreConfig {
            bucket: String::new(),
            description: None,
            ttl: None,
            max_bytes: None,
            storage: StorageType::File,
            replicas: 1,
            compression: false,
            placement: None,
            metadata: BTreeMap::new(),
        }
    }
}

/// The stream behind object store `bucket`.
pub(crate) fn stream_name(bucket: &str) -> String {
    format!("OBJ_{bucket}")
}

impl ObjectStoreConfig {
    /// A store called `bucket` with every other setting at its default.
    pub fn new(bucket: impl Into<String>) -> ObjectStoreConfig {
        ObjectStoreConfig {
            bucket: bucket.into(),
            ..ObjectStoreConfig::default()
        }
    }

    /// Checks the configuration: `INVALID_ARGUMENT` naming the field.
    pub fn validate(&self) -> Result<()> {
        crate::kv::validate_bucket(&self.bucket)?;
        if self.ttl.is_some_and(|t| t < Duration::from_millis(100)) {
            return Err(Error::invalid("ttl", "must be at least 100ms"));
        }
        if self.max_bytes.is_some_and(|n| n < 1) {
            return Err(Error::invalid("max_bytes", "must be at least 1"));
        }
        if self.replicas == 0 || self.replicas > 5 {
            return Err(Error::invalid("replicas", "must be 1 to 5"));
        }
        Ok(())
    }

    /// The stream config JetStream gets, as the official clients make it.
    pub(crate) fn stream_config(&self) -> Value {
        let ttl = self
            .ttl
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        let mut config = json!({
            "name": stream_name(&self.bucket),
            "description": self.description,
            "subjects": [format!("$O.{}.C.>", self.bucket), format!("$O.{}.M.>", self.bucket)],
            "retention": "limits",
            "max_bytes": self.max_bytes.unwrap_or(-1),
            "max_age": ttl,
            "storage": crate::names::Named::name(&self.storage),
            "num_replicas": self.replicas,
            "discard": "new",
            "allow_rollup_hdrs": true,
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
        if !self.metadata.is_empty() {
            stream.insert("metadata".into(), json!(self.metadata));
        }
        config
    }

    /// The configuration a store's stream holds (as the server reports it).
    pub(crate) fn from_stream(bucket: &str, s: &StreamConfig) -> ObjectStoreConfig {
        ObjectStoreConfig {
            bucket: bucket.to_string(),
            description: s.description.clone(),
            ttl: (!s.max_age.is_zero()).then_some(s.max_age),
            max_bytes: (s.max_bytes > 0).then_some(s.max_bytes),
            storage: s.storage,
            replicas: s.replicas,
            compression: s.compression == Some(Compression::S2),
            placement: s.placement.clone(),
            metadata: crate::kv::user_metadata(s),
        }
    }
}
