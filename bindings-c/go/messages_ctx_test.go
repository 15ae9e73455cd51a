package jetbridge

import (
	"context"
	"errors"
	"testing"
)

// Cancelling the ctx given to Messages stops the flow: what was received
// stays readable, then the channel closes and Next says ErrClosed.
func TestMessagesStopsWhenCtxEnds(t *testing.T) {
	c := connect(t)
	cons := consumerOnOneMessage(t, c, "GOCTXFLOW", "goctxflow", "w")
	flowCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub, err := cons.Messages(flowCtx, MessagesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ctx := testCtx(t)
	m, err := sub.Next(ctx)
	if err != nil || string(m.Data()) != "one" {
		t.Fatalf("first message: %v", err)
	}
	cancel()
	select {
	case _, open := <-sub.Chan():
		if open {
			t.Fatal("a message after cancel: only one was published")
		}
	case <-ctx.Done():
		t.Fatal("the channel did not close after the ctx was cancelled")
	}
	if _, err := sub.Next(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("Next after cancel: %v", err)
	}
	if err := m.Ack(); err != nil {
		t.Fatalf("ack of a message received before cancel: %v", err)
	}
}

// A subscription closed before its ctx ends stops watching the ctx: its
// later cancellation does nothing (no Stop on a freed subscription).
func TestClosedSubscriptionIgnoresCtx(t *testing.T) {
	c := connect(t)
	cons := consumerOnOneMessage(t, c, "GOCTXCLOSE", "goctxclose", "w")
	flowCtx, cancel := context.WithCancel(context.Background())
	sub, err := cons.Messages(flowCtx, MessagesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if sub.unwatch() {
		t.Fatal("still watching the ctx after Close")
	}
}
