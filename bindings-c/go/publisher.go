package jetbridge

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime"
	"unsafe"
)

// PublishFailure is one queued message that did not end in an ack.
type PublishFailure struct {
	Ticket  uint64
	MsgID   string
	Subject string
	Err     error // ErrPublishOutcomeUnknown: it may have been stored
}

// FlushReport says what happened to the messages settled since the
// previous flush.
type FlushReport struct {
	Acked, Duplicates uint64
	Failures          []PublishFailure
}

func flushReportFromC(r *C.jb_flush_report) *FlushReport {
	out := &FlushReport{Acked: uint64(r.acked), Duplicates: uint64(r.duplicates)}
	if r.failures_len > 0 {
		for _, f := range unsafe.Slice(r.failures, int(r.failures_len)) {
			out.Failures = append(out.Failures, PublishFailure{
				Ticket: uint64(f.ticket), MsgID: goStrOpt(f.msg_id), Subject: goStrOpt(f.subject),
				Err: &Error{Code: Code(f.result), Message: goStrOpt(f.error)},
			})
		}
	}
	return out
}

// Publisher publishes pipelined: Publish returns once the message is
// queued (waiting only while the window is full) and the acks are tracked
// in the background; Flush waits for all of them and reports each failure.
// Safe for concurrent use; messages go out in the order they were queued.
type Publisher struct {
	// Freed by the finalizer only: after Close the library answers CLOSED.
	_ptr *C.jb_publisher
	// The window in effect (defaults filled in).
	window PublisherOptions
}

// NewPublisher creates a pipelined publisher with its own window
// (PublisherOptions, types_gen.go).
func (c *Client) NewPublisher(opts PublisherOptions) (*Publisher, error) {
	o, err := recordToC(opts, func(js *C.char, out **C.jb_publisher_options) C.jb_result {
		return C.jb_publisher_options_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_publisher_options_free(o)
	var out *C.jb_publisher
	err = c.with(func(p *C.jb_client) error {
		return call(func() C.jb_result { return C.jb_publisher_new(p, o, &out) })
	})
	if err != nil {
		return nil, err
	}
	pub := &Publisher{_ptr: out}
	err = recordFromC(&pub.window, func(js **C.char) C.jb_result { return C.jb_publisher_options_to_json(o, js) })
	if err != nil {
		C.jb_publisher_free(out)
		return nil, err
	}
	runtime.SetFinalizer(pub, func(p *Publisher) { C.jb_publisher_free(p._ptr) })
	return pub, nil
}

// with runs f with the handle, keeping the publisher alive.
func (p *Publisher) with(f func(ptr *C.jb_publisher) error) error {
	debugGC()
	err := f(p._ptr)
	runtime.KeepAlive(p)
	return err
}

// Publish queues one message and returns its ticket (0, 1, 2… per
// publisher). It returns at once when the window has room; while it is full
// it waits, checking ctx every 100 ms (nothing is queued if ctx ends).
func (p *Publisher) Publish(ctx context.Context, msg PublishMessage) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	cm, err := toCMessages(ctx, []PublishMessage{msg}, false)
	if err != nil {
		return 0, err
	}
	defer cm.free()
	var ticket C.uint64_t
	err = p.with(func(ptr *C.jb_publisher) error {
		for {
			err := call(func() C.jb_result {
				return C.jb_publisher_publish_timeout(ptr, cm.msgs, publishWaitSlice, &ticket)
			})
			if err == nil || !errors.Is(err, ErrTimeout) {
				return err
			}
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
		}
	})
	return uint64(ticket), err
}

// publishWaitSlice bounds one blocking wait for window room, in ms.
const publishWaitSlice = 100

// PublishMany queues msgs in order with one crossing into the library,
// waiting for room as needed. All are validated first: if one is invalid,
// nothing is queued and the error names its index. Returns the tickets.
func (p *Publisher) PublishMany(ctx context.Context, msgs []PublishMessage) ([]uint64, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	cm, err := toCMessages(ctx, msgs, true)
	if err != nil {
		return nil, err
	}
	defer cm.free()
	var tickets []uint64
	err = p.with(func(ptr *C.jb_publisher) error {
		var err error
		tickets, err = p.awaitMany(ctx, ptr, cm)
		return err
	})
	return tickets, err
}

func (p *Publisher) awaitMany(ctx context.Context, ptr *C.jb_publisher, cm *cMessages) ([]uint64, error) {
	r, err := await(ctx, func(h C.uintptr_t) C.jb_result {
		return C.go_publisher_publish_many(ptr, cm.msgs, C.size_t(cm.n), h)
	}, nil)
	if err != nil {
		return nil, err
	}
	return r.value.([]uint64), nil
}

// Flush waits until every queued message is settled and reports what
// happened since the previous flush.
func (p *Publisher) Flush(ctx context.Context) (*FlushReport, error) {
	var rep *FlushReport
	err := p.with(func(ptr *C.jb_publisher) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_publisher_flush(ptr, h) }, nil)
		if err == nil {
			rep = r.value.(*FlushReport)
		}
		return err
	})
	return rep, err
}

// Options is the window in effect: the options given, defaults filled in.
func (p *Publisher) Options() PublisherOptions {
	o := p.window
	o.MaxInFlight, o.MaxInFlightBytes = new(*o.MaxInFlight), new(*o.MaxInFlightBytes)
	return o
}

// InFlight returns the messages and bytes awaiting their ack right now.
func (p *Publisher) InFlight() (messages, bytes int, err error) {
	var m, b C.size_t
	err = p.with(func(ptr *C.jb_publisher) error {
		return call(func() C.jb_result { return C.jb_publisher_in_flight(ptr, &m, &b) })
	})
	return int(m), int(b), err
}

// Close flushes (reporting what happened since the last flush), then
// refuses further publishes with ErrClosed. Idempotent: a later call
// reports nothing new.
func (p *Publisher) Close() (*FlushReport, error) {
	var rep *FlushReport
	err := p.with(func(ptr *C.jb_publisher) error {
		var out *C.jb_flush_report
		err := call(func() C.jb_result { return C.jb_publisher_close(ptr, &out) })
		if err == nil {
			rep = flushReportFromC(out)
			C.jb_flush_report_free(out)
		}
		return err
	})
	return rep, err
}
