// The key-value and object-store operations of `jetbridge-go`: KeyValue.Put,
// Get and Watch (Updates() with its nil "caught up" entry); ObjectStore.Put
// from an io.Reader and GetObject, an io.ReadCloser. Contract: see
// internal/benchcli.
package main

import (
	"context"
	"time"

	jetbridge "github.com/jetbridge/jetbridge-go"

	"example.invalid/jetbridge/bench/go/internal/benchcli"
)

func keyValue(ctx context.Context, c *jetbridge.Client, a *benchcli.Args) benchcli.Report {
	kv, err := c.KeyValue(ctx, a.Stream)
	check(err)
	defer kv.Close()
	switch a.Op {
	case "kv-put":
		return kvPut(ctx, kv, a)
	case "kv-get":
		return kvGet(ctx, kv, a)
	default:
		return kvWatch(ctx, kv, a)
	}
}

func kvPut(ctx context.Context, kv *jetbridge.KeyValue, a *benchcli.Args) benchcli.Report {
	acked := 0
	start := time.Now()
	for i := 0; i < a.Count; i++ {
		rev, err := kv.Put(ctx, benchcli.KVKey(i), a.Data)
		check(err)
		if rev > 0 {
			acked++
		}
	}
	r := benchcli.NewReport(entry, a, time.Since(start))
	r["acked"] = acked
	return r
}

func kvGet(ctx context.Context, kv *jetbridge.KeyValue, a *benchcli.Args) benchcli.Report {
	received := 0
	start := time.Now()
	for i := 0; i < a.Count; i++ {
		e, err := kv.Get(ctx, benchcli.KVKey(i))
		check(err)
		if len(e.Value) == a.Payload {
			received++
		}
	}
	r := benchcli.NewReport(entry, a, time.Since(start))
	r["received"] = received
	return r
}

func kvWatch(ctx context.Context, kv *jetbridge.KeyValue, a *benchcli.Args) benchcli.Report {
	start := time.Now()
	w, err := kv.Watch(ctx, jetbridge.KvWatchAll, jetbridge.KvWatchOptions{})
	check(err)
	received, err := benchcli.CountUntilNil(w.Updates()) // the latest of each key, then nil once
	if err != nil {
		check(w.Err()) // why the watch ended, if it did
		check(err)
	}
	elapsed := time.Since(start)
	check(w.Stop())
	r := benchcli.NewReport(entry, a, elapsed)
	r["received"] = received
	return r
}

func objects(ctx context.Context, c *jetbridge.Client, a *benchcli.Args) benchcli.Report {
	store, err := c.ObjectStore(ctx, a.Stream)
	check(err)
	defer store.Close()
	size := int64(a.Count) * benchcli.MiB
	if a.Op == "obj-put" {
		start := time.Now()
		info, err := store.Put(ctx, benchcli.ObjectName, &benchcli.PatternSource{Size: size})
		check(err)
		r := benchcli.NewReport(entry, a, time.Since(start))
		r["bytes"] = info.Size
		return r
	}
	start := time.Now()
	obj, err := store.GetObject(ctx, benchcli.ObjectName)
	check(err)
	n, err := benchcli.CheckAll(obj) // a corrupted object is the last Read's error
	check(err)
	elapsed := time.Since(start)
	check(obj.Close())
	r := benchcli.NewReport(entry, a, elapsed)
	r["bytes"] = n
	return r
}
