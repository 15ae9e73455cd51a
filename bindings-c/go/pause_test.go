package jetbridge

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Pausing, resuming and unpinning consumers (nats-server 2.11+). On an older
// server each call is ErrServerTooOld, which skipIfServerTooOld checks
// before skipping the rest.

func skipIfServerTooOld(t *testing.T, c *Client, stream, name string) {
	t.Helper()
	ctx := testCtx(t)
	_, err := c.PauseConsumer(ctx, stream, name, time.Now().Add(time.Hour))
	if !errors.Is(err, ErrServerTooOld) {
		if err == nil {
			_, _ = c.ResumeConsumer(ctx, stream, name)
		}
		return
	}
	if !strings.Contains(err.Error(), "2.11") {
		t.Errorf("SERVER_TOO_OLD names the version it needs: %v", err)
	}
	if _, err := c.ResumeConsumer(ctx, stream, name); !errors.Is(err, ErrServerTooOld) {
		t.Errorf("resume on an old server: %v", err)
	}
	if err := c.UnpinConsumer(ctx, stream, name, "jobs"); !errors.Is(err, ErrServerTooOld) {
		t.Errorf("unpin on an old server: %v", err)
	}
	t.Skipf("server older than 2.11: %v", err)
}

func near(a, b time.Time) bool { return a.Sub(b).Abs() < time.Millisecond }

func TestPauseThenResume(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	cons := consumerOnOneMessage(t, c, "GOPAUSEC", "gopausec", "worker")
	skipIfServerTooOld(t, c, "GOPAUSEC", "worker")

	until := time.Now().Add(time.Hour)
	state, err := c.PauseConsumer(ctx, "GOPAUSEC", "worker", until)
	if err != nil {
		t.Fatalf("pause: %v", err)
	}
	if !state.Paused || state.PauseUntil == nil || !near(*state.PauseUntil, until) {
		t.Fatalf("pause state %+v, want paused until %v", state, until)
	}
	if state.PauseRemaining == nil || *state.PauseRemaining < 59*time.Minute || *state.PauseRemaining > time.Hour {
		t.Fatalf("pause remaining %v", state.PauseRemaining)
	}
	info, err := c.ConsumerInfo(ctx, "GOPAUSEC", "worker")
	if err != nil {
		t.Fatalf("info: %v", err)
	}
	if info.Config.PauseUntil == nil || !near(*info.Config.PauseUntil, until) {
		t.Fatalf("info pause_until %v, want %v", info.Config.PauseUntil, until)
	}
	if msgs, err := cons.Fetch(ctx, 1, 300*time.Millisecond); err != nil || len(msgs) != 0 {
		t.Fatalf("fetch while paused: %d %v", len(msgs), err)
	}

	state, err = c.ResumeConsumer(ctx, "GOPAUSEC", "worker")
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if state.Paused || state.PauseUntil != nil || state.PauseRemaining != nil {
		t.Fatalf("state after resume %+v", state)
	}
	msgs, err := cons.Fetch(ctx, 1, 3*time.Second)
	if err != nil || len(msgs) != 1 || string(msgs[0].Data()) != "one" {
		t.Fatalf("fetch after resume: %d %v", len(msgs), err)
	}
	if err := msgs[0].Ack(); err != nil {
		t.Fatal(err)
	}
}

func TestPauseErrors(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	consumerOnOneMessage(t, c, "GOPAUSEE", "gopausee", "worker")
	// Refused before the server is asked, on any server.
	_, err := c.PauseConsumer(ctx, "GOPAUSEE", "worker", time.Now().Add(-time.Second))
	expectInvalid(t, "pause until a past time", "pause_until", err)
	_, err = c.PauseConsumer(ctx, "GOPAUSEE", "worker", time.Time{}) // year 1: saturates, still the past
	expectInvalid(t, "pause until the zero time", "pause_until", err)
	if _, err := c.ResumeConsumer(ctx, "GOPAUSEE", "bad name"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("resume with a bad name: %v", err)
	}
	if _, err := c.ResumeConsumer(ctx, "GOPAUSEE", "nul\x00"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("resume with an embedded NUL: %v", err)
	}
	if err := c.UnpinConsumer(ctx, "GOPAUSEE", "worker", "bad group"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unpin a bad group: %v", err)
	}
	skipIfServerTooOld(t, c, "GOPAUSEE", "worker")

	if _, err := c.PauseConsumer(ctx, "GOPAUSEE", "missing", time.Now().Add(time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("pause a missing consumer: %v", err)
	}
	if _, err := c.ResumeConsumer(ctx, "GOPAUSEE", "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("resume a missing consumer: %v", err)
	}
	if err := c.UnpinConsumer(ctx, "GOPAUSEE", "missing", "jobs"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unpin a missing consumer: %v", err)
	}
	// A context already done starts nothing.
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.ResumeConsumer(done, "GOPAUSEE", "worker"); !errors.Is(err, context.Canceled) {
		t.Errorf("resume with a cancelled context: %v", err)
	}
}

func TestUnpinConsumer(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	consumerOnOneMessage(t, c, "GOPIN", "gopin", "plain")
	skipIfServerTooOld(t, c, "GOPIN", "plain")
	mustConsumer(t, c, "GOPIN", ConsumerConfig{DurableName: new("pinned"), PriorityGroups: []string{"jobs"},
		PriorityPolicy: new(PriorityPolicyPinnedClient)})
	if err := c.UnpinConsumer(ctx, "GOPIN", "pinned", "jobs"); err != nil {
		t.Fatalf("unpin: %v", err)
	}
	if err := c.UnpinConsumer(ctx, "GOPIN", "pinned", "other"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unpin an unknown group: %v", err)
	}
	if err := c.UnpinConsumer(ctx, "GOPIN", "plain", "jobs"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("unpin on a consumer without priority groups: %v", err)
	}
}
