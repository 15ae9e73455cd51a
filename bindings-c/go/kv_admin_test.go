package jetbridge

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestKvAdministration(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	kv := freshKv(t, c, KvConfig{Bucket: "go_kv_admin", History: new(uint64(3)),
		Description: new("settings"), Metadata: map[string]string{"team": "core"}})

	mustRev(t, "put", 1)(kv.Put(ctx, "db.host", []byte("a")))
	mustRev(t, "put", 2)(kv.Put(ctx, "db.port", []byte("5432")))
	mustRev(t, "put", 3)(kv.Put(ctx, "cache.ttl", []byte("60")))

	// The status: the configuration as the server holds it, and what it stores.
	st, err := c.KeyValueStatus(ctx, "go_kv_admin")
	if err != nil || st.Bucket != "go_kv_admin" || st.Values != 3 || st.Bytes == 0 || st.Config == nil ||
		*st.Config.History != 3 || *st.Config.Description != "settings" ||
		st.Config.Metadata["team"] != "core" || st.Config.Storage != StorageTypeMemory {
		t.Fatalf("status: %+v %+v, %v", st, st.Config, err)
	}
	if own, err := kv.Status(ctx); err != nil || own.Values != 3 || *own.Config.History != 3 {
		t.Fatalf("kv.Status: %+v, %v", own, err)
	}
	if _, err := c.KeyValueStatus(ctx, "go_kv_admin_none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("status of no bucket: %v", err)
	}

	// Create-or-update changes the bucket in place; CreateKeyValue with a
	// different configuration does not.
	if _, err := c.CreateKeyValue(ctx, KvConfig{Bucket: "go_kv_admin", History: new(uint64(5)),
		Storage: StorageTypeMemory}); err == nil {
		t.Fatal("create with another configuration succeeded")
	}
	kv2, err := c.CreateOrUpdateKeyValue(ctx, KvConfig{Bucket: "go_kv_admin", History: new(uint64(5)),
		Storage: StorageTypeMemory})
	if err != nil {
		t.Fatalf("create or update: %v", err)
	}
	defer kv2.Close()
	if st, err := kv2.Status(ctx); err != nil || *st.Config.History != 5 || st.Values != 3 {
		t.Fatalf("after update: %+v, %v", st, err)
	}

	// Names, sorted.
	freshKv(t, c, KvConfig{Bucket: "go_kv_admin_a"})
	names, err := c.KeyValueNames(ctx)
	if err != nil || !slices.IsSorted(names) || !slices.Contains(names, "go_kv_admin") ||
		!slices.Contains(names, "go_kv_admin_a") {
		t.Fatalf("names: %v, %v", names, err)
	}

	// Keys matching a filter; the watch's "all" comes from the core.
	keys, err := kv.KeysMatching(ctx, "db.*")
	slices.Sort(keys)
	if err != nil || !slices.Equal(keys, []string{"db.host", "db.port"}) {
		t.Fatalf("keys db.*: %v, %v", keys, err)
	}
	if keys, err := kv.KeysMatching(ctx, "nothing.>"); err != nil || len(keys) != 0 {
		t.Fatalf("keys nothing.>: %v, %v", keys, err)
	}
	if _, err := kv.KeysMatching(ctx, "bad..filter"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad filter: %v", err)
	}
	all, err := kv.KeysMatching(ctx, KvWatchAll)
	if err != nil || len(all) != 3 {
		t.Fatalf("keys %q: %v, %v", KvWatchAll, all, err)
	}
}

func TestKvKeyTTL(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	kv := freshKv(t, c, KvConfig{Bucket: "go_kv_leases", LimitMarkerTtl: new(time.Second)})
	if st, err := kv.Status(ctx); err != nil || st.Config.LimitMarkerTtl == nil || *st.Config.LimitMarkerTtl != time.Second {
		t.Fatalf("status: %+v, %v", st, err)
	}
	mustRev(t, "create with TTL", 1)(kv.Create(ctx, "leader", []byte("node-1"), KeyTTL(time.Second)))
	if _, err := kv.Create(ctx, "leader", []byte("node-2")); !errors.Is(err, ErrWrongLastSequence) {
		t.Fatalf("second create: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := kv.Get(ctx, "leader")
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("the key did not expire: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := kv.Create(ctx, "leader", []byte("node-2")); err != nil {
		t.Fatalf("create after expiry: %v", err)
	}
	if _, err := kv.Create(ctx, "x", nil, KeyTTL(-time.Second)); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("negative TTL: %v", err)
	}

	plain := freshKv(t, c, KvConfig{Bucket: "go_kv_plain"})
	if _, err := plain.Create(ctx, "k", []byte("v"), KeyTTL(time.Second)); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("TTL without limit_marker_ttl: %v", err)
	}
}

func TestObjectStoreAdministration(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	o := freshObjectStore(t, c, "go_obj_admin")
	freshObjectStore(t, c, "go_obj_admin_a")
	if _, err := o.PutBytes(ctx, "a.txt", []byte("hello")); err != nil {
		t.Fatalf("put: %v", err)
	}

	st, err := c.ObjectStoreStatus(ctx, "go_obj_admin")
	if err != nil || st.Bucket != "go_obj_admin" || st.Sealed || st.Bytes == 0 || st.Config == nil ||
		st.Config.Storage != StorageTypeMemory {
		t.Fatalf("status: %+v, %v", st, err)
	}
	if _, err := c.ObjectStoreStatus(ctx, "go_obj_admin_none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("status of no store: %v", err)
	}
	names, err := c.ObjectStoreNames(ctx)
	if err != nil || !slices.IsSorted(names) || !slices.Contains(names, "go_obj_admin") ||
		!slices.Contains(names, "go_obj_admin_a") {
		t.Fatalf("names: %v, %v", names, err)
	}

	sealed, err := o.Seal(ctx)
	if err != nil || !sealed.Sealed {
		t.Fatalf("seal: %+v, %v", sealed, err)
	}
	if st, err := o.Status(ctx); err != nil || !st.Sealed {
		t.Fatalf("status after seal: %+v, %v", st, err)
	}
	_, err = o.PutBytes(ctx, "b.txt", []byte("no"))
	var e *Error
	if !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &e) || e.APICode != 10109 {
		t.Fatalf("put into a sealed store: %v", err)
	}
	if err := o.Delete(ctx, "a.txt"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("delete in a sealed store: %v", err)
	}
	if b, err := o.GetBytes(ctx, "a.txt"); err != nil || string(b) != "hello" {
		t.Fatalf("read from a sealed store: %q, %v", b, err)
	}
}
