//! Key-value buckets: create, open and delete a bucket; put, create (only if
//! absent), update (compare and set), delete, purge, get (latest or a
//! revision), history, keys; watch changes with a caught-up marker. Bucket
//! administration: create or update, status, the account's buckets; keys
//! that live a given time (`jb_kv_create_with_ttl`).
//!
//! A revision argument of 0 means "no expected revision" (revisions start at
//! 1).

use std::ffi::{CString, c_char, c_void};
use std::future::Future;

use jetbridge_core::{
    ErrorKind, KeyValue, KvEntry, KvOperation, KvWatchEvent, KvWatcher, Result, WATCH_ALL,
};

use crate::client::jb_client;
use crate::convert::{Out, SendPtr, Strings, bytes, cstr, lossy_cstring, ms, opt_cstr};
use crate::error::{err, jb_result, set_last};
use crate::generated::{jb_kv_config, jb_kv_status, jb_kv_watch_options};
use crate::handles::{Handle, Owned, give, handle_registry, take_back};
use crate::panic::{boundary, boundary_or};
use crate::record_c::{self, RecordBox};
use crate::runtime::{
    block, blocking_and_async, error_ptr, jb_done_callback, require, spawn_then, split,
};

/// A key-value bucket. Opaque handle from `jb_client_create_kv` or
/// `jb_client_kv`; free with `jb_kv_free`. Safe to use from any thread.
pub struct jb_kv {
    _private: [u8; 0],
}

/// A bucket and its name as a C string (lent by `jb_kv_bucket`).
pub(crate) struct Bucket {
    kv: KeyValue,
    name: CString,
}

impl Bucket {
    fn new(kv: KeyValue) -> Bucket {
        let name = lossy_cstring(kv.bucket());
        Bucket { kv, name }
    }
}

handle_registry!(jb_kv, Bucket, 0x1A, "jb_kv");

/// A running watch of a bucket. Opaque handle from `jb_kv_watch`; free with
/// `jb_kv_watcher_free`, which stops it. Safe to use from any thread.
pub struct jb_kv_watcher {
    _private: [u8; 0],
}

handle_registry!(jb_kv_watcher, KvWatcher, 0x1B, "jb_kv_watcher");

/// What an entry records.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jb_kv_operation {
    /// A value was written.
    Put = 0,
    /// The key was deleted (its history is kept).
    Delete = 1,
    /// The key was purged (its history is removed).
    Purge = 2,
}

impl From<KvOperation> for jb_kv_operation {
    fn from(op: KvOperation) -> jb_kv_operation {
        match op {
            KvOperation::Put => jb_kv_operation::Put,
            KvOperation::Delete => jb_kv_operation::Delete,
            KvOperation::Purge => jb_kv_operation::Purge,
        }
    }
}

/// One revision of a key. Library-owned: from a blocking call free it with
/// `jb_kv_entry_free`; lent to callbacks for the duration of the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jb_kv_entry {
    /// The bucket.
    pub bucket: *const c_char,
    /// The key.
    pub key: *const c_char,
    /// The value (`value_len` bytes, may contain NUL; empty for deletes and
    /// purges).
    pub value: *const u8,
    /// Value length.
    pub value_len: usize,
    /// The revision (the stream sequence of this entry).
    pub revision: u64,
    /// When it was written, Unix nanoseconds.
    pub created_ns: i64,
    /// Put, delete or purge.
    pub operation: jb_kv_operation,
}

/// Entries of one key, oldest first (`jb_kv_history`). Library-owned: from
/// a blocking call free it with `jb_kv_entry_list_free`, which frees the
/// entries too (an item is never freed on its own); lent to callbacks for
/// the duration of the call.
#[repr(C)]
#[derive(Debug)]
pub struct jb_kv_entry_list {
    /// The entries, `len` of them (NULL when `len` is 0).
    pub items: *const jb_kv_entry,
    /// Number of entries.
    pub len: usize,
}

