//! What an object store keeps besides content: links (to an object of
//! this store or another, or to a whole store), an object's name,
//! description and metadata (`jb_object_store_update_meta`), and a writer
//! that sets them from the start (`jb_object_store_writer_meta`).

use std::ffi::{c_char, c_void};

use crate::convert::cstr;
use crate::error::jb_result;
use crate::generated::{jb_object_info, jb_object_meta};
use crate::object_store::{
    info_box, jb_object_info_callback, jb_object_store, jb_object_writer,
    jb_object_writer_callback, prepare_name, store,
};
use crate::record_c;
use crate::runtime::blocking_and_async;

blocking_and_async! {
    /// Makes `name` a link to the object `target` describes (an info read
    /// from this store or another, e.g. by `jb_object_store_info`),
    /// blocking. Reading the link reads the target. `JB_RESULT_ALREADY_EXISTS`
    /// when `name` is an object (a link of that name is replaced);
    /// `JB_RESULT_INVALID_ARGUMENT` for a deleted target or one that is itself
    /// a link. On success `*out` is the link's info, owned by the caller
    /// (`jb_object_info_free`).
    fn jb_object_store_add_link(
        store: *const jb_object_store,
        name: *const c_char,
        target: *const jb_object_info,
    ) -> lend(jb_object_info, jb_object_info_callback);
    /// `jb_object_store_add_link` without blocking; `target` is read before
    /// it returns; the callback gets the info lent.
    async fn jb_object_store_add_link_async;
    {
        // SAFETY: caller's contract.
        let (s, name) = unsafe { prepare_name(store, name) }?;
        // SAFETY: caller's contract.
        let target = unsafe { record_c::read(target, "target") }?;
        async move { s.add_link(&name, &target).await.map(info_box) }
    }
}

blocking_and_async! {
    /// Makes `name` a link to the whole store `bucket`, blocking. Such a link
    /// has no content: `jb_object_store_get` of it is
    /// `JB_RESULT_INVALID_ARGUMENT`. `JB_RESULT_ALREADY_EXISTS` when `name` is
    /// an object. On success `*out` is the link's info, owned by the caller
    /// (`jb_object_info_free`).
    fn jb_object_store_add_bucket_link(
        store: *const jb_object_store,
        name: *const c_char,
        bucket: *const c_char,
    ) -> lend(jb_object_info, jb_object_info_callback);
    /// `jb_object_store_add_bucket_link` without blocking; the callback gets
    /// the info lent.
    async fn jb_object_store_add_bucket_link_async;
    {
        // SAFETY: caller's contract.
        let (s, name) = unsafe { prepare_name(store, name) }?;
        // SAFETY: caller's contract.
        let bucket = unsafe { cstr(bucket, "bucket") }?.to_string();
        async move { s.add_bucket_link(&name, &bucket).await.map(info_box) }
    }
}

blocking_and_async! {
    /// Sets object `name`'s name, description and metadata to `meta`'s (the
    /// generated `jb_object_meta`, filled with `jb_object_meta_default`
    /// first); the content stays, blocking. `JB_RESULT_NOT_FOUND` for a
    /// missing or deleted object; `JB_RESULT_ALREADY_EXISTS` when renaming
    /// onto another object. On success `*out` is the new info, owned by the
    /// caller (`jb_object_info_free`).
    fn jb_object_store_update_meta(
        store: *const jb_object_store,
        name: *const c_char,
        meta: *const jb_object_meta,
    ) -> lend(jb_object_info, jb_object_info_callback);
    /// `jb_object_store_update_meta` without blocking; `meta` is read before
    /// it returns; the callback gets the info lent.
    async fn jb_object_store_update_meta_async;
    {
        // SAFETY: caller's contract.
        let (s, name) = unsafe { prepare_name(store, name) }?;
        // SAFETY: caller's contract.
        let meta = unsafe { record_c::read(meta, "meta") }?;
        async move { s.update_meta(&name, meta).await.map(info_box) }
    }
}

blocking_and_async! {
    /// `jb_object_store_writer` of the object `meta` names (the generated
    /// `jb_object_meta`: name, description and metadata, filled with
    /// `jb_object_meta_default` first). On success `*out` is a new writer
    /// the caller owns (`jb_object_writer_free`).
    fn jb_object_store_writer_meta(
        store: *const jb_object_store,
        meta: *const jb_object_meta,
    ) -> handle(jb_object_writer, jb_object_writer_callback);
    /// `jb_object_store_writer_meta` without blocking; `meta` is read before
    /// it returns; the callback owns the writer.
    async fn jb_object_store_writer_meta_async;
    {
        let s = self::store(store)?;
        // SAFETY: caller's contract.
        let meta = unsafe { record_c::read(meta, "meta") }?;
        async move { s.writer_with_meta(meta) }
    }
}
