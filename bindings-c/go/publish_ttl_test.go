package jetbridge

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A message's own TTL (PublishMessage.TTL, sent as Nats-TTL; nats-server
// 2.11+): on a stream with AllowMsgTtl a 1 s TTL expires, through every
// publish path; 500 ms (not whole seconds) is ErrInvalidArgument naming ttl
// before sending; a stream without AllowMsgTtl refuses it. On an older
// server every TTL is ErrServerTooOld, which the test checks instead.
func TestPublishTTL(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOTTLPLAIN", "gottlplain.>")
	_ = c.DeleteStream(ctx, "GOTTL")
	_, err := c.CreateStream(ctx, StreamConfig{
		Name: "GOTTL", Subjects: []string{"gottl.>"}, Storage: StorageTypeMemory, AllowMsgTtl: new(true),
	})
	msg := PublishMessage{Subject: "gottl.a", Data: []byte("short-lived"), TTL: time.Second}
	if errors.Is(err, ErrServerTooOld) {
		msg.Subject = "gottlplain.a"
		if _, err := c.PublishMsg(ctx, msg); !errors.Is(err, ErrServerTooOld) {
			t.Fatalf("TTL on a server older than 2.11: %v", err)
		}
		t.Skipf("server older than 2.11: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.DeleteStream(context.Background(), "GOTTL") })

	// One publish, a PublishMany and the pipelined publisher: 4 messages.
	if ack, err := c.PublishMsg(ctx, msg); err != nil || ack.Sequence != 1 {
		t.Fatalf("publish = %+v, %v", ack, err)
	}
	outs, err := c.PublishMany(ctx, []PublishMessage{msg, msg})
	if err != nil || outs[0].Err != nil || outs[1].Err != nil {
		t.Fatalf("publish many = %+v, %v", outs, err)
	}
	p, err := c.NewPublisher(PublisherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Publish(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if rep, err := p.Close(); err != nil || rep.Acked != 1 || len(rep.Failures) != 0 {
		t.Fatalf("publisher close = %+v, %v", rep, err)
	}
	messages := func(name string) uint64 {
		info, err := c.StreamInfo(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return info.State.Messages
	}
	if n := messages("GOTTL"); n != 4 {
		t.Fatalf("stored %d, want 4", n)
	}
	// They expire about 1 s later (bounded: 10 s).
	deadline := time.Now().Add(10 * time.Second)
	for messages("GOTTL") != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("messages with a 1 s TTL still stored after 10 s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Not whole seconds: refused by the core, naming ttl, on every path.
	msg.TTL = 500 * time.Millisecond
	_, err = c.PublishMsg(ctx, msg)
	expectInvalid(t, "500 ms TTL", "ttl", err)
	outs, err = c.PublishMany(ctx, []PublishMessage{msg}) // that message fails alone
	if err != nil {
		t.Fatal(err)
	}
	expectInvalid(t, "500 ms TTL in PublishMany", "ttl", outs[0].Err)
	// Under 1 ms is still a TTL (rounded up to 1 ms), never "none".
	msg.TTL = time.Microsecond
	_, err = c.PublishMsg(ctx, msg)
	expectInvalid(t, "1 µs TTL", "ttl", err)
	// Negative cannot cross the C ABI.
	msg.TTL = -time.Second
	_, err = c.PublishMsg(ctx, msg)
	expectInvalid(t, "negative TTL", "ttl", err)
	// A stream without AllowMsgTtl refuses a TTL.
	msg.TTL = 5 * time.Second
	msg.Subject = "gottlplain.a"
	if _, err := c.PublishMsg(ctx, msg); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("TTL on a stream without allow_msg_ttl: %v", err)
	}
	if n := messages("GOTTLPLAIN"); n != 0 {
		t.Fatalf("stored %d, want 0", n)
	}
	// 0 is no TTL.
	msg.TTL = 0
	if _, err := c.PublishMsg(ctx, msg); err != nil {
		t.Fatal(err)
	}
}