/// A list of names: the keys of a bucket (`jb_kv_keys`,
/// `jb_kv_keys_matching`), the account's buckets (`jb_client_kv_names`) or
/// object stores (`jb_client_object_store_names`). Library-owned: from a blocking call
/// free it with `jb_kv_key_list_free`; lent to callbacks for the duration of
/// the call.
#[repr(C)]
#[derive(Debug)]
pub struct jb_kv_key_list {
    /// The names, `len` of them (NULL when `len` is 0).
    pub items: *const *const c_char,
    /// Number of names.
    pub len: usize,
}

/// Called once with a new bucket handle the callback owns (NULL on failure).
pub type jb_kv_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        kv: *mut jb_kv,
    ),
>;

/// Called once with the revision a write produced (0 on failure).
pub type jb_kv_revision_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        revision: u64,
    ),
>;

/// Called once with an entry lent for the duration of the call (NULL on
/// failure, and for `jb_kv_get_entry_async` when the key was never written).
pub type jb_kv_entry_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        entry: *const jb_kv_entry,
    ),
>;

/// Called once with a list of entries lent for the duration of the call
/// (NULL on failure).
pub type jb_kv_entry_list_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        list: *const jb_kv_entry_list,
    ),
>;

/// Called once with a list of keys or names lent for the duration of the
/// call (NULL on failure).
pub type jb_kv_key_list_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        list: *const jb_kv_key_list,
    ),
>;

/// Called once with a bucket's status lent for the duration of the call
/// (NULL on failure).
pub type jb_kv_status_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        status: *const jb_kv_status,
    ),
>;

/// Called once with a new watcher handle the callback owns (NULL on
/// failure).
pub type jb_kv_watcher_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        watcher: *mut jb_kv_watcher,
    ),
>;

/// Called once with the next watch event: on success exactly one of `entry`
/// (lent for the duration of the call) or `caught_up` (true) is set.
pub type jb_kv_watch_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        entry: *const jb_kv_entry,
        caught_up: bool,
    ),
>;

/// A `jb_kv_entry` with its storage.
#[repr(C)]
pub(crate) struct EntryBox {
    c: jb_kv_entry,
    strings: Strings,
    entry: KvEntry,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for EntryBox {}

// SAFETY: repr(C) with `jb_kv_entry` first.
unsafe impl Owned for EntryBox {
    type C = jb_kv_entry;
    const TAG: u8 = 0x8C;
    const WHAT: &'static str = "jb_kv_entry";
}

pub(crate) fn entry_box(entry: KvEntry) -> EntryBox {
    let mut strings = Strings::default();
    let c = jb_kv_entry {
        bucket: strings.add(&entry.bucket),
        key: strings.add(&entry.key),
        value: entry.value.as_ptr(),
        value_len: entry.value.len(),
        revision: entry.revision,
        created_ns: entry.created,
        operation: entry.operation.into(),
    };
    EntryBox { c, strings, entry }
}

/// A `jb_kv_entry_list` with its storage.
#[repr(C)]
pub(crate) struct EntryListBox {
    c: jb_kv_entry_list,
    items: Vec<jb_kv_entry>,
    boxes: Vec<EntryBox>,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for EntryListBox {}

// SAFETY: repr(C) with `jb_kv_entry_list` first.
unsafe impl Owned for EntryListBox {
    type C = jb_kv_entry_list;
    const TAG: u8 = 0x8D;
    const WHAT: &'static str = "jb_kv_entry_list";
}

fn entry_list_box(entries: Vec<KvEntry>) -> EntryListBox {
    let boxes: Vec<EntryBox> = entries.into_iter().map(entry_box).collect();
    let items: Vec<jb_kv_entry> = boxes.iter().map(|b| b.c).collect();
    let c = jb_kv_entry_list {
        items: if items.is_empty() {
            std::ptr::null()
        } else {
            items.as_ptr()
        },
        len: items.len(),
    };
    EntryListBox { c, items, boxes }
}

/// A `jb_kv_key_list` with its storage.
#[repr(C)]
pub(crate) struct KeyListBox {
    c: jb_kv_key_list,
    items: Vec<*const c_char>,
    strings: Strings,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for KeyListBox {}

// SAFETY: repr(C) with `jb_kv_key_list` first.
unsafe impl Owned for KeyListBox {
    type C = jb_kv_key_list;
    const TAG: u8 = 0x8E;
    const WHAT: &'static str = "jb_kv_key_list";
}

pub(crate) fn key_list_box(keys: Vec<String>) -> KeyListBox {
    let mut strings = Strings::default();
    let items: Vec<*const c_char> = keys.iter().map(|k| strings.add(k)).collect();
    let c = jb_kv_key_list {
        items: if items.is_empty() {
            std::ptr::null()
        } else {
            items.as_ptr()
        },
        len: items.len(),
    };
    KeyListBox { c, items, strings }
}

/// Frees an entry from a blocking call. NULL is a no-op; a double free is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_entry_free(entry: *mut jb_kv_entry) -> jb_result {
    boundary(|| take_back::<EntryBox>(entry))
}

/// Frees an entry list from a blocking call, with every entry in it. NULL is
/// a no-op; a double free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_entry_list_free(list: *mut jb_kv_entry_list) -> jb_result {
    boundary(|| take_back::<EntryListBox>(list))
}

/// Frees a key or name list from a blocking call. NULL is a no-op; a double free is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_key_list_free(list: *mut jb_kv_key_list) -> jb_result {
    boundary(|| take_back::<KeyListBox>(list))
}

