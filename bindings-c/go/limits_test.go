package jetbridge

import (
	"errors"
	"testing"
	"time"
)

// Negative counts and durations are ErrInvalidArgument naming the field;
// they never wrap to huge unsigned values in the C ABI. (The generated
// options hold counts as uint64: a negative one does not compile.)
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
	_, err = cons.Fetch(ctx, -1, time.Second)
	expectInvalid(t, "fetch n", "max_messages", err)
	_, err = cons.Fetch(ctx, 1, -time.Second)
	expectInvalid(t, "fetch max wait", "max_wait", err)
	_, err = cons.FetchWith(ctx, FetchOptions{Heartbeat: new(-time.Second)})
	expectInvalid(t, "fetch heartbeat", "heartbeat", err)
	_, err = cons.Messages(ctx, MessagesOptions{Expires: new(-time.Second)})
	expectInvalid(t, "messages expires", "expires", err)
	_, err = c.Replay(ctx, "GONEG", ReplayOptions{Messages: MessagesOptions{Heartbeat: new(-time.Second)}})
	expectInvalid(t, "replay heartbeat", "heartbeat", err)
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
