package jetbridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPublishAndReadBack(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOPUB", "gopub.>")
	payload := []byte{'a', 0, 'b', 0xff}
	ack, err := c.PublishMsg(ctx, PublishMessage{
		Subject: "gopub.created", Data: payload,
		Headers: []HeaderField{{"X-Trace", "abc"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ack.Stream != "GOPUB" || ack.Sequence != 1 || ack.Duplicate || !strings.HasPrefix(ack.MsgID, "jb-") {
		t.Fatalf("ack = %+v", ack)
	}
	m, err := c.GetMessage(ctx, "GOPUB", 1)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "gopub.created" || !bytes.Equal(m.Data, payload) {
		t.Fatalf("stored = %+v", m)
	}
	var trace string
	for _, h := range m.Headers {
		if h.Name == "X-Trace" {
			trace = h.Value
		}
	}
	if trace != "abc" {
		t.Fatalf("headers = %v", m.Headers)
	}
	if _, err := c.GetMessage(ctx, "GOPUB", 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing message: %v", err)
	}
	info, err := c.StreamInfo(ctx, "GOPUB")
	if err != nil || info.State.Messages != 1 || info.Config.Storage != StorageTypeMemory || info.Config.Subjects[0] != "gopub.>" {
		t.Fatalf("info = %+v, %v", info, err)
	}
	name, err := c.StreamBySubject(ctx, "gopub.x")
	if err != nil || name != "GOPUB" {
		t.Fatalf("stream by subject = %q, %v", name, err)
	}
	n, err := c.PurgeStream(ctx, "GOPUB", PurgeOptions{Subject: new("gopub.other")})
	if err != nil || n != 0 {
		t.Fatalf("purge of another subject = %d, %v", n, err)
	}
	n, err = c.PurgeStream(ctx, "GOPUB", PurgeOptions{})
	if err != nil || n != 1 {
		t.Fatalf("purge = %d, %v", n, err)
	}
	cfg := info.Config
	cfg.MaxMsgs = new(int64(10))
	if _, err := c.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.MaxMsgs = new(int64(5))
	if _, err := c.CreateStream(ctx, cfg); !errors.Is(err, ErrAlreadyExists) {
		t.Fatalf("create with another config: %v", err)
	}
}

func TestDedupAndExpectations(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GODEDUP", "godedup.>")
	msg := PublishMessage{Subject: "godedup.x", Data: []byte("1"), MsgID: new("order-1")}
	a1, err := c.PublishMsg(ctx, msg)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := c.PublishMsg(ctx, msg)
	if err != nil {
		t.Fatal(err)
	}
	if a1.Duplicate || !a2.Duplicate || a1.Sequence != a2.Sequence || a2.MsgID != "order-1" {
		t.Fatalf("acks %+v %+v", a1, a2)
	}
	wrong := uint64(99)
	_, err = c.PublishMsg(ctx, PublishMessage{Subject: "godedup.x", Data: []byte("e"), Expect: Expectations{LastSequence: &wrong}})
	if !errors.Is(err, ErrWrongLastSequence) {
		t.Fatalf("wrong last sequence: %v", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeWrongLastSequence || e.Code.Name() != "WRONG_LAST_SEQUENCE" || e.Retryable() {
		t.Fatalf("error value %#v", err)
	}
	_, err = c.PublishMsg(ctx, PublishMessage{Subject: "godedup.x", Data: []byte("e"), Expect: Expectations{Stream: "OTHER"}})
	if !errors.Is(err, ErrStreamMismatch) {
		t.Fatalf("stream mismatch: %v", err)
	}
	if _, err := c.Publish(ctx, "nostream.here", []byte("x")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no stream: %v", err)
	}
	k, err := c.Counters()
	if err != nil || k.Duplicates != 1 || k.Acked != 2 {
		t.Fatalf("counters %+v %v", k, err)
	}
}

func TestPublishManyAndPublisher(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOMANY", "gomany.>")
	msgs := make([]PublishMessage, 30)
	for i := range msgs {
		msgs[i] = PublishMessage{Subject: "gomany.x", Data: []byte("p"), MsgID: new(fmt.Sprintf("id-%d", i%25))}
	}
	msgs[3].Subject = "nostream.x"
	out, err := c.PublishMany(ctx, msgs)
	if err != nil {
		t.Fatal(err)
	}
	dups := 0
	for i, o := range out {
		if i == 3 {
			if !errors.Is(o.Err, ErrNotFound) {
				t.Fatalf("message 3: %v", o.Err)
			}
			continue
		}
		if o.Err != nil {
			t.Fatalf("message %d: %v", i, o.Err)
		}
		if o.Ack.Duplicate {
			dups++
		}
	}
	if dups != 4 { // id-3's first copy failed, so message 28 is new
		t.Fatalf("duplicates = %d", dups)
	}
	msgs[5].Subject = "gomany.\xff"
	if _, err := c.PublishMany(ctx, msgs); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "message 5") {
		t.Fatalf("bad batch: %v", err)
	}

	p, err := c.NewPublisher(PublisherOptions{MaxInFlight: new(uint64(64))})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		ticket, err := p.Publish(ctx, PublishMessage{Subject: "gomany.p", Data: []byte("0123456789")})
		if err != nil || ticket != uint64(i) {
			t.Fatalf("publish %d: ticket %d, %v", i, ticket, err)
		}
	}
	batch := []PublishMessage{{Subject: "gomany.p", Data: []byte("b")}, {Subject: "nostream.y", Data: []byte("b")}}
	tickets, err := p.PublishMany(ctx, batch)
	if err != nil || len(tickets) != 2 || tickets[0] != 500 {
		t.Fatalf("publish many: %v %v", tickets, err)
	}
	rep, err := p.Flush(ctx)
	if err != nil || rep.Acked != 501 || len(rep.Failures) != 1 || rep.Failures[0].Ticket != 501 || !errors.Is(rep.Failures[0].Err, ErrNotFound) {
		t.Fatalf("flush %+v %v", rep, err)
	}
	if m, b, err := p.InFlight(); err != nil || m != 0 || b != 0 {
		t.Fatalf("in flight %d %d %v", m, b, err)
	}
	if _, err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if rep, err := p.Close(); err != nil || rep.Acked != 0 || len(rep.Failures) != 0 {
		t.Fatalf("second close: %v %v", rep, err)
	}
	if _, err := p.Publish(ctx, PublishMessage{Subject: "gomany.p", Data: []byte("x")}); !errors.Is(err, ErrClosed) {
		t.Fatalf("publish after close: %v", err)
	}
}

func TestConcurrentPublishers(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOCONC", "goconc.>")
	p, err := c.NewPublisher(PublisherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if _, err := c.PublishMsg(ctx, PublishMessage{Subject: "goconc.x", Data: []byte("a"), MsgID: new(fmt.Sprintf("c%d-%d", g, i))}); err != nil {
					errs <- err
					return
				}
				if _, err := p.Publish(ctx, PublishMessage{Subject: "goconc.x", Data: []byte("b"), MsgID: new(fmt.Sprintf("p%d-%d", g, i))}); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if _, err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	info, err := c.StreamInfo(ctx, "GOCONC")
	if err != nil || info.State.Messages != 400 {
		t.Fatalf("messages %+v %v", info, err)
	}
}

// More concurrent publishes than there are threads for the blocking path:
// those past the bound wait for a callback, and every one is acked once, or
// ends with its ctx, whichever path it took.
func TestManyConcurrentPublishesTakeBothPaths(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOMANY", "gomany.>")
	const n = 64
	var wg sync.WaitGroup
	seqs := make(chan uint64, n)
	errs := make(chan error, 2*n)
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ack, err := c.PublishMsg(ctx, PublishMessage{Subject: "gomany.x", Data: []byte("m")})
			if err != nil {
				errs <- err
				return
			}
			seqs <- ack.Sequence
		}()
	}
	// The same against a subscriber that never answers: each ends with its
	// deadline.
	silent, err := c.CoreSubscribe(ctx, "gomanysilent.x", "")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			defer cancel()
			_, err := c.PublishMsg(short, PublishMessage{Subject: "gomanysilent.x", Data: []byte("m")})
			var pc *PublishCanceledError
			if !errors.As(err, &pc) || !errors.Is(err, context.DeadlineExceeded) || pc.MsgID == "" {
				errs <- fmt.Errorf("want a PublishCanceledError wrapping the deadline, got %v", err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(seqs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[uint64]bool{}
	for s := range seqs {
		if seen[s] {
			t.Fatalf("sequence %d acked twice", s)
		}
		seen[s] = true
	}
	if len(seen) != n {
		t.Fatalf("%d publishes acked, want %d", len(seen), n)
	}
	info, err := c.StreamInfo(ctx, "GOMANY")
	if err != nil || info.State.Messages != n {
		t.Fatalf("stream: %+v %v", info, err)
	}
}