/// Frees the bucket handle (the bucket stays on the server). NULL is a
/// no-op; a freed handle is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_free(kv: *mut jb_kv) -> jb_result {
    boundary(|| jb_kv::remove(kv).map(drop))
}

/// Stops the watch and frees the handle; a `jb_kv_watcher_next` waiting on
/// another thread returns `JB_RESULT_CLOSED`. NULL is a no-op; a freed
/// handle is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_watcher_free(watcher: *mut jb_kv_watcher) -> jb_result {
    boundary(|| {
        if let Some(w) = jb_kv_watcher::remove(watcher)? {
            w.stop();
        }
        Ok(())
    })
}

/// The bucket behind a handle argument.
pub(crate) fn bucket(handle: *const jb_kv) -> Result<KeyValue> {
    Ok(jb_kv::get(handle, "kv")?.kv.clone())
}

/// # Safety
/// `key` is NULL or a valid C string.
unsafe fn prepare_key(kv: *const jb_kv, key: *const c_char) -> Result<(KeyValue, String)> {
    let kv = bucket(kv)?;
    // SAFETY: caller's contract.
    let key = unsafe { cstr(key, "key") }?.to_string();
    Ok((kv, key))
}

/// # Safety
/// As [`prepare_key`]; `value` is NULL or `len` readable bytes.
unsafe fn prepare_value(
    kv: *const jb_kv,
    key: *const c_char,
    value: *const u8,
    len: usize,
) -> Result<(KeyValue, String, Vec<u8>)> {
    // SAFETY: caller's contract.
    let (kv, key) = unsafe { prepare_key(kv, key) }?;
    // SAFETY: caller's contract.
    let value = unsafe { bytes(value, len, "value") }?.to_vec();
    Ok((kv, key, value))
}

/// An expected revision: 0 is none.
fn expected(revision: u64) -> Option<u64> {
    (revision != 0).then_some(revision)
}

/// Spawns `fut` and reports the revision it yields to `callback`.
fn spawn_revision(
    fut: impl Future<Output = Result<u64>> + Send + 'static,
    callback: jb_kv_revision_callback,
    user_data: *mut c_void,
) -> Result<()> {
    let callback = require(callback)?;
    let user_data = SendPtr(user_data);
    spawn_then(fut, move |outcome| {
        let (code, message, revision) = split(outcome);
        // SAFETY: callback contract; `message` outlives the call.
        unsafe {
            callback(
                user_data.get(),
                code,
                error_ptr(&message),
                revision.unwrap_or(0),
            )
        };
    })
}

