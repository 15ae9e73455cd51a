//! Pausing, resuming and unpinning a consumer (nats-server 2.11+): the
//! server's `CONSUMER.PAUSE` and `CONSUMER.UNPIN` calls. A consumer's
//! `pause_until` in its configuration only takes effect when it is created;
//! these calls change it on a running consumer.

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::api::wire::{opt_nanos, opt_time};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::server_version::V2_11;
use crate::{runtime, validate};

crate::record::record! {
    /// Whether a consumer is paused, as the server reports it after a pause or
    /// a resume.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
    pub struct ConsumerPauseState {
        /// The consumer delivers nothing until `pause_until`.
        #[serde(default)]
        pub paused: bool,
        /// When the pause ends (unset when not paused).
        #[serde(default, with = "opt_time")]
        pub pause_until: Option<SystemTime>,
        /// How long the pause has left (unset when not paused).
        #[serde(default, with = "opt_nanos")]
        pub pause_remaining: Option<Duration>,
    }
}

#[derive(Serialize)]
struct PauseRequest {
    #[serde(with = "opt_time", skip_serializing_if = "Option::is_none")]
    pause_until: Option<SystemTime>,
}

#[derive(Serialize)]
struct UnpinRequest<'a> {
    group: &'a str,
}

#[derive(Deserialize)]
struct Unpinned {}

impl Client {
    /// Pauses a consumer until `until`: it delivers nothing before then, and
    /// resumes by itself afterwards (or on [`Client::resume_consumer`]).
    /// `until` in the past is `INVALID_ARGUMENT`; a missing consumer is
    /// `NOT_FOUND`; a server older than 2.11 is `SERVER_TOO_OLD`.
    pub async fn pause_consumer(
        &self,
        stream: &str,
        name: &str,
        until: SystemTime,
    ) -> Result<ConsumerPauseState> {
        if until <= SystemTime::now() {
            return Err(Error::invalid("pause_until", "is in the past"));
        }
        self.pause_request(stream, name, "consumer pause", Some(until))
            .await
    }

    /// Resumes a paused consumer at once (a consumer that is not paused is
    /// left as it is). Errors as [`Client::pause_consumer`].
    pub async fn resume_consumer(&self, stream: &str, name: &str) -> Result<ConsumerPauseState> {
        self.pause_request(stream, name, "consumer resume", None)
            .await
    }

    /// Unpins the client pinned in `group` of a consumer with the
    /// `pinned_client` priority policy; the server pins the next client that
    /// pulls. A group the consumer does not have is `INVALID_ARGUMENT`; a
    /// missing consumer is `NOT_FOUND`; a server older than 2.11 is
    /// `SERVER_TOO_OLD`.
    pub async fn unpin_consumer(&self, stream: &str, name: &str, group: &str) -> Result<()> {
        validate::token("stream name", stream)?;
        validate::token("consumer name", name)?;
        validate::token("priority group", group)?;
        let (inner, subject, group) = (
            self.inner.clone(),
            format!("CONSUMER.UNPIN.{stream}.{name}"),
            group.to_string(),
        );
        runtime::run(async move {
            inner.require_server("consumer unpin", V2_11)?;
            let _: Unpinned = inner
                .api_request(&subject, &UnpinRequest { group: &group })
                .await?;
            Ok(())
        })
        .await
    }

    async fn pause_request(
        &self,
        stream: &str,
        name: &str,
        feature: &'static str,
        until: Option<SystemTime>,
    ) -> Result<ConsumerPauseState> {
        validate::token("stream name", stream)?;
        validate::token("consumer name", name)?;
        let (inner, subject) = (
            self.inner.clone(),
            format!("CONSUMER.PAUSE.{stream}.{name}"),
        );
        runtime::run(async move {
            inner.require_server(feature, V2_11)?;
            let mut state: ConsumerPauseState = inner
                .api_request(&subject, &PauseRequest { pause_until: until })
                .await?;
            if !state.paused {
                // The server sends a zero time when not paused.
                state.pause_until = None;
                state.pause_remaining = None;
            }
            Ok(state)
        })
        .await
    }
}
