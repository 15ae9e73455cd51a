//! Object stores: create, open and delete a store; write an object piece by
//! piece (`jb_object_writer`), read it chunk by chunk (`jb_object_reader`),
//! info, list and delete; a store's status, sealing it, the account's
//! stores. Objects move in chunks: neither direction holds a
//! whole object in memory.

use std::ffi::{CString, c_char, c_void};
use std::future::Future;
use std::sync::Arc;

use jetbridge_core::{
    DEFAULT_CHUNK_SIZE, ErrorKind, ObjectInfo, ObjectReader, ObjectStore, ObjectWriter, Result,
};

use crate::client::jb_client;
use crate::convert::{Out, SendPtr, bytes, cstr, lossy_cstring, opt_cstr, out_slice};
use crate::error::{err, jb_result, set_last};
use crate::generated::{jb_object_info, jb_object_store_config, jb_object_store_status};
use crate::handles::{Handle, Owned, handle_registry, take_back};
use crate::kv::{jb_kv_key_list, jb_kv_key_list_callback, key_list_box};
use crate::panic::{boundary, boundary_or};
use crate::record_c::{self, RecordBox};
use crate::runtime::{
    block, blocking_and_async, error_ptr, jb_done_callback, require, spawn_then, split,
};

/// An object store. Opaque handle from `jb_client_create_object_store` or
/// `jb_client_object_store`; free with `jb_object_store_free`. Safe to use
/// from any thread.
pub struct jb_object_store {
    _private: [u8; 0],
}

/// A store and its name as a C string (lent by `jb_object_store_bucket`).
pub(crate) struct Store {
    store: ObjectStore,
    name: CString,
}

impl Store {
    fn new(store: ObjectStore) -> Store {
        let name = lossy_cstring(store.bucket());
        Store { store, name }
    }
}

handle_registry!(jb_object_store, Store, 0x1C, "jb_object_store");

/// An object being written. Opaque handle from `jb_object_store_writer`;
/// nothing is visible until `jb_object_writer_finish`. Free it with
/// `jb_object_writer_free` (freeing an unfinished writer aborts it).
pub struct jb_object_writer {
    _private: [u8; 0],
}

handle_registry!(jb_object_writer, ObjectWriter, 0x1D, "jb_object_writer");

/// An object being read. Opaque handle from `jb_object_store_get`; free it
/// with `jb_object_reader_free`.
pub struct jb_object_reader {
    _private: [u8; 0],
}

/// A piece of a chunk: `chunk[start..end]`, sharing the chunk.
struct Piece {
    chunk: Arc<dyn AsRef<[u8]> + Send + Sync>,
    start: usize,
    end: usize,
}

impl Piece {
    fn bytes(&self) -> &[u8] {
        (*self.chunk)
            .as_ref()
            .get(self.start..self.end)
            .unwrap_or(&[])
    }
}

/// A reader, its info in C form (lent by `jb_object_reader_info`) and the
/// unread rest of the current chunk.
pub(crate) struct Reader {
    reader: ObjectReader,
    info: InfoBox,
    rest: tokio::sync::Mutex<Option<Piece>>,
}

/// The C form of an object info, kept for the life of a reader.
struct InfoBox(Box<RecordBox<jb_object_info>>);

// SAFETY: the struct's pointers point into the box's own storage, which is
// never changed after construction: sharing it between threads only reads.
unsafe impl Sync for InfoBox {}

handle_registry!(jb_object_reader, Reader, 0x1E, "jb_object_reader");

/// Objects listed by `jb_object_store_list`. Library-owned: from a blocking
/// call free it with `jb_object_info_list_free`, which frees the infos too
/// (an item is never freed on its own); lent to callbacks for the duration
/// of the call.
#[repr(C)]
#[derive(Debug)]
pub struct jb_object_info_list {
    /// The infos, `len` of them (NULL when `len` is 0).
    pub items: *const jb_object_info,
    /// Number of infos.
    pub len: usize,
}

/// Called once with a new store handle the callback owns (NULL on failure).
pub type jb_object_store_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        store: *mut jb_object_store,
    ),
>;

/// Called once with an object info lent for the duration of the call (NULL
/// on failure).
pub type jb_object_info_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        info: *const jb_object_info,
    ),
>;

/// Called once with a list of object infos lent for the duration of the
/// call (NULL on failure).
pub type jb_object_info_list_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        list: *const jb_object_info_list,
    ),
>;

/// Called once with a store's status lent for the duration of the call
/// (NULL on failure).
pub type jb_object_store_status_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        status: *const jb_object_store_status,
    ),
>;

