package jetbridge

// The cgo plumbing: linking, the C shims that pass a cgo.Handle as user_data
// with the right callback, synchronous calls with their thread-local error,
// and async calls awaited with a context.
//
// Linking: the static libjetbridge.a of the platform, from lib/<goos>-<goarch>/
// beside this file, and its header from include/. The released module
// carries both, so `go get` and CGO_ENABLED=1 are all a build needs; in the
// repository `make -C bindings-c go` puts them there (git-ignored).

/*
#cgo CFLAGS: -I${SRCDIR}/include
#cgo linux,amd64 LDFLAGS: -L${SRCDIR}/lib/linux-amd64
#cgo LDFLAGS: -ljetbridge
#cgo linux LDFLAGS: -lpthread -ldl -lm -lrt
#include "shim.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime"
	"runtime/cgo"
	"strings"
	"unsafe"
)

// call runs one synchronous C call and turns a failure into an *Error with
// the library's thread-local detail (read on the same OS thread).
func call(f func() C.jb_result) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return lastError(f())
}

// await starts an async C call with a fresh cgo.Handle as user_data and waits
// for its callback or ctx. If ctx ends first, the result is released by
// `release` when it arrives.
func await(ctx context.Context, start func(h C.uintptr_t) C.jb_result, release func(asyncResult)) (asyncResult, error) {
	if err := ctx.Err(); err != nil {
		return asyncResult{}, err
	}
	ch, err := startAsync(start)
	if err != nil {
		return asyncResult{}, err
	}
	select {
	case r := <-ch:
		return r, r.err
	case <-ctx.Done():
		if release != nil {
			go func() {
				if r := <-ch; r.err == nil {
					release(r)
				}
			}()
		}
		return asyncResult{}, ctx.Err()
	}
}

// awaitCancellable is await for an operation the core can cancel (the call
// takes a jb_cancel): when ctx ends first, the call is cancelled in the core
// and its own outcome, which then comes at once, is awaited. What the call
// finished before it saw the cancel is returned, never dropped (a fetch's
// messages); otherwise ctx.Err().
func awaitCancellable(ctx context.Context, start func(h C.uintptr_t, cancel *C.jb_cancel) C.jb_result) (asyncResult, error) {
	if err := ctx.Err(); err != nil {
		return asyncResult{}, err
	}
	var cancel *C.jb_cancel
	if err := call(func() C.jb_result { return C.jb_cancel_new(&cancel) }); err != nil {
		return asyncResult{}, err
	}
	defer C.jb_cancel_free(cancel)
	ch, err := startAsync(func(h C.uintptr_t) C.jb_result { return start(h, cancel) })
	if err != nil {
		return asyncResult{}, err
	}
	select {
	case r := <-ch:
		return r, r.err
	case <-ctx.Done():
		C.jb_cancel_cancel(cancel)
		if r := <-ch; r.err == nil {
			return r, nil
		}
		return asyncResult{}, ctx.Err()
	}
}

// startAsync starts an async C call with a fresh cgo.Handle as user_data;
// its callback delivers the result to the returned channel. When the start
// fails, the handle is deleted: no callback will come.
func startAsync(start func(h C.uintptr_t) C.jb_result) (chan asyncResult, error) {
	ch := make(chan asyncResult, 1)
	h := cgo.NewHandle(ch)
	if err := call(func() C.jb_result { return start(C.uintptr_t(h)) }); err != nil {
		h.Delete()
		return nil, err
	}
	return ch, nil
}

// awaitPastDeadline is await for an operation that the core bounds by ctx's
// deadline itself (it was given the time left): when the deadline passes,
// the core's answer, due right after it (its own bounded clean-up
// included), is returned rather than ctx.Err(). Cancelling ctx returns
// ctx.Err() at once, as in await, and a result that comes later is given to
// release (when not nil).
func awaitPastDeadline(ctx context.Context, start func(h C.uintptr_t) C.jb_result, release func(asyncResult)) (asyncResult, error) {
	if err := ctx.Err(); err != nil {
		return asyncResult{}, err
	}
	ch, err := startAsync(start)
	if err != nil {
		return asyncResult{}, err
	}
	select {
	case r := <-ch:
		return r, r.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			r := <-ch
			return r, r.err
		}
		if release != nil {
			go func() {
				if r := <-ch; r.err == nil {
					release(r)
				}
			}()
		}
		return asyncResult{}, ctx.Err()
	}
}

// cstrings holds C copies of Go strings until freed.
type cstrings struct{ ptrs []unsafe.Pointer }

// add copies s into C memory; an embedded NUL is INVALID_ARGUMENT (a C
// string cannot carry it).
func (c *cstrings) add(s, what string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, invalid(what, "contains an embedded NUL")
	}
	p := C.CString(s)
	c.ptrs = append(c.ptrs, unsafe.Pointer(p))
	return p, nil
}

// opt is add with "" meaning NULL.
func (c *cstrings) opt(s, what string) (*C.char, error) {
	if s == "" {
		return nil, nil
	}
	return c.add(s, what)
}

// array copies a string slice into a C array of C strings (NULL when empty).
func (c *cstrings) array(items []string, what string) (**C.char, C.size_t, error) {
	if len(items) == 0 {
		return nil, 0, nil
	}
	arr := (**C.char)(C.malloc(C.size_t(len(items)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	c.ptrs = append(c.ptrs, unsafe.Pointer(arr))
	slots := unsafe.Slice(arr, len(items))
	for i, s := range items {
		p, err := c.add(s, what)
		if err != nil {
			return nil, 0, err
		}
		slots[i] = p
	}
	return arr, C.size_t(len(items)), nil
}

func (c *cstrings) free() {
	for _, p := range c.ptrs {
		C.free(p)
	}
	c.ptrs = nil
}

// goStr copies a length-delimited C string.
func goStr(s C.jb_str) string {
	if s.ptr == nil || s.len == 0 {
		return ""
	}
	return C.GoStringN(s.ptr, C.int(s.len))
}

// goStrOpt copies a NUL-terminated C string; NULL is "".
func goStrOpt(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// goBytes copies C bytes.
func goBytes(p *C.uint8_t, n C.size_t) []byte {
	if p == nil || n == 0 {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

// goStrings copies a C array of C strings.
func goStrings(arr **C.char, n C.size_t) []string {
	if arr == nil || n == 0 {
		return nil
	}
	out := make([]string, int(n))
	for i, p := range unsafe.Slice(arr, int(n)) {
		out[i] = C.GoString(p)
	}
	return out
}

// Version is the version of the linked C library, e.g. "0.1.0" (its
// jb_version()). The module links the static library it carries, so it equals
// HeaderVersion and the module's version.
func Version() string { return C.GoString(C.jb_version()) }

// HeaderVersion is the version of the C header this package was compiled
// with (jetbridge.h's JB_VERSION).
const HeaderVersion = C.JB_VERSION