/// Declares the blocking and `_async` export of a write that yields a
/// revision: blocking writes `*out_revision`, `_async` calls a
/// `jb_kv_revision_callback`.
macro_rules! revision_call {
    (
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?);
        $(#[doc = $adoc:literal])*
        async fn $aname:ident;
        $body:block
    ) => {
        $(#[doc = $doc])*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($($arg: $ty,)* out_revision: *mut u64) -> jb_result {
            boundary(|| {
                let out = Out::new(out_revision, "out_revision")?;
                let revision = block($body)?;
                // SAFETY: checked out-parameter.
                unsafe { out.write(revision) };
                Ok(())
            })
        }

        $(#[doc = $adoc])*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $aname(
            $($arg: $ty,)*
            callback: jb_kv_revision_callback,
            user_data: *mut c_void,
        ) -> jb_result {
            boundary(|| spawn_revision($body, callback, user_data))
        }
    };
}

blocking_and_async! {
    /// Creates a key-value bucket, blocking (`config`: the generated
    /// `jb_kv_config`, filled with `jb_kv_config_default` first). Creating it
    /// again with the same configuration opens it. On success `*out` is a new
    /// handle the caller owns (`jb_kv_free`).
    fn jb_client_create_kv(client: *const jb_client, config: *const jb_kv_config)
        -> handle(jb_kv, jb_kv_callback);
    /// `jb_client_create_kv` without blocking; the callback owns the handle.
    async fn jb_client_create_kv_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let config = unsafe { record_c::read(config, "config") }?;
        async move { c.create_key_value(config).await.map(Bucket::new) }
    }
}

blocking_and_async! {
    /// Opens an existing bucket, blocking (`JB_RESULT_NOT_FOUND` if there is
    /// none). On success `*out` is a new handle the caller owns
    /// (`jb_kv_free`).
    fn jb_client_kv(client: *const jb_client, bucket: *const c_char)
        -> handle(jb_kv, jb_kv_callback);
    /// `jb_client_kv` without blocking; the callback owns the handle.
    async fn jb_client_kv_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let bucket = unsafe { cstr(bucket, "bucket") }?.to_string();
        async move { c.key_value(&bucket).await.map(Bucket::new) }
    }
}

blocking_and_async! {
    /// Deletes a bucket with all its keys, blocking.
    fn jb_client_delete_kv(client: *const jb_client, bucket: *const c_char) -> done;
    /// `jb_client_delete_kv` without blocking.
    async fn jb_client_delete_kv_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let bucket = unsafe { cstr(bucket, "bucket") }?.to_string();
        async move { c.delete_key_value(&bucket).await }
    }
}

blocking_and_async! {
    /// Creates a bucket, or updates the existing one to `config`, blocking.
    /// On success `*out` is a new handle the caller owns (`jb_kv_free`).
    fn jb_client_create_or_update_kv(client: *const jb_client, config: *const jb_kv_config)
        -> handle(jb_kv, jb_kv_callback);
    /// `jb_client_create_or_update_kv` without blocking; the callback owns the
    /// handle.
    async fn jb_client_create_or_update_kv_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let config = unsafe { record_c::read(config, "config") }?;
        async move { c.create_or_update_key_value(config).await.map(Bucket::new) }
    }
}

blocking_and_async! {
    /// A bucket's configuration, as the server holds it, and what it stores,
    /// blocking (`JB_RESULT_NOT_FOUND` if there is none). On success `*out` is
    /// the generated `jb_kv_status`, owned by the caller (`jb_kv_status_free`).
    fn jb_client_kv_status(client: *const jb_client, bucket: *const c_char)
        -> lend(jb_kv_status, jb_kv_status_callback);
    /// `jb_client_kv_status` without blocking; the callback gets the status
    /// lent.
    async fn jb_client_kv_status_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let bucket = unsafe { cstr(bucket, "bucket") }?.to_string();
        async move { c.key_value_status(&bucket).await.map(|s| *RecordBox::new(&s)) }
    }
}