/// Called once with a new writer handle the callback owns (NULL on failure).
pub type jb_object_writer_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        writer: *mut jb_object_writer,
    ),
>;

/// Called once with a new reader handle the callback owns (NULL on failure).
pub type jb_object_reader_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        reader: *mut jb_object_reader,
    ),
>;

/// Called once with the next piece of an object lent for the duration of
/// the call (`len` 0: the end, size and digest checked; NULL and 0 on
/// failure).
pub type jb_object_chunk_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        result: jb_result,
        error: *const c_char,
        data: *const u8,
        len: usize,
    ),
>;

/// A library-owned `jb_object_info`, freed with `jb_object_info_free`.
pub(crate) fn info_box(info: ObjectInfo) -> RecordBox<jb_object_info> {
    *RecordBox::new(&info)
}

/// A `jb_object_info_list` with its storage: the items are copies of the
/// boxes' C structs, pointing into the boxes.
#[repr(C)]
pub(crate) struct InfoListBox {
    c: jb_object_info_list,
    items: Vec<jb_object_info>,
    boxes: Vec<RecordBox<jb_object_info>>,
}

// SAFETY: the raw pointers point into the box's own storage.
unsafe impl Send for InfoListBox {}

// SAFETY: repr(C) with `jb_object_info_list` first.
unsafe impl Owned for InfoListBox {
    type C = jb_object_info_list;
    const TAG: u8 = 0x8F;
    const WHAT: &'static str = "jb_object_info_list";
}

fn info_list_box(infos: Vec<ObjectInfo>) -> InfoListBox {
    let boxes: Vec<RecordBox<jb_object_info>> = infos.into_iter().map(info_box).collect();
    // SAFETY: `c()` points at the box's own struct, alive in `boxes`.
    let items: Vec<jb_object_info> = boxes.iter().map(|b| unsafe { *b.c() }).collect();
    let c = jb_object_info_list {
        items: if items.is_empty() {
            std::ptr::null()
        } else {
            items.as_ptr()
        },
        len: items.len(),
    };
    InfoListBox { c, items, boxes }
}

/// Frees an object info list from a blocking call, with every info in it.
/// NULL is a no-op; a double free is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_info_list_free(list: *mut jb_object_info_list) -> jb_result {
    boundary(|| take_back::<InfoListBox>(list))
}

/// Frees the store handle (the store stays on the server). NULL is a
/// no-op; a freed handle is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_store_free(store: *mut jb_object_store) -> jb_result {
    boundary(|| jb_object_store::remove(store).map(drop))
}

/// Frees a writer; an unfinished one is aborted (in the background: its
/// chunks are removed, nothing becomes visible). NULL is a no-op; a freed
/// handle is `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_writer_free(writer: *mut jb_object_writer) -> jb_result {
    boundary(|| jb_object_writer::remove(writer).map(drop))
}

/// Frees a reader (reading stops). NULL is a no-op; a freed handle is
/// `JB_RESULT_INVALID_HANDLE`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_reader_free(reader: *mut jb_object_reader) -> jb_result {
    boundary(|| jb_object_reader::remove(reader).map(drop))
}

/// The store behind a handle argument.
pub(crate) fn store(handle: *const jb_object_store) -> Result<ObjectStore> {
    Ok(jb_object_store::get(handle, "store")?.store.clone())
}

/// # Safety
/// `name` is NULL or a valid C string.
pub(crate) unsafe fn prepare_name(
    s: *const jb_object_store,
    name: *const c_char,
) -> Result<(ObjectStore, String)> {
    let s = store(s)?;
    // SAFETY: caller's contract.
    let name = unsafe { cstr(name, "name") }?.to_string();
    Ok((s, name))
}

blocking_and_async! {
    /// Creates an object store, blocking (`config`: the generated
    /// `jb_object_store_config`, filled with `jb_object_store_config_default`
    /// first). Creating it again with the same configuration opens it. On
    /// success `*out` is a new handle the caller owns (`jb_object_store_free`).
    fn jb_client_create_object_store(
        client: *const jb_client,
        config: *const jb_object_store_config,
    ) -> handle(jb_object_store, jb_object_store_callback);
    /// `jb_client_create_object_store` without blocking; the callback owns
    /// the handle.
    async fn jb_client_create_object_store_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let config = unsafe { record_c::read(config, "config") }?;
        async move { c.create_object_store(config).await.map(Store::new) }
    }
}

