//! Dapr `pubsub.jetstream` configuration: a metadata object or a component
//! YAML file, parsed by the core (`jetbridge::DaprConfig`).
//!
//! The parsed configuration stays native (it holds credentials); JavaScript
//! sees a handle whose `describe()` text redacts every secret.

use std::collections::HashMap;

use jetbridge::{Auth, ConcurrencyMode};
use napi::Env;

use crate::runtime::guard;

/// Which credentials `auth` uses, as the `authMode` getters name it (the mode
/// only, never a secret).
pub(crate) fn auth_mode(auth: &Auth) -> &'static str {
    match auth {
        Auth::None => "none",
        Auth::Token(_) => "token",
        Auth::UserPassword { .. } => "userPassword",
        Auth::NKey(_) => "nkey",
        Auth::Jwt { .. } => "jwt",
        Auth::CredsFile(_) => "credsFile",
    }
}

/// A parsed Dapr component: connection options plus subscription options.
#[napi_derive::napi]
pub struct NativeDaprConfig {
    pub(crate) inner: jetbridge::DaprConfig,
}

#[napi_derive::napi]
impl NativeDaprConfig {
    /// From metadata key/value pairs (keys match case-insensitively; unknown
    /// keys and bad values are `INVALID_ARGUMENT` naming the key).
    #[napi(factory)]
    pub fn from_metadata(env: &Env, metadata: HashMap<String, String>) -> napi::Result<Self> {
        guard(env, || jetbridge::DaprConfig::from_metadata(metadata))
            .map(|inner| NativeDaprConfig { inner })
    }

    /// From the text of a Dapr component YAML document.
    #[napi(factory)]
    pub fn from_yaml(env: &Env, text: String) -> napi::Result<Self> {
        guard(env, || jetbridge::DaprConfig::from_yaml_str(&text))
            .map(|inner| NativeDaprConfig { inner })
    }

    /// From a Dapr component YAML file.
    #[napi(factory)]
    pub fn from_yaml_file(env: &Env, path: String) -> napi::Result<Self> {
        guard(env, || jetbridge::DaprConfig::from_yaml_file(&path))
            .map(|inner| NativeDaprConfig { inner })
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

    /// Which credentials the connection uses: `none`, `token`,
    /// `userPassword`, `nkey`, `jwt` or `credsFile` (the mode only, never a
    /// secret).
    #[napi(getter)]
    pub fn auth_mode(&self) -> &'static str {
        auth_mode(&self.inner.connect.auth)
    }

    /// Whether a TLS client certificate (mutual TLS) is configured.
    #[napi(getter)]
    pub fn has_client_cert(&self) -> bool {
        self.inner.connect.tls.client_cert.is_some()
    }

    /// The JetStream API prefix that `domain` / `apiPrefix` select
    /// (`$JS.API` when neither is given).
    #[napi(getter)]
    pub fn js_api_prefix(&self) -> String {
        self.inner.connect.js_api_prefix()
    }

    /// `streamName`, if given.
    #[napi(getter)]
    pub fn stream_name(&self) -> Option<String> {
        self.inner.subscription.stream_name.clone()
    }

    /// `durableName`, if given.
    #[napi(getter)]
    pub fn durable_name(&self) -> Option<String> {
        self.inner.subscription.consumer.durable_name.clone()
    }

    /// `queueGroupName`, if given.
    #[napi(getter)]
    pub fn queue_group_name(&self) -> Option<String> {
        self.inner.subscription.consumer.deliver_group.clone()
    }

    /// `concurrencyMode`: `single` or `parallel`.
    #[napi(getter)]
    pub fn concurrency_mode(&self) -> &'static str {
        match self.inner.subscription.concurrency {
            ConcurrencyMode::Parallel => "parallel",
            _ => "single",
        }
    }

    /// The subscription's consumer configuration.
    #[napi(getter)]
    pub fn consumer_config(&self) -> serde_json::Value {
        crate::convert::record_to_js(&self.inner.subscription.consumer)
    }

    /// A one-line description with every secret redacted.
    #[napi]
    pub fn describe(&self) -> String {
        format!("{:?}", self.inner)
    }
}
