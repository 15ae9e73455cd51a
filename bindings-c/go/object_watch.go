package jetbridge

// Watching an object store: a goroutine per watcher asks the C watcher for
// its next event (jb_object_watcher_next_async) and hands it to the Updates
// channel, as KvWatcher does for a bucket.

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

//export goObjectWatchEvent
func goObjectWatchEvent(ud unsafe.Pointer, code C.jb_result, msg *C.char, info *C.jb_object_info, caughtUp C.bool) {
	r := asyncResult{err: callbackError(code)}
	if r.err == nil {
		var out *ObjectInfo // nil: the caught-up marker
		if info != nil && !bool(caughtUp) {
			out, r.err = objectInfoFromC(info)
		}
		r.value = out
	}
	deliver(ud, r)
}

// ObjectWatcher is a running watch of an object store. Receive from
// Updates; Stop it (or end the ctx given to Watch) when done, which also
// releases it.
type ObjectWatcher struct {
	_ptr     *C.jb_object_watcher // used and freed by the watch goroutine only
	updates  chan *ObjectInfo
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{} // closed once the goroutine ended and freed the handle
	mu       sync.Mutex
	err      error
}

// Watch watches every object's info with ObjectWatchOptions (types_gen.go;
// the zero value delivers the latest info of each object, deleted ones'
// markers included). Updates receives those initial infos, then one nil
// info, the "caught up" marker (exactly once, also when there was nothing
// to deliver), then every change as it happens (puts, meta updates, links,
// deletes).
//
// The watch runs until Stop or until ctx ends; then Updates is closed (Err
// says why it ended if something else ended it).
func (o *ObjectStore) Watch(ctx context.Context, opts ObjectWatchOptions) (*ObjectWatcher, error) {
	co, err := recordToC(opts, func(js *C.char, out **C.jb_object_watch_options) C.jb_result {
		return C.jb_object_watch_options_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_object_watch_options_free(co)
	var w *ObjectWatcher
	err = o.with(func(p *C.jb_object_store) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_object_store_watch(p, co, h) },
			func(r asyncResult) { C.jb_object_watcher_free((*C.jb_object_watcher)(r.handle)) })
		if err == nil {
			w = &ObjectWatcher{
				_ptr:    (*C.jb_object_watcher)(r.handle),
				updates: make(chan *ObjectInfo, kvWatchBuffer),
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

// Updates is the channel of infos: a nil info marks "caught up" (every
// initial info was delivered). It is closed when the watch ends.
func (w *ObjectWatcher) Updates() <-chan *ObjectInfo { return w.updates }

// Stop ends the watch and waits until Updates is closed (infos still
// buffered in it stay readable). Idempotent.
func (w *ObjectWatcher) Stop() error {
	w.stopOnce.Do(func() { close(w.stop) })
	<-w.done
	return nil
}

// Err is the error that ended the watch (e.g. ErrClosed when the client
// was closed), or nil while it runs or after Stop or the end of its ctx.
func (w *ObjectWatcher) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// next starts one jb_object_watcher_next_async; its result arrives on the
// returned channel.
func (w *ObjectWatcher) next() (chan asyncResult, error) {
	debugGC()
	ch := make(chan asyncResult, 1)
	h := cgo.NewHandle(ch)
	err := call(func() C.jb_result { return C.go_object_watcher_next(w._ptr, kvWatchWaitMs, C.uintptr_t(h)) })
	if err != nil {
		h.Delete() // the callback will never come
		return nil, err
	}
	return ch, nil
}

// run delivers events until the watch ends, then frees the handle and
// closes Updates.
func (w *ObjectWatcher) run(ctx context.Context) {
	defer func() {
		C.jb_object_watcher_free(w._ptr)
		close(w.updates)
		close(w.done)
	}()
	// halt stops the C watcher and waits for the pending next, which
	// answers CLOSED at once.
	halt := func(pending chan asyncResult) {
		C.jb_object_watcher_stop(w._ptr)
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
		case w.updates <- r.value.(*ObjectInfo):
		case <-w.stop:
			halt(nil)
			return
		case <-ctx.Done():
			halt(nil)
			return
		}
	}
}

func (w *ObjectWatcher) fail(err error) {
	w.mu.Lock()
	w.err = err
	w.mu.Unlock()
}
