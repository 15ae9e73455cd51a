//! `jb_client`: a connection to NATS with JetStream; connect options
//! (every auth mode, TLS), Dapr configuration, close, drain, counters.

use std::ffi::{CString, c_char, c_void};
use std::path::PathBuf;
use std::sync::LazyLock;

use jetbridge_core::{AuthFields, Client, ConnectOptions, CountersSnapshot, DaprConfig, Result};

use crate::convert::{
    Out, cstr, cstr_array, input, jb_string_pair, ms, opt_cstr, opt_ms, slice, to_ms,
};
use crate::error::{jb_result, null};
use crate::handles::{Handle, handle_registry};
use crate::panic::boundary;
use crate::runtime::{blocking_and_async, jb_done_callback};

/// A connected client. Opaque handle.
///
/// Caller owns it: free with `jb_client_free`. Under the hood this is the
/// core's `Client` (a shared connection): publishers, consumers and
/// subscriptions made from it keep the connection alive until they are freed
/// too. Safe to use from any thread.
pub struct jb_client {
    _private: [u8; 0],
}

handle_registry!(jb_client, Client, 0x11, "jb_client");

/// Parsed Dapr `pubsub.jetstream` metadata: connection and subscription
/// options. Opaque handle.
///
/// Caller owns it: free with `jb_dapr_config_free`. Safe to use from any
/// thread.
pub struct jb_dapr_config {
    _private: [u8; 0],
}

handle_registry!(jb_dapr_config, DaprConfig, 0x12, "jb_dapr_config");

/// Everything needed to connect. Fill it with `jb_connect_options_default`,
/// then change fields. Strings are NUL-terminated UTF-8 and only read during
/// the call; NULL means "not set". At most one auth mode may be set: `token`;
/// `user` + `password`; `nkey_seed`; `jwt` + `jwt_seed`; `creds_file`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_connect_options {
    /// Server URLs (`nats://`, `tls://`); `servers_len` of them. NULL/0 means
    /// the default `nats://127.0.0.1:4222`.
    pub servers: *const *const c_char,
    /// Number of entries in `servers`.
    pub servers_len: usize,
    /// Connection name shown by the server.
    pub name: *const c_char,
    /// Token auth.
    pub token: *const c_char,
    /// User/password auth: the user.
    pub user: *const c_char,
    /// User/password auth: the password.
    pub password: *const c_char,
    /// NKey auth: the user seed (`SU…`).
    pub nkey_seed: *const c_char,
    /// JWT auth: the user JWT.
    pub jwt: *const c_char,
    /// JWT auth: the user seed that signs the server's nonce.
    pub jwt_seed: *const c_char,
    /// Creds file auth: path of a `.creds` file.
    pub creds_file: *const c_char,
    /// Require TLS even when the server does not ask for it.
    pub tls_required: bool,
    /// PEM file with extra root certificates.
    pub tls_ca_file: *const c_char,
    /// PEM client certificate (mutual TLS; needs `tls_client_key`).
    pub tls_client_cert: *const c_char,
    /// PEM key of the client certificate.
    pub tls_client_key: *const c_char,
    /// TLS handshake before the server's INFO.
    pub tls_handshake_first: bool,
    /// Reconnect attempts after a lost connection; -1 = forever.
    pub max_reconnects: i64,
    /// Initial connect timeout.
    pub connect_timeout_ms: u64,
    /// JetStream API request timeout.
    pub request_timeout_ms: u64,
    /// Client PING interval.
    pub ping_interval_ms: u64,
    /// How long a publish retries before `PUBLISH_OUTCOME_UNKNOWN`.
    pub publish_retry_budget_ms: u64,
    /// How long one publish attempt waits for its ack.
    pub publish_ack_timeout_ms: u64,
    /// JetStream domain.
    pub domain: *const c_char,
    /// JetStream API prefix (exclusive with `domain`).
    pub api_prefix: *const c_char,
    /// Inbox prefix; NULL = `_INBOX`.
    pub inbox_prefix: *const c_char,
}

