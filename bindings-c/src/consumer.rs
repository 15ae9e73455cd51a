//! `jb_consumer`: durable consumers (create, update, bind, info, list,
//! delete, pause, resume, unpin) and `fetch`.

use std::ffi::{c_char, c_void};

use jetbridge_core::{
    Client, Consumer, ConsumerConfig, ConsumerInfo, ConsumerPauseState, Named, ReplaySpeed, Result,
    SequencePair, StartPosition,
};

use crate::client::jb_client;
use crate::convert::{Out, SendPtr, Strings, bad_enum, cstr, out_slice};
use crate::error::{err, jb_result};
use crate::generated::{jb_consumer_config, jb_consumer_pause_state, jb_fetch_options};
use crate::handles::{Handle, Owned, handle_registry, take_back};
use crate::message::{jb_message, jb_messages_callback, message_handles};
use crate::panic::boundary;
use crate::record_c::{self, RecordBox};
use crate::runtime::{
    block, blocking_and_async, error_ptr, jb_done_callback, require, spawn_then, split,
};

/// A consumer of one stream. Opaque handle.
///
/// Caller owns it: free with `jb_consumer_free` (this does not delete the
/// consumer on the server). Under the hood this is the core's `Consumer`.
/// Safe to use from any thread.
pub struct jb_consumer {
    _private: [u8; 0],
}

handle_registry!(jb_consumer, Consumer, 0x14, "jb_consumer");

/// Where delivery starts (`start` fields).
#[repr(u32)]
#[derive(Clone, Copy, Debug)]
pub enum jb_start {
    /// The first message in the stream (default).
    All = 0,
    /// The last message in the stream.
    Last = 1,
    /// The last message of each subject.
    LastPerSubject = 2,
    /// Only messages published after the consumer was created.
    New = 3,
    /// From `start_sequence` (at least 1).
    Sequence = 4,
    /// From `start_time_ns` (Unix nanoseconds).
    Time = 5,
}

/// Delivery progress: consumer and stream sequence.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct jb_sequence_pair {
    /// Consumer sequence.
    pub consumer_sequence: u64,
    /// Stream sequence.
    pub stream_sequence: u64,
}

/// A consumer's configuration and progress. Library-owned: from a blocking
/// call free it with `jb_consumer_info_free`; lent to callbacks for the
/// duration of the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_consumer_info {
    /// The stream it reads.
    pub stream: *const c_char,
    /// Its name.
    pub name: *const c_char,
    /// Its configuration with the server's defaults filled in (owned by
    /// the info).
    pub config: *const jb_consumer_config,
    /// Creation time, Unix nanoseconds.
    pub created_ns: i64,
    /// Last delivered message.
    pub delivered: jb_sequence_pair,
    /// Everything up to here is acked.
    pub ack_floor: jb_sequence_pair,
    /// Delivered but not acked.
    pub num_ack_pending: u64,
    /// Redelivered and still pending.
    pub num_redelivered: u64,
    /// Pull requests waiting.
    pub num_waiting: u64,
    /// Not yet delivered: the consumer's lag.
    pub num_pending: u64,
    /// Cluster leader name, or NULL.
    pub cluster_leader: *const c_char,
}

/// Consumers listed by `jb_client_list_consumers`, in the server's order.
/// Library-owned: from a blocking call free it with
/// `jb_consumer_info_list_free`, which frees the infos in it too (an item is
/// never freed on its own); lent to callbacks for the duration of the call.
#[repr(C)]
#[derive(Debug)]
pub struct jb_consumer_info_list {
    /// The infos, `len` of them (NULL when `len` is 0).
    pub items: *const jb_consumer_info,
    /// Number of infos.
    pub len: usize,
}

/// Called once with a new consumer handle (owned by the callback), or NULL
/// and the error.
pub type jb_consumer_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        consumer: *mut jb_consumer,
    ),
>;

/// Called once with a consumer info lent for the duration of the call.
pub type jb_consumer_info_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        info: *const jb_consumer_info,
    ),
>;