blocking_and_async! {
    /// Opens an existing object store, blocking (`JB_RESULT_NOT_FOUND` if
    /// there is none). On success `*out` is a new handle the caller owns
    /// (`jb_object_store_free`).
    fn jb_client_object_store(client: *const jb_client, bucket: *const c_char)
        -> handle(jb_object_store, jb_object_store_callback);
    /// `jb_client_object_store` without blocking; the callback owns the handle.
    async fn jb_client_object_store_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let bucket = unsafe { cstr(bucket, "bucket") }?.to_string();
        async move { c.object_store(&bucket).await.map(Store::new) }
    }
}

blocking_and_async! {
    /// Deletes an object store with all its objects, blocking.
    fn jb_client_delete_object_store(client: *const jb_client, bucket: *const c_char) -> done;
    /// `jb_client_delete_object_store` without blocking.
    async fn jb_client_delete_object_store_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let bucket = unsafe { cstr(bucket, "bucket") }?.to_string();
        async move { c.delete_object_store(&bucket).await }
    }
}

blocking_and_async! {
    /// A store's configuration, as the server holds it, whether it is sealed
    /// and the bytes it stores, blocking (`JB_RESULT_NOT_FOUND` if there is
    /// none). On success `*out` is the generated `jb_object_store_status`,
    /// owned by the caller (`jb_object_store_status_free`).
    fn jb_client_object_store_status(client: *const jb_client, bucket: *const c_char)
        -> lend(jb_object_store_status, jb_object_store_status_callback);
    /// `jb_client_object_store_status` without blocking; the callback gets
    /// the status lent.
    async fn jb_client_object_store_status_async;
    {
        let c = crate::client::client(client)?;
        // SAFETY: caller's contract.
        let bucket = unsafe { cstr(bucket, "bucket") }?.to_string();
        async move { c.object_store_status(&bucket).await.map(|s| *RecordBox::new(&s)) }
    }
}

blocking_and_async! {
    /// The names of the account's object stores, sorted, blocking. On
    /// success `*out` is a new list the caller owns (`jb_kv_key_list_free`).
    fn jb_client_object_store_names(client: *const jb_client)
        -> lend(jb_kv_key_list, jb_kv_key_list_callback);
    /// `jb_client_object_store_names` without blocking; the callback gets the
    /// list lent.
    async fn jb_client_object_store_names_async;
    {
        let c = crate::client::client(client)?;
        async move { c.object_store_names().await.map(key_list_box) }
    }
}

blocking_and_async! {
    /// This store's configuration and contents, blocking (as
    /// `jb_client_object_store_status`). On success `*out` is owned by the
    /// caller (`jb_object_store_status_free`).
    fn jb_object_store_get_status(store: *const jb_object_store)
        -> lend(jb_object_store_status, jb_object_store_status_callback);
    /// `jb_object_store_get_status` without blocking; the callback gets the
    /// status lent.
    async fn jb_object_store_get_status_async;
    {
        let s = self::store(store)?;
        async move { s.status().await.map(|s| *RecordBox::new(&s)) }
    }
}

blocking_and_async! {
    /// Seals the store, blocking: from then on the server refuses writes and
    /// deletes (`JB_RESULT_INVALID_ARGUMENT`, API code 10109). It cannot be
    /// undone. On success `*out` is the store's status after sealing, owned
    /// by the caller (`jb_object_store_status_free`).
    fn jb_object_store_seal(store: *const jb_object_store)
        -> lend(jb_object_store_status, jb_object_store_status_callback);
    /// `jb_object_store_seal` without blocking; the callback gets the status
    /// lent.
    async fn jb_object_store_seal_async;
    {
        let s = self::store(store)?;
        async move { s.seal().await.map(|s| *RecordBox::new(&s)) }
    }
}

/// The size of the chunks objects are stored in (the core's, 128 KiB): a
/// good size for the pieces given to `jb_object_writer_write`.
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_chunk_size() -> usize {
    DEFAULT_CHUNK_SIZE
}

/// The store's name, lent: valid as long as the handle. NULL for a NULL or
/// freed handle (then `jb_last_error_message` says which).
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_store_bucket(store: *const jb_object_store) -> *const c_char {
    boundary_or(std::ptr::null(), || {
        match jb_object_store::get(store, "store") {
            // The registry keeps the store alive until `jb_object_store_free`.
            Ok(s) => s.name.as_ptr(),
            Err(e) => {
                set_last(&e);
                std::ptr::null()
            }
        }
    })
}

