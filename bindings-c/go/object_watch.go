package jetbridge

// Watching an object store: a pump (pump.go) asks the C watcher for its
// next event (jb_object_watcher_next_async) and hands it to the Updates
// channel, as KvWatcher does for a bucket.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
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
	p *pump[*ObjectInfo]
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
	var w *C.jb_object_watcher
	err = o.with(func(p *C.jb_object_store) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_object_store_watch(p, co, h) },
			func(r asyncResult) { C.jb_object_watcher_free((*C.jb_object_watcher)(r.handle)) })
		w = (*C.jb_object_watcher)(r.handle)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ObjectWatcher{startPump(ctx, kvWatchBuffer, pumpCalls[*ObjectInfo]{
		next: func(ms C.uint64_t, h C.uintptr_t) C.jb_result { return C.go_object_watcher_next(w, ms, h) },
		halt: func() { C.jb_object_watcher_stop(w) },
		free: func() { C.jb_object_watcher_free(w) },
		item: func(v any) (*ObjectInfo, bool) { i, _ := v.(*ObjectInfo); return i, true },
	})}, nil
}

// Updates is the channel of infos: a nil info marks "caught up" (every
// initial info was delivered). It is closed when the watch ends.
func (w *ObjectWatcher) Updates() <-chan *ObjectInfo { return w.p.out }

// Stop ends the watch and waits until Updates is closed (infos still
// buffered in it stay readable). Idempotent.
func (w *ObjectWatcher) Stop() error { return w.p.stopAndWait() }

// Err is the error that ended the watch (e.g. ErrClosed when the client
// was closed), or nil while it runs or after Stop or the end of its ctx.
func (w *ObjectWatcher) Err() error { return w.p.failure() }
