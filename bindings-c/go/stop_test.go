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
	cons := mustConsumer(t, c, "GOSTOP", ConsumerConfig{Durable: new("s")})
	sub, err := cons.Messages(ctx, MessagesOptions{Batch: new(10)})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	first, err := sub.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := c.ConsumerInfo(ctx, "GOSTOP", "s")
		if err != nil {
			t.Fatal(err)
		}
		if info.NumAckPending == 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // the deliveries the server reports sent reach the client
	if err := sub.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := sub.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	rest, err := sub.NextBatch(ctx, 5, time.Second)
	if err != nil || len(rest) != 2 || rest[0].StreamSeq != 2 || rest[1].StreamSeq != 3 {
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
