package jetbridge

import (
	"context"
	"testing"
	"time"
)

// A set optional field is sent as given, 0 and "" included: where the core
// rejects the zero value, Go gets ErrInvalidArgument naming the field, as
// every other language does, instead of the default.
func TestExplicitZerosReachTheCore(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	cons := consumerOnOneMessage(t, c, "GOEXPLICIT", "goexplicit", "e")
	_, err := c.CreateStream(ctx, StreamConfig{Name: "GOEXPLICIT2", Subjects: []string{"goexplicit2.>"}, Replicas: new(uint64(0))})
	expectInvalid(t, "stream replicas 0", "replicas", err)
	_, err = c.CreateConsumer(ctx, "GOEXPLICIT", ConsumerConfig{DurableName: new("")})
	expectInvalid(t, `durable ""`, "durable name", err)
	_, err = c.CreateConsumer(ctx, "GOEXPLICIT", ConsumerConfig{DurableName: new("m"), MaxDeliver: new(int64(0))})
	expectInvalid(t, "max deliver 0", "max deliver", err)
	_, err = c.PublishMsg(ctx, PublishMessage{Subject: "goexplicit.a", Data: []byte("x"), MsgID: new("")})
	expectInvalid(t, `msg id ""`, "msg_id", err)
	_, err = c.NewPublisher(PublisherOptions{MaxInFlight: new(uint64(0))})
	expectInvalid(t, "max in flight 0", "publisher options", err)
	_, err = c.NewPublisher(PublisherOptions{MaxInFlightBytes: new(uint64(0))})
	expectInvalid(t, "max in flight bytes 0", "publisher options", err)
	_, err = cons.FetchWith(ctx, FetchOptions{MaxMessages: new(uint64(0))})
	expectInvalid(t, "fetch max messages 0", "max_messages", err)
	_, err = cons.FetchWith(ctx, FetchOptions{MaxBytes: new(uint64(0))})
	expectInvalid(t, "fetch max bytes 0", "max_bytes", err)
	_, err = cons.FetchWith(ctx, FetchOptions{MaxWait: new(time.Duration(0))})
	expectInvalid(t, "fetch max wait 0", "max_wait", err)
	_, err = cons.FetchWith(ctx, FetchOptions{Heartbeat: new(time.Duration(0))})
	expectInvalid(t, "fetch heartbeat 0", "heartbeat", err)
	_, err = cons.Messages(ctx, MessagesOptions{Batch: new(uint64(0))})
	expectInvalid(t, "messages batch 0", "batch", err)
	_, err = cons.Messages(ctx, MessagesOptions{MaxBytes: new(uint64(0))})
	expectInvalid(t, "messages max bytes 0", "max_bytes", err)
	_, err = cons.Messages(ctx, MessagesOptions{ThresholdPercent: new(uint64(300))})
	expectInvalid(t, "messages threshold 300", "threshold_percent", err)
	_, err = cons.Messages(ctx, MessagesOptions{Heartbeat: new(time.Duration(0))})
	expectInvalid(t, "messages heartbeat 0", "heartbeat", err)
	_, err = Connect(ctx, Options{Servers: []string{env(t, "NATS_URL")}, ConnectTimeout: new(time.Duration(0))})
	expectInvalid(t, "connect timeout 0", "connect_timeout", err)

	// The message is still there: nothing above consumed it.
	msgs, err := cons.Fetch(ctx, 5, time.Second)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch after the refused calls: %d messages, %v", len(msgs), err)
	}
	_ = msgs[0].Ack()
}

// An explicit false turns a stream's flag off, and an explicit first name
// sets an optional enum, where leaving them nil keeps the server's value.
func TestExplicitFalseTurnsAFlagOff(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	_ = c.DeleteStream(ctx, "GOFALSE")
	t.Cleanup(func() { _ = c.DeleteStream(context.Background(), "GOFALSE") })
	cfg := StreamConfig{Name: "GOFALSE", Subjects: []string{"gofalse.>"}, AllowDirect: new(true), Compression: new(CompressionS2)}
	if _, err := c.CreateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.AllowDirect, cfg.Compression = nil, nil
	cfg.MaxMsgs = new(int64(10))
	info, err := c.UpdateStream(ctx, cfg)
	if err != nil || info.Config.AllowDirect == nil || !*info.Config.AllowDirect || info.Config.Compression == nil || *info.Config.Compression != CompressionS2 {
		t.Fatalf("nil keeps the server's settings: %+v, %v", info, err)
	}
	cfg.AllowDirect, cfg.Compression = new(false), new(CompressionNone)
	info, err = c.UpdateStream(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.AllowDirect != nil && *info.Config.AllowDirect {
		t.Errorf("allow_direct still on after an explicit false")
	}
	if info.Config.Compression != nil && *info.Config.Compression != CompressionNone {
		t.Errorf("compression %v after an explicit none", *info.Config.Compression)
	}
}

// Zero values that are real settings are taken, not replaced by defaults:
// a zero publish retry budget, a zero re-pull threshold.
func TestZeroSettingsAreKept(t *testing.T) {
	ctx := testCtx(t)
	c, err := Connect(ctx, Options{Servers: []string{env(t, "NATS_URL")}, PublishRetryBudget: new(time.Duration(0))})
	if err != nil {
		t.Fatalf("connect with no publish retries: %v", err)
	}
	defer c.Close()
	freshStream(t, c, "GOZEROSET", "gozeroset.>")
	if _, err := c.Publish(ctx, "gozeroset.a", []byte("one")); err != nil {
		t.Fatalf("publish without retries: %v", err)
	}
	cons := mustConsumer(t, c, "GOZEROSET", ConsumerConfig{DurableName: new("z")})
	sub, err := cons.Messages(ctx, MessagesOptions{Batch: new(uint64(1)), ThresholdPercent: new(uint64(0))})
	if err != nil {
		t.Fatalf("messages with threshold 0: %v", err)
	}
	defer sub.Close()
	m, err := sub.Next(ctx)
	if err != nil || string(m.Data()) != "one" {
		t.Fatalf("messages with threshold 0: %+v, %v", m, err)
	}
	_ = m.Ack()
}

// A nil DurableName is an ephemeral consumer: the server names it, and its
// config reads back with DurableName nil.
func TestNilDurableIsEphemeral(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOEPHEMERAL", "goephemeral.>")
	cons, err := c.CreateConsumer(ctx, "GOEPHEMERAL", ConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	info, err := cons.Info(ctx)
	if err != nil || info.Name == "" || info.Config.DurableName != nil {
		t.Fatalf("info %+v %v", info, err)
	}
}
