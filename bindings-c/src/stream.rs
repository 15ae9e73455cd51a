//! Stream administration: create, update, info, delete, purge, list, get
//! (by sequence, last or next on a subject, a batch) and delete a message,
//! find the stream of a subject; the account's usage and limits.

use std::ffi::{c_char, c_void};

use jetbridge_core::{AccountInfo, Client, Result, StoredMessage, StreamConfig, StreamInfo};

use crate::client::{client, jb_client};
use crate::convert::{Out, SendPtr, Strings, cstr, header_views, jb_header, opt_cstr};
use crate::error::jb_result;
use crate::generated::{
    jb_account_info, jb_get_messages_options, jb_purge_options, jb_stream_config,
};
use crate::handles::{Owned, give_string, take_back, take_back_string};
use crate::panic::boundary;
use crate::record_c::{self, RecordBox};
use crate::runtime::{
    block, blocking_and_async, error_ptr, jb_done_callback, require, spawn_then, split,
};

/// A stream's configuration and state. Library-owned: returned by blocking
/// calls (free with `jb_stream_info_free`) or lent to a callback (valid only
/// during the call; do not free).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_stream_info {
    /// The configuration as the server holds it (defaults filled in; owned
    /// by the info).
    pub config: *const jb_stream_config,
    /// Messages stored.
    pub messages: u64,
    /// Bytes stored.
    pub bytes: u64,
    /// Sequence of the first stored message.
    pub first_sequence: u64,
    /// Sequence of the last stored message.
    pub last_sequence: u64,
    /// Number of consumers.
    pub consumers: u64,
    /// Creation time, Unix nanoseconds.
    pub created_ns: i64,
    /// Name of the cluster leader, or NULL.
    pub cluster_leader: *const c_char,
}

/// Streams listed by `jb_client_list_streams`, in the server's order.
/// Library-owned: from a blocking call free it with
/// `jb_stream_info_list_free`, which frees the infos in it too (an item is
/// never freed on its own); lent to callbacks for the duration of the call.
#[repr(C)]
#[derive(Debug)]
pub struct jb_stream_info_list {
    /// The infos, `len` of them (NULL when `len` is 0).
    pub items: *const jb_stream_info,
    /// Number of infos.
    pub len: usize,
}

/// A message read back from a stream. Library-owned like `jb_stream_info`
/// (free with `jb_stored_message_free`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_stored_message {
    /// Its subject.
    pub subject: *const c_char,
    /// Its stream sequence.
    pub sequence: u64,
    /// Its payload (`payload_len` bytes, may contain NUL).
    pub payload: *const u8,
    /// Payload length.
    pub payload_len: usize,
    /// Its headers, sorted by name; a name's values in the order they were sent.
    pub headers: *const jb_header,
    /// Number of headers.
    pub headers_len: usize,
    /// When it was stored, Unix nanoseconds.
    pub timestamp_ns: i64,
}

/// Called once with a stream info lent for the duration of the call (NULL
/// on failure).
pub type jb_stream_info_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        info: *const jb_stream_info,
    ),
>;

/// Called once with a list of stream infos lent for the duration of the
/// call (NULL on failure).
pub type jb_stream_info_list_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        list: *const jb_stream_info_list,
    ),
>;

/// Called once with the account's usage and limits lent for the duration
/// of the call (NULL on failure).
pub type jb_account_info_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        info: *const jb_account_info,
    ),
>;

/// Called once with a stored message lent for the duration of the call
/// (NULL on failure).
pub type jb_stored_message_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        message: *const jb_stored_message,
    ),
>;

/// Stored messages read by `jb_client_get_messages`, in stream order.
/// Library-owned: from a blocking call free it with
/// `jb_stored_message_list_free`, which frees the messages in it too (an
/// item is never freed on its own); lent to callbacks for the duration of
/// the call.
#[repr(C)]
#[derive(Debug)]
pub struct jb_stored_message_list {
    /// The messages, `len` of them (NULL when `len` is 0).
    pub items: *const jb_stored_message,
    /// Number of messages.
    pub len: usize,
}

/// Called once with a list of stored messages lent for the duration of the
/// call (NULL on failure).
pub type jb_stored_message_list_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        list: *const jb_stored_message_list,
    ),
>;

/// Called once with a count (0 on failure).
pub type jb_count_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        count: u64,
    ),
>;

/// Called once with a string lent for the duration of the call (NULL on
/// failure).
pub type jb_string_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        value: *const c_char,
    ),
