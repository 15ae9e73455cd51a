package jetbridge

// Core NATS on the same connection: fire-and-forget publish, subscriptions
// (with queue groups), request-reply and answering a request. The core
// validates every subject, queue name, header and payload size.

/*
#include "shim.h"
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"context"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// CoreMessage is a core NATS message: one a CoreSubscription received, or
// the reply of CoreRequest. There is nothing to ack. Reply is the subject
// an answer goes to ("" when the sender waits for none); Respond sends it.
type CoreMessage struct {
	Subject string
	Data    []byte
	Headers []HeaderField
	Reply   string

	// The C message (kept for Respond; freed by the finalizer) and the
	// client that received it.
	_ptr   *C.jb_core_message
	client *Client
}

// corePayload is a payload and headers copied into one C allocation.
type corePayload struct {
	payload *C.uint8_t
	n       C.size_t
	headers *C.jb_header
	hn      C.size_t
	mem     unsafe.Pointer
}

// newCorePayload copies data and headers into C memory; a header name or
// value is sent as given ("" included) for the core to judge. ctx is the
// call's: a registered PublishHook adds its headers (hookHeaders).
func newCorePayload(ctx context.Context, data []byte, headers []HeaderField) *corePayload {
	headers = hookHeaders(ctx, headers)
	size := len(data) + 1
	for _, h := range headers {
		size += len(h.Name) + len(h.Value)
	}
	hdrSize := int(unsafe.Sizeof(C.jb_header{}))
	mem := C.malloc(C.size_t(len(headers)*hdrSize + size))
	out := &corePayload{mem: mem, n: C.size_t(len(data)), hn: C.size_t(len(headers))}
	buf := unsafe.Slice((*byte)(unsafe.Add(mem, len(headers)*hdrSize)), size)
	pos := copy(buf, data)
	if len(data) > 0 {
		out.payload = (*C.uint8_t)(unsafe.Pointer(&buf[0]))
	}
	empty := C.jb_str{ptr: (*C.char)(unsafe.Pointer(&buf[size-1])), len: 0}
	str := func(s string) C.jb_str {
		if s == "" {
			return empty
		}
		p := unsafe.Pointer(&buf[pos])
		pos += copy(buf[pos:], s)
		return C.jb_str{ptr: (*C.char)(p), len: C.size_t(len(s))}
	}
	if len(headers) > 0 {
		hdrs := unsafe.Slice((*C.jb_header)(mem), len(headers))
		out.headers = &hdrs[0]
		for i, h := range headers {
			hdrs[i].name = str(h.Name)
			hdrs[i].value = str(h.Value)
		}
	}
	return out
}

func (p *corePayload) free() { C.free(p.mem) }

// newCoreMessage reads a C message the caller owns into a CoreMessage that
// keeps it (for Respond) until the finalizer frees it.
func newCoreMessage(p *C.jb_core_message, client *Client) (*CoreMessage, error) {
	var v C.jb_core_message_view
	if err := call(func() C.jb_result { return C.jb_core_message_read(p, &v) }); err != nil {
		C.jb_core_message_free(p)
		return nil, err
	}
	m := &CoreMessage{
		Subject: goStr(v.subject), Data: goBytes(v.payload, v.payload_len),
		Reply: goStr(v.reply), _ptr: p, client: client,
	}
	if v.headers_len > 0 {
		m.Headers = make([]HeaderField, int(v.headers_len))
		for i, h := range unsafe.Slice(v.headers, int(v.headers_len)) {
			m.Headers[i] = HeaderField{Name: goStr(h.name), Value: goStr(h.value)}
		}
	}
	runtime.SetFinalizer(m, func(m *CoreMessage) { C.jb_core_message_free(m._ptr) })
	return m, nil
}

func freeCoreMessage(r asyncResult) { C.jb_core_message_free((*C.jb_core_message)(r.handle)) }

// CorePublishOption sets an optional part of a CorePublish.
type CorePublishOption func(*corePublishOptions)

type corePublishOptions struct {
	headers []HeaderField
	reply   string
}

// CoreHeaders sends these headers with the message, in order.
func CoreHeaders(headers ...HeaderField) CorePublishOption {
	return func(o *corePublishOptions) { o.headers = append(o.headers, headers...) }
}

// CoreHeader sends h's headers (Header.Fields' order), after any
// CoreHeaders.
func CoreHeader(h Header) CorePublishOption {
	return func(o *corePublishOptions) { o.headers = append(o.headers, h.Fields()...) }
}

// CoreReply sets the message's reply subject (where an answer should go).
func CoreReply(subject string) CorePublishOption {
	return func(o *corePublishOptions) { o.reply = subject }
}

// CorePublish publishes a core NATS message: fire-and-forget, no JetStream
// ack (a stream whose subjects match still stores it). It returns once the
// message is handed to the connection. A wildcard or invalid subject or
// reply, a bad header, or data over the server's max payload is
// ErrInvalidArgument; after Close, ErrClosed.
func (c *Client) CorePublish(ctx context.Context, subject string, data []byte, opts ...CorePublishOption) error {
	var o corePublishOptions
	for _, opt := range opts {
		opt(&o)
	}
	var cs cstrings
	defer cs.free()
	csubject, err := cs.add(subject, "subject")
	if err != nil {
		return err
	}
	creply, err := cs.opt(o.reply, "reply subject")
	if err != nil {
		return err
	}
	p := newCorePayload(ctx, data, o.headers)
	defer p.free()
	return c.with(func(ptr *C.jb_client) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result {
			return C.go_core_publish(ptr, csubject, p.payload, p.n, p.headers, p.hn, creply, h)
		}, nil)
		return err
	})
}

// CoreSubscription is a core NATS subscription: read it with Next. Safe for
// concurrent use: Unsubscribe (or Close) from another goroutine ends a
// waiting Next at once with ErrClosed. Close it when done.
type CoreSubscription struct {
	mu     sync.Mutex
	_ptr   *C.jb_core_subscription
	client *Client
	closed bool
}

func freeCoreSubscription(r asyncResult) {
	C.jb_core_subscription_free((*C.jb_core_subscription)(r.handle))
}

// CoreSubscribe subscribes to subject (wildcards allowed) and returns once
// the server has the subscription, so a message published afterwards, from
// any connection, reaches it. With a queue group (queue != ""), the
// subscribers of that group share the messages, each to one. An invalid
// subject or queue name is ErrInvalidArgument; after Close, ErrClosed.
func (c *Client) CoreSubscribe(ctx context.Context, subject, queue string) (*CoreSubscription, error) {
	var cs cstrings
	defer cs.free()
	csubject, err := cs.add(subject, "subject")
	if err != nil {
		return nil, err
	}
	cqueue, err := cs.opt(queue, "queue group")
	if err != nil {
		return nil, err
	}
	var out *CoreSubscription
	err = c.with(func(ptr *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result {
			return C.go_core_subscribe(ptr, csubject, cqueue, h)
		}, freeCoreSubscription)
		if err != nil {
			return err
		}
		out = &CoreSubscription{_ptr: (*C.jb_core_subscription)(r.handle), client: c}
		runtime.SetFinalizer(out, func(s *CoreSubscription) { C.jb_core_subscription_free(s._ptr) })
		return nil
	})
	return out, err
}

// coreNextSlice bounds one blocking wait of Next when ctx can be cancelled
// but has no deadline: ctx is checked that often.
const coreNextSlice = 100 * time.Millisecond

// Next returns the next message, waiting until one arrives or ctx ends, as
// Subscription.Next does: when ctx's deadline passes with nothing received
// it returns ctx.Err() (context.DeadlineExceeded); a cancelled ctx is
// noticed within 100 ms (the wait happens in the core, in slices). After
// Unsubscribe or Close, also from another goroutine while Next waits, or
// once the client closed, it returns ErrClosed.
func (s *CoreSubscription) Next(ctx context.Context) (*CoreMessage, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		wait := time.Duration(1<<62 - 1)
		if ctx.Done() != nil {
			wait = coreNextSlice
		}
		if deadline, ok := ctx.Deadline(); ok {
			wait = min(wait, max(time.Until(deadline), 0))
		}
		ms := C.uint64_t((wait + time.Millisecond - 1) / time.Millisecond)
		var out *C.jb_core_message
		debugGC()
		err := call(func() C.jb_result { return C.jb_core_subscription_next(s._ptr, ms, &out) })
		runtime.KeepAlive(s)
		if err != nil {
			return nil, err
		}
		if out != nil {
			return newCoreMessage(out, s.client)
		}
	}
}

// Unsubscribe ends the subscription and returns once the server is told:
// messages already received are dropped, and a Next waiting in another
// goroutine returns ErrClosed at once. Twice is fine.
func (s *CoreSubscription) Unsubscribe(ctx context.Context) error {
	debugGC()
	_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_core_unsubscribe(s._ptr, h) }, nil)
	runtime.KeepAlive(s)
	return err
}

// Close ends the subscription (as Unsubscribe, without waiting for the
// server) and releases it; afterwards Next is ErrInvalidHandle. A Next
// waiting in another goroutine returns ErrClosed. Idempotent.
func (s *CoreSubscription) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	runtime.SetFinalizer(s, nil)
	return call(func() C.jb_result { return C.jb_core_subscription_free(s._ptr) })
}

// millisLeft is ctx's time left in whole milliseconds, rounded up (0: no
// deadline, the core's default), or ctx's error when it has passed.
func millisLeft(ctx context.Context) (C.uint64_t, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return 0, ctx.Err()
	}
	left := time.Until(deadline)
	if left <= 0 {
		return 0, context.DeadlineExceeded
	}
	return C.uint64_t((left + time.Millisecond - 1) / time.Millisecond), nil
}

// CoreRequest sends a request on subject and waits for the first reply.
// ctx's deadline is the request timeout (none: the client's request
// timeout, Options.RequestTimeout); when it passes the core's ErrTimeout is
// returned rather than ctx.Err(). Nobody listening on subject is
// ErrNoResponders; cancelling ctx returns ctx.Err() at once.
func (c *Client) CoreRequest(ctx context.Context, subject string, data []byte, headers ...HeaderField) (*CoreMessage, error) {
	ms, err := millisLeft(ctx)
	if err != nil {
		return nil, err
	}
	var cs cstrings
	defer cs.free()
	csubject, err := cs.add(subject, "subject")
	if err != nil {
		return nil, err
	}
	p := newCorePayload(ctx, data, headers)
	defer p.free()
	var out *CoreMessage
	err = c.with(func(ptr *C.jb_client) error {
		r, err := awaitPastDeadline(ctx, func(h C.uintptr_t) C.jb_result {
			return C.go_core_request(ptr, csubject, p.payload, p.n, p.headers, p.hn, ms, h)
		}, freeCoreMessage)
		if err != nil {
			return err
		}
		out, err = newCoreMessage((*C.jb_core_message)(r.handle), c)
		return err
	})
	return out, err
}

// Respond answers m (a request: a message received with a reply subject)
// with data and headers, returning once the answer is handed to the
// connection. A message without a reply subject (nobody waits for an
// answer) is ErrInvalidArgument.
func (m *CoreMessage) Respond(ctx context.Context, data []byte, headers ...HeaderField) error {
	var cp *C.jb_client // a CoreMessage not received here: the core's NULL_PARAMETER
	if m.client != nil {
		cp = m.client._ptr
	}
	p := newCorePayload(ctx, data, headers)
	defer p.free()
	debugGC()
	_, err := await(ctx, func(h C.uintptr_t) C.jb_result {
		return C.go_core_respond(cp, m._ptr, p.payload, p.n, p.headers, p.hn, h)
	}, nil)
	runtime.KeepAlive(m.client)
	runtime.KeepAlive(m)
	return err
}