/// A snapshot of a client's counters since connect.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct jb_counters {
    /// Publishes accepted for sending.
    pub published: u64,
    /// Publishes acknowledged (duplicates included).
    pub acked: u64,
    /// Publishes reported as duplicates.
    pub duplicates: u64,
    /// Extra publish attempts.
    pub retries: u64,
    /// Publishes that ended `PUBLISH_OUTCOME_UNKNOWN`.
    pub unknown_outcomes: u64,
    /// Publishes rejected by the server.
    pub rejected: u64,
    /// Messages delivered by consumers.
    pub delivered: u64,
    /// Deliveries with a delivery count above 1.
    pub redelivered: u64,
    /// Acks sent by the application.
    pub acks_sent: u64,
    /// Heartbeats missed twice in a row.
    pub heartbeat_misses: u64,
    /// Reconnects after a lost connection.
    pub reconnects: u64,
    /// Consumers re-created after the server lost them.
    pub consumer_recreations: u64,
    /// Redeliveries of messages already acked on the same consumer handle,
    /// acked again and not handed to the application.
    pub redeliveries_suppressed: u64,
}

// `jb_counters` holds one `u64` per core counter, in the order of
// `CountersSnapshot::NAMES` (the unit test checks the names).
const _: () = assert!(size_of::<jb_counters>() == 8 * CountersSnapshot::NAMES.len());

/// The counters of `c` as a slice, in `CountersSnapshot::NAMES` order.
fn counter_slots(c: &mut jb_counters) -> &mut [u64] {
    // SAFETY: `jb_counters` is `repr(C)` with only `u64` fields (see above).
    unsafe {
        std::slice::from_raw_parts_mut(
            std::ptr::from_mut(c).cast::<u64>(),
            CountersSnapshot::NAMES.len(),
        )
    }
}

/// The connection as it is now.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct jb_connection_state {
    /// True while connected.
    pub connected: bool,
    /// Successful connects so far (1 after the initial connect).
    pub generation: u64,
    /// True once the client was closed.
    pub closed: bool,
}

/// Called once when an async connect completes. On success `client` is a new
/// handle the callback owns (free it with `jb_client_free`); on failure it is
/// NULL and `error` (valid only during the call) says why.
pub type jb_client_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        client: *mut jb_client,
    ),
>;

fn default_options() -> jb_connect_options {
    let d = ConnectOptions::default();
    jb_connect_options {
        servers: std::ptr::null(),
        servers_len: 0,
        name: std::ptr::null(),
        token: std::ptr::null(),
        user: std::ptr::null(),
        password: std::ptr::null(),
        nkey_seed: std::ptr::null(),
        jwt: std::ptr::null(),
        jwt_seed: std::ptr::null(),
        creds_file: std::ptr::null(),
        tls_required: d.tls.required,
        tls_ca_file: std::ptr::null(),
        tls_client_cert: std::ptr::null(),
        tls_client_key: std::ptr::null(),
        tls_handshake_first: d.tls.handshake_first,
        max_reconnects: d.max_reconnects.map_or(-1, |n| n as i64),
        connect_timeout_ms: to_ms(d.connect_timeout),
        request_timeout_ms: to_ms(d.request_timeout),
        ping_interval_ms: to_ms(d.ping_interval),
        publish_retry_budget_ms: to_ms(d.publish_retry_budget),
        publish_ack_timeout_ms: to_ms(d.publish_ack_timeout),
        domain: std::ptr::null(),
        api_prefix: std::ptr::null(),
        inbox_prefix: std::ptr::null(),
    }
}