/// Called once with a list of consumer infos lent for the duration of the
/// call (NULL on failure).
pub type jb_consumer_info_list_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        list: *const jb_consumer_info_list,
    ),
>;

/// Called once with a consumer's pause state lent for the duration of the
/// call (NULL on failure).
pub type jb_consumer_pause_state_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        state: *const jb_consumer_pause_state,
    ),
>;

/// The `(start, sequence, time)` fields of a start position.
pub(crate) fn start_to_c(s: StartPosition) -> (u32, u64, i64) {
    match s {
        StartPosition::All => (jb_start::All as u32, 0, 0),
        StartPosition::Last => (jb_start::Last as u32, 0, 0),
        StartPosition::LastPerSubject => (jb_start::LastPerSubject as u32, 0, 0),
        StartPosition::New => (jb_start::New as u32, 0, 0),
        StartPosition::Sequence(seq) => (jb_start::Sequence as u32, seq, 0),
        StartPosition::Time(t) => (jb_start::Time as u32, 0, t),
    }
}

/// The start position of `(start, sequence, time)` fields.
pub(crate) fn start_from_c(start: u32, sequence: u64, time_ns: i64) -> Result<StartPosition> {
    Ok(match start {
        0 => StartPosition::All,
        1 => StartPosition::Last,
        2 => StartPosition::LastPerSubject,
        3 => StartPosition::New,
        4 => StartPosition::Sequence(sequence),
        5 => StartPosition::Time(time_ns),
        v => return Err(bad_enum("start", v)),
    })
}

/// The `JB_REPLAY_SPEED_*` value of a replay speed.
pub(crate) fn speed_to_c(speed: ReplaySpeed) -> u32 {
    ReplaySpeed::VALUES
        .iter()
        .position(|(s, _)| *s == speed)
        .unwrap_or_default() as u32
}

/// The replay speed of a `JB_REPLAY_SPEED_*` value (its position in the
/// core's names).
pub(crate) fn speed_from_c(v: u32) -> Result<ReplaySpeed> {
    ReplaySpeed::VALUES
        .get(v as usize)
        .map(|(speed, _)| *speed)
        .ok_or_else(|| bad_enum("replay speed", v))
}

/// A `jb_consumer_info` with its storage.
#[repr(C)]
pub(crate) struct InfoBox {
    c: jb_consumer_info,
    config: Box<RecordBox<jb_consumer_config>>,
    strings: Strings,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for InfoBox {}

// SAFETY: repr(C) with `jb_consumer_info` first.
unsafe impl Owned for InfoBox {
    type C = jb_consumer_info;
    const TAG: u8 = 0x86;
    const WHAT: &'static str = "jb_consumer_info";
}

fn pair(p: SequencePair) -> jb_sequence_pair {
    jb_sequence_pair {
        consumer_sequence: p.consumer_seq,
        stream_sequence: p.stream_seq,
    }
}

fn info_box(info: ConsumerInfo) -> InfoBox {
    let config = RecordBox::new(&info.config);
    let mut strings = Strings::default();
    let c = jb_consumer_info {
        stream: strings.add(&info.stream),
        name: strings.add(&info.name),
        config: config.c(),
        created_ns: info.created,
        delivered: pair(info.delivered),
        ack_floor: pair(info.ack_floor),
        num_ack_pending: info.num_ack_pending,
        num_redelivered: info.num_redelivered,
        num_waiting: info.num_waiting,
        num_pending: info.num_pending,
        cluster_leader: strings.add_opt(info.cluster.as_ref().and_then(|c| c.leader.as_deref())),
    };
    InfoBox { c, config, strings }
}

/// A `jb_consumer_info_list` with its storage: the items are copies of the
/// boxes' C structs, pointing into the boxes.
#[repr(C)]
pub(crate) struct InfoListBox {
    c: jb_consumer_info_list,
    items: Vec<jb_consumer_info>,
    boxes: Vec<InfoBox>,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for InfoListBox {}

// SAFETY: repr(C) with `jb_consumer_info_list` first.
unsafe impl Owned for InfoListBox {
    type C = jb_consumer_info_list;
    const TAG: u8 = 0x88;
    const WHAT: &'static str = "jb_consumer_info_list";
}

fn info_list_box(infos: Vec<ConsumerInfo>) -> InfoListBox {
    let boxes: Vec<InfoBox> = infos.into_iter().map(info_box).collect();
    let items: Vec<jb_consumer_info> = boxes.iter().map(|b| b.c).collect();
    let c = jb_consumer_info_list {
        items: if items.is_empty() {
            std::ptr::null()
        } else {
            items.as_ptr()
        },
        len: items.len(),
    };
    InfoListBox { c, items, boxes }
}

/// The consumer behind a handle argument.
pub(crate) fn consumer(handle: *const jb_consumer) -> Result<Consumer> {
    Ok((*jb_consumer::get(handle, "consumer")?).clone())
}

/// Frees a consumer info from a blocking call. NULL is a no-op; a double
/// free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_consumer_info_free(info: *mut jb_consumer_info) -> jb_result {
    boundary(|| take_back::<InfoBox>(info))
}

/// Frees a consumer info list from a blocking call, with every info in it.
/// NULL is a no-op; a double free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_consumer_info_list_free(list: *mut jb_consumer_info_list) -> jb_result {
    boundary(|| take_back::<InfoListBox>(list))
}

