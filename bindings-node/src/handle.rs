//! Opaque handles for the per-message hot paths.
//!
//! napi-rs class methods pay for borrow tracking on every call (a global
//! registry lock per `&self`), which is noticeable when JavaScript calls once
//! per message. The per-message calls — a publisher's `tryPublish`, a
//! message's acks and lazy fields — therefore take a plain JavaScript
//! *external* value as their first argument instead of `this`:
//!
//! - [`create`] boxes a value, wraps the box in an external whose finalizer
//!   drops it when the garbage collector collects the external, and tags the
//!   external with the type's [`Handle::TAG`];
//! - [`get`] checks the tag and borrows the value for the duration of the
//!   call. A JavaScript value that is not such a handle is a `TypeError`,
//!   never a wild pointer.
//!
//! The JavaScript layer keeps these handles private.

use std::ptr;

use napi::bindgen_prelude::{ToNapiValue, Unknown};
use napi::{Env, JsValue, Status, sys};

/// A type that can live behind a handle.
pub trait Handle: Send + Sync + Sized + 'static {
    /// A random 128-bit tag, unique per type.
    const TAG: sys::napi_type_tag;
    /// What the handle is, for error messages.
    const WHAT: &'static str;
}

/// Wraps `value` in a new tagged external. The garbage collector drops it.
pub(crate) fn create<T: Handle>(env: sys::napi_env, value: T) -> napi::Result<sys::napi_value> {
    let data = Box::into_raw(Box::new(value));
    let mut external = ptr::null_mut();
    // SAFETY: `data` is a live box; `finalize::<T>` takes it back exactly once.
    let status = unsafe {
        sys::napi_create_external(
            env,
            data.cast(),
            Some(finalize::<T>),
            ptr::null_mut(),
            &mut external,
        )
    };
    if status != sys::Status::napi_ok {
        // SAFETY: the external was not created, so nobody else owns `data`.
        drop(unsafe { Box::from_raw(data) });
        return Err(napi::Error::new(
            Status::from(status),
            "cannot create a handle",
        ));
    }
    // SAFETY: `external` is a fresh object of this environment.
    let status = unsafe { sys::napi_type_tag_object(env, external, &T::TAG) };
    if status != sys::Status::napi_ok {
        return Err(napi::Error::new(
            Status::from(status),
            "cannot tag a handle",
        ));
    }
    Ok(external)
}

unsafe extern "C" fn finalize<T: Handle>(
    _env: sys::napi_env,
    data: *mut std::ffi::c_void,
    _hint: *mut std::ffi::c_void,
) {
    // SAFETY: `data` is the box made by `create::<T>`; napi calls this once.
    // A panic in `T`'s destructor must not unwind into napi.
    let _ = std::panic::catch_unwind(|| drop(unsafe { Box::from_raw(data.cast::<T>()) }));
}

/// Borrows the value behind a handle made by [`create::<T>`], for the
/// duration of the current call (the argument keeps the external alive).
pub(crate) fn get<'a, T: Handle>(env: &Env, value: &Unknown<'a>) -> napi::Result<&'a T> {
    let raw = value.raw();
    let mut tagged = false;
    // SAFETY: JavaScript thread; `raw` is a value of this call.
    let status = unsafe { sys::napi_check_object_type_tag(env.raw(), raw, &T::TAG, &mut tagged) };
    if status != sys::Status::napi_ok || !tagged {
        return Err(napi::Error::new(
            Status::InvalidArg,
            format!("expected a {} handle", T::WHAT),
        ));
    }
    let mut data = ptr::null_mut();
    // SAFETY: the tag proves `raw` is an external made by `create::<T>`.
    let status = unsafe { sys::napi_get_value_external(env.raw(), raw, &mut data) };
    if status != sys::Status::napi_ok || data.is_null() {
        return Err(napi::Error::new(
            Status::InvalidArg,
            format!("expected a {} handle", T::WHAT),
        ));
    }
    // SAFETY: `data` points to a live `T` owned by the external, which the
    // caller's argument keeps from being collected during this call.
    Ok(unsafe { &*data.cast::<T>() })
}

/// A value that becomes a new handle when returned to JavaScript.
pub struct NewHandle<T: Handle>(pub(crate) T);

impl<T: Handle> napi::bindgen_prelude::TypeName for NewHandle<T> {
    fn type_name() -> &'static str {
        "External"
    }

    fn value_type() -> napi::ValueType {
        napi::ValueType::External
    }
}

impl<T: Handle> ToNapiValue for NewHandle<T> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        create(env, val.0)
    }
}
