//! Configuration in Dapr's `state.jetstream` vocabulary: the key-value
//! bucket a Dapr state store keeps its state in, and how to reach it.
//!
//! The component's metadata (`natsURL`, `jwt`, `seedKey`, `name`, `bucket`;
//! keys match case-insensitively) or its YAML file gives a client's
//! [`ConnectOptions`] and the bucket's name, with the component's meanings:
//! `jwt` and `seedKey` go together, `name` defaults to Dapr's. Unknown keys
//! and missing required ones are `INVALID_ARGUMENT` naming the key. The
//! bucket is opened, not created, as the component does.

use std::path::Path;

use crate::dapr::{Meta, component_metadata, connect_options, read_component};
use crate::error::{Error, Result};
use crate::options::ConnectOptions;

/// Every key the `state.jetstream` component understands.
pub const STATE_KEYS: [&str; 5] = ["natsURL", "jwt", "seedKey", "name", "bucket"];

/// Dapr's default connection name for the state store.
pub const DEFAULT_STATE_NAME: &str = "dapr.io - statestore.jetstream";

/// A state store configured by Dapr metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaprStateConfig {
    /// Connection options.
    pub connect: ConnectOptions,
    /// The key-value bucket holding the state.
    pub bucket: String,
}

impl DaprStateConfig {
    /// Builds the configuration from metadata key/value pairs.
    pub fn from_metadata<I, K, V>(pairs: I) -> Result<DaprStateConfig>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let m = Meta::parse(pairs, &STATE_KEYS)?;
        let bucket = m
            .str("bucket")
            .ok_or_else(|| Error::invalid("metadata bucket", "is required"))?;
        crate::kv::validate_bucket(bucket)
            .map_err(|e| Error::new(e.kind(), format!("metadata: {}", e.message())))?;
        Ok(DaprStateConfig {
            connect: connect_options(&m, DEFAULT_STATE_NAME)?,
            bucket: bucket.to_string(),
        })
    }

    /// Builds the configuration from the text of a component YAML file
    /// (`spec.type: state.jetstream`).
    pub fn from_yaml_str(text: &str) -> Result<DaprStateConfig> {
        DaprStateConfig::from_metadata(component_metadata(text, "state.jetstream")?)
    }

    /// Builds the configuration from a component YAML file.
    pub fn from_yaml_file(path: impl AsRef<Path>) -> Result<DaprStateConfig> {
        DaprStateConfig::from_yaml_str(&read_component(path.as_ref())?)
    }
}

/// The bucket key the component stores a Dapr state key under: Dapr's
/// `app-id||key` separator becomes a `.` (the component's `escape`).
pub fn dapr_state_key(key: &str) -> String {
    key.replace("||", ".")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::options::Auth;

    #[test]
    fn a_state_component_gives_a_connection_and_a_bucket() {
        let yaml = r#"
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
spec:
  type: state.jetstream
  version: v1
  metadata:
  - name: natsURL
    value: "nats://127.0.0.1:4222"
  - name: jwt
    value: "eyJ0eXAi.jwt-for-tests"
  - name: seedKey
    value: "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY"
  - name: bucket
    value: "state"
"#;
        let c = DaprStateConfig::from_yaml_str(yaml).unwrap();
        assert_eq!(c.bucket, "state");
        assert_eq!(c.connect.name.as_deref(), Some(DEFAULT_STATE_NAME));
        assert!(matches!(c.connect.auth, Auth::Jwt { .. }));
        assert!(
            !format!("{c:?}").contains("SUACSSL3"),
            "the seed is redacted"
        );
    }

    #[test]
    fn missing_and_unknown_keys_are_named() {
        let err = |pairs: &[(&str, &str)]| {
            let e = DaprStateConfig::from_metadata(pairs.iter().copied()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            e.message().to_string()
        };
        assert!(err(&[("natsURL", "nats://127.0.0.1:4222")]).contains("bucket"));
        assert!(err(&[("bucket", "b")]).contains("natsURL"));
        assert!(
            err(&[
                ("natsURL", "nats://h:1"),
                ("bucket", "b"),
                ("durableName", "x")
            ])
            .contains("durableName")
        );
        assert!(err(&[("natsURL", "nats://h:1"), ("bucket", "b.c")]).contains("bucket"));
        assert!(
            err(&[("natsURL", "nats://h:1"), ("bucket", "b"), ("jwt", "j")]).contains("seedKey")
        );
        let pubsub = "spec:\n  type: pubsub.jetstream\n  metadata: []\n";
        let e = DaprStateConfig::from_yaml_str(pubsub).unwrap_err();
        assert!(e.message().contains("state.jetstream"), "{e}");
    }

    #[test]
    fn dapr_keys_are_escaped_as_the_component_does() {
        assert_eq!(dapr_state_key("myapp||order-1"), "myapp.order-1");
        assert_eq!(dapr_state_key("plain"), "plain");
    }
}
