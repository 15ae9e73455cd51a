package jetbridge

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Client.Drain against a real server: graceful shutdown settles queued acks
// and pipelined publishes, then closes; a message handed out and never
// answered ends it in ErrTimeout at the ctx deadline, closed all the same.

// waitAckFloor polls (bounded) until the consumer's ack floor is floor: the
// server applies acks right after reading them.
func waitAckFloor(t *testing.T, c *Client, stream, name string, floor uint64) *ConsumerInfo {
	t.Helper()
	var info *ConsumerInfo
	for tries := 0; tries < 50; tries++ {
		var err error
		if info, err = c.ConsumerInfo(testCtx(t), stream, name); err != nil {
			t.Fatal(err)
		}
		if info.AckFloor.StreamSeq == floor {
			return info
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("ack floor of %s is %d, want %d", name, info.AckFloor.StreamSeq, floor)
	return nil
}

func expectClosed(t *testing.T, c *Client) {
	t.Helper()
	st, err := c.ConnectionState()
	if err != nil || !st.Closed || st.Connected {
		t.Fatalf("after drain: %+v, %v", st, err)
	}
}

func TestDrainSettlesThenCloses(t *testing.T) {
	check := connect(t)
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, check, "GODRAIN1", "godrain1.>")
	for _, d := range []string{"1", "2", "3"} {
		mustPublish(t, c, "godrain1.a", d)
	}
	cons := mustConsumer(t, c, "GODRAIN1", ConsumerConfig{DurableName: new("proc")})
	msgs := fetchAll(t, cons, 2)
	if msgs[0].StreamSeq() != 1 || msgs[1].StreamSeq() != 2 {
		t.Fatalf("fetched seqs %d, %d", msgs[0].StreamSeq(), msgs[1].StreamSeq())
	}
	for _, m := range msgs {
		if err := m.Ack(); err != nil { // queued, not confirmed
			t.Fatal(err)
		}
	}
	pub, err := c.NewPublisher(PublisherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	for want, d := range []string{"4", "5"} {
		ticket, err := pub.Publish(ctx, PublishMessage{Subject: "godrain1.b", Data: []byte(d)})
		if err != nil || ticket != uint64(want) { // queued, not flushed
			t.Fatalf("publisher: ticket %d, %v", ticket, err)
		}
	}

	if err := c.Drain(context.Background()); err != nil { // the core's default timeout
		t.Fatal(err)
	}

	expectClosed(t, c)
	if _, err := c.Publish(ctx, "godrain1.a", []byte("6")); !errors.Is(err, ErrClosed) {
		t.Fatalf("publish after drain: %v", err)
	}
	if _, err := c.StreamInfo(ctx, "GODRAIN1"); !errors.Is(err, ErrClosed) {
		t.Fatalf("stream info after drain: %v", err)
	}
	if _, err := cons.Fetch(ctx, 1, 100*time.Millisecond); !errors.Is(err, ErrClosed) {
		t.Fatalf("fetch after drain: %v", err)
	}
	if _, err := pub.Publish(ctx, PublishMessage{Subject: "godrain1.b", Data: []byte("7")}); !errors.Is(err, ErrClosed) {
		t.Fatalf("publisher after drain: %v", err)
	}
	if err := c.Drain(ctx); err != nil { // draining a closed client is fine
		t.Fatal(err)
	}

	info, err := check.StreamInfo(ctx, "GODRAIN1")
	if err != nil || info.State.Messages != 5 || info.State.LastSequence != 5 {
		t.Fatalf("stream after drain: %+v, %v", info, err)
	}
	if ci := waitAckFloor(t, check, "GODRAIN1", "proc", 2); ci.NumAckPending != 0 {
		t.Fatalf("ack pending after drain: %d", ci.NumAckPending)
	}
}

func TestDrainTimesOutOnAHeldMessageClosedAnyway(t *testing.T) {
	check := connect(t)
	c := connect(t)
	freshStream(t, check, "GODRAIN2", "godrain2.>")
	mustPublish(t, c, "godrain2.a", "held")
	cons := mustConsumer(t, c, "GODRAIN2", ConsumerConfig{DurableName: new("held")})
	held := fetchAll(t, cons, 1)[0]
	if held.StreamSeq() != 1 {
		t.Fatalf("fetched seq %d", held.StreamSeq())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	started := time.Now()
	err := c.Drain(ctx)
	took := time.Since(started)
	// Held until here: a Msg the GC finalizes is dropped, which settles it.
	runtime.KeepAlive(held)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("drain with a held message: %v", err)
	}
	if !strings.Contains(err.Error(), "1 message") {
		t.Errorf("drain's error names what was left: %v", err)
	}
	if took < 450*time.Millisecond || took > 10*time.Second {
		t.Errorf("drain took %v for a 500 ms deadline", took)
	}
	expectClosed(t, c)
	if _, err := c.Publish(testCtx(t), "godrain2.a", []byte("late")); !errors.Is(err, ErrClosed) {
		t.Fatalf("publish after drain: %v", err)
	}
	if err := c.Drain(context.Background()); err != nil { // closed already: fine
		t.Fatal(err)
	}

	// Never answered: the server redelivers it after its ack wait.
	ci, err := check.ConsumerInfo(testCtx(t), "GODRAIN2", "held")
	if err != nil || ci.NumAckPending != 1 || ci.AckFloor.StreamSeq != 0 {
		t.Fatalf("consumer after drain: %+v, %v", ci, err)
	}
}

// Cancelling ctx returns at once; the drain goes on in the core and ends
// once the held message is acked. A ctx already done starts nothing.
func TestDrainCancelledGoesOnInTheCore(t *testing.T) {
	check := connect(t)
	c := connect(t)
	freshStream(t, check, "GODRAIN3", "godrain3.>")
	mustPublish(t, c, "godrain3.a", "x")
	cons := mustConsumer(t, c, "GODRAIN3", ConsumerConfig{DurableName: new("late")})
	m := fetchAll(t, cons, 1)[0]

	done, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Drain(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("drain with a cancelled ctx: %v", err)
	}
	if err := c.Drain(canceledDeadline(t)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("drain past its deadline: %v", err)
	}
	mustPublish(t, c, "godrain3.a", "still open") // nothing was started

	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() { result <- c.Drain(ctx) }()
	// Drain starts on a core thread: publish (bounded) until it is refused.
	var refused error
	for i := 0; i < 500 && refused == nil; i++ {
		if _, refused = c.Publish(testCtx(t), "godrain3.b", []byte("y")); refused == nil {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if !errors.Is(refused, ErrClosed) {
		t.Fatalf("publish while draining: %v", refused)
	}
	cancel()
	select {
	case err := <-result:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled drain: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled Drain did not return")
	}
	if st, _ := c.ConnectionState(); st.Closed {
		t.Fatal("closed before the message handed out was acked")
	}
	if err := m.Ack(); err != nil { // acks are still accepted
		t.Fatal(err)
	}
	for tries := 0; ; tries++ {
		st, err := c.ConnectionState()
		if err != nil {
			t.Fatal(err)
		}
		if st.Closed {
			break
		}
		if tries == 100 {
			t.Fatal("the drain did not close the client after the ack")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ci := waitAckFloor(t, check, "GODRAIN3", "late", 1); ci.NumAckPending != 0 {
		t.Fatalf("ack pending after drain: %d", ci.NumAckPending)
	}
}

// canceledDeadline is a ctx whose deadline has passed.
func canceledDeadline(t *testing.T) context.Context {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	t.Cleanup(cancel)
	return ctx
}
