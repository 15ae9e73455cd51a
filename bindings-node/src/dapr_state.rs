//! Dapr `state.jetstream` configuration: a metadata object or a component
//! YAML file, parsed by the core (`jetbridge::DaprStateConfig`), and the
//! component's key escaping (`jetbridge::dapr_state_key`).
//!
//! The parsed configuration stays native (it holds credentials); JavaScript
//! sees a handle whose `describe()` text redacts every secret.

use std::collections::HashMap;

use napi::Env;

use crate::dapr::auth_mode;
use crate::runtime::guard;

/// A parsed Dapr state component: connection options plus the bucket.
#[napi_derive::napi]
pub struct NativeDaprStateConfig {
    pub(crate) inner: jetbridge::DaprStateConfig,
}

#[napi_derive::napi]
impl NativeDaprStateConfig {
    /// From metadata key/value pairs (keys match case-insensitively; unknown
    /// keys, missing required ones and bad values are `INVALID_ARGUMENT`
    /// naming the key).
    #[napi(factory)]
    pub fn from_metadata(env: &Env, metadata: HashMap<String, String>) -> napi::Result<Self> {
        guard(env, || jetbridge::DaprStateConfig::from_metadata(metadata))
            .map(|inner| NativeDaprStateConfig { inner })
    }

    /// From the text of a Dapr component YAML document.
    #[napi(factory)]
    pub fn from_yaml(env: &Env, text: String) -> napi::Result<Self> {
        guard(env, || jetbridge::DaprStateConfig::from_yaml_str(&text))
            .map(|inner| NativeDaprStateConfig { inner })
    }

    /// From a Dapr component YAML file.
    #[napi(factory)]
    pub fn from_yaml_file(env: &Env, path: String) -> napi::Result<Self> {
        guard(env, || jetbridge::DaprStateConfig::from_yaml_file(&path))
            .map(|inner| NativeDaprStateConfig { inner })
    }

    /// Server URLs, with any `user:pass@` redacted.
    #[napi(getter)]
    pub fn servers(&self) -> Vec<String> {
        self.inner.connect.redacted_servers()
    }

    /// Connection name.
    #[napi(getter)]
    pub fn name(&self) -> Option<String> {
        self.inner.connect.name.clone()
    }

    /// Which credentials the connection uses (see `NativeDaprConfig.authMode`).
    #[napi(getter)]
    pub fn auth_mode(&self) -> &'static str {
        auth_mode(&self.inner.connect.auth)
    }

    /// Whether a TLS client certificate (mutual TLS) is configured.
    #[napi(getter)]
    pub fn has_client_cert(&self) -> bool {
        self.inner.connect.tls.client_cert.is_some()
    }

    /// The JetStream API prefix that `domain` / `apiPrefix` select.
    #[napi(getter)]
    pub fn js_api_prefix(&self) -> String {
        self.inner.connect.js_api_prefix()
    }

    /// The key-value bucket holding the state.
    #[napi(getter)]
    pub fn bucket(&self) -> String {
        self.inner.bucket.clone()
    }

    /// A one-line description with every secret redacted.
    #[napi]
    pub fn describe(&self) -> String {
        format!("{:?}", self.inner)
    }
}

/// The bucket key the component stores a Dapr state key under.
#[napi_derive::napi(js_name = "daprStateKey")]
pub fn dapr_state_key(key: String) -> String {
    jetbridge::dapr_state_key(&key)
}
