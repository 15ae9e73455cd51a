package jetbridge

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"runtime"
	"strings"
	"time"
	"unsafe"
)

// Msg is a delivered message. Its data is copied into Go memory; the
// library-side handle is kept for acking (the core answers ErrAlreadyAcked
// to an ack after a terminal one) and released by a finalizer. The Data of
// messages fetched together shares one backing array (each slice is capped,
// so append copies). Safe for concurrent use.
type Msg struct {
	Subject     string
	Data        []byte
	Headers     []HeaderField
	Stream      string
	Consumer    string
	StreamSeq   uint64
	ConsumerSeq uint64
	Delivered   uint64 // 1 on first delivery
	Timestamp   time.Time
	Pending     uint64 // messages still pending for the consumer after this one

	batch *msgBatch
	idx   int
}

// msgBatch owns the C handles of messages delivered together; one
// finalizer frees the whole batch once none of its messages is reachable.
type msgBatch struct {
	ptrs []*C.jb_message
}

func newBatch(ptrs []*C.jb_message) *msgBatch {
	b := &msgBatch{ptrs: ptrs}
	runtime.SetFinalizer(b, (*msgBatch).freeAll)
	return b
}

// freeAll frees the handles (un-acked ones are redelivered by the server).
// Run by the finalizer, or for messages never handed to the application;
// the library ignores a second free.
func (b *msgBatch) freeAll() {
	C.jb_messages_free(&b.ptrs[0], C.size_t(len(b.ptrs)))
	runtime.SetFinalizer(b, nil)
}

// newMsgs copies the data of fetched handles (one crossing for all) and
// wraps them; on failure the handles are freed. A batch is copied with few
// allocations: one array of Msg, one buffer for every payload, and strings
// that repeat from message to message (subject, stream, consumer, header
// names) allocated once.
func newMsgs(ptrs []*C.jb_message) ([]*Msg, error) {
	if len(ptrs) == 0 {
		return nil, nil
	}
	views := make([]C.jb_message_view, len(ptrs))
	err := call(func() C.jb_result { return C.jb_messages_read(&ptrs[0], C.size_t(len(ptrs)), &views[0]) })
	if err != nil {
		C.jb_messages_free(&ptrs[0], C.size_t(len(ptrs)))
		return nil, err
	}
	b := newBatch(ptrs)
	total := 0
	for i := range views {
		total += int(views[i].payload_len)
	}
	data := make([]byte, total)
	msgs := make([]Msg, len(views))
	out := make([]*Msg, len(views))
	var seen interner
	for i := range views {
		v := &views[i]
		n := copy(data, cBytes(v.payload, v.payload_len))
		m := &msgs[i]
		*m = Msg{
			Subject: seen.str(v.subject), Data: data[:n:n],
			Headers: headerViews(v.headers, v.headers_len, &seen), Stream: seen.str(v.stream),
			Consumer: seen.str(v.consumer), StreamSeq: uint64(v.stream_sequence),
			ConsumerSeq: uint64(v.consumer_sequence), Delivered: uint64(v.delivered),
			Timestamp: time.Unix(0, int64(v.timestamp_ns)), Pending: uint64(v.pending),
			batch: b, idx: i,
		}
		data = data[n:]
		out[i] = m
	}
	runtime.KeepAlive(b)
	return out, nil
}

func msgFromView(v *C.jb_message_view, b *msgBatch, idx int) *Msg {
	return &Msg{
		Subject: goStr(v.subject), Data: goBytes(v.payload, v.payload_len),
		Headers: headersFromC(v.headers, v.headers_len), Stream: goStr(v.stream),
		Consumer: goStr(v.consumer), StreamSeq: uint64(v.stream_sequence),
		ConsumerSeq: uint64(v.consumer_sequence), Delivered: uint64(v.delivered),
		Timestamp: time.Unix(0, int64(v.timestamp_ns)), Pending: uint64(v.pending),
		batch: b, idx: idx,
	}
}

// cBytes views C bytes without copying (valid while the message lives).
func cBytes(p *C.uint8_t, n C.size_t) []byte {
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

// interner returns one Go string per distinct small string of a batch.
type interner struct{ strs []string }

func (in *interner) str(s C.jb_str) string {
	if s.ptr == nil || s.len == 0 {
		return ""
	}
	view := unsafe.String((*byte)(unsafe.Pointer(s.ptr)), int(s.len))
	for _, known := range in.strs {
		if known == view {
			return known
		}
	}
	str := strings.Clone(view)
	if len(in.strs) < 16 {
		in.strs = append(in.strs, str)
	}
	return str
}

func headerViews(h *C.jb_header, n C.size_t, in *interner) []HeaderField {
	if h == nil || n == 0 {
		return nil
	}
	out := make([]HeaderField, int(n))
	for i, f := range unsafe.Slice(h, int(n)) {
		out[i] = HeaderField{Name: in.str(f.name), Value: goStr(f.value)}
	}
	return out
}

// Header returns the first value of header name (case-insensitive).
func (m *Msg) Header(name string) string {
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// MsgID returns the Nats-Msg-Id header.
func (m *Msg) MsgID() string { return m.Header("Nats-Msg-Id") }

// with runs f with the message's handle, keeping its batch alive.
func (m *Msg) with(f func(p *C.jb_message) C.jb_result) error {
	debugGC()
	err := call(func() C.jb_result { return f(m.batch.ptrs[m.idx]) })
	runtime.KeepAlive(m.batch)
	return err
}

// Ack acknowledges the message (terminal). Queued and batched by the core;
// never waits for the network.
func (m *Msg) Ack() error {
	return m.with(func(p *C.jb_message) C.jb_result { return C.jb_message_ack(p) })
}

// Nak asks for redelivery after delay (0 = at once). Terminal for this
// delivery.
func (m *Msg) Nak(delay time.Duration) error {
	if err := nonNegative(duration("nak delay", delay)); err != nil {
		return err
	}
	return m.with(func(p *C.jb_message) C.jb_result { return C.jb_message_nak(p, ms(delay)) })
}

// Term stops redelivery for good (terminal). The reason may not contain
// CR/LF.
func (m *Msg) Term(reason string) error {
	var cs cstrings
	defer cs.free()
	creason, err := cs.opt(reason, "term reason")
	if err != nil {
		return err
	}
	return m.with(func(p *C.jb_message) C.jb_result { return C.jb_message_term(p, creason) })
}

// InProgress resets the ack timer ("still working on it"). May repeat
// until a terminal ack.
func (m *Msg) InProgress() error {
	return m.with(func(p *C.jb_message) C.jb_result { return C.jb_message_in_progress(p) })
}

// AckSync acknowledges and waits for the server's confirmation. Success
// means the message will not be redelivered; on error it stays un-acked.
func (m *Msg) AckSync(ctx context.Context) error {
	debugGC()
	_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_ack_sync(m.batch.ptrs[m.idx], h) }, nil)
	runtime.KeepAlive(m.batch)
	return err
}

// AckAll acks many messages with one crossing into the library. It returns
// nil when every ack was queued, else the first failure.
func AckAll(msgs []*Msg) error {
	if len(msgs) == 0 {
		return nil
	}
	ptrs := make([]*C.jb_message, len(msgs))
	for i, m := range msgs {
		ptrs[i] = m.batch.ptrs[m.idx]
	}
	debugGC()
	err := call(func() C.jb_result { return C.jb_messages_ack(&ptrs[0], C.size_t(len(ptrs)), nil) })
	runtime.KeepAlive(msgs)
	return err
}
