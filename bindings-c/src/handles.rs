//! Opaque handles and library-owned output structs.
//!
//! **Handles** (`jb_client *`, `jb_message *`, …) are never real pointers: the
//! pointer value encodes a type tag, a slot index and the slot's generation in
//! a global registry, and is never dereferenced. Freeing a handle bumps the
//! generation, so a freed handle (use after free, double free) or a handle of
//! another type is reported as `JB_RESULT_INVALID_HANDLE` instead of being
//! undefined behaviour. Every registry is behind a mutex: handles may be used
//! from any thread.
//!
//! Layout of a handle value (64-bit targets only):
//! `tag (8 bits) | generation (24 bits) | index (32 bits)`. The tag is never 0,
//! so a handle is never NULL and never a plausible heap address.
//!
//! **Output structs** (`jb_pub_ack *`, `jb_stream_info *`, …) are real heap
//! memory the caller reads directly. Their addresses are remembered while they
//! are alive, so a double free (or freeing something else) is detected too.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use jetbridge_core::{ErrorKind, Result};

use crate::error::{err, null};

#[cfg(not(target_pointer_width = "64"))]
compile_error!("jetbridge-c encodes handles in 64-bit pointer values");

const GEN_MASK: u32 = (1 << 24) - 1;

struct Slot<T> {
    generation: u32,
    value: Option<Arc<T>>,
}

struct Slots<T> {
    entries: Vec<Slot<T>>,
    free: Vec<u32>,
}

/// A global table of live objects of one type.
pub(crate) struct Registry<T> {
    tag: u8,
    what: &'static str,
    slots: Mutex<Slots<T>>,
}

