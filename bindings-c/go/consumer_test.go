package jetbridge

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFetchAckNakTerm(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOPULL", "gopull.>")
	mustPublish(t, c, "gopull.a", "one")
	mustPublish(t, c, "gopull.b", "two")
	mustPublish(t, c, "gopull.a", "three")
	cons, err := c.CreateConsumer(ctx, "GOPULL", ConsumerConfig{DurableName: new("worker"), MaxDeliver: new(int64(5))})
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	msgs := fetchAll(t, cons, 3)
	m0 := msgs[0]
	if m0.Subject() != "gopull.a" || string(m0.Data()) != "one" || m0.StreamSeq() != 1 || m0.Delivered() != 1 || m0.Stream() != "GOPULL" || m0.Consumer() != "worker" || !hasMsgID(m0) {
		t.Fatalf("message %+v", m0)
	}
	if err := m0.Ack(); err != nil {
		t.Fatal(err)
	}
	if err := m0.Ack(); !errors.Is(err, ErrAlreadyAcked) {
		t.Fatalf("second ack: %v", err)
	}
	if err := msgs[1].InProgress(); err != nil {
		t.Fatal(err)
	}
	if err := msgs[1].Nak(0); err != nil {
		t.Fatal(err)
	}
	if err := msgs[2].Term("poison\nreason"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("term with LF: %v", err)
	}
	if err := msgs[2].Term("poison"); err != nil {
		t.Fatal(err)
	}
	again := fetchAll(t, cons, 1)
	if again[0].StreamSeq() != 2 || again[0].Delivered() != 2 {
		t.Fatalf("redelivered %+v", again[0])
	}
	if err := again[0].AckSync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := again[0].AckSync(ctx); !errors.Is(err, ErrAlreadyAcked) {
		t.Fatalf("second ack sync: %v", err)
	}
	empty, err := cons.Fetch(ctx, 10, 300*time.Millisecond)
	if err != nil || len(empty) != 0 {
		t.Fatalf("empty fetch: %d %v", len(empty), err)
	}
	for i := 0; i < 5; i++ {
		mustPublish(t, c, "gopull.c", "batch")
	}
	batch := fetchAll(t, cons, 5)
	if err := AckAll(batch); err != nil {
		t.Fatal(err)
	}
	if err := AckAll(batch); !errors.Is(err, ErrAlreadyAcked) {
		t.Fatalf("second AckAll: %v", err)
	}
	// Concurrent terminal acks of one message: exactly one succeeds.
	mustPublish(t, c, "gopull.d", "race")
	racer := fetchAll(t, cons, 1)[0]
	results := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() { results <- racer.Ack() }()
	}
	ok := 0
	for i := 0; i < 8; i++ {
		if err := <-results; err == nil {
			ok++
		} else if !errors.Is(err, ErrAlreadyAcked) {
			t.Fatalf("concurrent ack: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d concurrent acks succeeded", ok)
	}
	var info *ConsumerInfo
	for tries := 0; tries < 50; tries++ {
		if info, err = cons.Info(ctx); err != nil {
			t.Fatal(err)
		}
		if info.NumAckPending == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if info.NumPending != 0 || info.NumAckPending != 0 || info.AckFloor.StreamSeq != 9 || info.Config.MaxDeliver == nil || *info.Config.MaxDeliver != 5 {
		t.Fatalf("info %+v", info)
	}
}

func TestConsumerAdminAndErrors(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOADMIN", "goadmin.>")
	cfg := ConsumerConfig{DurableName: new("d1"), FilterSubjects: []string{"goadmin.x"}, MaxDeliver: new(int64(3)), Backoff: []time.Duration{time.Second, 2 * time.Second}}
	a, err := c.CreateConsumer(ctx, "GOADMIN", cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.GetOrCreateConsumer(ctx, "GOADMIN", cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	other := cfg
	other.MaxDeliver = new(int64(4))
	if _, err := c.BindConsumer(ctx, "GOADMIN", "d1", &other); !errors.Is(err, ErrConfigMismatch) {
		t.Fatalf("bind mismatch: %v", err)
	}
	info, err := c.ConsumerInfo(ctx, "GOADMIN", "d1")
	if err != nil || len(info.Config.Backoff) != 2 || info.Config.Backoff[1] != 2*time.Second || info.Config.FilterSubjects[0] != "goadmin.x" {
		t.Fatalf("info %+v %v", info, err)
	}
	if err := a.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ConsumerInfo(ctx, "GOADMIN", "d1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted consumer: %v", err)
	}
	a.Close()
	a.Close() // idempotent
	if _, err := a.Fetch(ctx, 1, time.Second); !errors.Is(err, ErrInvalidHandle) {
		t.Fatalf("fetch after close: %v", err)
	}
	// A cancelled context returns at once; the late result is released.
	cons, err := c.CreateConsumer(ctx, "GOADMIN", ConsumerConfig{DurableName: new("slow")})
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := cons.Fetch(short, 1, 5*time.Second); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled fetch: %v", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Fatal("cancelled fetch did not return promptly")
	}
}

// Unset optional fields keep the C defaults: a nil MaxDeliver is unlimited
// (C -1) and reads back as nil; a nil MaxBytes is no byte limit (C SIZE_MAX).
func TestUnsetOptionalFieldsKeepDefaults(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOZERO", "gozero.>")
	mustPublish(t, c, "gozero.a", "one")
	mustPublish(t, c, "gozero.a", "two")
	cfg := ConsumerConfig{DurableName: new("z")}
	cons := mustConsumer(t, c, "GOZERO", cfg)
	info, err := c.ConsumerInfo(ctx, "GOZERO", "z")
	if err != nil || info.Config.MaxDeliver != nil {
		t.Fatalf("info %+v %v", info, err)
	}
	for _, bind := range []ConsumerConfig{cfg, info.Config} {
		b, err := c.BindConsumer(ctx, "GOZERO", "z", &bind)
		if err != nil {
			t.Fatalf("bind with %+v: %v", bind, err)
		}
		b.Close()
	}
	limited := ConsumerConfig{DurableName: new("z"), MaxDeliver: new(int64(1))}
	if _, err := c.BindConsumer(ctx, "GOZERO", "z", &limited); !errors.Is(err, ErrConfigMismatch) {
		t.Fatalf("bind with max deliver 1: %v", err)
	}
	msgs, err := cons.FetchWith(ctx, FetchOptions{MaxMessages: new(uint64(2)), MaxWait: new(2 * time.Second)})
	if err != nil || len(msgs) != 2 {
		t.Fatalf("fetch: %d messages, %v", len(msgs), err)
	}
	for _, m := range msgs {
		if err := m.Ack(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReplayStartPositions(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOREPLAY", "goreplay.>")
	mustPublish(t, c, "goreplay.a", "1")
	mustPublish(t, c, "goreplay.b", "2")
	time.Sleep(50 * time.Millisecond)
	mid := time.Now()
	time.Sleep(50 * time.Millisecond)
	mustPublish(t, c, "goreplay.a", "3")
	mustPublish(t, c, "goreplay.b", "4")
	seqs := func(o ReplayOptions, last uint64) []uint64 {
		sub, err := c.Replay(ctx, "GOREPLAY", o)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		var out []uint64
		for m, err := range sub.All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, m.StreamSeq())
			if m.StreamSeq() >= last {
				break
			}
		}
		return out
	}
	check := func(name string, got []uint64, want ...uint64) {
		if len(got) != len(want) {
			t.Fatalf("%s: %v, want %v", name, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: %v, want %v", name, got, want)
			}
		}
	}
	check("all", seqs(ReplayOptions{}, 4), 1, 2, 3, 4)
	check("sequence", seqs(ReplayOptions{Start: StartAtSequence(2)}, 4), 2, 3, 4)
	check("time", seqs(ReplayOptions{Start: StartAtTime(mid)}, 4), 3, 4)
	check("last", seqs(ReplayOptions{Start: StartLast}, 4), 4)
	check("last per subject", seqs(ReplayOptions{Start: StartLastPerSubject}, 4), 3, 4)
	check("filter", seqs(ReplayOptions{FilterSubjects: []string{"goreplay.a"}}, 3), 1, 3)
	sub, err := c.Replay(ctx, "GOREPLAY", ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := sub.NextBatch(ctx, 10, 5*time.Second)
	if err != nil || len(got) == 0 {
		t.Fatalf("next batch %d %v", len(got), err)
	}
	if err := got[0].Ack(); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("ack of a replayed message: %v", err)
	}
	if h, err := sub.Health(); err != nil || h > HealthStopped {
		t.Fatalf("health %v %v", h, err)
	}
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Next(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("next after close: %v", err)
	}
	if _, err := c.Replay(ctx, "NOPE", ReplayOptions{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("replay of a missing stream: %v", err)
	}
}

func TestContinuousAndPush(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOCONT", "gocont.>")
	cons, err := c.CreateConsumer(ctx, "GOCONT", ConsumerConfig{DurableName: new("cont")})
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	sub, err := cons.Messages(ctx, MessagesOptions{Batch: new(uint64(20)), Heartbeat: new(time.Second), Expires: new(5 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		mustPublish(t, c, "gocont.x", "m")
	}
	n := 0
	for m := range sub.Chan() {
		if err := m.Ack(); err != nil {
			t.Fatal(err)
		}
		if n++; n == 30 {
			break
		}
	}
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cons.Messages(ctx, MessagesOptions{Heartbeat: new(10 * time.Millisecond)}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad heartbeat: %v", err)
	}

	// Push consumer with a deliver group: each message goes to one member.
	cfg := ConsumerConfig{DurableName: new("pushers"), DeliverGroup: new("workers")}
	a, err := c.PushSubscribe(ctx, "GOCONT", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := c.PushSubscribe(ctx, "GOCONT", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	seen := map[uint64]int{}
	for tries := 0; tries < 100 && len(seen) < 30; tries++ {
		for _, s := range []*Subscription{a, b} {
			msgs, err := s.NextBatch(ctx, 64, 100*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				seen[m.StreamSeq()]++
				_ = m.Ack()
			}
		}
	}
	if len(seen) != 30 {
		t.Fatalf("push received %d distinct messages", len(seen))
	}
	for seq, n := range seen {
		if n != 1 {
			t.Fatalf("seq %d delivered %d times", seq, n)
		}
	}
	cfg.MaxDeliver = new(int64(2))
	if _, err := c.PushSubscribe(ctx, "GOCONT", cfg); !errors.Is(err, ErrConfigMismatch) {
		t.Fatalf("join with another config: %v", err)
	}
}

func TestSubscriptionEndsWithError(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOGONE", "gogone.>")
	cons, err := c.CreateConsumer(ctx, "GOGONE", ConsumerConfig{DurableName: new("gone")})
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()
	sub, err := cons.Messages(ctx, MessagesOptions{Heartbeat: new(time.Second), Expires: new(5 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	mustPublish(t, c, "gogone.x", "m")
	m, err := sub.Next(ctx)
	if err != nil {
		h, _ := sub.Health()
		k, _ := c.Counters()
		t.Fatalf("first message: %v (health %d, counters %+v)", err, h, k)
	}
	_ = m.Ack()
	if err := c.DeleteStream(ctx, "GOGONE"); err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Next(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after the stream was deleted: %v", err)
	}
	if !errors.Is(sub.Err(), ErrNotFound) {
		t.Fatalf("Err = %v", sub.Err())
	}
}

func TestDapr(t *testing.T) {
	url := env(t, "NATS_URL")
	ctx := testCtx(t)
	d, err := NewDaprConfig(map[string]string{
		"natsURL": url, "durableName": "dapr-go", "queueGroupName": "dapr-group",
		"ackWait": "10s", "maxDeliver": "3",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	c, err := ConnectDapr(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	freshStream(t, c, "GODAPR", "godapr.>")
	mustPublish(t, c, "godapr.orders", "hello")
	sub, err := c.DaprSubscribe(ctx, "godapr.orders", d)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	m, err := sub.Next(ctx)
	if err != nil || m.Consumer() != "dapr-go" || string(m.Data()) != "hello" {
		t.Fatalf("dapr message %+v %v", m, err)
	}
	_ = m.Ack()
	if _, err := NewDaprConfig(map[string]string{"natsURL": url, "bogusKey": "1"}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("unknown key: %v", err)
	}
	path := filepath.Join(t.TempDir(), "component.yaml")
	yaml := "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: js\nspec:\n  type: pubsub.jetstream\n  version: v1\n  metadata:\n  - name: natsURL\n    value: \"" + url + "\"\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	y, err := LoadDaprComponent(path)
	if err != nil {
		t.Fatal(err)
	}
	y.Close()
	y.Close()
	if _, err := ConnectDapr(ctx, y); !errors.Is(err, ErrInvalidHandle) {
		t.Fatalf("closed config: %v", err)
	}
}