>;

/// A `jb_stream_info` with its storage.
#[repr(C)]
pub(crate) struct StreamInfoBox {
    c: jb_stream_info,
    config: Box<RecordBox<jb_stream_config>>,
    strings: Strings,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for StreamInfoBox {}

// SAFETY: repr(C) with `jb_stream_info` first.
unsafe impl Owned for StreamInfoBox {
    type C = jb_stream_info;
    const TAG: u8 = 0x81;
    const WHAT: &'static str = "jb_stream_info";
}

fn info_box(info: StreamInfo) -> StreamInfoBox {
    let config = RecordBox::new(&info.config);
    let mut strings = Strings::default();
    let c = jb_stream_info {
        config: config.c(),
        messages: info.state.messages,
        bytes: info.state.bytes,
        first_sequence: info.state.first_sequence,
        last_sequence: info.state.last_sequence,
        consumers: info.state.consumers,
        created_ns: info.created,
        cluster_leader: strings.add_opt(info.cluster.as_ref().and_then(|c| c.leader.as_deref())),
    };
    StreamInfoBox { c, config, strings }
}

/// A `jb_stream_info_list` with its storage: the items are copies of the
/// boxes' C structs, pointing into the boxes.
#[repr(C)]
pub(crate) struct StreamInfoListBox {
    c: jb_stream_info_list,
    items: Vec<jb_stream_info>,
    boxes: Vec<StreamInfoBox>,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for StreamInfoListBox {}

// SAFETY: repr(C) with `jb_stream_info_list` first.
unsafe impl Owned for StreamInfoListBox {
    type C = jb_stream_info_list;
    const TAG: u8 = 0x87;
    const WHAT: &'static str = "jb_stream_info_list";
}

fn info_list_box(infos: Vec<StreamInfo>) -> StreamInfoListBox {
    let boxes: Vec<StreamInfoBox> = infos.into_iter().map(info_box).collect();
    let items: Vec<jb_stream_info> = boxes.iter().map(|b| b.c).collect();
    let c = jb_stream_info_list {
        items: if items.is_empty() {
            std::ptr::null()
        } else {
            items.as_ptr()
        },
        len: items.len(),
    };
    StreamInfoListBox { c, items, boxes }
}

/// A `jb_stored_message` with its storage.
#[repr(C)]
pub(crate) struct StoredBox {
    c: jb_stored_message,
    strings: Strings,
    headers: Vec<jb_header>,
    message: StoredMessage,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for StoredBox {}

// SAFETY: repr(C) with `jb_stored_message` first.
unsafe impl Owned for StoredBox {
    type C = jb_stored_message;
    const TAG: u8 = 0x82;
    const WHAT: &'static str = "jb_stored_message";
}

fn stored_box(message: StoredMessage) -> StoredBox {
    let mut strings = Strings::default();
    let headers = header_views(&message.headers);
    let c = jb_stored_message {
        subject: strings.add(&message.subject),
        sequence: message.sequence,
        payload: message.payload.as_ptr(),
        payload_len: message.payload.len(),
        headers: headers.as_ptr(),
        headers_len: headers.len(),
        timestamp_ns: message.timestamp,
    };
    StoredBox {
        c,
        strings,
        headers,
        message,
    }
}

/// A `jb_stored_message_list` with its storage: the items are copies of the
/// boxes' C structs, pointing into the boxes.
#[repr(C)]
pub(crate) struct StoredListBox {
    c: jb_stored_message_list,
    items: Vec<jb_stored_message>,
    boxes: Vec<StoredBox>,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for StoredListBox {}

// SAFETY: repr(C) with `jb_stored_message_list` first.
unsafe impl Owned for StoredListBox {
    type C = jb_stored_message_list;
    const TAG: u8 = 0x89;
    const WHAT: &'static str = "jb_stored_message_list";
}

fn stored_list_box(messages: Vec<StoredMessage>) -> StoredListBox {
    let boxes: Vec<StoredBox> = messages.into_iter().map(stored_box).collect();
    let items: Vec<jb_stored_message> = boxes.iter().map(|b| b.c).collect();
    let c = jb_stored_message_list {
        items: if items.is_empty() {
            std::ptr::null()
        } else {
            items.as_ptr()
        },
        len: items.len(),
    };
    StoredListBox { c, items, boxes }
}

/// Frees a stream info from a blocking call. NULL is a no-op; a double free
/// is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_stream_info_free(info: *mut jb_stream_info) -> jb_result {
    boundary(|| take_back::<StreamInfoBox>(info))
}

/// Frees a stream info list from a blocking call, with every info in it.
/// NULL is a no-op; a double free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_stream_info_list_free(list: *mut jb_stream_info_list) -> jb_result {
    boundary(|| take_back::<StreamInfoListBox>(list))
}

/// Frees a stored message from a blocking call. NULL is a no-op; a double
/// free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_stored_message_free(message: *mut jb_stored_message) -> jb_result {
    boundary(|| take_back::<StoredBox>(message))
}

/// Frees a stored message list from a blocking call, with every message in
/// it. NULL is a no-op; a double free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_stored_message_list_free(list: *mut jb_stored_message_list) -> jb_result {
    boundary(|| take_back::<StoredListBox>(list))
}

