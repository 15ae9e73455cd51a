package jetbridge

/*
#include "shim.h"
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"
	"unsafe"
)

// HeaderField is one message header.
type HeaderField struct {
	Name, Value string
}

// Expectations are server-side conditions for storing a message. A
// mismatch is ErrWrongLastSequence (ErrStreamMismatch for Stream).
type Expectations struct {
	Stream              string  // the subject must belong to this stream
	LastMsgID           string  // the stream's last msg id
	LastSequence        *uint64 // the stream's last sequence
	LastSubjectSequence *uint64 // the subject's last sequence (0: none yet)
}

// PublishMessage is a message to publish. Subject and Data are required.
// Headers are sent in order, then Header's (names sorted, see
// Header.Fields). MsgID is optional: nil has one generated (Client's
// publishes generate it before sending, so a cancelled one can name it:
// PublishCanceledError), a value is sent as given (""
// is ErrInvalidArgument, so an empty computed id cannot silently turn
// deduplication off). Invalid UTF-8, an embedded NUL, CR/LF in a header
// value or MsgID, or an invalid subject is ErrInvalidArgument.
//
// TTL is the message's own time to live, sent as Nats-TTL; 0 is none (the
// stream's own limits). The core takes whole seconds, at least 1 s, on a
// stream with AllowMsgTTL (nats-server 2.11+; older is ErrServerTooOld);
// anything else, a negative TTL included, is ErrInvalidArgument. It crosses
// the C ABI in milliseconds, rounded up, so a TTL under 1 ms is never
// dropped as "none".
type PublishMessage struct {
	Subject string
	Data    []byte
	MsgID   *string
	Headers []HeaderField
	Header  Header // nats.go's nats.Header shape; sent after Headers
	Expect  Expectations
	TTL     time.Duration
}

// PubAck is the server's acknowledgement of a stored message.
type PubAck struct {
	Stream    string
	Sequence  uint64
	Duplicate bool   // the msg id was seen before: nothing new was stored
	MsgID     string // the id that was sent (yours or generated)
	Domain    string
}

// PublishOutcome is one message's outcome in PublishMany.
type PublishOutcome struct {
	Ack *PubAck
	Err error
}

func pubAckFromC(a *C.jb_pub_ack) *PubAck {
	return &PubAck{
		Stream: goStrOpt(a.stream), Sequence: uint64(a.sequence), Duplicate: bool(a.duplicate),
		MsgID: goStrOpt(a.msg_id), Domain: goStrOpt(a.domain),
	}
}

func publishResultsFromC(r *C.jb_publish_results) []PublishOutcome {
	out := make([]PublishOutcome, int(r.len))
	for i, item := range unsafe.Slice(r.items, int(r.len)) {
		if item.result == C.JB_RESULT_OK {
			out[i].Ack = pubAckFromC(&item.ack)
		} else {
			out[i].Err = &Error{Code: Code(item.result), Message: goStrOpt(item.error)}
		}
	}
	return out
}

// cMessages holds C copies of messages: one array of jb_publish_message and
// one buffer for every string, payload and header, freed together.
type cMessages struct {
	msgs *C.jb_publish_message
	n    int
	mem  unsafe.Pointer
}

func (m *cMessages) free() {
	C.free(m.mem)
	m.mem = nil
}

// toCMessages copies msgs into C memory with two allocations per batch. A
// negative TTL cannot cross the C ABI (unsigned): it is ErrInvalidArgument
// naming "ttl" (with the message's index when many is set), before anything
// is allocated.
//
// ctx is the publish's: a registered PublishHook adds its headers to each
// message (hookHeaders).
func toCMessages(ctx context.Context, msgs []PublishMessage, many bool) (*cMessages, error) {
	// Completed headers (Header, the hook's) go into a copy, never into
	// the caller's slice.
	complete := publishHook.Load() != nil || slices.ContainsFunc(msgs, func(m PublishMessage) bool { return len(m.Header) > 0 })
	if complete {
		msgs = slices.Clone(msgs)
	}
	var bytes, headers int
	for i := range msgs {
		m := &msgs[i]
		name := "ttl"
		if many {
			name = fmt.Sprintf("message %d ttl", i)
		}
		if err := nonNegative(duration(name, m.TTL)); err != nil {
			return nil, err
		}
		bytes += len(m.Subject) + len(m.Data) + len(m.Expect.Stream) + len(m.Expect.LastMsgID)
		if m.MsgID != nil {
			bytes += len(*m.MsgID)
		}
		if complete {
			if len(m.Header) > 0 {
				m.Headers = append(m.Headers[:len(m.Headers):len(m.Headers)], m.Header.Fields()...)
				m.Header = nil
			}
			m.Headers = hookHeaders(ctx, m.Headers)
		}
		for _, h := range m.Headers {
			bytes += len(h.Name) + len(h.Value)
		}
		headers += len(m.Headers)
	}
	msgSize := int(unsafe.Sizeof(C.jb_publish_message{}))
	hdrSize := int(unsafe.Sizeof(C.jb_header{}))
	total := len(msgs)*msgSize + headers*hdrSize + bytes + 1
	mem := C.malloc(C.size_t(total))
	C.memset(mem, 0, C.size_t(len(msgs)*msgSize+headers*hdrSize))
	out := &cMessages{msgs: (*C.jb_publish_message)(mem), n: len(msgs), mem: mem}
	cmsgs := unsafe.Slice(out.msgs, len(msgs))
	hdrs := unsafe.Slice((*C.jb_header)(unsafe.Add(mem, len(msgs)*msgSize)), headers)
	buf := unsafe.Slice((*byte)(unsafe.Add(mem, len(msgs)*msgSize+headers*hdrSize)), bytes+1)
	pos := 0
	// put copies s; "" is NULL ("not set").
	put := func(s string) C.jb_str {
		if len(s) == 0 {
			return C.jb_str{}
		}
		p := unsafe.Pointer(&buf[pos])
		pos += copy(buf[pos:], s)
		return C.jb_str{ptr: (*C.char)(p), len: C.size_t(len(s))}
	}
	// given copies s; "" is a non-NULL empty string (sent as given, for the
	// core to judge).
	emptyStr := C.jb_str{ptr: (*C.char)(unsafe.Pointer(&buf[len(buf)-1])), len: 0}
	given := func(s string) C.jb_str {
		if len(s) == 0 {
			return emptyStr
		}
		return put(s)
	}
	hi := 0
	for i := range msgs {
		m, c := &msgs[i], &cmsgs[i]
		c.subject = given(m.Subject)
		if len(m.Data) > 0 {
			p := unsafe.Pointer(&buf[pos])
			pos += copy(buf[pos:], m.Data)
			c.payload = (*C.uint8_t)(p)
			c.payload_len = C.size_t(len(m.Data))
		}
		if m.MsgID != nil {
			c.msg_id = given(*m.MsgID)
		}
		if len(m.Headers) > 0 {
			c.headers = &hdrs[hi]
			c.headers_len = C.size_t(len(m.Headers))
			for _, h := range m.Headers {
				hdrs[hi].name = given(h.Name)
				hdrs[hi].value = given(h.Value)
				hi++
			}
		}
		c.expect.stream = put(m.Expect.Stream)
		c.expect.last_msg_id = put(m.Expect.LastMsgID)
		if m.Expect.LastSequence != nil {
			c.expect.has_last_sequence = true
			c.expect.last_sequence = C.uint64_t(*m.Expect.LastSequence)
		}
		if m.Expect.LastSubjectSequence != nil {
			c.expect.has_last_subject_sequence = true
			c.expect.last_subject_sequence = C.uint64_t(*m.Expect.LastSubjectSequence)
		}
		c.ttl_ms = ttlMillis(m.TTL)
	}
	return out, nil
}

// ttlMillis is a TTL (checked by nonNegative) in milliseconds, rounded up:
// a TTL under 1 ms stays a TTL (for the core to judge), never 0 = none.
func ttlMillis(d time.Duration) C.uint64_t {
	return C.uint64_t((d + time.Millisecond - 1) / time.Millisecond)
}

// Publish publishes data on subject and waits for the ack. See PublishMsg.
func (c *Client) Publish(ctx context.Context, subject string, data []byte) (*PubAck, error) {
	return c.PublishMsg(ctx, PublishMessage{Subject: subject, Data: data})
}

// PublishMsg publishes one message and waits for its ack. The core retries
// no responders, 409 "in process" and ack timeouts with the same msg id
// inside its budget; ErrPublishOutcomeUnknown means it may have been stored
// (resend with the same MsgID). Other errors: ErrNotFound (no stream),
// ErrWrongLastSequence, ErrStreamMismatch, ErrInvalidArgument, ErrClosed.
// When ctx ends first, the error is a *PublishCanceledError with the msg id
// it was sent with (errors.As), wrapping ctx.Err().
func (c *Client) PublishMsg(ctx context.Context, msg PublishMessage) (*PubAck, error) {
	msg, id := withMsgID(msg)
	cm, err := toCMessages(ctx, []PublishMessage{msg}, false)
	if err != nil {
		return nil, err
	}
	defer cm.free()
	var ack *PubAck
	err = c.with(func(p *C.jb_client) error {
		if onThread, ok := takeBlockingSlot(); ok {
			defer onThread()
			ack, err = publishOnThisThread(ctx, p, cm.msgs)
			return err
		}
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_publish(p, cm.msgs, h) }, nil)
		if err == nil {
			ack = r.value.(*PubAck)
		}
		return err
	})
	return ack, canceled(ctx, err, id)
}

// blockingSlots bounds the publishes that wait inside the library on their
// goroutine's own OS thread. That path has one thread wake-up less than a
// callback (the single-publish latency); past the bound a publish waits for
// a callback like every other call, so many concurrent publishes do not each
// hold a thread.
var blockingSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

// takeBlockingSlot takes a slot if one is free; release it with the func.
func takeBlockingSlot() (func(), bool) {
	select {
	case blockingSlots <- struct{}{}:
		return func() { <-blockingSlots }, true
	default:
		return nil, false
	}
}

// publishOnThisThread publishes m with the blocking call; when ctx ends
// first the core cancels the publish and ctx.Err() is returned.
func publishOnThisThread(ctx context.Context, p *C.jb_client, m *C.jb_publish_message) (*PubAck, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var cancel *C.jb_cancel
	if ctx.Done() != nil {
		if err := call(func() C.jb_result { return C.jb_cancel_new(&cancel) }); err != nil {
			return nil, err
		}
		// Cancelling a freed handle is ignored, so the AfterFunc may still
		// run after the free.
		defer C.jb_cancel_free(cancel)
		stop := context.AfterFunc(ctx, func() { C.jb_cancel_cancel(cancel) })
		defer stop()
	}
	var a *C.jb_pub_ack
	if err := call(func() C.jb_result { return C.jb_client_publish_cancellable(p, m, cancel, &a) }); err != nil {
		var e *Error
		if errors.As(err, &e) && e.Code == CodeClosed && ctx.Err() != nil {
			return nil, ctx.Err() // cancelled by the AfterFunc
		}
		return nil, err
	}
	defer C.jb_pub_ack_free(a)
	return pubAckFromC(a), nil
}

// PublishMany publishes msgs pipelined, crossing into the library once, and
// returns each message's outcome in order (a message the server rejects
// fails alone). The error is for the whole call: bad arguments (naming the
// message index), a closed client, or ctx ending first: a
// *PublishCanceledError with every message's id (MsgIDs).
func (c *Client) PublishMany(ctx context.Context, msgs []PublishMessage) ([]PublishOutcome, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	msgs = slices.Clone(msgs)
	ids := make([]string, len(msgs))
	for i := range msgs {
		msgs[i], ids[i] = withMsgID(msgs[i])
	}
	cm, err := toCMessages(ctx, msgs, true)
	if err != nil {
		return nil, err
	}
	defer cm.free()
	var out []PublishOutcome
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result {
			return C.go_publish_many(p, cm.msgs, C.size_t(cm.n), h)
		}, nil)
		if err == nil {
			out = r.value.([]PublishOutcome)
		}
		return err
	})
	if ctxEnded(ctx, err) {
		return out, &PublishCanceledError{MsgIDs: ids, Err: err}
	}
	return out, err
}
