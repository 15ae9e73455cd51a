//! Durable consumers: create, update, bind, info, delete, and `fetch`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use crate::client::{Client, ClientInner};
use crate::config_overlay::{RawInfo, overlay};
use crate::consumer_config::{ConsumerConfig, ConsumerInfo, WireConsumerConfig, WireConsumerInfo};
use crate::error::{Error, ErrorKind, Result};
use crate::fetch::{FetchOptions, FetchState};
use crate::message::Message;
use crate::priority_pull::Pin;
use crate::tracker::Tracker;
use crate::{runtime, validate};

/// A handle to one consumer of one stream. Cheap to clone.
#[derive(Clone)]
pub struct Consumer {
    pub(crate) inner: Arc<ConsumerInner>,
}

pub(crate) struct ConsumerInner {
    pub(crate) client: Arc<ClientInner>,
    pub(crate) stream: String,
    pub(crate) name: String,
    /// The configuration the server reported; used to re-create the consumer.
    pub(crate) config: Mutex<ConsumerConfig>,
    pub(crate) tracker: Arc<Tracker>,
    pub(crate) fetch: tokio::sync::Mutex<Option<FetchState>>,
    /// The pin id of a `pinned_client` consumer, when this handle holds it.
    pub(crate) pin: Pin,
}

impl std::fmt::Debug for Consumer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consumer")
            .field("stream", &self.inner.stream)
            .field("name", &self.inner.name)
            .finish()
    }
}

#[derive(Serialize)]
struct CreateRequest<'a> {
    stream_name: &'a str,
    config: WireConsumerConfig,
    #[serde(skip_serializing_if = "str::is_empty")]
    action: &'a str,
}

#[derive(serde::Deserialize)]
struct Deleted {
    #[serde(default)]
    #[allow(dead_code)]
    success: bool,
}

impl Client {
    /// Creates a consumer. Creating it again with the same configuration
    /// returns it; a different configuration is `ALREADY_EXISTS`.
    pub async fn create_consumer(&self, stream: &str, config: ConsumerConfig) -> Result<Consumer> {
        self.put_consumer(stream, config, "create").await
    }

    /// Changes an existing consumer (`NOT_FOUND` if missing). Some fields
    /// (start, ack policy) cannot change; the server says which. Every setting
    /// the server holds that [`ConsumerConfig`] does not model (metadata,
    /// `headers_only`, pull limits, …), and every optional field left `None`,
    /// is read from the server first and sent back unchanged.
    pub async fn update_consumer(&self, stream: &str, config: ConsumerConfig) -> Result<Consumer> {
        if config.durable_name.is_none() {
            return Err(Error::invalid(
                "durable name",
                "update needs a durable name",
            ));
        }
        self.put_consumer(stream, config, "update").await
    }

    /// Creates the consumer, or binds to it when it exists with the same
    /// configuration; a different configuration is `CONFIG_MISMATCH`.
    pub async fn get_or_create_consumer(
        &self,
        stream: &str,
        config: ConsumerConfig,
    ) -> Result<Consumer> {
        let Some(name) = config.durable_name.clone() else {
            return self.create_consumer(stream, config).await;
        };
        match self
            .bind_consumer(stream, &name, Some(config.clone()))
            .await
        {
            Err(e) if e.kind() == ErrorKind::NotFound && e.api_code() == Some(10014) => {
                match self.create_consumer(stream, config.clone()).await {
                    // Lost a race with another creator: bind to theirs.
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                        self.bind_consumer(stream, &name, Some(config)).await
                    }
                    other => other,
                }
            }
            other => other,
        }
    }

    /// Binds to an existing consumer. With `expected`, any set field that
    /// differs from the server's configuration is `CONFIG_MISMATCH`, naming
    /// the fields — never a silent change.
    pub async fn bind_consumer(
        &self,
        stream: &str,
        name: &str,
        expected: Option<ConsumerConfig>,
    ) -> Result<Consumer> {
        validate::token("stream name", stream)?;
        validate::token("consumer name", name)?;
        let info = self.consumer_info(stream, name).await?;
        if let Some(expected) = expected {
            let diff = expected.differences(&info.config);
            if !diff.is_empty() {
                return Err(Error::new(
                    ErrorKind::ConfigMismatch,
                    format!(
                        "consumer {name:?} on stream {stream:?} exists with a different {}",
                        diff.join(", ")
                    ),
                ));
            }
        }
        Ok(Consumer::from_info(self.inner.clone(), info))
    }

    /// A consumer's configuration and progress.
    pub async fn consumer_info(&self, stream: &str, name: &str) -> Result<ConsumerInfo> {
        validate::token("stream name", stream)?;
        validate::token("consumer name", name)?;
        let (inner, stream, name) = (self.inner.clone(), stream.to_string(), name.to_string());
        runtime::run(async move { inner.consumer_info(&stream, &name).await }).await
    }

    /// Deletes a consumer.
    pub async fn delete_consumer(&self, stream: &str, name: &str) -> Result<()> {
        validate::token("stream name", stream)?;
        validate::token("consumer name", name)?;
        let (inner, stream, name) = (self.inner.clone(), stream.to_string(), name.to_string());
        runtime::run(async move { inner.delete_consumer(&stream, &name).await }).await
    }

    async fn put_consumer(
        &self,
        stream: &str,
        config: ConsumerConfig,
        action: &'static str,
    ) -> Result<Consumer> {
        validate::token("stream name", stream)?;
        config.validate()?;
        let (inner, stream) = (self.inner.clone(), stream.to_string());
        runtime::run(async move {
            inner.require_features(&config.server_features())?;
            let info = inner.put_consumer(&stream, &config, action).await?;
            Ok(Consumer::from_info(inner, info))
        })
        .await
    }
}