/// Frees a string returned by the library (e.g. by
/// `jb_client_stream_by_subject`). NULL is a no-op; anything else that is not
/// a live library string is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_string_free(s: *mut c_char) -> jb_result {
    boundary(|| take_back_string(s))
}

type Prepared<T> = (Client, T);

/// # Safety
/// `config` is NULL or a valid config.
unsafe fn prepare_config(
    c: *const jb_client,
    config: *const jb_stream_config,
) -> Result<Prepared<StreamConfig>> {
    let client = client(c)?;
    // SAFETY: forwarded contract.
    let config = unsafe { record_c::read(config, "config") }?;
    Ok((client, config))
}

/// # Safety
/// `name` is NULL or a valid C string.
unsafe fn prepare_name(
    c: *const jb_client,
    name: *const c_char,
    what: &str,
) -> Result<Prepared<String>> {
    let client = client(c)?;
    // SAFETY: forwarded contract.
    let name = unsafe { cstr(name, what) }?.to_string();
    Ok((client, name))
}

blocking_and_async! {
    /// Creates a stream, blocking. Creating it again with the same configuration
    /// returns its info; a different configuration is `JB_RESULT_ALREADY_EXISTS`.
    /// On success `*out` is a new info the caller owns (`jb_stream_info_free`).
    fn jb_client_create_stream(client: *const jb_client, config: *const jb_stream_config)
        -> lend(jb_stream_info, jb_stream_info_callback);
    /// `jb_client_create_stream` without blocking; `callback` is called exactly
    /// once with the info lent for the call.
    async fn jb_client_create_stream_async;
    {
        // SAFETY: caller's contract.
        let (c, config) = unsafe { prepare_config(client, config) }?;
        async move { c.create_stream(config).await.map(info_box) }
    }
}

blocking_and_async! {
    /// Replaces a stream's configuration, blocking (`JB_RESULT_NOT_FOUND` if
    /// it does not exist). `*out` as in `jb_client_create_stream`.
    fn jb_client_update_stream(client: *const jb_client, config: *const jb_stream_config)
        -> lend(jb_stream_info, jb_stream_info_callback);
    /// `jb_client_update_stream` without blocking.
    async fn jb_client_update_stream_async;
    {
        // SAFETY: caller's contract.
        let (c, config) = unsafe { prepare_config(client, config) }?;
        async move { c.update_stream(config).await.map(info_box) }
    }
}

blocking_and_async! {
    /// A stream's configuration and state, blocking. On success `*out` is a new
    /// info the caller owns (`jb_stream_info_free`).
    fn jb_client_stream_info(client: *const jb_client, name: *const c_char)
        -> lend(jb_stream_info, jb_stream_info_callback);
    /// `jb_client_stream_info` without blocking.
    async fn jb_client_stream_info_async;
    {
        // SAFETY: caller's contract.
        let (c, name) = unsafe { prepare_name(client, name, "name") }?;
        async move { c.stream_info(&name).await.map(info_box) }
    }
}

blocking_and_async! {
    /// Every stream of the account, in the server's order (by name), blocking;
    /// the call reads every page the server returns. `subject` NULL lists them
    /// all; otherwise only the streams whose subjects overlap it (wildcards
    /// allowed; an invalid subject is `JB_RESULT_INVALID_ARGUMENT`). On
    /// success `*out` is a new list the caller owns
    /// (`jb_stream_info_list_free`; its items are not freed on their own).
    fn jb_client_list_streams(client: *const jb_client, subject: *const c_char)
        -> lend(jb_stream_info_list, jb_stream_info_list_callback);
    /// `jb_client_list_streams` without blocking; `callback` gets the list lent
    /// for the call.
    async fn jb_client_list_streams_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let subject = unsafe { opt_cstr(subject, "subject") }?.map(str::to_string);
        async move { c.list_streams(subject.as_deref()).await.map(info_list_box) }
    }
}

