package jetbridge

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// freshKv (re)creates a memory bucket and deletes it after the test.
func freshKv(t *testing.T, c *Client, cfg KvConfig) *KeyValue {
	t.Helper()
	ctx := testCtx(t)
	_ = c.DeleteKeyValue(ctx, cfg.Bucket)
	cfg.Storage = StorageTypeMemory
	kv, err := c.CreateKeyValue(ctx, cfg)
	if err != nil {
		t.Fatalf("create bucket %s: %v", cfg.Bucket, err)
	}
	t.Cleanup(func() {
		_ = kv.Close()
		_ = c.DeleteKeyValue(context.Background(), cfg.Bucket)
	})
	return kv
}

func mustRev(t *testing.T, what string, want uint64) func(uint64, error) {
	t.Helper()
	return func(rev uint64, err error) {
		t.Helper()
		if err != nil || rev != want {
			t.Fatalf("%s: revision %d, %v; want revision %d", what, rev, err, want)
		}
	}
}

func TestKvPutGetCompareAndSetDelete(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	kv := freshKv(t, c, KvConfig{Bucket: "go_kv_basics", History: new(uint64(5))})
	if kv.Bucket() != "go_kv_basics" {
		t.Fatalf("bucket %q", kv.Bucket())
	}

	mustRev(t, "put", 1)(kv.Put(ctx, "db.host", []byte("a")))
	mustRev(t, "put", 2)(kv.Put(ctx, "db.host", []byte("b")))
	e, err := kv.Get(ctx, "db.host")
	if err != nil || string(e.Value) != "b" || e.Revision != 2 || e.Operation != KvPut ||
		e.Key != "db.host" || e.Bucket != "go_kv_basics" || time.Since(e.Created) > time.Minute {
		t.Fatalf("get: %+v, %v", e, err)
	}
	if e, err := kv.GetRevision(ctx, "db.host", 1); err != nil || string(e.Value) != "a" {
		t.Fatalf("get revision 1: %+v, %v", e, err)
	}

	// Create only when absent; Update only at the latest revision.
	if _, err := kv.Create(ctx, "db.host", []byte("c")); !errors.Is(err, ErrWrongLastSequence) {
		t.Fatalf("create over a value: %v", err)
	}
	mustRev(t, "create", 3)(kv.Create(ctx, "db.port", []byte("5432")))
	if _, err := kv.Update(ctx, "db.host", []byte("d"), 1); !errors.Is(err, ErrWrongLastSequence) {
		t.Fatalf("update at a stale revision: %v", err)
	}
	mustRev(t, "update", 4)(kv.Update(ctx, "db.host", []byte("d"), 2))

	// A deleted key and a never-written one: both NOT_FOUND for Get, told
	// apart by Entry (and by the error's text).
	if _, err := kv.Delete(ctx, "db.port", LastRevision(1)); !errors.Is(err, ErrWrongLastSequence) {
		t.Fatalf("delete at a stale revision: %v", err)
	}
	mustRev(t, "delete", 5)(kv.Delete(ctx, "db.port", LastRevision(3)))
	_, errDeleted := kv.Get(ctx, "db.port")
	_, errNever := kv.Get(ctx, "never")
	if !errors.Is(errDeleted, ErrNotFound) || !errors.Is(errNever, ErrNotFound) || errDeleted.Error() == errNever.Error() {
		t.Fatalf("get deleted: %v; get never written: %v", errDeleted, errNever)
	}
	if e, err := kv.Entry(ctx, "db.port"); err != nil || e == nil || e.Operation != KvDelete || e.Revision != 5 || len(e.Value) != 0 {
		t.Fatalf("entry of a deleted key: %+v, %v", e, err)
	}
	if e, err := kv.Entry(ctx, "never"); err != nil || e != nil {
		t.Fatalf("entry of a key never written: %+v, %v", e, err)
	}
	mustRev(t, "create over a delete marker", 6)(kv.Create(ctx, "db.port", []byte("again")))

	hist, err := kv.History(ctx, "db.host")
	if err != nil || len(hist) != 3 || string(hist[0].Value) != "a" || string(hist[2].Value) != "d" {
		t.Fatalf("history: %+v, %v", hist, err)
	}
	if _, err := kv.History(ctx, "never"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("history of a key never written: %v", err)
	}
	mustRev(t, "purge", 7)(kv.Purge(ctx, "db.port"))
	if hist, err := kv.History(ctx, "db.port"); err != nil || len(hist) != 1 || hist[0].Operation != KvPurge {
		t.Fatalf("history after purge: %+v, %v", hist, err)
	}
	if keys, err := kv.Keys(ctx); err != nil || !slices.Equal(keys, []string{"db.host"}) {
		t.Fatalf("keys: %v, %v", keys, err)
	}

	// Another handle on the same bucket sees the same values.
	again, err := c.KeyValue(ctx, "go_kv_basics")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer again.Close()
	if e, err := again.Get(ctx, "db.host"); err != nil || string(e.Value) != "d" {
		t.Fatalf("get through a second handle: %+v, %v", e, err)
	}

	if _, err := kv.Put(ctx, "a b", []byte("x")); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad key: %v", err)
	}
	if _, err := kv.Put(ctx, "nul\x00", []byte("x")); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("key with NUL: %v", err)
	}
	if _, err := c.KeyValue(ctx, "go_kv_missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open a missing bucket: %v", err)
	}
	_, err = c.CreateKeyValue(ctx, KvConfig{Bucket: "go_kv_h", History: new(uint64(65))})
	expectInvalid(t, "history 65", "history", err)
}

