package jetbridge

// Streamed keys: a pump (pump.go) asks the C lister for its next key
// (jb_kv_key_lister_next_async) and hands it to the Keys channel, the shape
// of nats.go's KeyLister.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
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
	p *pump[string]
}

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
	var l *C.jb_kv_key_lister
	err = kv.with(func(p *C.jb_kv) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_kv_list_keys(p, cfilter, h) },
			func(r asyncResult) { C.jb_kv_key_lister_free((*C.jb_kv_key_lister)(r.handle)) })
		l = (*C.jb_kv_key_lister)(r.handle)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &KeyLister{startPump(ctx, 0, pumpCalls[string]{
		next: func(ms C.uint64_t, h C.uintptr_t) C.jb_result { return C.go_kv_key_lister_next(l, ms, h) },
		halt: func() { C.jb_kv_key_lister_stop(l) },
		free: func() { C.jb_kv_key_lister_free(l) },
		item: func(v any) (string, bool) { key, ok := v.(string); return key, ok }, // no key: the end
	})}, nil
}

// Keys is the channel of keys, closed after the last one (or when the
// listing ends early: Stop, the ctx, an error in Err).
func (l *KeyLister) Keys() <-chan string { return l.p.out }

// Stop ends the listing and waits until Keys is closed. Idempotent.
func (l *KeyLister) Stop() error { return l.p.stopAndWait() }

// Err is the error that ended the listing early, or nil.
func (l *KeyLister) Err() error { return l.p.failure() }
