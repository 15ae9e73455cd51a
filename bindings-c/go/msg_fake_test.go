package jetbridge

import (
	"context"
	"testing"
	"time"
)

// fakeMsg is what a user's test of a handler would write: Msg is an
// interface, so no server is needed.
type fakeMsg struct {
	data   []byte
	acked  bool
	nakked bool
}

func (f *fakeMsg) Subject() string             { return "orders.created" }
func (f *fakeMsg) Data() []byte                { return f.data }
func (f *fakeMsg) Headers() Header             { return Header{} }
func (f *fakeMsg) HeaderFields() []HeaderField { return nil }
func (f *fakeMsg) Header(string) string        { return "" }
func (f *fakeMsg) MsgID() (string, bool)       { return "", false }
func (f *fakeMsg) Stream() string              { return "ORDERS" }
func (f *fakeMsg) Consumer() string            { return "worker" }
func (f *fakeMsg) StreamSeq() uint64           { return 1 }
func (f *fakeMsg) ConsumerSeq() uint64         { return 1 }
func (f *fakeMsg) Delivered() uint64           { return 1 }
func (f *fakeMsg) Timestamp() time.Time        { return time.Time{} }
func (f *fakeMsg) Pending() uint64             { return 0 }
func (f *fakeMsg) TraceContext() *TraceContext { return nil }
func (f *fakeMsg) ProcessSpan() (*SpanSpec, error) {
	return &SpanSpec{Name: "process orders.created"}, nil
}
func (f *fakeMsg) Ack() error                        { f.acked = true; return nil }
func (f *fakeMsg) Nak(time.Duration) error           { f.nakked = true; return nil }
func (f *fakeMsg) Term(string) error                 { return nil }
func (f *fakeMsg) InProgress() error                 { return nil }
func (f *fakeMsg) AckSync(ctx context.Context) error { return f.Ack() }

// A handler under test, fed fakes; AckAll takes fakes too.
func TestHandlerWithFakeMsg(t *testing.T) {
	handle := func(m Msg) error {
		if len(m.Data()) == 0 {
			return m.Nak(0)
		}
		return m.Ack()
	}
	good, empty := &fakeMsg{data: []byte("x")}, &fakeMsg{}
	if handle(good) != nil || handle(empty) != nil || !good.acked || !empty.nakked {
		t.Fatalf("handler: %+v %+v", good, empty)
	}
	other := &fakeMsg{}
	if err := AckAll([]Msg{other}); err != nil || !other.acked {
		t.Fatalf("AckAll of a fake: %v", err)
	}
	if _, ok := any(good).(Msg); !ok {
		t.Fatal("fakeMsg is not a Msg")
	}
}
