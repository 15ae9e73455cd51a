package jetbridge

// Watching a bucket: a pump (pump.go) asks the C watcher for its next event
// (jb_kv_watcher_next_async) and hands it to the Updates channel.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"unsafe"
)

//export goKvWatchEvent
func goKvWatchEvent(ud unsafe.Pointer, code C.jb_result, msg *C.char, e *C.jb_kv_entry, caughtUp C.bool) {
	r := asyncResult{err: callbackError(code)}
	if r.err == nil {
		var entry *KvEntry // nil: the caught-up marker
		if e != nil && !bool(caughtUp) {
			entry = kvEntryFromC(e)
		}
		r.value = entry
	}
	deliver(ud, r)
}

// KvWatcher is a running watch. Receive from Updates; Stop it (or end the
// ctx given to Watch) when done, which also releases it.
type KvWatcher struct {
	p *pump[*KvEntry]
}

// kvWatchBuffer is the capacity of a watch's Updates channel.
const kvWatchBuffer = 64

// Watch watches the keys matching filter (KvWatchAll for all; "*" matches
// one token, e.g. "db.*", a final ">" the rest) with KvWatchOptions (types_gen.go; the zero value
// delivers the latest entry of each key, delete and purge markers included).
// Updates receives those initial entries, then one nil entry, the
// "caught up" marker (exactly once, also when there was nothing to
// deliver), then every change as it happens. A bad filter is
// ErrInvalidArgument.
//
// The watch runs until Stop or until ctx ends; then Updates is closed (Err
// says why it ended if something else ended it).
func (kv *KeyValue) Watch(ctx context.Context, filter string, opts KvWatchOptions) (*KvWatcher, error) {
	var cs cstrings
	defer cs.free()
	cfilter, err := cs.add(filter, "filter")
	if err != nil {
		return nil, err
	}
	co, err := recordToC(opts, func(js *C.char, out **C.jb_kv_watch_options) C.jb_result {
		return C.jb_kv_watch_options_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_kv_watch_options_free(co)
	var w *C.jb_kv_watcher
	err = kv.with(func(p *C.jb_kv) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_kv_watch(p, cfilter, co, h) },
			func(r asyncResult) { C.jb_kv_watcher_free((*C.jb_kv_watcher)(r.handle)) })
		w = (*C.jb_kv_watcher)(r.handle)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &KvWatcher{startPump(ctx, kvWatchBuffer, pumpCalls[*KvEntry]{
		next: func(ms C.uint64_t, h C.uintptr_t) C.jb_result { return C.go_kv_watcher_next(w, ms, h) },
		halt: func() { C.jb_kv_watcher_stop(w) },
		free: func() { C.jb_kv_watcher_free(w) },
		item: func(v any) (*KvEntry, bool) { e, _ := v.(*KvEntry); return e, true },
	})}, nil
}

// Updates is the channel of entries: a nil entry marks "caught up" (every
// initial value was delivered). It is closed when the watch ends.
func (w *KvWatcher) Updates() <-chan *KvEntry { return w.p.out }

// Stop ends the watch and waits until Updates is closed (entries still
// buffered in it stay readable). Idempotent.
func (w *KvWatcher) Stop() error { return w.p.stopAndWait() }

// Err is the error that ended the watch (e.g. ErrClosed when the client
// was closed), or nil while it runs or after Stop or the end of its ctx.
func (w *KvWatcher) Err() error { return w.p.failure() }
