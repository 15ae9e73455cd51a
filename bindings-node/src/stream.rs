//! Stream administration: create, update, info, list, delete, purge, get
//! (by sequence, last or next on a subject, a batch) and delete a message;
//! the account's usage and limits.

use jetbridge::{
    AccountInfo, GetMessagesOptions, PurgeOptions, StoredMessage, StreamConfig, StreamInfo,
};
use napi::Env;
use napi::bindgen_prelude::{BigInt, Buffer, Object, PromiseRaw};

use crate::client::NativeClient;
use crate::convert::{big, num, record, record_to_js};
use crate::runtime::{guard, promise};

/// A stream's contents.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeStreamState {
    /// Messages stored.
    pub messages: f64,
    /// Bytes stored.
    pub bytes: f64,
    /// First stored sequence.
    pub first_sequence: f64,
    /// Last stored sequence.
    pub last_sequence: f64,
    /// Number of consumers.
    pub consumers: f64,
}

/// Where a replicated stream or consumer runs.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeClusterInfo {
    /// The leader's server name.
    pub leader: Option<String>,
}

/// A stream's configuration and state.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeStreamInfo {
    /// Configuration with server defaults filled in (a `StreamConfig`).
    pub config: serde_json::Value,
    /// Current state.
    pub state: NativeStreamState,
    /// Creation time, Unix nanoseconds.
    pub created_nanos: BigInt,
    /// Cluster placement.
    pub cluster: Option<NativeClusterInfo>,
}

/// A message read back by sequence.
#[napi_derive::napi(object, object_from_js = false)]
pub struct NativeStoredMessage {
    /// Subject.
    pub subject: String,
    /// Stream sequence.
    pub sequence: f64,
    /// Payload.
    pub data: Buffer,
    /// Headers as `[name, value]` pairs, in order.
    pub headers: Vec<Vec<String>>,
    /// When it was stored, Unix nanoseconds.
    pub timestamp_nanos: BigInt,
}

fn stream_info(info: StreamInfo) -> NativeStreamInfo {
    NativeStreamInfo {
        config: record_to_js(&info.config),
        state: NativeStreamState {
            messages: num(info.state.messages),
            bytes: num(info.state.bytes),
            first_sequence: num(info.state.first_sequence),
            last_sequence: num(info.state.last_sequence),
            consumers: num(info.state.consumers),
        },
        created_nanos: big(info.created),
        cluster: info.cluster.map(|c| NativeClusterInfo { leader: c.leader }),
    }
}

/// Header pairs as two-element arrays.
pub(crate) fn header_pairs(headers: &[(String, String)]) -> Vec<Vec<String>> {
    headers
        .iter()
        .map(|(k, v)| vec![k.clone(), v.clone()])
        .collect()
}

fn stored_message(m: StoredMessage) -> NativeStoredMessage {
    NativeStoredMessage {
        subject: m.subject,
        sequence: num(m.sequence),
        data: Buffer::from(m.payload.to_vec()),
        headers: header_pairs(&m.headers),
        timestamp_nanos: big(m.timestamp),
    }
}

