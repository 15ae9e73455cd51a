package jetbridge

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// Atomic batch publish against a real server: a batch stored whole with its
// last sequence and count; a stream without AllowAtomic refuses it
// (ErrInvalidArgument, APICode 10174) and stores nothing; an empty batch is
// ErrInvalidArgument. On a server older than 2.12 a batch is
// ErrServerTooOld, which the test checks instead.

// batchTooOld reports (and checks) a server older than 2.12.
func batchTooOld(t *testing.T, c *Client) bool {
	t.Helper()
	_, err := c.PublishBatch(testCtx(t), []PublishMessage{{Subject: "gobatch.a", Data: []byte("x")}})
	if !errors.Is(err, ErrServerTooOld) {
		return false
	}
	if !strings.Contains(err.Error(), "2.12") {
		t.Fatalf("too old: %v", err)
	}
	t.Logf("server older than 2.12: %v", err)
	return true
}

func atomicStream(t *testing.T, c *Client, name, subject string, allowAtomic bool) {
	t.Helper()
	ctx := testCtx(t)
	_ = c.DeleteStream(ctx, name)
	cfg := StreamConfig{Name: name, Subjects: []string{subject}, Storage: StorageTypeMemory}
	if allowAtomic {
		cfg.AllowAtomic = new(true)
	}
	if _, err := c.CreateStream(ctx, cfg); err != nil {
		t.Fatalf("create stream %s: %v", name, err)
	}
	t.Cleanup(func() { _ = c.DeleteStream(context.Background(), name) })
}

func storedCount(t *testing.T, c *Client, stream string) uint64 {
	t.Helper()
	info, err := c.StreamInfo(testCtx(t), stream)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Messages
}

func TestPublishBatchStoredWhole(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	if batchTooOld(t, c) {
		return
	}
	atomicStream(t, c, "GOBATCH", "gobatch.>", true)
	mustPublish(t, c, "gobatch.before", "0")
	ack, err := c.PublishBatch(ctx, []PublishMessage{
		{Subject: "gobatch.created", Data: []byte("o-1"), Headers: []HeaderField{{"X-Order", "7"}},
			Expect: Expectations{LastSequence: new(uint64(1))}},
		{Subject: "gobatch.paid", Data: []byte("paid"), MsgID: new("paid-1")},
		{Subject: "gobatch.shipped", Data: []byte("shipped")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ack.Stream != "GOBATCH" || ack.Sequence != 4 || ack.Count != 3 || ack.BatchID == "" {
		t.Fatalf("ack = %+v", ack)
	}
	for seq, subject := range map[uint64]string{2: "gobatch.created", 3: "gobatch.paid", 4: "gobatch.shipped"} {
		m, err := c.GetMessage(ctx, "GOBATCH", seq)
		if err != nil || m.Subject != subject {
			t.Fatalf("message %d = %+v, %v", seq, m, err)
		}
	}
	// A failed expectation anywhere in the batch stores none of it.
	_, err = c.PublishBatch(ctx, []PublishMessage{
		{Subject: "gobatch.a", Data: []byte("1")},
		{Subject: "gobatch.b", Data: []byte("2"), Expect: Expectations{LastSubjectSequence: new(uint64(99))}},
	})
	if !errors.Is(err, ErrWrongLastSequence) {
		t.Fatalf("failed expectation: %v", err)
	}
	if n := storedCount(t, c, "GOBATCH"); n != 4 {
		t.Fatalf("stored %d, want 4", n)
	}
}

func TestPublishBatchRefused(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	// An empty batch: the core refuses it before anything is sent.
	for _, msgs := range [][]PublishMessage{nil, {}} {
		if _, err := c.PublishBatch(ctx, msgs); !errors.Is(err, ErrInvalidArgument) {
			t.Fatalf("empty batch: %v", err)
		}
	}
	if batchTooOld(t, c) {
		return
	}
	atomicStream(t, c, "GOBPLAIN", "gobplain.>", false)
	for _, n := range []int{1, 2} {
		msgs := []PublishMessage{{Subject: "gobplain.a", Data: []byte("p1")}, {Subject: "gobplain.b", Data: []byte("p2")}}
		_, err := c.PublishBatch(ctx, msgs[:n])
		var e *Error
		if !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &e) || e.APICode != 10174 {
			t.Fatalf("stream without allow_atomic, %d messages: %v", n, err)
		}
	}
	if n := storedCount(t, c, "GOBPLAIN"); n != 0 {
		t.Fatalf("stored %d, want 0", n)
	}
	// A closed client.
	_ = c.Close()
	if _, err := c.PublishBatch(ctx, []PublishMessage{{Subject: "gobplain.a", Data: []byte("x")}}); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed: %v", err)
	}
}