blocking_and_async! {
    /// The info of object `name`, blocking (`JB_RESULT_NOT_FOUND` when it is
    /// missing or deleted). On success `*out` is the generated
    /// `jb_object_info` (its byte count is `size_bytes`), owned by the caller
    /// (`jb_object_info_free`).
    fn jb_object_store_info(store: *const jb_object_store, name: *const c_char)
        -> lend(jb_object_info, jb_object_info_callback);
    /// `jb_object_store_info` without blocking; the callback gets the info
    /// lent.
    async fn jb_object_store_info_async;
    {
        // SAFETY: caller's contract.
        let (s, name) = unsafe { prepare_name(store, name) }?;
        async move { s.info(&name).await.map(info_box) }
    }
}

blocking_and_async! {
    /// Deletes object `name` (its chunks are removed), blocking
    /// (`JB_RESULT_NOT_FOUND` when it is missing).
    fn jb_object_store_delete(store: *const jb_object_store, name: *const c_char) -> done;
    /// `jb_object_store_delete` without blocking.
    async fn jb_object_store_delete_async;
    {
        // SAFETY: caller's contract.
        let (s, name) = unsafe { prepare_name(store, name) }?;
        async move { s.delete(&name).await }
    }
}

blocking_and_async! {
    /// The infos of the store's objects (deleted ones left out), blocking. On
    /// success `*out` is a new list the caller owns
    /// (`jb_object_info_list_free`).
    fn jb_object_store_list(store: *const jb_object_store)
        -> lend(jb_object_info_list, jb_object_info_list_callback);
    /// `jb_object_store_list` without blocking; the callback gets the list
    /// lent.
    async fn jb_object_store_list_async;
    {
        let s = self::store(store)?;
        async move { s.list().await.map(info_list_box) }
    }
}

blocking_and_async! {
    /// Starts writing object `name` (`description` may be NULL). Write it
    /// with `jb_object_writer_write` in pieces of any size, then
    /// `jb_object_writer_finish` makes it visible, replacing any earlier
    /// version. On success `*out` is a new writer the caller owns
    /// (`jb_object_writer_free`).
    fn jb_object_store_writer(
        store: *const jb_object_store,
        name: *const c_char,
        description: *const c_char,
    ) -> handle(jb_object_writer, jb_object_writer_callback);
    /// `jb_object_store_writer` without blocking; the callback owns the writer.
    async fn jb_object_store_writer_async;
    {
        // SAFETY: caller's contract.
        let (s, name) = unsafe { prepare_name(store, name) }?;
        // SAFETY: caller's contract.
        let description = unsafe { opt_cstr(description, "description") }?.map(str::to_string);
        async move { s.writer(&name, description.as_deref()) }
    }
}

blocking_and_async! {
    /// Appends `len` bytes of `data` to the object, blocking while the
    /// library's send window is full (full chunks are sent as they fill). A
    /// failure aborts the object. `JB_RESULT_CLOSED` after finish or abort.
    fn jb_object_writer_write(writer: *const jb_object_writer, data: *const u8, len: usize)
        -> done;
    /// `jb_object_writer_write` without blocking; the data is copied before it
    /// returns. Wait for the callback before the next write.
    async fn jb_object_writer_write_async;
    {
        let w = jb_object_writer::get(writer, "writer")?;
        // SAFETY: caller's contract.
        let data = unsafe { bytes(data, len, "data") }?.to_vec();
        async move { w.write(&data).await }
    }
}

blocking_and_async! {
    /// Sends the last chunk and the object's info, making it visible,
    /// blocking. On success `*out` is its info, owned by the caller
    /// (`jb_object_info_free`). `JB_RESULT_CLOSED` if already finished or
    /// aborted. The writer still needs `jb_object_writer_free`.
    fn jb_object_writer_finish(writer: *const jb_object_writer)
        -> lend(jb_object_info, jb_object_info_callback);
    /// `jb_object_writer_finish` without blocking; the callback gets the info
    /// lent.
    async fn jb_object_writer_finish_async;
    {
        let w = jb_object_writer::get(writer, "writer")?;
        async move { w.finish().await.map(info_box) }
    }
}

/// Abandons the object: nothing becomes visible and the chunks already sent
/// are removed. Blocks until done, except on a library thread (in a
/// callback), where it finishes in the background. NULL, a freed handle or
/// a finished writer is ignored.
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_writer_abort(writer: *const jb_object_writer) {
    boundary_or((), || {
        let Ok(w) = jb_object_writer::get(writer, "writer") else {
            return;
        };
        let abort = async move {
            w.abort().await;
            Ok(())
        };
        if jetbridge_core::runtime::on_core_thread() {
            let _ = jetbridge_core::runtime::spawn(abort);
        } else {
            let _ = block(abort);
        }
    })
}