/// Frees the handle (the consumer stays on the server). NULL is a no-op; a
/// freed handle is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_consumer_free(consumer: *mut jb_consumer) -> jb_result {
    boundary(|| jb_consumer::remove(consumer).map(drop))
}

/// What the client-side consumer calls act on.
struct Target {
    client: Client,
    stream: String,
}

/// # Safety
/// `stream` is NULL or a valid C string.
unsafe fn target(client: *const jb_client, stream: *const c_char) -> Result<Target> {
    Ok(Target {
        client: crate::client::client(client)?,
        // SAFETY: forwarded contract.
        stream: unsafe { cstr(stream, "stream") }?.to_string(),
    })
}

/// # Safety
/// `config` is NULL or valid.
unsafe fn config_arg(config: *const jb_consumer_config) -> Result<ConsumerConfig> {
    // SAFETY: forwarded contract.
    unsafe { record_c::read(config, "config") }
}

blocking_and_async! {
    /// Creates a consumer on `stream`, blocking. Creating it again with the same
    /// configuration returns it; a different one is `JB_RESULT_ALREADY_EXISTS`.
    /// On success `*out` is a new handle the caller owns.
    fn jb_client_create_consumer(
        client: *const jb_client,
        stream: *const c_char,
        config: *const jb_consumer_config,
    ) -> handle(jb_consumer, jb_consumer_callback);
    /// `jb_client_create_consumer` without blocking.
    async fn jb_client_create_consumer_async;
    {
        // SAFETY: caller's contract.
        let (t, config) = unsafe { (target(client, stream)?, config_arg(config)?) };
        async move { t.client.create_consumer(&t.stream, config).await }
    }
}

blocking_and_async! {
    /// Changes an existing durable consumer, blocking (`JB_RESULT_NOT_FOUND` if
    /// missing). `*out` as in `jb_client_create_consumer`.
    fn jb_client_update_consumer(
        client: *const jb_client,
        stream: *const c_char,
        config: *const jb_consumer_config,
    ) -> handle(jb_consumer, jb_consumer_callback);
    /// `jb_client_update_consumer` without blocking.
    async fn jb_client_update_consumer_async;
    {
        // SAFETY: caller's contract.
        let (t, config) = unsafe { (target(client, stream)?, config_arg(config)?) };
        async move { t.client.update_consumer(&t.stream, config).await }
    }
}

blocking_and_async! {
    /// Creates the consumer, or binds to it if it exists with the same
    /// configuration (a different one is `JB_RESULT_CONFIG_MISMATCH`), blocking.
    fn jb_client_get_or_create_consumer(
        client: *const jb_client,
        stream: *const c_char,
        config: *const jb_consumer_config,
    ) -> handle(jb_consumer, jb_consumer_callback);
    /// `jb_client_get_or_create_consumer` without blocking.
    async fn jb_client_get_or_create_consumer_async;
    {
        // SAFETY: caller's contract.
        let (t, config) = unsafe { (target(client, stream)?, config_arg(config)?) };
        async move { t.client.get_or_create_consumer(&t.stream, config).await }
    }
}

