package jetbridge

// Streamed keys: a goroutine per lister asks the C lister for its next key
// (jb_kv_key_lister_next_async) and hands it to the Keys channel, the shape
// of nats.go's KeyLister.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime/cgo"
	"sync"
	"unsafe"
)

//export goKvKey
func goKvKey(ud unsafe.Pointer, code C.jb_result, msg *C.char, key *C.char) {
	r := asyncResult{err: callbackError(code)}
	if r.err == nil && key != nil {
		r.value = C.GoString(key) // nil value: the end
	}
	deliver(ud, r)
}

// KeyLister is a running listing of a bucket's keys. Receive from Keys;
// Stop it (or end the ctx given to ListKeys) to end it early, which also
// releases it.
type KeyLister struct {
	_ptr     *C.jb_kv_key_lister // used and freed by the listing goroutine only
	keys     chan string
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{} // closed once the goroutine ended and freed the handle
	mu       sync.Mutex
	err      error
}

// kvKeysWaitMs is how long one next call waits before it is asked again.
const kvKeysWaitMs = 60_000

// ListKeys streams the keys matching filter (KvWatchAll for all; "*"
// matches one token, a final ">" the rest) that have a value, each once,
// without holding them all in memory. Keys is closed after the last one.
// A bad filter is ErrInvalidArgument.
func (kv *KeyValue) ListKeys(ctx context.Context, filter string) (*KeyLister, error) {
	var cs cstrings
	defer cs.free()
	cfilter, err := cs.add(filter, "filter")
	if err != nil {
		return nil, err
	}
	var l *KeyLister
	err = kv.with(func(p *C.jb_kv) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_kv_list_keys(p, cfilter, h) },
			func(r asyncResult) { C.jb_kv_key_lister_free((*C.jb_kv_key_lister)(r.handle)) })
		if err == nil {
			l = &KeyLister{
				_ptr: (*C.jb_kv_key_lister)(r.handle),
				keys: make(chan string),
				stop: make(chan struct{}),
				done: make(chan struct{}),
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	go l.run(ctx)
	return l, nil
}

// Keys is the channel of keys, closed after the last one (or when the
// listing ends early: Stop, the ctx, an error in Err).
func (l *KeyLister) Keys() <-chan string { return l.keys }

// Stop ends the listing and waits until Keys is closed. Idempotent.
func (l *KeyLister) Stop() error {
	l.stopOnce.Do(func() { close(l.stop) })
	<-l.done
	return nil
}

// Err is the error that ended the listing early, or nil.
func (l *KeyLister) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// next starts one jb_kv_key_lister_next_async; its result arrives on the
// returned channel.
func (l *KeyLister) next() (chan asyncResult, error) {
	debugGC()
	ch := make(chan asyncResult, 1)
	h := cgo.NewHandle(ch)
	err := call(func() C.jb_result { return C.go_kv_key_lister_next(l._ptr, kvKeysWaitMs, C.uintptr_t(h)) })
	if err != nil {
		h.Delete() // the callback will never come
		return nil, err
	}
	return ch, nil
}

// run delivers keys until the end, then frees the handle and closes Keys.
func (l *KeyLister) run(ctx context.Context) {
	defer func() {
		C.jb_kv_key_lister_free(l._ptr)
		close(l.keys)
		close(l.done)
	}()
	// halt ends the C listing and waits for the pending next, which then
	// answers the end at once.
	halt := func(pending chan asyncResult) {
		C.jb_kv_key_lister_stop(l._ptr)
		if pending != nil {
			<-pending
		}
	}
	for {
		pending, err := l.next()
		if err != nil {
			l.fail(err)
			return
		}
		var r asyncResult
		select {
		case r = <-pending:
		case <-l.stop:
			halt(pending)
			return
		case <-ctx.Done():
			halt(pending)
			return
		}
		if errors.Is(r.err, ErrTimeout) {
			continue // no key for a while: ask again
		}
		if r.err != nil {
			l.fail(r.err)
			return
		}
		key, ok := r.value.(string)
		if !ok {
			return // the end
		}
		select {
		case l.keys <- key:
		case <-l.stop:
			return
		case <-ctx.Done():
			return
		}
	}
}

func (l *KeyLister) fail(err error) {
	l.mu.Lock()
	l.err = err
	l.mu.Unlock()
}