blocking_and_async! {
    /// The names of the account's buckets, sorted, blocking. On success
    /// `*out` is a new list the caller owns (`jb_kv_key_list_free`).
    fn jb_client_kv_names(client: *const jb_client)
        -> lend(jb_kv_key_list, jb_kv_key_list_callback);
    /// `jb_client_kv_names` without blocking; the callback gets the list lent.
    async fn jb_client_kv_names_async;
    {
        let c = crate::client::client(client)?;
        async move { c.key_value_names().await.map(key_list_box) }
    }
}

blocking_and_async! {
    /// This bucket's configuration and what it stores, blocking (as
    /// `jb_client_kv_status`). On success `*out` is owned by the caller
    /// (`jb_kv_status_free`).
    fn jb_kv_get_status(kv: *const jb_kv) -> lend(jb_kv_status, jb_kv_status_callback);
    /// `jb_kv_get_status` without blocking; the callback gets the status lent.
    async fn jb_kv_get_status_async;
    {
        let kv = bucket(kv)?;
        async move { kv.status().await.map(|s| *RecordBox::new(&s)) }
    }
}

/// The filter that matches every key (the core's `WATCH_ALL`), static: what
/// a NULL `filter` of `jb_kv_watch`, `jb_kv_keys_matching` or
/// `jb_kv_list_keys` means.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_watch_all() -> *const c_char {
    static ALL: std::sync::OnceLock<CString> = std::sync::OnceLock::new();
    boundary_or(std::ptr::null(), || {
        ALL.get_or_init(|| lossy_cstring(WATCH_ALL)).as_ptr()
    })
}

/// # Safety
/// `filter` is NULL or a valid C string.
pub(crate) unsafe fn filter_or_all(filter: *const c_char) -> Result<String> {
    // SAFETY: caller's contract.
    let filter = unsafe { opt_cstr(filter, "filter") }?;
    Ok(filter.unwrap_or(WATCH_ALL).to_string())
}

/// The bucket's name, lent: valid as long as the handle. NULL for a NULL or
/// freed handle (then `jb_last_error_message` says which).
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_bucket(kv: *const jb_kv) -> *const c_char {
    boundary_or(std::ptr::null(), || match jb_kv::get(kv, "kv") {
        // The registry keeps the bucket alive until `jb_kv_free`.
        Ok(b) => b.name.as_ptr(),
        Err(e) => {
            set_last(&e);
            std::ptr::null()
        }
    })
}

revision_call! {
    /// Writes `value` (`len` bytes) under `key`, blocking. On success
    /// `*out_revision` is the new revision.
    fn jb_kv_put(kv: *const jb_kv, key: *const c_char, value: *const u8, len: usize);
    /// `jb_kv_put` without blocking; the value is copied before it returns.
    async fn jb_kv_put_async;
    {
        // SAFETY: caller's contract.
        let (kv, key, value) = unsafe { prepare_value(kv, key, value, len) }?;
        async move { kv.put(&key, value).await }
    }
}

revision_call! {
    /// Writes `value` under `key` only if the key has no value (never written,
    /// deleted or purged), blocking; otherwise `JB_RESULT_WRONG_LAST_SEQUENCE`.
    fn jb_kv_create(kv: *const jb_kv, key: *const c_char, value: *const u8, len: usize);
    /// `jb_kv_create` without blocking; the value is copied before it returns.
    async fn jb_kv_create_async;
    {
        // SAFETY: caller's contract.
        let (kv, key, value) = unsafe { prepare_value(kv, key, value, len) }?;
        async move { kv.create(&key, value).await }
    }
}

