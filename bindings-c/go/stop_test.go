package jetbridge

import (
	"errors"
	"testing"
	"time"
)

// Stop ends the flow but keeps what was received readable and ackable; then
// ErrClosed. Close after Stop still frees.
func TestStopKeepsWhatWasReceived(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOSTOP", "gostop.>")
	for _, d := range []string{"m1", "m2", "m3"} {
		mustPublish(t, c, "gostop.a", d)
	}
	cons := mustConsumer(t, c, "GOSTOP", ConsumerConfig{DurableName: new("s")})
	sub, err := cons.Messages(ctx, MessagesOptions{Batch: new(uint64(10))})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	first, err := sub.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The other two are in the subscription's buffer (the Go channel the
	// library's delivery thread fills) before Stop: Stop ends that delivery,
	// so only what reached the channel stays readable.
	waitBuffered(t, sub, 2)
	if err := sub.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := sub.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	rest, err := sub.NextBatch(ctx, 5, time.Second)
	if err != nil || len(rest) != 2 || rest[0].StreamSeq() != 2 || rest[1].StreamSeq() != 3 {
		t.Fatalf("after Stop: %d messages, %v", len(rest), err)
	}
	if err := first.Ack(); err != nil {
		t.Fatal(err)
	}
	for _, m := range rest {
		if err := m.AckSync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sub.NextBatch(ctx, 1, time.Second); !errors.Is(err, ErrClosed) {
		t.Fatalf("once drained: %v", err)
	}
}

// Stop returns while the channel is full and nobody reads it (the delivery
// thread, blocked on the channel, gives up its message), and the buffered
// messages stay readable after it.
func TestStopWithAFullChannelNobodyReads(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOSTOPFULL", "gostopfull.>")
	const sent = subscriptionBuffer + 20
	for range sent {
		mustPublish(t, c, "gostopfull.a", "x")
	}
	cons := mustConsumer(t, c, "GOSTOPFULL", ConsumerConfig{DurableName: new("s")})
	sub, err := cons.Messages(ctx, MessagesOptions{Batch: new(uint64(sent))})
	if err != nil {
		t.Fatal(err)
	}
	stuck := false // Close would wait for the stuck Stop: leak it instead
	defer func() {
		if !stuck {
			sub.Close()
		}
	}()
	waitBuffered(t, sub, subscriptionBuffer)
	stopped := make(chan error, 1)
	go func() { stopped <- sub.Stop() }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		stuck = true
		t.Fatal("Stop still waits after 10 s with a full channel")
	}
	read := 0
	for {
		m, err := sub.Next(ctx)
		if errors.Is(err, ErrClosed) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := uint64(read + 1); m.StreamSeq() != want {
			t.Fatalf("message %d has stream sequence %d", want, m.StreamSeq())
		}
		read++
	}
	if read != subscriptionBuffer {
		t.Fatalf("read %d messages after Stop, want the %d buffered", read, subscriptionBuffer)
	}
}

// Close releases the messages still in the channel, but a message the
// program already received stays ackable (it may share its delivery batch
// with the released ones).
func TestCloseKeepsReceivedMessagesAckable(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOCLOSEHELD", "gocloseheld.>")
	for range 10 {
		mustPublish(t, c, "gocloseheld.a", "x")
	}
	cons := mustConsumer(t, c, "GOCLOSEHELD", ConsumerConfig{DurableName: new("s")})
	sub, err := cons.Messages(ctx, MessagesOptions{Batch: new(uint64(10))})
	if err != nil {
		t.Fatal(err)
	}
	first, err := sub.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitBuffered(t, sub, 9)
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	if err := first.AckSync(ctx); err != nil {
		t.Fatalf("ack of a message received before Close: %v", err)
	}
	info, err := cons.Info(ctx)
	if err != nil || info.AckFloor.StreamSeq != 1 {
		t.Fatalf("ack floor after Close: %+v, %v", info, err)
	}
}

// waitBuffered waits (at most 10 s) until n messages sit in the
// subscription's channel, handed over by the library's delivery thread.
func waitBuffered(t *testing.T, sub *Subscription, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(sub.state.msgs) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages buffered after 10 s", len(sub.state.msgs), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
