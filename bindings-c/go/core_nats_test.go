package jetbridge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"
)

// Core NATS: publish/subscribe with headers and reply subjects, queue
// groups, request-reply with a responder in this process, NO_RESPONDERS,
// TIMEOUT, and an Unsubscribe that ends a waiting Next.

func mustCoreSubscribe(t *testing.T, c *Client, subject, queue string) *CoreSubscription {
	t.Helper()
	s, err := c.CoreSubscribe(testCtx(t), subject, queue)
	if err != nil {
		t.Fatalf("core subscribe %s: %v", subject, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func nextWithin(t *testing.T, s *CoreSubscription, d time.Duration) *CoreMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	m, err := s.Next(ctx)
	if err != nil {
		t.Fatalf("next: %v", err)
	}
	return m
}

func TestCorePublishSubscribe(t *testing.T) {
	c := connect(t)
	sub := mustCoreSubscribe(t, c, "gocore.ps.*", "")
	ctx := testCtx(t)
	if err := c.CorePublish(ctx, "gocore.ps.a", []byte("hi"), CoreHeaders(HeaderField{"X-Kind", "hello"})); err != nil {
		t.Fatal(err)
	}
	if err := c.CorePublish(ctx, "gocore.ps.b", nil, CoreReply("answers.here")); err != nil {
		t.Fatal(err)
	}
	m := nextWithin(t, sub, 5*time.Second)
	if m.Subject != "gocore.ps.a" || string(m.Data) != "hi" || m.Reply != "" ||
		len(m.Headers) != 1 || m.Headers[0] != (HeaderField{"X-Kind", "hello"}) {
		t.Errorf("first message: %+v", m)
	}
	m = nextWithin(t, sub, 5*time.Second)
	if m.Subject != "gocore.ps.b" || len(m.Data) != 0 || m.Reply != "answers.here" || len(m.Headers) != 0 {
		t.Errorf("second message: %+v", m)
	}
	// Nothing in time: ctx's error, as Subscription.Next.
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := sub.Next(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("next with nothing: want DeadlineExceeded, got %v", err)
	}
	if e := time.Since(start); e > 2*time.Second {
		t.Errorf("next waited %v past a 100 ms deadline", e)
	}
	// A cancelled ctx ends a wait that has no deadline.
	cctx, ccancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, ccancel)
	if _, err := sub.Next(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("next cancelled: want Canceled, got %v", err)
	}
	// Answering a message without a reply subject is the core's INVALID_ARGUMENT.
	if err := c.CorePublish(ctx, "gocore.ps.c", []byte("x")); err != nil {
		t.Fatal(err)
	}
	m = nextWithin(t, sub, 5*time.Second)
	expectInvalid(t, "respond without reply", "reply", m.Respond(ctx, []byte("no")))
	// The core validates subjects, reply subjects and queue names.
	expectInvalid(t, "wildcard publish", "subject", c.CorePublish(ctx, "gocore.*", []byte("x")))
	expectInvalid(t, "bad reply", "reply", c.CorePublish(ctx, "gocore.a", nil, CoreReply("bad reply")))
	_, err := c.CoreSubscribe(ctx, "gocore.>", "bad queue")
	expectInvalid(t, "bad queue", "queue", err)
}

func TestCoreQueueGroupShares(t *testing.T) {
	c := connect(t)
	w1 := mustCoreSubscribe(t, c, "gocore.q", "workers")
	w2 := mustCoreSubscribe(t, c, "gocore.q", "workers")
	ctx := testCtx(t)
	const n = 20
	for i := range n {
		if err := c.CorePublish(ctx, "gocore.q", []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	counts := [2]int{}
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < n && time.Now().Before(deadline) {
		for i, s := range []*CoreSubscription{w1, w2} {
			short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			m, err := s.Next(short)
			cancel()
			if err == nil {
				got = append(got, string(m.Data))
				counts[i]++
			} else if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatal(err)
			}
		}
	}
	// Settle: nothing is delivered twice.
	for _, s := range []*CoreSubscription{w1, w2} {
		short, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		if m, err := s.Next(short); err == nil {
			got = append(got, string(m.Data))
		}
		cancel()
	}
	if len(got) != n {
		t.Fatalf("queue group received %d messages, want %d: %v", len(got), n, got)
	}
	sort.Strings(got)
	seen := map[string]bool{}
	for _, d := range got {
		if seen[d] {
			t.Errorf("%s delivered twice", d)
		}
		seen[d] = true
	}
	if counts[0] == 0 || counts[1] == 0 {
		t.Logf("one member got everything (%v): allowed, but unusual", counts)
	}
}

func TestCoreRequestReply(t *testing.T) {
	c := connect(t)
	svc := mustCoreSubscribe(t, c, "gocore.echo", "svc")
	served := make(chan error, 1)
	go func() {
		for {
			m, err := svc.Next(context.Background())
			if err != nil {
				served <- err
				return
			}
			if err := m.Respond(context.Background(), append([]byte("echo: "), m.Data...), m.Headers...); err != nil {
				served <- err
				return
			}
		}
	}()
	ctx := testCtx(t)
	reply, err := c.CoreRequest(ctx, "gocore.echo", []byte("ping"), HeaderField{"X-Trace", "t1"})
	if err != nil {
		t.Fatal(err)
	}
	if string(reply.Data) != "echo: ping" || len(reply.Headers) != 1 || reply.Headers[0].Value != "t1" {
		t.Errorf("reply: %+v", reply)
	}
	// Nobody listening: NO_RESPONDERS.
	if _, err := c.CoreRequest(ctx, "gocore.nobody", []byte("x")); !errors.Is(err, ErrNoResponders) {
		t.Errorf("want NO_RESPONDERS, got %v", err)
	}
	// A listener that does not answer: the core's TIMEOUT at ctx's deadline.
	silent := mustCoreSubscribe(t, c, "gocore.silent", "")
	short, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := c.CoreRequest(short, "gocore.silent", []byte("q")); !errors.Is(err, ErrTimeout) {
		t.Errorf("want TIMEOUT, got %v", err)
	}
	if m := nextWithin(t, silent, 5*time.Second); m.Reply == "" {
		t.Errorf("a request has a reply subject: %+v", m)
	}
	// Unsubscribe from this goroutine ends the responder's waiting Next at once.
	start := time.Now()
	if err := svc.Unsubscribe(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-served:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("responder's Next after unsubscribe: want CLOSED, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("unsubscribe did not end the waiting Next")
	}
	if e := time.Since(start); e > 2*time.Second {
		t.Errorf("unsubscribe took %v to end the waiting Next", e)
	}
	if err := svc.Unsubscribe(ctx); err != nil {
		t.Errorf("second unsubscribe: %v", err)
	}
	if _, err := c.CoreRequest(ctx, "gocore.echo", []byte("x")); !errors.Is(err, ErrNoResponders) {
		t.Errorf("after unsubscribe: want NO_RESPONDERS, got %v", err)
	}
	// After close: CLOSED everywhere.
	_ = c.Close()
	if err := c.CorePublish(ctx, "gocore.a", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("publish after close: %v", err)
	}
	if _, err := c.CoreSubscribe(ctx, "gocore.a", ""); !errors.Is(err, ErrClosed) {
		t.Errorf("subscribe after close: %v", err)
	}
	if _, err := silent.Next(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("next after close: %v", err)
	}
}

func TestEventKindsFollowTheCore(t *testing.T) {
	var core []string
	for n := uint32(0); ; n++ {
		name := eventKindName(n)
		if name == "unknown" {
			break
		}
		core = append(core, name)
	}
	if len(core) != len(eventKinds) {
		t.Fatalf("the core has %d event kinds %v, Go %d", len(core), core, len(eventKinds))
	}
	for i, k := range eventKinds {
		if string(k) != core[i] {
			t.Errorf("event kind %d: Go %q, core %q", i, k, core[i])
		}
	}
}

func TestEventsClosedLast(t *testing.T) {
	c := connect(t)
	a := c.Events(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	b := c.Events(ctx)
	select {
	case e := <-a:
		t.Fatalf("an event on a quiet connection: %+v", e)
	case <-time.After(200 * time.Millisecond):
	}
	cancel() // b ends with ctx
	for range b {
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	var got []Event
	for e := range a { // closed after EventClosed
		got = append(got, e)
	}
	if len(got) != 1 || got[0] != (Event{Kind: EventClosed}) {
		t.Errorf("events: %+v", got)
	}
	// A listener of a closed client ends at once.
	select {
	case _, ok := <-c.Events(context.Background()):
		if ok {
			t.Error("an event after close")
		}
	case <-time.After(5 * time.Second):
		t.Error("the listener of a closed client did not end")
	}
}

func TestPublishTracked(t *testing.T) {
	c := connect(t)
	freshStream(t, c, "GOTRACK", "gotrack.>")
	p, err := c.NewPublisher(PublisherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	id := "a-1"
	first, err := p.PublishTracked(ctx, PublishMessage{Subject: "gotrack.a", Data: []byte("1"), MsgID: &id})
	if err != nil {
		t.Fatal(err)
	}
	dup, err := p.PublishTracked(ctx, PublishMessage{Subject: "gotrack.a", Data: []byte("1"), MsgID: &id})
	if err != nil {
		t.Fatal(err)
	}
	wrong := uint64(99)
	bad, err := p.PublishTracked(ctx, PublishMessage{Subject: "gotrack.b", Data: []byte("2"),
		Expect: Expectations{LastSequence: &wrong}})
	if err != nil {
		t.Fatal(err)
	}
	if first.Ticket() != 0 || dup.Ticket() != 1 || bad.Ticket() != 2 {
		t.Errorf("tickets %d %d %d", first.Ticket(), dup.Ticket(), bad.Ticket())
	}
	select { // nats.go's idiom
	case ack := <-first.Ok():
		if ack.Stream != "GOTRACK" || ack.Sequence != 1 || ack.Duplicate || ack.MsgID != id {
			t.Errorf("first ack: %+v", ack)
		}
	case err := <-first.Err():
		t.Fatal(err)
	case <-time.After(5 * time.Second):
		t.Fatal("no ack")
	}
	ack, err := dup.Wait(ctx)
	if err != nil || ack.Sequence != 1 || !ack.Duplicate {
		t.Errorf("duplicate: %+v %v", ack, err)
	}
	_, err = bad.Wait(ctx)
	var je *Error
	if !errors.As(err, &je) || je.Code != CodeWrongLastSequence || je.APICode != 10071 {
		t.Errorf("want WRONG_LAST_SEQUENCE (10071), got %#v", err)
	}
	if e := <-bad.Err(); !errors.Is(e, ErrWrongLastSequence) {
		t.Errorf("Err(): %v", e)
	}
	if _, err := bad.Wait(ctx); err == nil { // again: the same outcome
		t.Error("second Wait lost the error")
	}
	rep, err := p.Flush(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Acked != 2 || rep.Duplicates != 1 || len(rep.Failures) != 1 || rep.Failures[0].Ticket != 2 {
		t.Errorf("flush: %+v", rep)
	}
	_, err = p.PublishTracked(ctx, PublishMessage{Subject: "gotrack.*", Data: []byte("x")})
	expectInvalid(t, "wildcard", "subject", err)
	if _, err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.PublishTracked(ctx, PublishMessage{Subject: "gotrack.a", Data: []byte("late")}); !errors.Is(err, ErrClosed) {
		t.Errorf("after close: %v", err)
	}
}

// A server restart on the same port (through the project's harness,
// JB_HARNESS_BIN): disconnected, then reconnected, then closed at Close.
func TestEventsAcrossRestart(t *testing.T) {
	h := startHarness(t, "none")
	ctx := testCtx(t)
	c, err := Connect(ctx, Options{Servers: h.URLs, Name: "jetbridge-go-events"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	events := c.Events(ctx)
	h.restart(0)
	var kinds []EventKind
	for !slices.Contains(kinds, EventReconnected) {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatalf("events ended early: %v", kinds)
			}
			kinds = append(kinds, e.Kind)
		case <-ctx.Done():
			t.Fatalf("no reconnected event: %v", kinds)
		}
	}
	d := slices.Index(kinds, EventDisconnected)
	if d < 0 || d > slices.Index(kinds, EventReconnected) {
		t.Errorf("want disconnected before reconnected: %v", kinds)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	var last EventKind
	for e := range events {
		last = e.Kind
	}
	if last != EventClosed {
		t.Errorf("last event %q, want closed", last)
	}
}
