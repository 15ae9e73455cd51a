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

// message is the package's Msg: a delivered message's data copied into Go
// memory, and its C handle (in its batch) for acking.
type message struct {
	subject     string
	data        []byte
	headers     []HeaderField
	stream      string
	consumer    string
	streamSeq   uint64
	consumerSeq uint64
	delivered   uint64
	timestamp   time.Time
	pending     uint64

	batch *msgBatch
	idx   int
}

var _ Msg = (*message)(nil)

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

// freeAll frees the handles (un-acked ones are redelivered by the server);
// NULL entries (freed one by one) are skipped. Run by the finalizer.
func (b *msgBatch) freeAll() {
	C.jb_messages_free(&b.ptrs[0], C.size_t(len(b.ptrs)))
	runtime.SetFinalizer(b, nil)
}

// free frees this message's own handle before its batch goes (a message
// never handed to the program; the others of its batch stay valid).
func (m *message) free() {
	C.jb_message_free(m.batch.ptrs[m.idx])
	m.batch.ptrs[m.idx] = nil // the batch's free skips it
	runtime.KeepAlive(m.batch)
}

// newMsgs copies the data of fetched handles (one crossing for all) and
// wraps them; on failure the handles are freed. A batch is copied with few
// allocations: one array of Msg, one buffer for every payload, and strings
// that repeat from message to message (subject, stream, consumer, header
// names) allocated once.
func newMsgs(ptrs []*C.jb_message) ([]Msg, error) {
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
	msgs := make([]message, len(views))
	out := make([]Msg, len(views))
	var seen interner
	for i := range views {
		v := &views[i]
		n := copy(data, cBytes(v.payload, v.payload_len))
		m := &msgs[i]
		*m = message{
			subject: seen.str(v.subject), data: data[:n:n],
			headers: headerViews(v.headers, v.headers_len, &seen), stream: seen.str(v.stream),
			consumer: seen.str(v.consumer), streamSeq: uint64(v.stream_sequence),
			consumerSeq: uint64(v.consumer_sequence), delivered: uint64(v.delivered),
			timestamp: time.Unix(0, int64(v.timestamp_ns)), pending: uint64(v.pending),
			batch: b, idx: i,
		}
		data = data[n:]
		out[i] = m
	}
	runtime.KeepAlive(b)
	return out, nil
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

func (m *message) Subject() string             { return m.subject }
func (m *message) Data() []byte                { return m.data }
func (m *message) HeaderFields() []HeaderField { return m.headers }
func (m *message) Headers() Header             { return HeaderFromFields(m.headers) }
func (m *message) Stream() string              { return m.stream }
func (m *message) Consumer() string            { return m.consumer }
func (m *message) StreamSeq() uint64           { return m.streamSeq }
func (m *message) ConsumerSeq() uint64         { return m.consumerSeq }
func (m *message) Delivered() uint64           { return m.delivered }
func (m *message) Timestamp() time.Time        { return m.timestamp }
func (m *message) Pending() uint64             { return m.pending }

// lookup is the first value of header name (case-insensitive) and whether
// the message has it.
func (m *message) lookup(name string) (string, bool) {
	for _, h := range m.headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

func (m *message) Header(name string) string {
	v, _ := m.lookup(name)
	return v
}

func (m *message) MsgID() (string, bool) { return m.lookup(msgIDHeader) }

// with runs f with the message's handle, keeping its batch alive.
func (m *message) with(f func(p *C.jb_message) C.jb_result) error {
	debugGC()
	err := call(func() C.jb_result { return f(m.batch.ptrs[m.idx]) })
	runtime.KeepAlive(m.batch)
	return err
}

func (m *message) Ack() error {
	return m.with(func(p *C.jb_message) C.jb_result { return C.jb_message_ack(p) })
}

func (m *message) Nak(delay time.Duration) error {
	if err := nonNegative(duration("nak delay", delay)); err != nil {
		return err
	}
	return m.with(func(p *C.jb_message) C.jb_result { return C.jb_message_nak(p, ms(delay)) })
}

func (m *message) Term(reason string) error {
	var cs cstrings
	defer cs.free()
	creason, err := cs.opt(reason, "term reason")
	if err != nil {
		return err
	}
	return m.with(func(p *C.jb_message) C.jb_result { return C.jb_message_term(p, creason) })
}

func (m *message) InProgress() error {
	return m.with(func(p *C.jb_message) C.jb_result { return C.jb_message_in_progress(p) })
}

func (m *message) AckSync(ctx context.Context) error {
	debugGC()
	_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_ack_sync(m.batch.ptrs[m.idx], h) }, nil)
	runtime.KeepAlive(m.batch)
	return err
}

// AckAll acks many messages with one crossing into the library (for the
// package's own messages; any other Msg, such as a fake, is acked with its
// Ack). It returns nil when every ack was queued, else the first failure.
func AckAll(msgs []Msg) error {
	ptrs := make([]*C.jb_message, 0, len(msgs))
	var first error
	for _, m := range msgs {
		if own, ok := m.(*message); ok {
			ptrs = append(ptrs, own.batch.ptrs[own.idx])
		} else if err := m.Ack(); err != nil && first == nil {
			first = err
		}
	}
	if len(ptrs) == 0 {
		return first
	}
	debugGC()
	err := call(func() C.jb_result { return C.jb_messages_ack(&ptrs[0], C.size_t(len(ptrs)), nil) })
	runtime.KeepAlive(msgs)
	if first != nil {
		return first
	}
	return err
}
