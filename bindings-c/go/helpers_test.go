package jetbridge

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// The tests talk to real nats-servers started by
// bindings-c/scripts/with_servers.py (NATS_URL, and JB_* for auth modes).

func env(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run through bindings-c/scripts/test.sh (with_servers.py)", name)
	}
	return v
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func connect(t *testing.T) *Client {
	t.Helper()
	c, err := Connect(testCtx(t), Options{Servers: []string{env(t, "NATS_URL")}, Name: "jetbridge-go-tests"})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// freshStream (re)creates a memory stream and deletes it after the test.
func freshStream(t *testing.T, c *Client, name string, subjects ...string) {
	t.Helper()
	ctx := testCtx(t)
	_ = c.DeleteStream(ctx, name)
	if _, err := c.CreateStream(ctx, StreamConfig{Name: name, Subjects: subjects, Storage: StorageTypeMemory}); err != nil {
		t.Fatalf("create stream %s: %v", name, err)
	}
	t.Cleanup(func() { _ = c.DeleteStream(context.Background(), name) })
}

func mustPublish(t *testing.T, c *Client, subject, data string) *PubAck {
	t.Helper()
	ack, err := c.Publish(testCtx(t), subject, []byte(data))
	if err != nil {
		t.Fatalf("publish %s: %v", subject, err)
	}
	return ack
}

// mustConsumer creates a consumer on stream and closes it after the test.
func mustConsumer(t *testing.T, c *Client, stream string, cfg ConsumerConfig) *Consumer {
	t.Helper()
	cons, err := c.CreateConsumer(testCtx(t), stream, cfg)
	if err != nil {
		t.Fatalf("create consumer on %s: %v", stream, err)
	}
	t.Cleanup(func() { _ = cons.Close() })
	return cons
}

// consumerOnOneMessage creates a fresh stream name capturing prefix.>,
// publishes "one" to prefix.a, and returns the durable consumer durable on it.
func consumerOnOneMessage(t *testing.T, c *Client, name, prefix, durable string) *Consumer {
	t.Helper()
	freshStream(t, c, name, prefix+".>")
	mustPublish(t, c, prefix+".a", "one")
	return mustConsumer(t, c, name, ConsumerConfig{DurableName: &durable})
}

// expectInvalid fails the test unless err is ErrInvalidArgument naming field.
func expectInvalid(t *testing.T, what, field string, err error) {
	t.Helper()
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), field) {
		t.Errorf("%s: want INVALID_ARGUMENT naming %q, got %v", what, field, err)
	}
}

func fetchAll(t *testing.T, cons *Consumer, n int) []Msg {
	t.Helper()
	var out []Msg
	for tries := 0; tries < 20 && len(out) < n; tries++ {
		msgs, err := cons.Fetch(testCtx(t), n-len(out), 2*time.Second)
		if err != nil {
			t.Fatalf("fetch: %v", err)
		}
		out = append(out, msgs...)
	}
	if len(out) != n {
		t.Fatalf("fetched %d messages, want %d", len(out), n)
	}
	return out
}

// hasMsgID reports whether m carries a non-empty msg id.
func hasMsgID(m Msg) bool {
	id, ok := m.MsgID()
	return ok && id != ""
}
