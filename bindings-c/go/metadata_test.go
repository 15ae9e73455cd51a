package jetbridge

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// Maps (Metadata) and points in time (PauseUntil) cross the C library as the
// core's JSON: they come back from the server as they went in. The server
// adds its own _nats.* keys to metadata. PauseUntil needs nats-server 2.11:
// on an older one it is ErrServerTooOld, which the test checks instead.

func TestStreamMetadata(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	_ = c.DeleteStream(ctx, "GOMETA")
	t.Cleanup(func() { _ = c.DeleteStream(context.Background(), "GOMETA") })
	cfg := StreamConfig{Name: "GOMETA", Subjects: []string{"gometa.>"}, Storage: StorageTypeMemory,
		Metadata: map[string]string{"owner": "payments", "team": "core"}}
	info, err := c.CreateStream(ctx, cfg)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if m := info.Config.Metadata; m["owner"] != "payments" || m["team"] != "core" {
		t.Fatalf("metadata after create: %v", m)
	}
	cfg.Metadata = map[string]string{"owner": "billing"}
	if info, err = c.UpdateStream(ctx, cfg); err != nil {
		t.Fatalf("update: %v", err)
	}
	if m := info.Config.Metadata; m["owner"] != "billing" || m["team"] != "" {
		t.Fatalf("metadata after update: %v", m)
	}
	// Unset (nil): the stream keeps what it has.
	cfg.Metadata = nil
	if _, err = c.UpdateStream(ctx, cfg); err != nil {
		t.Fatalf("update without metadata: %v", err)
	}
	if info, err = c.StreamInfo(ctx, "GOMETA"); err != nil {
		t.Fatalf("info: %v", err)
	}
	if m := info.Config.Metadata; m["owner"] != "billing" {
		t.Fatalf("metadata after an update leaving it unset: %v", m)
	}
}

func TestConsumerMetadataAndPauseUntil(t *testing.T) {
	c := connect(t)
	freshStream(t, c, "GOPAUSE", "gopause.>")
	durable := "paused"
	until := time.Date(2100, 1, 1, 0, 0, 0, 123456789, time.UTC)
	cfg := ConsumerConfig{DurableName: &durable, PauseUntil: &until,
		Metadata: map[string]string{"team": "payments", "tier": "gold"}}
	// PauseUntil needs nats-server 2.11: on an older server creating with it
	// is ErrServerTooOld naming the field and the version, refused before
	// anything is sent; the rest then runs without it.
	cons, err := c.CreateConsumer(testCtx(t), "GOPAUSE", cfg)
	tooOld := errors.Is(err, ErrServerTooOld)
	if tooOld {
		t.Logf("server older than 2.11: %v", err)
		if !strings.Contains(err.Error(), "pause_until") || !strings.Contains(err.Error(), "2.11") {
			t.Errorf("SERVER_TOO_OLD names the field and the version it needs: %v", err)
		}
		if _, err := c.ConsumerInfo(testCtx(t), "GOPAUSE", durable); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a consumer refused as too new was created: %v", err)
		}
		cfg.PauseUntil = nil
		cons, err = c.CreateConsumer(testCtx(t), "GOPAUSE", cfg)
	}
	if err != nil {
		t.Fatalf("create consumer: %v", err)
	}
	t.Cleanup(func() { _ = cons.Close() })
	info, err := cons.Info(testCtx(t))
	if err != nil {
		t.Fatalf("info: %v", err)
	}
	if p := info.Config.PauseUntil; (tooOld && p != nil) || (!tooOld && (p == nil || !p.Equal(until))) {
		t.Fatalf("pause_until: %v, want %v", p, until)
	}
	if m := info.Config.Metadata; m["team"] != "payments" || m["tier"] != "gold" {
		t.Fatalf("metadata: %v", m)
	}
	// The same config, or the one the info reports, binds without a mismatch.
	again, err := c.GetOrCreateConsumer(testCtx(t), "GOPAUSE", cfg)
	if err != nil {
		t.Fatalf("get or create with the same config: %v", err)
	}
	_ = again.Close()
	if again, err = c.BindConsumer(testCtx(t), "GOPAUSE", durable, &info.Config); err != nil {
		t.Fatalf("bind with the info's config: %v", err)
	}
	_ = again.Close()

	// A time in another zone is the same instant.
	other := "other"
	local := until.In(time.FixedZone("UTC+2", 2*3600))
	if tooOld {
		_, err = c.CreateConsumer(testCtx(t), "GOPAUSE", ConsumerConfig{DurableName: &other, PauseUntil: &local})
		if !errors.Is(err, ErrServerTooOld) {
			t.Fatalf("pause_until on a server older than 2.11: %v", err)
		}
	} else {
		mustConsumer(t, c, "GOPAUSE", ConsumerConfig{DurableName: &other, PauseUntil: &local})
		info, err = c.ConsumerInfo(testCtx(t), "GOPAUSE", other)
		if err != nil {
			t.Fatalf("info: %v", err)
		}
		if p := info.Config.PauseUntil; p == nil || !p.Equal(until) {
			t.Fatalf("pause_until given with an offset: %v, want %v", p, until)
		}
		if _, ok := info.Config.Metadata["team"]; ok {
			t.Fatalf("metadata of a consumer given none: %v", info.Config.Metadata)
		}
	}

	// Not paused: nil.
	plain := "plain"
	mustConsumer(t, c, "GOPAUSE", ConsumerConfig{DurableName: &plain})
	if info, err = c.ConsumerInfo(testCtx(t), "GOPAUSE", plain); err != nil {
		t.Fatalf("info: %v", err)
	}
	if info.Config.PauseUntil != nil {
		t.Fatalf("pause_until of a consumer never paused: %v", info.Config.PauseUntil)
	}

	// The Unix epoch is 0 in C: it crosses as set (has_pause_until), and a
	// pause already over is taken.
	epoch := time.Unix(0, 0)
	past := "past"
	mustConsumer(t, c, "GOPAUSE", ConsumerConfig{DurableName: &past, PauseUntil: &epoch})
	if info, err = c.ConsumerInfo(testCtx(t), "GOPAUSE", past); err != nil || info.Name != past {
		t.Fatalf("a consumer paused until the epoch: %+v, %v", info, err)
	}
}

// The generated types marshal as the core reads them (RFC 3339, an object
// of strings).
func TestTimeAndMapJSON(t *testing.T) {
	until := time.Date(2100, 1, 1, 0, 0, 0, 500000000, time.UTC)
	b, err := json.Marshal(ConsumerConfig{PauseUntil: &until, Metadata: map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"pause_until":"2100-01-01T00:00:00.5Z"`, `"metadata":{"k":"v"}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	b, _ = json.Marshal(ConsumerConfig{})
	if strings.Contains(string(b), "pause_until") || strings.Contains(string(b), "metadata") {
		t.Errorf("unset fields are left out: %s", b)
	}
}