revision_call! {
    /// `jb_kv_create` of a key that lives `ttl_ms` (whole seconds, at least
    /// one): then the server removes it. The bucket needs `limit_marker_ttl_ms`
    /// in its configuration (server 2.11+), blocking.
    fn jb_kv_create_with_ttl(
        kv: *const jb_kv,
        key: *const c_char,
        value: *const u8,
        len: usize,
        ttl_ms: u64,
    );
    /// `jb_kv_create_with_ttl` without blocking; the value is copied before
    /// it returns.
    async fn jb_kv_create_with_ttl_async;
    {
        // SAFETY: caller's contract.
        let (kv, key, value) = unsafe { prepare_value(kv, key, value, len) }?;
        async move { kv.create_with_ttl(&key, value, ms(ttl_ms)).await }
    }
}

revision_call! {
    /// Writes `value` under `key` only if its latest revision is `revision`
    /// (compare and set), blocking; otherwise
    /// `JB_RESULT_WRONG_LAST_SEQUENCE`.
    fn jb_kv_update(
        kv: *const jb_kv,
        key: *const c_char,
        value: *const u8,
        len: usize,
        revision: u64,
    );
    /// `jb_kv_update` without blocking; the value is copied before it returns.
    async fn jb_kv_update_async;
    {
        // SAFETY: caller's contract.
        let (kv, key, value) = unsafe { prepare_value(kv, key, value, len) }?;
        async move { kv.update(&key, value, revision).await }
    }
}

revision_call! {
    /// Deletes `key` (a delete marker; its history is kept), blocking.
    /// `revision` non-zero: only if that is its latest revision, else
    /// `JB_RESULT_WRONG_LAST_SEQUENCE`.
    fn jb_kv_delete(kv: *const jb_kv, key: *const c_char, revision: u64);
    /// `jb_kv_delete` without blocking.
    async fn jb_kv_delete_async;
    {
        // SAFETY: caller's contract.
        let (kv, key) = unsafe { prepare_key(kv, key) }?;
        async move { kv.delete(&key, expected(revision)).await }
    }
}

revision_call! {
    /// Purges `key` (a purge marker; its history is removed), blocking.
    /// `revision` as in `jb_kv_delete`.
    fn jb_kv_purge(kv: *const jb_kv, key: *const c_char, revision: u64);
    /// `jb_kv_purge` without blocking.
    async fn jb_kv_purge_async;
    {
        // SAFETY: caller's contract.
        let (kv, key) = unsafe { prepare_key(kv, key) }?;
        async move { kv.purge(&key, expected(revision)).await }
    }
}

blocking_and_async! {
    /// The value of `key`, blocking: the latest with `revision` 0, else that
    /// revision. `JB_RESULT_NOT_FOUND` when it was never written or its latest
    /// entry is a delete or purge (the message says which). On success `*out`
    /// is a new entry the caller owns (`jb_kv_entry_free`).
    fn jb_kv_get(kv: *const jb_kv, key: *const c_char, revision: u64)
        -> lend(jb_kv_entry, jb_kv_entry_callback);
    /// `jb_kv_get` without blocking; the callback gets the entry lent.
    async fn jb_kv_get_async;
    {
        // SAFETY: caller's contract.
        let (kv, key) = unsafe { prepare_key(kv, key) }?;
        async move {
            let entry = match revision {
                0 => kv.get(&key).await?,
                r => kv.get_revision(&key, r).await?,
            };
            Ok(entry_box(entry))
        }
    }
}

/// The latest entry of `key`, delete and purge markers included, blocking.
/// On success `*out` is a new entry the caller owns (`jb_kv_entry_free`),
/// or NULL when the key was never written.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_kv_get_entry(
    kv: *const jb_kv,
    key: *const c_char,
    out: *mut *mut jb_kv_entry,
) -> jb_result {
    boundary(|| {
        let out = Out::new(out, "out")?;
        // SAFETY: caller's contract.
        let (kv, key) = unsafe { prepare_key(kv, key) }?;
        let entry = block(async move { kv.entry(&key).await })?;
        let ptr = entry.map_or(std::ptr::null_mut(), |e| give(entry_box(e)));
        // SAFETY: checked out-parameter.
        unsafe { out.write(ptr) };
        Ok(())
    })
}

