package jetbridge

// Tracked publish: a pipelined publish whose own outcome comes back through
// a one-shot C callback into a PubAckFuture.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"unsafe"
)

// PubAckFuture is the outcome of one PublishTracked message, as in nats.go:
// exactly one of Ok and Err receives one value (neither is closed), or
// Wait returns it, any number of times.
type PubAckFuture struct {
	ticket uint64
	ok     chan *PubAck
	err    chan error
	done   chan struct{} // closed once ack or fail is set
	ack    *PubAck
	fail   error
}

// Ticket is the message's ticket, numbered with the publisher's other
// publishes (0, 1, 2…).
func (f *PubAckFuture) Ticket() uint64 { return f.ticket }

// Ok receives the message's ack (Duplicate set when its msg id was seen
// before) once the server stored it.
func (f *PubAckFuture) Ok() <-chan *PubAck { return f.ok }

// Err receives the message's typed error (e.g. ErrWrongLastSequence with
// its APICode, ErrNotFound when no stream captures the subject,
// ErrPublishOutcomeUnknown) when it failed.
func (f *PubAckFuture) Err() <-chan error { return f.err }

// Wait returns the ack or the message's error, waiting until it is known
// or ctx ends (then ctx.Err(); the publish goes on).
func (f *PubAckFuture) Wait(ctx context.Context) (*PubAck, error) {
	select {
	case <-f.done:
		return f.ack, f.fail
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f *PubAckFuture) settle(ack *PubAck, err error) {
	f.ack, f.fail = ack, err
	close(f.done)
	if err != nil {
		f.err <- err // buffered: never blocks
	} else {
		f.ok <- ack
	}
}

//export goTrackedAck
func goTrackedAck(ud unsafe.Pointer, code C.jb_result, msg *C.char, ack *C.jb_pub_ack) {
	h := cgo.Handle(uintptr(ud))
	f := h.Value().(*PubAckFuture)
	h.Delete()
	err := callbackError(code)
	var a *PubAck
	if err == nil && ack != nil {
		a = pubAckFromC(ack)
	}
	f.settle(a, err)
}

// PublishTracked queues one message like Publish and tracks its own
// outcome: the returned PubAckFuture gets its ack or its typed error, in
// the background, whenever the caller wants it (dropping the future does
// not cancel the publish). The message also counts in the next Flush
// report, like any other. An invalid message or a closed publisher is the
// error here, and nothing was queued.
//
// While the window is full it waits for room; ctx is checked before, not
// during that wait (the core's tracked publish has no timeout form).
func (p *Publisher) PublishTracked(ctx context.Context, msg PublishMessage) (*PubAckFuture, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cm, err := toCMessages(ctx, []PublishMessage{msg}, false)
	if err != nil {
		return nil, err
	}
	defer cm.free()
	f := &PubAckFuture{ok: make(chan *PubAck, 1), err: make(chan error, 1), done: make(chan struct{})}
	h := cgo.NewHandle(f)
	var ticket C.uint64_t
	err = p.with(func(ptr *C.jb_publisher) error {
		return call(func() C.jb_result { return C.go_publish_tracked(ptr, cm.msgs, &ticket, C.uintptr_t(h)) })
	})
	if err != nil {
		h.Delete() // the callback will never come
		return nil, err
	}
	f.ticket = uint64(ticket)
	return f, nil
}
