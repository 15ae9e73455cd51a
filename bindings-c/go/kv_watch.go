package jetbridge

// Watching a bucket: a goroutine per watcher asks the C watcher for its next
// event (jb_kv_watcher_next_async) and hands it to the Updates channel.

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
	_ptr     *C.jb_kv_watcher // used and freed by the watch goroutine only
	updates  chan *KvEntry
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{} // closed once the goroutine ended and freed the handle
	mu       sync.Mutex
	err      error
}

const (
	kvWatchBuffer = 64
	// kvWatchWaitMs is how long one next call waits before it is asked again.
	kvWatchWaitMs = 60_000
)

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
	var w *KvWatcher
	err = kv.with(func(p *C.jb_kv) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_kv_watch(p, cfilter, co, h) },
			func(r asyncResult) { C.jb_kv_watcher_free((*C.jb_kv_watcher)(r.handle)) })
		if err == nil {
			w = &KvWatcher{
				_ptr:    (*C.jb_kv_watcher)(r.handle),
				updates: make(chan *KvEntry, kvWatchBuffer),
				stop:    make(chan struct{}),
				done:    make(chan struct{}),
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	go w.run(ctx)
	return w, nil
}

// Updates is the channel of entries: a nil entry marks "caught up" (every
// initial value was delivered). It is closed when the watch ends.
func (w *KvWatcher) Updates() <-chan *KvEntry { return w.updates }

// Stop ends the watch and waits until Updates is closed (entries still
// buffered in it stay readable). Idempotent.
func (w *KvWatcher) Stop() error {
	w.stopOnce.Do(func() { close(w.stop) })
	<-w.done
	return nil
}

// Err is the error that ended the watch (e.g. ErrClosed when the client
// was closed), or nil while it runs or after Stop or the end of its ctx.
func (w *KvWatcher) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// next starts one jb_kv_watcher_next_async; its result arrives on the
// returned channel.
func (w *KvWatcher) next() (chan asyncResult, error) {
	debugGC()
	ch := make(chan asyncResult, 1)
	h := cgo.NewHandle(ch)
	err := call(func() C.jb_result { return C.go_kv_watcher_next(w._ptr, kvWatchWaitMs, C.uintptr_t(h)) })
	if err != nil {
		h.Delete() // the callback will never come
		return nil, err
	}
	return ch, nil
}

// run delivers events until the watch ends, then frees the handle and
// closes Updates.
func (w *KvWatcher) run(ctx context.Context) {
	defer func() {
		C.jb_kv_watcher_free(w._ptr)
		close(w.updates)
		close(w.done)
	}()
	// halt stops the C watcher and waits for the pending next, which
	// answers CLOSED at once.
	halt := func(pending chan asyncResult) {
		C.jb_kv_watcher_stop(w._ptr)
		if pending != nil {
			<-pending
		}
	}
	for {
		pending, err := w.next()
		if err != nil {
			w.fail(err)
			return
		}
		var r asyncResult
		select {
		case r = <-pending:
		case <-w.stop:
			halt(pending)
			return
		case <-ctx.Done():
			halt(pending)
			return
		}
		if errors.Is(r.err, ErrTimeout) {
			continue // nothing new for a while: ask again
		}
		if r.err != nil {
			w.fail(r.err)
			return
		}
		select {
		case w.updates <- r.value.(*KvEntry):
		case <-w.stop:
			halt(nil)
			return
		case <-ctx.Done():
			halt(nil)
			return
		}
	}
}

func (w *KvWatcher) fail(err error) {
	w.mu.Lock()
	w.err = err
	w.mu.Unlock()
}