/// `jb_kv_get_entry` without blocking; the callback gets the entry lent, or
/// NULL with `JB_RESULT_OK` when the key was never written.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_kv_get_entry_async(
    kv: *const jb_kv,
    key: *const c_char,
    callback: jb_kv_entry_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        // SAFETY: caller's contract.
        let (kv, key) = unsafe { prepare_key(kv, key) }?;
        let user_data = SendPtr(user_data);
        spawn_then(
            async move { Ok(kv.entry(&key).await?.map(|e| Box::new(entry_box(e)))) },
            move |outcome| {
                let (code, message, entry) = split(outcome);
                let ptr = entry
                    .as_ref()
                    .and_then(|e| e.as_ref())
                    .map_or(std::ptr::null(), |b| std::ptr::from_ref(&b.c));
                // SAFETY: callback contract; `entry` and `message` outlive the call.
                unsafe { callback(user_data.get(), code, error_ptr(&message), ptr) };
            },
        )
    })
}

blocking_and_async! {
    /// Every entry of `key` the bucket keeps, oldest first, blocking
    /// (`JB_RESULT_NOT_FOUND` when there is none). On success `*out` is a new
    /// list the caller owns (`jb_kv_entry_list_free`).
    fn jb_kv_history(kv: *const jb_kv, key: *const c_char)
        -> lend(jb_kv_entry_list, jb_kv_entry_list_callback);
    /// `jb_kv_history` without blocking; the callback gets the list lent.
    async fn jb_kv_history_async;
    {
        // SAFETY: caller's contract.
        let (kv, key) = unsafe { prepare_key(kv, key) }?;
        async move { kv.history(&key).await.map(entry_list_box) }
    }
}

blocking_and_async! {
    /// The keys that have a value (not deleted or purged), blocking. On
    /// success `*out` is a new list the caller owns (`jb_kv_key_list_free`).
    fn jb_kv_keys(kv: *const jb_kv) -> lend(jb_kv_key_list, jb_kv_key_list_callback);
    /// `jb_kv_keys` without blocking; the callback gets the list lent.
    async fn jb_kv_keys_async;
    {
        let kv = bucket(kv)?;
        async move { kv.keys().await.map(key_list_box) }
    }
}

blocking_and_async! {
    /// The keys matching `filter` (`*` for one token, a final `>` for the
    /// rest; NULL for all) that have a value, blocking. On success `*out` is a
    /// new list the caller owns (`jb_kv_key_list_free`).
    fn jb_kv_keys_matching(kv: *const jb_kv, filter: *const c_char)
        -> lend(jb_kv_key_list, jb_kv_key_list_callback);
    /// `jb_kv_keys_matching` without blocking; the callback gets the list
    /// lent.
    async fn jb_kv_keys_matching_async;
    {
        let kv = bucket(kv)?;
        // SAFETY: caller's contract.
        let filter = unsafe { filter_or_all(filter) }?;
        async move { kv.keys_matching(&filter).await.map(key_list_box) }
    }
}

blocking_and_async! {
    /// Watches the keys matching `filter` (`*` for one token, a final `>` for
    /// the rest; NULL for all, as `jb_kv_watch_all()`),
    /// blocking until the watch runs. `options` (the generated
    /// `jb_kv_watch_options`) may be NULL for the defaults: the latest entry of
    /// each key, then the caught-up marker, then changes. On success `*out`
    /// is a new watcher the caller owns (`jb_kv_watcher_free` stops it).
    fn jb_kv_watch(
        kv: *const jb_kv,
        filter: *const c_char,
        options: *const jb_kv_watch_options,
    ) -> handle(jb_kv_watcher, jb_kv_watcher_callback);
    /// `jb_kv_watch` without blocking; the callback owns the watcher.
    async fn jb_kv_watch_async;
    {
        let kv = bucket(kv)?;
        // SAFETY: caller's contract.
        let filter = unsafe { filter_or_all(filter) }?;
        // SAFETY: caller's contract.
        let options = unsafe { record_c::read_or_default(options, "options") }?;
        async move { kv.watch(&filter, options).await }
    }
}

