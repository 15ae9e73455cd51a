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
	deadline := time.Now().Add(10 * time.Second)
	for len(sub.state.msgs) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 2 messages buffered after 10 s", len(sub.state.msgs))
		}
		time.Sleep(20 * time.Millisecond)
	}
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