/// # Safety
/// As the exported callers.
unsafe fn bind_args(
    client: *const jb_client,
    stream: *const c_char,
    name: *const c_char,
    expected: *const jb_consumer_config,
) -> Result<(Target, String, Option<ConsumerConfig>)> {
    // SAFETY: caller's contract.
    let t = unsafe { target(client, stream) }?;
    // SAFETY: caller's contract.
    let name = unsafe { cstr(name, "name") }?.to_string();
    // SAFETY: caller's contract.
    let expected = match expected.is_null() {
        true => None,
        // SAFETY: caller's contract.
        false => Some(unsafe { record_c::read(expected, "expected") }?),
    };
    Ok((t, name, expected))
}

blocking_and_async! {
    /// Binds to an existing consumer, blocking. With `expected` (may be NULL),
    /// any set field that differs from the server's configuration is
    /// `JB_RESULT_CONFIG_MISMATCH`. `*out` as in `jb_client_create_consumer`.
    fn jb_client_bind_consumer(
        client: *const jb_client,
        stream: *const c_char,
        name: *const c_char,
        expected: *const jb_consumer_config,
    ) -> handle(jb_consumer, jb_consumer_callback);
    /// `jb_client_bind_consumer` without blocking.
    async fn jb_client_bind_consumer_async;
    {
        // SAFETY: caller's contract.
        let (t, name, expected) = unsafe { bind_args(client, stream, name, expected) }?;
        async move { t.client.bind_consumer(&t.stream, &name, expected).await }
    }
}

blocking_and_async! {
    /// A consumer's configuration and progress by name, blocking. On success
    /// `*out` is owned by the caller (`jb_consumer_info_free`).
    fn jb_client_consumer_info(client: *const jb_client, stream: *const c_char, name: *const c_char)
        -> lend(jb_consumer_info, jb_consumer_info_callback);
    /// `jb_client_consumer_info` without blocking.
    async fn jb_client_consumer_info_async;
    {
        // SAFETY: caller's contract.
        let t = unsafe { target(client, stream) }?;
        // SAFETY: caller's contract.
        let name = unsafe { cstr(name, "name") }?.to_string();
        async move { t.client.consumer_info(&t.stream, &name).await.map(info_box) }
    }
}

blocking_and_async! {
    /// Every consumer of `stream`, in the server's order, blocking
    /// (`JB_RESULT_NOT_FOUND` if the stream does not exist); the call reads
    /// every page the server returns. On success `*out` is a new list the
    /// caller owns (`jb_consumer_info_list_free`; its items are not freed on
    /// their own).
    fn jb_client_list_consumers(client: *const jb_client, stream: *const c_char)
        -> lend(jb_consumer_info_list, jb_consumer_info_list_callback);
    /// `jb_client_list_consumers` without blocking; `callback` gets the list
    /// lent for the call.
    async fn jb_client_list_consumers_async;
    {
        // SAFETY: caller's contract.
        let t = unsafe { target(client, stream) }?;
        async move { t.client.list_consumers(&t.stream).await.map(info_list_box) }
    }
}

blocking_and_async! {
    /// Deletes a consumer by name, blocking.
    fn jb_client_delete_consumer(
        client: *const jb_client,
        stream: *const c_char,
        name: *const c_char,
    ) -> done;
    /// `jb_client_delete_consumer` without blocking.
    async fn jb_client_delete_consumer_async;
    {
        // SAFETY: caller's contract.
        let t = unsafe { target(client, stream) }?;
        // SAFETY: caller's contract.
        let name = unsafe { cstr(name, "name") }?.to_string();
        async move { t.client.delete_consumer(&t.stream, &name).await }
    }
}