impl<T> Registry<T> {
    /// An empty registry whose handles carry `tag` (non-zero, unique per type).
    pub(crate) const fn new(tag: u8, what: &'static str) -> Registry<T> {
        Registry {
            tag,
            what,
            slots: Mutex::new(Slots {
                entries: Vec::new(),
                free: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Slots<T>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn encode(&self, index: u32, generation: u32) -> usize {
        ((self.tag as usize) << 56) | ((generation as usize) << 32) | index as usize
    }

    fn decode(&self, raw: usize) -> Result<(usize, u32)> {
        if (raw >> 56) as u8 != self.tag {
            return Err(err(
                ErrorKind::InvalidHandle,
                format!("not a {} handle", self.what),
            ));
        }
        Ok((raw & 0xFFFF_FFFF, ((raw >> 32) as u32) & GEN_MASK))
    }

    fn stale(&self) -> jetbridge_core::Error {
        err(
            ErrorKind::InvalidHandle,
            format!(
                "the {} handle was already freed (use after free or double free)",
                self.what
            ),
        )
    }

    fn insert_locked(&self, slots: &mut Slots<T>, value: T) -> Result<usize> {
        let value = Some(Arc::new(value));
        if let Some(index) = slots.free.pop() {
            let slot = &mut slots.entries[index as usize];
            slot.value = value;
            return Ok(self.encode(index, slot.generation));
        }
        let index = u32::try_from(slots.entries.len())
            .map_err(|_| err(ErrorKind::LimitExceeded, "too many live handles"))?;
        slots.entries.push(Slot {
            generation: 1,
            value,
        });
        Ok(self.encode(index, 1))
    }

    /// Stores `value` and returns its handle value.
    pub(crate) fn insert(&self, value: T) -> Result<usize> {
        let mut slots = self.lock();
        self.insert_locked(&mut slots, value)
    }

    /// Stores many values under one lock.
    pub(crate) fn insert_many(&self, values: impl IntoIterator<Item = T>) -> Result<Vec<usize>> {
        let mut slots = self.lock();
        values
            .into_iter()
            .map(|v| self.insert_locked(&mut slots, v))
            .collect()
    }

    fn get_locked(&self, slots: &Slots<T>, raw: usize) -> Result<Arc<T>> {
        let (index, generation) = self.decode(raw)?;
        match slots.entries.get(index) {
            Some(Slot {
                generation: g,
                value: Some(v),
            }) if *g == generation => Ok(v.clone()),
            _ => Err(self.stale()),
        }
    }

    /// The live object behind a handle value.
    pub(crate) fn get(&self, raw: usize) -> Result<Arc<T>> {
        let slots = self.lock();
        self.get_locked(&slots, raw)
    }

    /// The live objects behind many handle values, under one lock.
    pub(crate) fn get_many(&self, raws: impl IntoIterator<Item = usize>) -> Vec<Result<Arc<T>>> {
        let slots = self.lock();
        raws.into_iter()
            .map(|raw| self.get_locked(&slots, raw))
            .collect()
    }

    fn remove_locked(&self, slots: &mut Slots<T>, raw: usize) -> Result<Arc<T>> {
        let (index, generation) = self.decode(raw)?;
        let Some(slot) = slots.entries.get_mut(index) else {
            return Err(self.stale());
        };
        if slot.generation != generation || slot.value.is_none() {
            return Err(self.stale());
        }
        let value = slot.value.take().ok_or_else(|| self.stale())?;
        // Generation 0 is never handed out, so the wrap skips it.
        slot.generation = (slot.generation % GEN_MASK) + 1;
        slots.free.push(index as u32);
        Ok(value)
    }

    /// Invalidates a handle value and returns its object.
    pub(crate) fn remove(&self, raw: usize) -> Result<Arc<T>> {
        let mut slots = self.lock();
        self.remove_locked(&mut slots, raw)
    }

    /// Invalidates many handle values under one lock.
    pub(crate) fn remove_many(&self, raws: impl IntoIterator<Item = usize>) -> Vec<Result<Arc<T>>> {
        let mut slots = self.lock();
        raws.into_iter()
            .map(|raw| self.remove_locked(&mut slots, raw))
            .collect()
    }
}

/// An opaque C handle type and the registry of the objects it names.
pub(crate) trait Handle: Sized + 'static {
    /// What the handle stands for.
    type Target: Send + Sync + 'static;

    /// The registry of this handle type.
    fn registry() -> &'static Registry<Self::Target>;

    /// Registers `value` and returns its new handle.
    fn insert(value: Self::Target) -> Result<*mut Self> {
        Self::registry()
            .insert(value)
            .map(std::ptr::without_provenance_mut)
    }

    /// The object behind `handle`: `NULL_PARAMETER` for NULL (naming `what`),
    /// `INVALID_HANDLE` for a freed or foreign handle.
    fn get(handle: *const Self, what: &str) -> Result<Arc<Self::Target>> {
        if handle.is_null() {
            return Err(null(what));
        }
        Self::registry().get(handle.addr())
    }

    /// Invalidates `handle` and returns its object; NULL is `Ok(None)`.
    fn remove(handle: *const Self) -> Result<Option<Arc<Self::Target>>> {
        if handle.is_null() {
            return Ok(None);
        }
        Self::registry().remove(handle.addr()).map(Some)
    }
}

/// Declares the registry of an opaque handle type.
macro_rules! handle_registry {
    ($handle:ty, $target:ty, $tag:expr, $what:expr) => {
        impl $crate::handles::Handle for $handle {
            type Target = $target;
            fn registry() -> &'static $crate::handles::Registry<$target> {
                static REGISTRY: $crate::handles::Registry<$target> =
                    $crate::handles::Registry::new($tag, $what);
                &REGISTRY
            }
        }
    };
}
pub(crate) use handle_registry;

/// A library-owned output: a `#[repr(C)]` struct whose first field is the
/// C-visible struct, followed by the storage its pointers point into.
///
/// # Safety
/// Implementors must be `#[repr(C)]` with a field of type `Self::C` first, so
/// that a pointer to `Self` is also a valid pointer to `Self::C`.
pub(crate) unsafe trait Owned: Sized + Send + 'static {
    /// The C-visible struct.
    type C;
    /// A tag unique among owned output types.
    const TAG: u8;
    /// Its C name, for error messages.
    const WHAT: &'static str;
}

/// Addresses of live owned outputs, with their tags.
static LIVE: LazyLock<Mutex<HashMap<usize, u8>>> = LazyLock::new(Mutex::default);

fn live() -> MutexGuard<'static, HashMap<usize, u8>> {
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Remembers a live output address.
fn register(addr: usize, tag: u8) {
    live().insert(addr, tag);
}

/// Forgets a live output address; fails unless it is live with `tag`.
fn unregister(addr: usize, tag: u8, what: &str) -> Result<()> {
    let mut live = live();
    match live.get(&addr) {
        Some(t) if *t == tag => {
            live.remove(&addr);
            Ok(())
        }
        _ => Err(err(
            ErrorKind::InvalidHandle,
            format!("not a live {what} (already freed, or not from this library)"),
        )),
    }
}

/// Hands an owned output to C; free it with [`take_back`].
pub(crate) fn give<T: Owned>(value: T) -> *mut T::C {
    let ptr = Box::into_raw(Box::new(value));
    register(ptr.addr(), T::TAG);
    ptr.cast()
}

/// Takes back an owned output given by [`give`] and drops it. NULL is a
/// no-op; anything else that is not a live output of this type is
/// `INVALID_HANDLE` (double free, or a foreign pointer), never freed.
pub(crate) fn take_back<T: Owned>(ptr: *mut T::C) -> Result<()> {
    if ptr.is_null() {
        return Ok(());
    }
    unregister(ptr.addr(), T::TAG, T::WHAT)?;
    // SAFETY: the address was produced by `give::<T>` (tag checked) and was
    // removed from the live set above, so this is its only release.
    drop(unsafe { Box::from_raw(ptr.cast::<T>()) });
    Ok(())
}

const STRING_TAG: u8 = 0xF0;

/// Hands a string to C; free it with [`take_back_string`].
pub(crate) fn give_string(s: &str) -> *mut std::ffi::c_char {
    let ptr = crate::convert::lossy_cstring(s).into_raw();
    register(ptr.addr(), STRING_TAG);
    ptr
}

/// Frees a string given by [`give_string`]; NULL is a no-op, anything else
/// is `INVALID_HANDLE`.
pub(crate) fn take_back_string(ptr: *mut std::ffi::c_char) -> Result<()> {
    if ptr.is_null() {
        return Ok(());
    }
    unregister(ptr.addr(), STRING_TAG, "library string")?;
    // SAFETY: produced by `CString::into_raw` in `give_string`; unregistered
    // above, so released once.
    drop(unsafe { std::ffi::CString::from_raw(ptr) });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_and_foreign_handles_are_detected() {
        let a: Registry<u32> = Registry::new(0x71, "a");
        let b: Registry<u32> = Registry::new(0x72, "b");
        let h = a.insert(7).unwrap();
        assert_eq!(*a.get(h).unwrap(), 7);
        assert_eq!(b.get(h).unwrap_err().kind(), ErrorKind::InvalidHandle);
        assert_eq!(*a.remove(h).unwrap(), 7);
        assert_eq!(a.get(h).unwrap_err().kind(), ErrorKind::InvalidHandle);
        assert_eq!(a.remove(h).unwrap_err().kind(), ErrorKind::InvalidHandle);
        // The slot is reused with a new generation: the old handle stays dead.
        let h2 = a.insert(8).unwrap();
        assert_ne!(h, h2);
        assert!(a.get(h).is_err());
        assert_eq!(*a.get(h2).unwrap(), 8);
        assert!(a.get(0).is_err());
    }
}