/// Converts C options into core options.
///
/// # Safety
/// Every string pointer of `o` is NULL or a valid C string.
unsafe fn to_core(o: &jb_connect_options) -> Result<ConnectOptions> {
    let mut out = ConnectOptions::default();
    // SAFETY (all blocks below): the strings are valid by the caller's contract.
    let servers = unsafe { cstr_array(o.servers, o.servers_len, "servers") }?;
    if !servers.is_empty() {
        out.servers = servers;
    }
    out.name = unsafe { opt_cstr(o.name, "name") }?.map(str::to_string);
    let s = |p, what| unsafe { opt_cstr(p, what) };
    let owned = |p, what| s(p, what).map(|v| v.map(str::to_string));
    out.auth = AuthFields {
        token: owned(o.token, "token")?,
        user: owned(o.user, "user")?,
        password: owned(o.password, "password")?,
        nkey_seed: owned(o.nkey_seed, "nkey_seed")?,
        jwt: owned(o.jwt, "jwt")?,
        jwt_seed: owned(o.jwt_seed, "jwt_seed")?,
        creds_file: owned(o.creds_file, "creds_file")?,
    }
    .into_auth()?;
    out.tls.required = o.tls_required;
    out.tls.ca_file = s(o.tls_ca_file, "tls_ca_file")?.map(PathBuf::from);
    out.tls.client_cert = s(o.tls_client_cert, "tls_client_cert")?.map(PathBuf::from);
    out.tls.client_key = s(o.tls_client_key, "tls_client_key")?.map(PathBuf::from);
    out.tls.handshake_first = o.tls_handshake_first;
    out.max_reconnects = match o.max_reconnects {
        -1 => None,
        n => Some(usize::try_from(n).map_err(|_| {
            jetbridge_core::Error::invalid("max_reconnects", "must be -1 (forever) or at least 0")
        })?),
    };
    out.connect_timeout = ms(o.connect_timeout_ms);
    out.request_timeout = ms(o.request_timeout_ms);
    out.ping_interval = ms(o.ping_interval_ms);
    out.publish_retry_budget = ms(o.publish_retry_budget_ms);
    out.publish_ack_timeout = ms(o.publish_ack_timeout_ms);
    out.domain = s(o.domain, "domain")?.map(str::to_string);
    out.api_prefix = s(o.api_prefix, "api_prefix")?.map(str::to_string);
    if let Some(prefix) = s(o.inbox_prefix, "inbox_prefix")? {
        out.inbox_prefix = prefix.to_string();
    }
    Ok(out)
}

/// Fills `out` with the core's defaults (`ConnectOptions::default()`: the
/// local server, no auth, no TLS, and the core's reconnect, timeout, ping
/// and publish retry settings). Start every `jb_connect_options` here.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_connect_options_default(out: *mut jb_connect_options) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: `out` points to writable memory by the caller's contract.
        unsafe { out.write(default_options()) };
        Ok(())
    })
}

blocking_and_async! {
    /// Connects, blocking the calling thread until connected or failed.
    ///
    /// On success `*out` is a new client the caller owns. Results:
    /// `JB_RESULT_CONNECTION`, `JB_RESULT_AUTH`, `JB_RESULT_TLS`,
    /// `JB_RESULT_TIMEOUT`, `JB_RESULT_INVALID_ARGUMENT` (bad option or two auth
    /// modes), `JB_RESULT_NULL_PARAMETER`. Never falls back to plaintext when
    /// TLS was asked for. Must not be called from a library callback thread.
    fn jb_client_connect(options: *const jb_connect_options)
        -> handle(jb_client, jb_client_callback);
    /// Connects without blocking: `callback` is called exactly once, on a
    /// library thread, with the new client (owned by the callback) or the error.
    ///
    /// Returns `JB_RESULT_OK` when the connect was started (the callback will
    /// come), or an argument error (then the callback is never called). The
    /// options are copied before this returns.
    async fn jb_client_connect_async;
    {
        // SAFETY: caller's contract.
        let options = unsafe { to_core(input(options, "options")?) }?;
        Client::connect(options)
    }
}

/// Owned copies of `metadata_len` Dapr metadata pairs.
///
/// # Safety
/// `metadata` points to `metadata_len` pairs of valid C strings (or is NULL
/// with a length of 0).
pub(crate) unsafe fn metadata_pairs(
    metadata: *const jb_string_pair,
    metadata_len: usize,
) -> Result<Vec<(String, String)>> {
    // SAFETY: `metadata_len` valid pairs by the caller's contract.
    let pairs = unsafe { slice(metadata, metadata_len, "metadata") }?;
    let mut owned = Vec::with_capacity(pairs.len());
    for (i, kv) in pairs.iter().enumerate() {
        // SAFETY: valid C strings by the caller's contract.
        let key = unsafe { cstr(kv.key, &format!("metadata[{i}].key")) }?;
        // SAFETY: as above.
        let value = unsafe { cstr(kv.value, &format!("metadata[{i}].value")) }?;
        owned.push((key.to_string(), value.to_string()));
    }
    Ok(owned)
}