/// # Safety
/// As the exported callers.
unsafe fn named_target(
    client: *const jb_client,
    stream: *const c_char,
    name: *const c_char,
) -> Result<(Target, String)> {
    // SAFETY: caller's contract.
    let t = unsafe { target(client, stream) }?;
    // SAFETY: caller's contract.
    let name = unsafe { cstr(name, "name") }?.to_string();
    Ok((t, name))
}

/// A library-owned `jb_consumer_pause_state`, freed with
/// `jb_consumer_pause_state_free`.
fn pause_state_box(state: ConsumerPauseState) -> RecordBox<jb_consumer_pause_state> {
    *RecordBox::new(&state)
}

blocking_and_async! {
    /// Pauses a consumer until `until_unix_ns` (Unix nanoseconds), blocking: it
    /// delivers nothing before then and resumes by itself afterwards (or on
    /// `jb_client_resume_consumer`). A time in the past is
    /// `JB_RESULT_INVALID_ARGUMENT`, a missing consumer `JB_RESULT_NOT_FOUND`,
    /// a server older than 2.11 `JB_RESULT_SERVER_TOO_OLD`. On success `*out`
    /// is the state the server reports, owned by the caller
    /// (`jb_consumer_pause_state_free`).
    fn jb_client_pause_consumer(
        client: *const jb_client,
        stream: *const c_char,
        name: *const c_char,
        until_unix_ns: i64,
    ) -> lend(jb_consumer_pause_state, jb_consumer_pause_state_callback);
    /// `jb_client_pause_consumer` without blocking; `callback` gets the state
    /// lent for the call.
    async fn jb_client_pause_consumer_async;
    {
        // SAFETY: caller's contract.
        let (t, name) = unsafe { named_target(client, stream, name) }?;
        let until = jetbridge_core::record::system_time(until_unix_ns);
        async move {
            t.client
                .pause_consumer(&t.stream, &name, until)
                .await
                .map(pause_state_box)
        }
    }
}

blocking_and_async! {
    /// Resumes a paused consumer at once (one that is not paused is left as it
    /// is), blocking. Errors and `*out` as in `jb_client_pause_consumer`.
    fn jb_client_resume_consumer(
        client: *const jb_client,
        stream: *const c_char,
        name: *const c_char,
    ) -> lend(jb_consumer_pause_state, jb_consumer_pause_state_callback);
    /// `jb_client_resume_consumer` without blocking.
    async fn jb_client_resume_consumer_async;
    {
        // SAFETY: caller's contract.
        let (t, name) = unsafe { named_target(client, stream, name) }?;
        async move {
            t.client
                .resume_consumer(&t.stream, &name)
                .await
                .map(pause_state_box)
        }
    }
}

blocking_and_async! {
    /// Unpins the client pinned in priority `group` of a consumer with the
    /// `JB_PRIORITY_POLICY_PINNED_CLIENT` policy, blocking; the server pins
    /// the next client that pulls. A group the consumer does not have is
    /// `JB_RESULT_INVALID_ARGUMENT`, a missing consumer `JB_RESULT_NOT_FOUND`,
    /// a server older than 2.11 `JB_RESULT_SERVER_TOO_OLD`.
    fn jb_client_unpin_consumer(
        client: *const jb_client,
        stream: *const c_char,
        name: *const c_char,
        group: *const c_char,
    ) -> done;
    /// `jb_client_unpin_consumer` without blocking.
    async fn jb_client_unpin_consumer_async;
    {
        // SAFETY: caller's contract.
        let (t, name) = unsafe { named_target(client, stream, name) }?;
        // SAFETY: caller's contract.
        let group = unsafe { cstr(group, "group") }?.to_string();
        async move { t.client.unpin_consumer(&t.stream, &name, &group).await }
    }
}

blocking_and_async! {
    /// This consumer's current configuration and progress (lag:
    /// `num_pending`, `num_ack_pending`), blocking. `*out` as in
    /// `jb_client_consumer_info`.
    fn jb_consumer_get_info(consumer: *const jb_consumer)
        -> lend(jb_consumer_info, jb_consumer_info_callback);
    /// `jb_consumer_get_info` without blocking.
    async fn jb_consumer_get_info_async;
    {
        let c = self::consumer(consumer)?;
        async move { c.info().await.map(info_box) }
    }
}