impl ClientInner {
    pub(crate) async fn consumer_info(&self, stream: &str, name: &str) -> Result<ConsumerInfo> {
        let info: WireConsumerInfo = self
            .api_request(&format!("CONSUMER.INFO.{stream}.{name}"), "")
            .await?;
        Ok(info.into())
    }

    pub(crate) async fn delete_consumer(&self, stream: &str, name: &str) -> Result<()> {
        let _: Deleted = self
            .api_request(&format!("CONSUMER.DELETE.{stream}.{name}"), "")
            .await?;
        Ok(())
    }

    /// Creates (`action` = "create"), updates ("update") or upserts ("") a consumer.
    pub(crate) async fn put_consumer(
        &self,
        stream: &str,
        config: &ConsumerConfig,
        action: &str,
    ) -> Result<ConsumerInfo> {
        let subject = match &config.durable_name {
            Some(name) => format!("CONSUMER.CREATE.{stream}.{name}"),
            None => format!("CONSUMER.CREATE.{stream}"),
        };
        let wire = config.to_wire();
        let info: WireConsumerInfo = match (&config.durable_name, action) {
            // Never strip what JetBridge does not model: an update starts from
            // the server's config and overlays only the keys we send.
            (Some(name), "update") => {
                let current: RawInfo = self
                    .api_request(&format!("CONSUMER.INFO.{stream}.{name}"), "")
                    .await?;
                let body = serde_json::json!({
                    "stream_name": stream,
                    "config": overlay(current.config, &wire)?,
                    "action": action,
                });
                self.api_request(&subject, &body).await?
            }
            _ => {
                let body = CreateRequest {
                    stream_name: stream,
                    config: wire,
                    action,
                };
                self.api_request(&subject, &body).await?
            }
        };
        Ok(info.into())
    }
}

impl Consumer {
    pub(crate) fn from_info(client: Arc<ClientInner>, info: ConsumerInfo) -> Consumer {
        Consumer {
            inner: Arc::new(ConsumerInner {
                client,
                stream: info.stream,
                name: info.name,
                tracker: Arc::new(Tracker::new(info.config.ack_policy)),
                config: Mutex::new(info.config),
                fetch: tokio::sync::Mutex::new(None),
                pin: Pin::default(),
            }),
        }
    }

    /// The stream this consumer reads.
    pub fn stream(&self) -> &str {
        &self.inner.stream
    }

    /// The consumer's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The configuration the server reported when this handle was made.
    pub fn config(&self) -> ConsumerConfig {
        self.inner
            .config
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Current configuration and progress (lag: `num_pending`, `num_ack_pending`).
    pub async fn info(&self) -> Result<ConsumerInfo> {
        let inner = self.inner.clone();
        runtime::run(async move { inner.client.consumer_info(&inner.stream, &inner.name).await })
            .await
    }

    /// Fetches up to `options.max_messages`, waiting up to `options.max_wait`.
    /// Returns 0..n messages; zero is not an error.
    pub async fn fetch(&self, options: FetchOptions) -> Result<Vec<Message>> {
        options.validate()?;
        let inner = self.inner.clone();
        let messages =
            runtime::run(async move { crate::fetch::fetch(&inner, options).await }).await?;
        for m in &messages {
            m.hand_out();
        }
        Ok(messages)
    }

    /// `fetch` of up to `n` messages waiting up to `max_wait`.
    pub async fn fetch_n(&self, n: usize, max_wait: Duration) -> Result<Vec<Message>> {
        self.fetch(FetchOptions {
            max_messages: n,
            max_wait,
            ..FetchOptions::default()
        })
        .await
    }

    /// Deletes this consumer on the server.
    pub async fn delete(&self) -> Result<()> {
        let inner = self.inner.clone();
        runtime::run(async move {
            inner
                .client
                .delete_consumer(&inner.stream, &inner.name)
                .await
        })
        .await
    }
}
