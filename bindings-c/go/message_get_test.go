package jetbridge

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Reading stored messages back: GetNextMessage (the first message at or
// after a sequence on a subject) and GetMessages (a batch read, nats-server
// 2.11+, a stream with AllowDirect). On an older server a batch read is
// ErrServerTooOld, which the test checks instead.

// messageGetStreams creates GOMGETD (AllowDirect) and GOMGETL (without),
// each holding <p>.a "1", <p>.b "2", <p>.a "3", <p>.b "4" at sequences 1-4.
func messageGetStreams(t *testing.T, c *Client) {
	t.Helper()
	ctx := testCtx(t)
	for _, s := range []struct {
		name, prefix string
		direct       bool
	}{{"GOMGETD", "gomgetd", true}, {"GOMGETL", "gomgetl", false}} {
		_ = c.DeleteStream(ctx, s.name)
		cfg := StreamConfig{Name: s.name, Subjects: []string{s.prefix + ".>"}, Storage: StorageTypeMemory}
		if s.direct {
			cfg.AllowDirect = new(true)
		}
		if _, err := c.CreateStream(ctx, cfg); err != nil {
			t.Fatalf("create stream %s: %v", s.name, err)
		}
		t.Cleanup(func() { _ = c.DeleteStream(context.Background(), s.name) })
		for i, sub := range []string{"a", "b", "a", "b"} {
			if ack := mustPublish(t, c, s.prefix+"."+sub, string(rune('1'+i))); ack.Sequence != uint64(i+1) {
				t.Fatalf("publish to %s: sequence %d", s.name, ack.Sequence)
			}
		}
	}
}

func seqsOf(msgs []*StoredMessage) []uint64 {
	out := make([]uint64, len(msgs))
	for i, m := range msgs {
		out[i] = m.Sequence
	}
	return out
}

func TestGetNextMessage(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	messageGetStreams(t, c)

	m, err := c.GetNextMessage(ctx, "GOMGETD", "gomgetd.b", 3)
	if err != nil || m.Sequence != 4 || m.Subject != "gomgetd.b" || string(m.Data) != "4" || m.Timestamp.IsZero() {
		t.Fatalf("next on gomgetd.b from 3: %+v, %v", m, err)
	}
	// Without direct get too; wildcards allowed.
	m, err = c.GetNextMessage(ctx, "GOMGETL", "gomgetl.*", 2)
	if err != nil || m.Sequence != 2 || string(m.Data) != "2" {
		t.Fatalf("next on gomgetl.* from 2: %+v, %v", m, err)
	}
	// None at or after it: ErrNotFound with the server's code.
	for _, stream := range []string{"GOMGETD", "GOMGETL"} {
		subject := strings.ToLower(stream) + ".a"
		_, err = c.GetNextMessage(ctx, stream, subject, 4)
		var e *Error
		if !errors.Is(err, ErrNotFound) || !errors.As(err, &e) || e.APICode != 10037 {
			t.Fatalf("next on %s from 4: want NOT_FOUND (10037), got %v", subject, err)
		}
	}
	_, err = c.GetNextMessage(ctx, "GOMGETD", "gomgetd.a", 0)
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("next from sequence 0: want INVALID_ARGUMENT, got %v", err)
	}
}

func TestGetMessages(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	messageGetStreams(t, c)

	// The zero options: the core's defaults, every message in stream order.
	all, err := c.GetMessages(ctx, "GOMGETD", GetMessagesOptions{})
	if errors.Is(err, ErrServerTooOld) {
		if !strings.Contains(err.Error(), "2.11") {
			t.Fatalf("SERVER_TOO_OLD without the version: %v", err)
		}
		t.Logf("server older than 2.11: %v", err)
		return
	}
	if err != nil || len(all) != 4 || all[1].Subject != "gomgetd.b" || string(all[1].Data) != "2" {
		t.Fatalf("every message: %v, %v", seqsOf(all), err)
	}
	for i, m := range all {
		if m.Sequence != uint64(i+1) {
			t.Fatalf("every message: %v", seqsOf(all))
		}
	}
	// A subject filter from a start sequence, up to MaxMessages.
	got, err := c.GetMessages(ctx, "GOMGETD", GetMessagesOptions{
		Subject: new("gomgetd.b"), StartSequence: new(uint64(1)), MaxMessages: new(uint64(1))})
	if err != nil || len(got) != 1 || got[0].Sequence != 2 || string(got[0].Data) != "2" {
		t.Fatalf("gomgetd.b from 1, at most 1: %v, %v", seqsOf(got), err)
	}
	got, err = c.GetMessages(ctx, "GOMGETD", GetMessagesOptions{Subject: new("gomgetd.a"), StartSequence: new(uint64(2))})
	if err != nil || len(got) != 1 || got[0].Sequence != 3 {
		t.Fatalf("gomgetd.a from 2: %v, %v", seqsOf(got), err)
	}
	// Nothing after the start: an empty slice, not an error.
	got, err = c.GetMessages(ctx, "GOMGETD", GetMessagesOptions{StartSequence: new(uint64(50))})
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("from 50: %#v, %v", got, err)
	}
	// A stream without AllowDirect, bad options, a missing stream.
	_, err = c.GetMessages(ctx, "GOMGETL", GetMessagesOptions{})
	expectInvalid(t, "a stream without allow_direct", "allow_direct", err)
	_, err = c.GetMessages(ctx, "GOMGETD", GetMessagesOptions{MaxMessages: new(uint64(0))})
	expectInvalid(t, "max_messages 0", "max_messages", err)
	_, err = c.GetMessages(ctx, "GOMGETMISSING", GetMessagesOptions{})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("a missing stream: want NOT_FOUND, got %v", err)
	}
}