blocking_and_async! {
    /// Deletes this consumer on the server, blocking.
    fn jb_consumer_delete(consumer: *const jb_consumer) -> done;
    /// `jb_consumer_delete` without blocking.
    async fn jb_consumer_delete_async;
    {
        let c = self::consumer(consumer)?;
        async move { c.delete().await }
    }
}

/// Fetches up to `options->max_messages` messages, waiting up to
/// `options->max_wait_ms`, blocking. Zero messages is not an error. On
/// success `out_messages[0..*out_len]` are new message handles the caller
/// owns (free each with `jb_message_free` or all with `jb_messages_free`,
/// after acking). `out_messages` must have room for `capacity` handles and
/// `capacity` must be at least `max_messages`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_consumer_fetch(
    consumer: *const jb_consumer,
    options: *const jb_fetch_options,
    out_messages: *mut *mut jb_message,
    capacity: usize,
    out_len: *mut usize,
) -> jb_result {
    boundary(|| {
        let out_len = Out::new(out_len, "out_len")?;
        // SAFETY: caller's contract.
        let out = unsafe { out_slice(out_messages, capacity, "out_messages") }?;
        let c = self::consumer(consumer)?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read(options, "options") }?;
        if options.max_messages > capacity {
            return Err(err(
                jetbridge_core::ErrorKind::InvalidArgument,
                "invalid capacity: smaller than options.max_messages",
            ));
        }
        let messages = block(async move { c.fetch(options).await })?;
        let handles = message_handles(messages)?;
        let n = handles.len();
        for (slot, h) in out.iter_mut().zip(handles) {
            slot.write(h);
        }
        // SAFETY: checked out-parameter.
        unsafe { out_len.write(n) };
        Ok(())
    })
}

/// `jb_consumer_fetch` without blocking: `callback` is called exactly once
/// with the fetched handles (owned by the callback; the array itself is lent
/// for the call).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_consumer_fetch_async(
    consumer: *const jb_consumer,
    options: *const jb_fetch_options,
    callback: jb_messages_callback,
    user_data: *mut c_void,
) -> jb_result {
    // SAFETY: the caller's contract, passed on.
    unsafe {
        jb_consumer_fetch_cancellable_async(
            consumer,
            options,
            std::ptr::null(),
            callback,
            user_data,
        )
    }
}

/// `jb_consumer_fetch_async` that `jb_cancel_cancel(cancel)` ends: the
/// callback then comes at once with `JB_RESULT_CLOSED` and no messages, the
/// fetch stops pulling, and a message published later goes to the next
/// fetch (nothing is taken and dropped). A fetch that finished first
/// delivers its messages even if cancelled right after. `cancel` may be NULL
/// (not cancellable) and may be freed once this returns.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_consumer_fetch_cancellable_async(
    consumer: *const jb_consumer,
    options: *const jb_fetch_options,
    cancel: *const crate::cancel::jb_cancel,
    callback: jb_messages_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        let c = self::consumer(consumer)?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read(options, "options") }?;
        let cancel = crate::cancel::token(cancel)?;
        let user_data = SendPtr(user_data);
        spawn_then(
            async move {
                let fetched = match cancel {
                    Some(token) => token.run(c.fetch(options)).await?,
                    None => c.fetch(options).await?,
                };
                let handles = message_handles(fetched)?;
                Ok(handles
                    .into_iter()
                    .map(SendPtr::from_handle)
                    .collect::<Vec<_>>())
            },
            move |outcome| {
                let (code, message, handles) = split(outcome);
                let handles: Vec<*mut jb_message> = handles
                    .unwrap_or_default()
                    .into_iter()
                    .map(|h| h.get().cast())
                    .collect();
                // SAFETY: callback contract; the array outlives the call and
                // the handles become the callback's.
                unsafe {
                    callback(
                        user_data.get(),
                        code,
                        error_ptr(&message),
                        handles.as_ptr(),
                        handles.len(),
                    )
                };
            },
        )
    })
}