/// Parses Dapr `pubsub.jetstream` metadata (`natsURL`, `jwt`, `seedKey`,
/// `token`, `tls_client_cert`, `tls_client_key`, `name`, `streamName`,
/// `durableName`, `queueGroupName`, `startSequence`, `startTime`,
/// `deliverPolicy`, `flowControl`, `ackWait`, `maxDeliver`, `backOff`,
/// `maxAckPending`, `replicas`, `memoryStorage`, `rateLimit`, `heartbeat`,
/// `ackPolicy`, `domain`, `apiPrefix`, `concurrencyMode`, …). Unknown keys
/// and bad values are `JB_RESULT_INVALID_ARGUMENT` naming the key.
///
/// On success `*out` is a new config the caller owns (`jb_dapr_config_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_dapr_config_from_metadata(
    metadata: *const jb_string_pair,
    metadata_len: usize,
    out: *mut *mut jb_dapr_config,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: caller's contract.
        let owned = unsafe { metadata_pairs(metadata, metadata_len) }?;
        let config = DaprConfig::from_metadata(owned)?;
        let handle = jb_dapr_config::insert(config)?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Reads a Dapr component YAML file (`spec.type: pubsub.jetstream`,
/// `spec.metadata` name/value list) like `jb_dapr_config_from_metadata`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_dapr_config_from_file(
    path: *const c_char,
    out: *mut *mut jb_dapr_config,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: valid C string by the caller's contract.
        let path = unsafe { cstr(path, "path") }?;
        let handle = jb_dapr_config::insert(DaprConfig::from_yaml_file(path)?)?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(handle) };
        Ok(())
    })
}

/// Frees a Dapr config. NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_dapr_config_free(config: *mut jb_dapr_config) -> jb_result {
    boundary(|| jb_dapr_config::remove(config).map(drop))
}

blocking_and_async! {
    /// Connects with the connection part of a Dapr config, blocking. As
    /// `jb_client_connect`.
    fn jb_client_connect_dapr(config: *const jb_dapr_config)
        -> handle(jb_client, jb_client_callback);
    /// Connects with the connection part of a Dapr config without blocking. As
    /// `jb_client_connect_async`.
    async fn jb_client_connect_dapr_async;
    {
        let options = jb_dapr_config::get(config, "config")?.connect.clone();
        Client::connect(options)
    }
}

blocking_and_async! {
    /// Flushes queued acks and publishes, then closes the connection, blocking.
    /// Afterwards every call on this client and on its publishers, consumers and
    /// subscriptions fails with `JB_RESULT_CLOSED`. Closing twice is fine. The
    /// handle stays valid until `jb_client_free`.
    fn jb_client_close(client: *const jb_client) -> done;
    /// `jb_client_close` without blocking; `callback` is called exactly once.
    async fn jb_client_close_async;
    {
        let client = jb_client::get(client, "client")?;
        async move { client.close().await }
    }
}

blocking_and_async! {
    /// Graceful shutdown, blocking: new publishes, publishers, fetches and
    /// subscriptions fail with `JB_RESULT_CLOSED` at once (acks are still
    /// accepted), subscriptions stop pulling (what they buffered stays
    /// readable), then it waits until every message handed out got its final
    /// ack, nak or term (or was freed) and every publish accepted before
    /// (pipelined ones included) is settled, flushes the queued acks and
    /// closes, as `jb_client_close`. `timeout_ms` bounds the wait; 0 is the
    /// core's default drain timeout. `JB_RESULT_TIMEOUT` when it ran out,
    /// naming what was left (the client is closed all the same: unanswered
    /// messages are redelivered after their ack wait). Draining a closed
    /// client is fine. The handle stays valid until `jb_client_free`.
    fn jb_client_drain(client: *const jb_client, timeout_ms: u64) -> done;
    /// `jb_client_drain` without blocking; `callback` is called exactly once,
    /// when the client is closed.
    async fn jb_client_drain_async;
    {
        let client = jb_client::get(client, "client")?;
        async move {
            match opt_ms(timeout_ms) {
                Some(timeout) => client.drain_within(timeout).await,
                None => client.drain().await,
            }
        }
    }
}

