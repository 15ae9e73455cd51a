package jetbridge

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// collectKeys reads every key of l (bounded).
func collectKeys(t *testing.T, l *KeyLister) []string {
	t.Helper()
	var keys []string
	for range 1000 {
		select {
		case k, ok := <-l.Keys():
			if !ok {
				if err := l.Err(); err != nil {
					t.Fatalf("listing ended with %v", err)
				}
				return keys
			}
			keys = append(keys, k)
		case <-time.After(5 * time.Second):
			t.Fatal("no key within 5 s")
		}
	}
	t.Fatal("more than 1000 keys")
	return nil
}

func TestKvListKeysStreamed(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	kv := freshKv(t, c, KvConfig{Bucket: "go_kv_list_keys"})

	l, err := kv.ListKeys(ctx, KvWatchAll)
	if err != nil {
		t.Fatal(err)
	}
	if keys := collectKeys(t, l); len(keys) != 0 {
		t.Fatalf("empty bucket: %v", keys)
	}
	for _, k := range []string{"k.1", "k.2", "k.3", "other", "k.1"} {
		if _, err := kv.Put(ctx, k, []byte("v")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := kv.Delete(ctx, "k.3"); err != nil {
		t.Fatal(err)
	}
	// Each key with a value once.
	l, err = kv.ListKeys(ctx, KvWatchAll)
	if err != nil {
		t.Fatal(err)
	}
	keys := collectKeys(t, l)
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"k.1", "k.2", "other"}) {
		t.Fatalf("keys %v", keys)
	}
	// A filter.
	l, err = kv.ListKeys(ctx, "k.*")
	if err != nil {
		t.Fatal(err)
	}
	keys = collectKeys(t, l)
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"k.1", "k.2"}) {
		t.Fatalf("filtered keys %v", keys)
	}
	// Ended early: one key, then Stop closes Keys.
	l, err = kv.ListKeys(ctx, KvWatchAll)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := <-l.Keys(); !ok {
		t.Fatal("no first key")
	}
	_ = l.Stop()
	_ = l.Stop() // idempotent
	for range l.Keys() {
		t.Fatal("a key after Stop")
	}
	if l.Err() != nil {
		t.Fatalf("err after stop: %v", l.Err())
	}
	// A bad filter.
	if _, err := kv.ListKeys(ctx, "a b"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad filter: %v", err)
	}
}

func TestKvMirrorReadsOrigin(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	origin := freshKv(t, c, KvConfig{Bucket: "go_kv_origin"})
	if _, err := origin.Put(ctx, "a", []byte("1")); err != nil {
		t.Fatal(err)
	}
	copyKv := freshKv(t, c, KvConfig{Bucket: "go_kv_copy", Mirror: &StreamSource{Name: "go_kv_origin"}})
	// A mirror copies in the background: wait (bounded) for "a".
	var e *KvEntry
	var err error
	for range 200 {
		if e, err = copyKv.Get(ctx, "a"); !errors.Is(err, ErrNotFound) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if string(e.Value) != "1" || e.Bucket != "go_kv_copy" {
		t.Fatalf("mirrored entry %+v", e)
	}
	st, err := copyKv.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Config.Mirror == nil || st.Config.Mirror.Name != "go_kv_origin" {
		t.Fatalf("mirror config %+v", st.Config.Mirror)
	}
}