blocking_and_async! {
    /// Starts reading object `name`, blocking (`JB_RESULT_NOT_FOUND` when it is
    /// missing or deleted). On success `*out` is a new reader the caller owns
    /// (`jb_object_reader_free`); read it with `jb_object_reader_read`.
    fn jb_object_store_get(store: *const jb_object_store, name: *const c_char)
        -> handle(jb_object_reader, jb_object_reader_callback);
    /// `jb_object_store_get` without blocking; the callback owns the reader.
    async fn jb_object_store_get_async;
    {
        // SAFETY: caller's contract.
        let (s, name) = unsafe { prepare_name(store, name) }?;
        async move {
            let reader = s.get(&name).await?;
            let info = InfoBox(RecordBox::new(reader.info()));
            Ok(Reader {
                reader,
                info,
                rest: tokio::sync::Mutex::new(None),
            })
        }
    }
}

/// The info of the object being read, lent: valid as long as the reader.
/// NULL for a NULL or freed handle (then `jb_last_error_message` says
/// which).
#[unsafe(no_mangle)]
pub extern "C" fn jb_object_reader_info(reader: *const jb_object_reader) -> *const jb_object_info {
    boundary_or(std::ptr::null(), || {
        match jb_object_reader::get(reader, "reader") {
            // The registry keeps the reader alive until `jb_object_reader_free`.
            Ok(r) => r.info.0.c(),
            Err(e) => {
                set_last(&e);
                std::ptr::null()
            }
        }
    })
}

/// The next piece of the object, at most `cap` bytes; `None` at the end
/// (after the core checked size and digest).
fn next_piece(
    reader: *const jb_object_reader,
    cap: usize,
) -> Result<impl Future<Output = Result<Option<Piece>>> + Send + 'static> {
    let r = jb_object_reader::get(reader, "reader")?;
    Ok(async move {
        let mut rest = r.rest.lock().await;
        loop {
            if let Some(p) = rest.take().filter(|p| p.start < p.end) {
                let end = p.start + cap.min(p.end - p.start);
                let piece = Piece {
                    chunk: p.chunk.clone(),
                    start: p.start,
                    end,
                };
                if end < p.end {
                    *rest = Some(Piece { start: end, ..p });
                }
                return Ok(Some(piece));
            }
            let Some(chunk) = r.reader.next_chunk().await? else {
                return Ok(None);
            };
            let end = chunk.len();
            *rest = Some(Piece {
                chunk: Arc::new(chunk),
                start: 0,
                end,
            });
        }
    })
}

/// Copies up to `cap` bytes of the object into `buf`, blocking while the
/// next chunk arrives; the rest of a chunk is kept for the next call. On
/// success `*out_len` is the number of bytes copied: 0 means the end, after
/// the object's size and SHA-256 digest were checked (a mismatch is an
/// error, never data). `cap` 0 is `JB_RESULT_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_object_reader_read(
    reader: *const jb_object_reader,
    buf: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> jb_result {
    boundary(|| {
        let out_len = Out::new(out_len, "out_len")?;
        if cap == 0 {
            return Err(err(
                ErrorKind::InvalidArgument,
                "invalid cap: must be greater than 0",
            ));
        }
        // SAFETY: caller's contract.
        let buf = unsafe { out_slice(buf, cap, "buf") }?;
        let piece = block(next_piece(reader, cap)?)?;
        let data = piece.as_ref().map_or(&[][..], Piece::bytes);
        for (slot, byte) in buf.iter_mut().zip(data) {
            slot.write(*byte);
        }
        // SAFETY: checked out-parameter.
        unsafe { out_len.write(data.len()) };
        Ok(())
    })
}

/// `jb_object_reader_read` without blocking and without copying: the
/// callback gets the next chunk (or the rest of one) lent for the call, with
/// `len` 0 at the end. Wait for the callback before the next read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jb_object_reader_read_async(
    reader: *const jb_object_reader,
    callback: jb_object_chunk_callback,
    user_data: *mut c_void,
) -> jb_result {
    boundary(|| {
        let callback = require(callback)?;
        let fut = next_piece(reader, usize::MAX)?;
        let user_data = SendPtr(user_data);
        spawn_then(fut, move |outcome| {
            let (code, message, piece) = split(outcome);
            let data = piece
                .as_ref()
                .and_then(|p| p.as_ref())
                .map_or(&[][..], Piece::bytes);
            let ptr = if code == jb_result::Ok && !data.is_empty() {
                data.as_ptr()
            } else {
                std::ptr::null()
            };
            // SAFETY: callback contract; `piece` and `message` outlive the call.
            unsafe { callback(user_data.get(), code, error_ptr(&message), ptr, data.len()) };
        })
    })
}