#[napi_derive::napi]
impl NativeClient {
    /// Creates a stream (same config again: its info; different: `ALREADY_EXISTS`).
    #[napi]
    pub fn create_stream<'env>(
        &self,
        env: &'env Env,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeStreamInfo>> {
        let config: StreamConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.create_stream(config).await },
            |_, info| Ok(stream_info(info)),
        )
    }

    /// Replaces a stream's configuration (`NOT_FOUND` if missing).
    #[napi]
    pub fn update_stream<'env>(
        &self,
        env: &'env Env,
        config: Object<'_>,
    ) -> napi::Result<PromiseRaw<'env, NativeStreamInfo>> {
        let config: StreamConfig = record(env, Some(config), "config")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.update_stream(config).await },
            |_, info| Ok(stream_info(info)),
        )
    }

    /// A stream's configuration and state.
    #[napi]
    pub fn stream_info<'env>(
        &self,
        env: &'env Env,
        name: String,
    ) -> napi::Result<PromiseRaw<'env, NativeStreamInfo>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.stream_info(&name).await },
            |_, info| Ok(stream_info(info)),
        )
    }

    /// Every stream of the account, in the server's order (by name); with
    /// `subject`, only those whose subjects overlap it (wildcards allowed; a
    /// bad subject is `INVALID_ARGUMENT`).
    #[napi]
    pub fn list_streams<'env>(
        &self,
        env: &'env Env,
        subject: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, Vec<NativeStreamInfo>>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.list_streams(subject.as_deref()).await },
            |_, infos| Ok(infos.into_iter().map(stream_info).collect()),
        )
    }

    /// Deletes a stream with its messages and consumers.
    #[napi]
    pub fn delete_stream<'env>(
        &self,
        env: &'env Env,
        name: String,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.delete_stream(&name).await },
            |_, ()| Ok(()),
        )
    }

    /// Removes messages; resolves to how many.
    #[napi]
    pub fn purge_stream<'env>(
        &self,
        env: &'env Env,
        name: String,
        options: Option<Object<'_>>,
    ) -> napi::Result<PromiseRaw<'env, f64>> {
        let options: PurgeOptions = record(env, options, "options")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.purge_stream(&name, options).await },
            |_, n| Ok(num(n)),
        )
    }

    /// One stored message by sequence (`NOT_FOUND` if absent).
    #[napi]
    pub fn get_message<'env>(
        &self,
        env: &'env Env,
        stream: String,
        sequence: f64,
    ) -> napi::Result<PromiseRaw<'env, NativeStoredMessage>> {
        let sequence = guard(env, || crate::convert::uint("sequence", sequence))?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.get_message(&stream, sequence).await },
            |_, m| Ok(stored_message(m)),
        )
    }

    /// Deletes the message at `sequence` (`erase`: its bytes are overwritten
    /// on disk too, slower). Sequence 0 is `INVALID_ARGUMENT`; a sequence
    /// that holds no message `NOT_FOUND`.
    #[napi]
    pub fn delete_message<'env>(
        &self,
        env: &'env Env,
        stream: String,
        sequence: f64,
        erase: Option<bool>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let sequence = guard(env, || crate::convert::uint("sequence", sequence))?;
        let erase = erase.unwrap_or_default();
        let client = self.inner.clone();
        promise(
            env,
            async move { client.delete_message(&stream, sequence, erase).await },
            |_, ()| Ok(()),
        )
    }

    /// The newest stored message on a subject (`NOT_FOUND` if none).
    #[napi]
    pub fn get_last_message<'env>(
        &self,
        env: &'env Env,
        stream: String,
        subject: String,
    ) -> napi::Result<PromiseRaw<'env, NativeStoredMessage>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.get_last_message(&stream, &subject).await },
            |_, m| Ok(stored_message(m)),
        )
    }

    /// The first stored message at or after `from_sequence` whose subject
    /// matches `subject` (wildcards allowed; `NOT_FOUND` if none; sequence 0
    /// is `INVALID_ARGUMENT`).
    #[napi]
    pub fn get_next_message<'env>(
        &self,
        env: &'env Env,
        stream: String,
        subject: String,
        from_sequence: f64,
    ) -> napi::Result<PromiseRaw<'env, NativeStoredMessage>> {
        let from_sequence = guard(env, || crate::convert::uint("fromSequence", from_sequence))?;
        let client = self.inner.clone();
        promise(
            env,
            async move {
                client
                    .get_next_message(&stream, &subject, from_sequence)
                    .await
            },
            |_, m| Ok(stored_message(m)),
        )
    }

    /// Up to `maxMessages` stored messages in stream order with one request
    /// (a `GetMessagesOptions`; server 2.11+, a stream with `allow_direct`).
    /// Nothing at or after the start is an empty list.
    #[napi]
    pub fn get_messages<'env>(
        &self,
        env: &'env Env,
        stream: String,
        options: Option<Object<'_>>,
    ) -> napi::Result<PromiseRaw<'env, Vec<NativeStoredMessage>>> {
        let options: GetMessagesOptions = record(env, options, "options")?;
        let client = self.inner.clone();
        promise(
            env,
            async move { client.get_messages(&stream, options).await },
            |_, list| Ok(list.into_iter().map(stored_message).collect()),
        )
    }

    /// The account's JetStream usage and limits (an `AccountInfo`; a limit
    /// of -1 is unlimited).
    #[napi]
    pub fn account_info<'env>(
        &self,
        env: &'env Env,
    ) -> napi::Result<PromiseRaw<'env, serde_json::Value>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.account_info().await },
            |_, a: AccountInfo| Ok(record_to_js(&a)),
        )
    }

    /// The stream that captures a subject (`NOT_FOUND` if none).
    #[napi]
    pub fn stream_by_subject<'env>(
        &self,
        env: &'env Env,
        subject: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let client = self.inner.clone();
        promise(
            env,
            async move { client.stream_by_subject(&subject).await },
            |_, s| Ok(s),
        )
    }
}