blocking_and_async! {
    /// Deletes a stream with its messages and consumers, blocking.
    fn jb_client_delete_stream(client: *const jb_client, name: *const c_char) -> done;
    /// `jb_client_delete_stream` without blocking.
    async fn jb_client_delete_stream_async;
    {
        // SAFETY: caller's contract.
        let (c, name) = unsafe { prepare_name(client, name, "name") }?;
        async move { c.delete_stream(&name).await }
    }
}

/// Removes messages from a stream, blocking; `*out_purged` is how many.
/// `options` may be NULL (purge everything).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_client_purge_stream(
    client: *const jb_client,
    name: *const c_char,
    options: *const jb_purge_options,
    out_purged: *mut u64,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out_purged, "out_purged")?;
        // SAFETY: caller's contract.
        let (c, name) = unsafe { prepare_name(client, name, "name") }?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read_or_default(options, "options") }?;
        let purged = block(async move { c.purge_stream(&name, options).await })?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(purged) };
        Ok(())
    })
}

/// `jb_client_purge_stream` without blocking; the callback gets the count.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_client_purge_stream_async(
    client: *const jb_client,
    name: *const c_char,
    options: *const jb_purge_options,
    callback: jb_count_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        // SAFETY: caller's contract.
        let (c, name) = unsafe { prepare_name(client, name, "name") }?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read_or_default(options, "options") }?;
        let user_data = SendPtr(user_data);
        spawn_then(
            async move { c.purge_stream(&name, options).await },
            move |outcome| {
                let (code, message, count) = split(outcome);
                // SAFETY: callback contract.
                unsafe {
                    callback(
                        user_data.get(),
                        code,
                        error_ptr(&message),
                        count.unwrap_or(0),
                    )
                };
            },
        )
    })
}

blocking_and_async! {
    /// Reads one stored message by sequence, blocking (`JB_RESULT_NOT_FOUND` if
    /// absent). On success `*out` is owned by the caller
    /// (`jb_stored_message_free`).
    fn jb_client_get_message(client: *const jb_client, stream: *const c_char, sequence: u64)
        -> lend(jb_stored_message, jb_stored_message_callback);
    /// `jb_client_get_message` without blocking.
    async fn jb_client_get_message_async;
    {
        // SAFETY: caller's contract.
        let (c, stream) = unsafe { prepare_name(client, stream, "stream") }?;
        async move { c.get_message(&stream, sequence).await.map(stored_box) }
    }
}

blocking_and_async! {
    /// Reads the newest stored message on `subject`, blocking
    /// (`JB_RESULT_NOT_FOUND` if none). `*out` as in `jb_client_get_message`.
    fn jb_client_get_last_message(
        client: *const jb_client,
        stream: *const c_char,
        subject: *const c_char,
    ) -> lend(jb_stored_message, jb_stored_message_callback);
    /// `jb_client_get_last_message` without blocking.
    async fn jb_client_get_last_message_async;
    {
        // SAFETY: caller's contract.
        let (c, stream) = unsafe { prepare_name(client, stream, "stream") }?;
        // SAFETY: caller's contract.
        let subject = unsafe { cstr(subject, "subject") }?.to_string();
        async move { c.get_last_message(&stream, &subject).await.map(stored_box) }
    }
}

blocking_and_async! {
    /// Reads the first stored message at or after `from_sequence` whose subject
    /// matches `subject` (wildcards allowed), blocking (`JB_RESULT_NOT_FOUND`
    /// if none; `from_sequence` 0 is `JB_RESULT_INVALID_ARGUMENT`). `*out` as
    /// in `jb_client_get_message`.
    fn jb_client_get_next_message(
        client: *const jb_client,
        stream: *const c_char,
        subject: *const c_char,
        from_sequence: u64,
    ) -> lend(jb_stored_message, jb_stored_message_callback);
    /// `jb_client_get_next_message` without blocking.
    async fn jb_client_get_next_message_async;
    {
        // SAFETY: caller's contract.
        let (c, stream) = unsafe { prepare_name(client, stream, "stream") }?;
        // SAFETY: caller's contract.
        let subject = unsafe { cstr(subject, "subject") }?.to_string();
        async move {
            c.get_next_message(&stream, &subject, from_sequence)
                .await
                .map(stored_box)
        }
    }
}

