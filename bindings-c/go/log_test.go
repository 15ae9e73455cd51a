package jetbridge

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a slog.Handler that keeps every record, enabled from minLevel.
type recorder struct {
	minLevel slog.Level
	mu       sync.Mutex
	records  []slog.Record
}

func (r *recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= r.minLevel }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

func (r *recorder) snapshot() []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.records)
}

// topic is a record's "topic" attribute.
func topic(rec slog.Record) string {
	var out string
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "topic" {
			out = a.Value.String()
		}
		return true
	})
	return out
}

// A server restart under a token URL: a Warn disconnect, then an Info
// reconnect (topic "connection"); no record holds the token.
func TestLogsAcrossRestartUnderTokenURL(t *testing.T) {
	h := startHarness(t, "token")
	rec := &recorder{minLevel: slog.LevelDebug}
	if err := SetLogger(slog.New(rec)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = SetLogger(nil) })
	url := strings.Replace(h.URLs[0], "nats://", "nats://"+h.Token+"@", 1)
	ctx := testCtx(t)
	c, err := Connect(ctx, Options{Servers: []string{url}, Name: "jetbridge-go-logs"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h.restart(0)
	// reconnected: the first Info "connection" record after a Warn one.
	reconnected := func(recs []slog.Record) bool {
		warned := false
		for _, r := range recs {
			warned = warned || r.Level == slog.LevelWarn && topic(r) == "connection"
			if warned && r.Level == slog.LevelInfo && topic(r) == "connection" {
				return true
			}
		}
		return false
	}
	for !reconnected(rec.snapshot()) {
		if ctx.Err() != nil {
			t.Fatalf("no Warn then Info connection records: %v", rec.snapshot())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, r := range rec.snapshot() {
		text := r.Message
		r.Attrs(func(a slog.Attr) bool { text += " " + a.Value.String(); return true })
		if strings.Contains(text, h.Token) {
			t.Errorf("a record holds the token: %q", text)
		}
	}
}

// SetLogger asks the core only for what the logger is enabled for, and nil
// turns logging off.
func TestSetLoggerLevels(t *testing.T) {
	t.Cleanup(func() { _ = SetLogger(nil) })
	rec := &recorder{minLevel: slog.LevelError + 1} // enabled for nothing the core sends
	if err := SetLogger(slog.New(rec)); err != nil || logger.Load() != nil {
		t.Fatalf("a logger enabled for no level: %v, stored %v", err, logger.Load())
	}
	if err := SetLogger(slog.New(&recorder{minLevel: slog.LevelWarn})); err != nil || logger.Load() == nil {
		t.Fatalf("warn: %v", err)
	}
	if err := SetLogger(nil); err != nil || logger.Load() != nil {
		t.Fatalf("nil: %v", err)
	}
}
