package jetbridge

import (
	"errors"
	"testing"
	"time"
)

// Negative counts, sizes and durations are ErrInvalidArgument naming the
// field; they never wrap to huge unsigned values in the C ABI.
func TestNegativeValuesAreInvalid(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	cons := consumerOnOneMessage(t, c, "GONEG", "goneg", "n")
	_, err := c.CreateStream(ctx, StreamConfig{Name: "GONEG2", Subjects: []string{"goneg2.>"}, MaxAge: -time.Second})
	expectInvalid(t, "stream max age", "max_age", err)
	_, err = c.CreateConsumer(ctx, "GONEG", ConsumerConfig{DurableName: new("m"), AckWait: new(-time.Second)})
	expectInvalid(t, "consumer ack wait", "ack_wait", err)
	_, err = c.CreateConsumer(ctx, "GONEG", ConsumerConfig{DurableName: new("m"), Backoff: []time.Duration{time.Second, -1}})
	expectInvalid(t, "consumer backoff", "backoff", err)
	_, err = c.NewPublisher(PublisherOptions{MaxInFlight: new(-1)})
	expectInvalid(t, "publisher window", "max in flight", err)
	_, err = cons.Fetch(ctx, -1, time.Second)
	expectInvalid(t, "fetch n", "max messages", err)
	_, err = cons.FetchWith(ctx, FetchOptions{MaxMessages: new(1), MaxBytes: new(-1)})
	expectInvalid(t, "fetch max bytes", "max bytes", err)
	_, err = cons.Messages(ctx, MessagesOptions{Batch: new(-5)})
	expectInvalid(t, "messages batch", "batch", err)
	_, err = Connect(ctx, Options{Servers: []string{env(t, "NATS_URL")}, ConnectTimeout: new(-time.Second)})
	expectInvalid(t, "connect timeout", "connect timeout", err)

	msgs, err := cons.Fetch(ctx, 1, 2*time.Second)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch: %d messages, %v", len(msgs), err)
	}
	expectInvalid(t, "nak delay", "nak delay", msgs[0].Nak(-time.Second))
	if err := msgs[0].Ack(); err != nil {
		t.Fatalf("ack after a refused nak: %v", err)
	}
}

// Fetch takes n and maxWait as given, like fetch in every other language;
// FetchWith with nothing set takes the defaults.
func TestFetchTakesItsArgumentsAsGiven(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	cons := consumerOnOneMessage(t, c, "GOFETCH0", "gofetch0", "f")
	if _, err := cons.Fetch(ctx, 0, time.Second); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("fetch 0 messages: %v", err)
	}
	if _, err := cons.Fetch(ctx, 1, 0); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("fetch with max wait 0: %v", err)
	}
	msgs, err := cons.FetchWith(ctx, FetchOptions{})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("FetchWith nothing set (defaults): %d messages, %v", len(msgs), err)
	}
	_ = msgs[0].Ack()
}