blocking_and_async! {
    /// Reads a batch of stored messages in stream order, blocking (server
    /// 2.11+, else `JB_RESULT_SERVER_TOO_OLD`; a stream without
    /// `allow_direct` is `JB_RESULT_INVALID_ARGUMENT`). `options` (the
    /// generated `jb_get_messages_options`: `max_messages`, `subject`,
    /// `start_sequence` or `start_time_ns`, `max_bytes`) may be NULL for the
    /// core's defaults. Nothing after the start is an empty list. On success
    /// `*out` is a new list the caller owns (`jb_stored_message_list_free`;
    /// its items are not freed on their own).
    fn jb_client_get_messages(
        client: *const jb_client,
        stream: *const c_char,
        options: *const jb_get_messages_options,
    ) -> lend(jb_stored_message_list, jb_stored_message_list_callback);
    /// `jb_client_get_messages` without blocking; `callback` gets the list lent
    /// for the call.
    async fn jb_client_get_messages_async;
    {
        // SAFETY: caller's contract.
        let (c, stream) = unsafe { prepare_name(client, stream, "stream") }?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read_or_default(options, "options") }?;
        async move { c.get_messages(&stream, options).await.map(stored_list_box) }
    }
}

blocking_and_async! {
    /// Deletes the message at `sequence` from `stream`, blocking. With `erase`,
    /// its bytes are overwritten on disk too (secure erase; slower). Sequence 0
    /// is `JB_RESULT_INVALID_ARGUMENT`; a sequence that holds no message, or a
    /// missing stream, `JB_RESULT_NOT_FOUND`; a stream with `deny_delete`
    /// refuses with `JB_RESULT_SERVER`.
    fn jb_client_delete_message(
        client: *const jb_client,
        stream: *const c_char,
        sequence: u64,
        erase: bool,
    ) -> done;
    /// `jb_client_delete_message` without blocking.
    async fn jb_client_delete_message_async;
    {
        // SAFETY: caller's contract.
        let (c, stream) = unsafe { prepare_name(client, stream, "stream") }?;
        async move { c.delete_message(&stream, sequence, erase).await }
    }
}

/// A library-owned `jb_account_info`, freed with `jb_account_info_free`.
fn account_info_box(info: AccountInfo) -> RecordBox<jb_account_info> {
    *RecordBox::new(&info)
}

blocking_and_async! {
    /// The account's JetStream usage and limits, blocking (a limit of -1 is
    /// unlimited). On success `*out` is the generated `jb_account_info`
    /// (`size` set), owned by the caller (`jb_account_info_free`).
    fn jb_client_account_info(client: *const jb_client)
        -> lend(jb_account_info, jb_account_info_callback);
    /// `jb_client_account_info` without blocking; `callback` gets the info lent
    /// for the call.
    async fn jb_client_account_info_async;
    {
        let c = crate::client::client(client)?;
        async move { c.account_info().await.map(account_info_box) }
    }
}

/// The name of the stream that captures `subject`, blocking
/// (`JB_RESULT_NOT_FOUND` if none). On success `*out` is a string the caller
/// owns (`jb_string_free`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_client_stream_by_subject(
    client: *const jb_client,
    subject: *const c_char,
    out: *mut *mut c_char,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: caller's contract.
        let (c, subject) = unsafe { prepare_name(client, subject, "subject") }?;
        let name = block(async move { c.stream_by_subject(&subject).await })?;
        // SAFETY: checked out-parameter.
        unsafe { out.write(give_string(&name)) };
        Ok(())
    })
}

/// `jb_client_stream_by_subject` without blocking; the name is lent to the
/// callback.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_client_stream_by_subject_async(
    client: *const jb_client,
    subject: *const c_char,
    callback: jb_string_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        // SAFETY: caller's contract.
        let (c, subject) = unsafe { prepare_name(client, subject, "subject") }?;
        let user_data = SendPtr(user_data);
        spawn_then(
            async move {
                let name = c.stream_by_subject(&subject).await?;
                Ok(crate::convert::lossy_cstring(&name))
            },
            move |outcome| {
                let (code, message, name) = split(outcome);
                let ptr = name.as_ref().map_or(std::ptr::null(), |n| n.as_ptr());
                // SAFETY: callback contract; `name` outlives the call.
                unsafe { callback(user_data.get(), code, error_ptr(&message), ptr) };
            },
        )
    })
}