blocking_and_async! {
    /// Waits until every ack queued so far (`jb_message_ack`, `_nak`,
    /// `_in_progress`, `_term`) was written to the connection and, when
    /// `confirm` is true, until the server answered a round trip sent after
    /// them (so it has processed them). Bounded by the client's request
    /// timeout: `JB_RESULT_TIMEOUT`, or `JB_RESULT_CONNECTION` while
    /// disconnected; `JB_RESULT_CLOSED` on a closed client.
    fn jb_client_flush_acks(client: *const jb_client, confirm: bool) -> done;
    /// `jb_client_flush_acks` without blocking; `callback` is called exactly once.
    async fn jb_client_flush_acks_async;
    {
        let client = jb_client::get(client, "client")?;
        async move { client.flush_acks(confirm).await }
    }
}

/// Frees the handle. NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE` (double free detected, nothing happens).
/// Never blocks (safe in a callback). `jb_client_close` (or `_drain`) first
/// is the way to know everything was flushed; freeing an open client instead
/// settles in the background what it still had to do, without reporting:
/// - acks already queued (`jb_message_ack`, `_nak`, `_term`, …) are still
///   sent, and the connection stays open until the server confirmed them
///   (a round trip, bounded by the client's request timeout);
/// - async publishes in flight still complete and call their callback;
/// - publishers, consumers, subscriptions and messages made from it keep
///   working until they are freed: the connection ends after the last of
///   them (and after the settling above).
///
/// A client that is closed already frees at once.
#[unsafe(no_mangle)]
pub extern "C" fn jb_client_free(client: *mut jb_client) -> jb_result {
    boundary(|| {
        if let Some(client) = jb_client::remove(client)? {
            settle_in_background(client);
        }
        Ok(())
    })
}

/// Keeps the connection until the acks queued so far are confirmed by the
/// server (`flush_acks(true)`, bounded by the request timeout), then lets
/// go: the last holder dropping its client must not lose queued acks.
fn settle_in_background(client: std::sync::Arc<Client>) {
    if client.is_closed() {
        return;
    }
    // A detached task holds the client; without a runtime (never, once a
    // client exists) there is nothing to settle.
    let _ = jetbridge_core::runtime::spawn(async move {
        let _ = client.flush_acks(true).await;
    });
}

/// Copies the client's counters into `*out`. Never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_client_counters(
    client: *const jb_client,
    out: *mut jb_counters,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let c = jb_client::get(client, "client")?.counters();
        let mut value = jb_counters::default();
        for (slot, (_, v)) in counter_slots(&mut value).iter_mut().zip(c.pairs()) {
            *slot = v;
        }
        // SAFETY: checked out-parameter.
        unsafe { out.write(value) };
        Ok(())
    })
}

/// The name of counter `index` of `jb_counters`: its field name, in field
/// order (`"published"` is 0); NULL past the last. Static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn jb_counter_name(index: usize) -> *const c_char {
    static NAMES: LazyLock<Vec<CString>> = LazyLock::new(|| {
        let names = CountersSnapshot::NAMES.iter();
        names.map(|n| crate::convert::lossy_cstring(n)).collect()
    });
    crate::panic::boundary_or(std::ptr::null(), || {
        NAMES.get(index).map_or(std::ptr::null(), |n| n.as_ptr())
    })
}

/// Copies the connection state into `*out`. Never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_client_connection_state(
    client: *const jb_client,
    out: *mut jb_connection_state,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let s = jb_client::get(client, "client")?.connection_state();
        // SAFETY: checked out-parameter.
        unsafe {
            out.write(jb_connection_state {
                connected: s.connected,
                generation: s.generation,
                closed: s.closed,
            })
        };
        Ok(())
    })
}

/// The server's maximum payload (headers included) in bytes. Never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_client_max_payload(
    client: *const jb_client,
    out: *mut usize,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        let max = jb_client::get(client, "client")?.max_payload();
        // SAFETY: checked out-parameter.
        unsafe { out.write(max) };
        Ok(())
    })
}

/// The client behind a handle argument (used by the other modules).
pub(crate) fn client(handle: *const jb_client) -> Result<Client> {
    if handle.is_null() {
        return Err(null("client"));
    }
    Ok((*jb_client::get(handle, "client")?).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_fields_follow_the_core_names() {
        let mut c = jb_counters::default();
        for (i, slot) in counter_slots(&mut c).iter_mut().enumerate() {
            *slot = i as u64;
        }
        let fields: Vec<String> = CountersSnapshot::NAMES
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{n}: {i}"))
            .collect();
        assert_eq!(
            format!("{c:?}"),
            format!("jb_counters {{ {} }}", fields.join(", "))
        );
    }
}