// nextUpdate receives one watch update (nil is the caught-up marker).
func nextUpdate(t *testing.T, w *KvWatcher) *KvEntry {
	t.Helper()
	select {
	case e, ok := <-w.Updates():
		if !ok {
			t.Fatalf("updates closed: %v", w.Err())
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no update within 5 s")
		return nil
	}
}

func TestKvWatch(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	kv := freshKv(t, c, KvConfig{Bucket: "go_kv_watch", History: new(uint64(3))})
	mustRev(t, "put", 1)(kv.Put(ctx, "a", []byte("1")))
	mustRev(t, "put", 2)(kv.Put(ctx, "b", []byte("2")))
	mustRev(t, "put", 3)(kv.Put(ctx, "a", []byte("3")))

	w, err := kv.Watch(ctx, KvWatchAll, KvWatchOptions{})
	if err != nil {
		t.Fatalf("watch: %v", err)
	}
	// The latest entry of each key, then the caught-up marker, then changes.
	if e := nextUpdate(t, w); e == nil || e.Key != "b" || e.Revision != 2 {
		t.Fatalf("first initial entry: %+v", e)
	}
	if e := nextUpdate(t, w); e == nil || e.Key != "a" || string(e.Value) != "3" {
		t.Fatalf("second initial entry: %+v", e)
	}
	if e := nextUpdate(t, w); e != nil {
		t.Fatalf("want the caught-up marker, got %+v", e)
	}
	mustRev(t, "put", 4)(kv.Put(ctx, "c", []byte("4")))
	mustRev(t, "delete", 5)(kv.Delete(ctx, "a"))
	if e := nextUpdate(t, w); e == nil || e.Key != "c" || e.Operation != KvPut || e.Revision != 4 {
		t.Fatalf("put seen: %+v", e)
	}
	if e := nextUpdate(t, w); e == nil || e.Key != "a" || e.Operation != KvDelete || e.Revision != 5 {
		t.Fatalf("delete seen: %+v", e)
	}
	if err := w.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if _, ok := <-w.Updates(); ok {
		t.Fatal("updates still open after Stop")
	}
	if err := w.Err(); err != nil {
		t.Fatalf("err after stop: %v", err)
	}
	_ = w.Stop() // idempotent

	// Updates only, on an empty filter match: the marker alone; ending the
	// ctx closes the channel.
	wctx, cancel := context.WithCancel(ctx)
	u, err := kv.Watch(wctx, "x.*", KvWatchOptions{UpdatesOnly: true})
	if err != nil {
		t.Fatalf("watch updates only: %v", err)
	}
	if e := nextUpdate(t, u); e != nil {
		t.Fatalf("want the marker first, got %+v", e)
	}
	mustRev(t, "put", 6)(kv.Put(ctx, "x.y", []byte("6")))
	if e := nextUpdate(t, u); e == nil || e.Key != "x.y" {
		t.Fatalf("update seen: %+v", e)
	}
	cancel()
	select {
	case _, ok := <-u.Updates():
		if ok {
			t.Fatal("an update after the ctx ended")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("updates not closed after the ctx ended")
	}

	if _, err := kv.Watch(ctx, "a..b", KvWatchOptions{}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad filter: %v", err)
	}
}

func TestKvAfterClientClose(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	kv := freshKv(t, c, KvConfig{Bucket: "go_kv_closed"})
	w, err := kv.Watch(ctx, KvWatchAll, KvWatchOptions{})
	if err != nil {
		t.Fatalf("watch: %v", err)
	}
	if e := nextUpdate(t, w); e != nil {
		t.Fatalf("want the marker, got %+v", e)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := kv.Put(ctx, "k", []byte("v")); !errors.Is(err, ErrClosed) {
		t.Fatalf("put after close: %v", err)
	}
	// The watch ends with the client: the channel closes, Err says why.
	select {
	case _, ok := <-w.Updates():
		if ok {
			t.Fatal("an update after close")
		}
		if err := w.Err(); err == nil || !strings.Contains(err.Error(), "CLOSED") {
			t.Fatalf("watch error after close: %v", err)
		}
	case <-time.After(10 * time.Second):
		_ = w.Stop()
		t.Log("the watch did not end with the client within 10 s (it ends at Stop)")
	}
	_ = w.Stop()
	// Clean up with a new client (freshKv's cleanup uses the closed one).
	c2 := connect(t)
	_ = c2.DeleteKeyValue(context.Background(), "go_kv_closed")
}