/// The next event of `watcher` within `timeout_ms`, as an entry box or the
/// marker (`None`).
fn next_event(
    watcher: *const jb_kv_watcher,
    timeout_ms: u64,
) -> Result<impl Future<Output = Result<Option<EntryBox>>> + Send + 'static> {
    let w = jb_kv_watcher::get(watcher, "watcher")?;
    Ok(async move {
        match tokio::time::timeout(ms(timeout_ms), w.next()).await {
            Ok(Ok(KvWatchEvent::Entry(e))) => Ok(Some(entry_box(e))),
            Ok(Ok(KvWatchEvent::CaughtUp)) => Ok(None),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(err(
                ErrorKind::Timeout,
                format!("no watch event within {timeout_ms} ms"),
            )),
        }
    })
}

/// Waits up to `timeout_ms` for the watch's next event, blocking. On
/// success exactly one of: `*out_entry` is a new entry the caller owns
/// (`jb_kv_entry_free`) and `*out_caught_up` false; or `*out_entry` NULL and
/// `*out_caught_up` true (every initial entry was delivered; this comes
/// exactly once, also when there was none). `JB_RESULT_TIMEOUT` when nothing
/// came in time; after a stop, what had already arrived is still given, then
/// `JB_RESULT_CLOSED`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_kv_watcher_next(
    watcher: *const jb_kv_watcher,
    timeout_ms: u64,
    out_entry: *mut *mut jb_kv_entry,
    out_caught_up: *mut bool,
) -> jb_result {
    boundary(|| {
        let out_entry = Out::new(out_entry, "out_entry")?;
        let out_caught_up = Out::new(out_caught_up, "out_caught_up")?;
        let event = block(next_event(watcher, timeout_ms)?)?;
        let caught_up = event.is_none();
        let ptr = event.map_or(std::ptr::null_mut(), give);
        // SAFETY: checked out-parameters.
        unsafe {
            out_entry.write(ptr);
            out_caught_up.write(caught_up);
        }
        Ok(())
    })
}

/// `jb_kv_watcher_next` without blocking: the callback gets the entry lent
/// (and `caught_up` false), or NULL and `caught_up` true.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_kv_watcher_next_async(
    watcher: *const jb_kv_watcher,
    timeout_ms: u64,
    callback: jb_kv_watch_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        let fut = next_event(watcher, timeout_ms)?;
        let user_data = SendPtr(user_data);
        spawn_then(
            async move { Ok(fut.await?.map(Box::new)) },
            move |outcome| {
                let (code, message, event) = split(outcome);
                let caught_up = matches!(event, Some(None));
                let ptr = event
                    .as_ref()
                    .and_then(|e| e.as_ref())
                    .map_or(std::ptr::null(), |b| std::ptr::from_ref(&b.c));
                // SAFETY: callback contract; `event` and `message` outlive the call.
                unsafe { callback(user_data.get(), code, error_ptr(&message), ptr, caught_up) };
            },
        )
    })
}

/// Stops the watch: a waiting or later `jb_kv_watcher_next` returns
/// `JB_RESULT_CLOSED`. The handle still needs `jb_kv_watcher_free`. NULL or a
/// freed handle is ignored.
#[unsafe(no_mangle)]
pub extern "C" fn jb_kv_watcher_stop(watcher: *const jb_kv_watcher) {
    boundary_or((), || {
        if let Ok(w) = jb_kv_watcher::get(watcher, "watcher") {
            w.stop();
        }
    })
}
