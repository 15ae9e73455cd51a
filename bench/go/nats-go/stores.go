// The key-value and object-store operations of `nats.go`: jetstream's
// KeyValue.Put, Get and WatchAll (Updates() with its nil "initial values
// done" entry); ObjectStore.Put(ctx, meta, io.Reader) and Get, an io.Reader
// that checks the digest at its end. Contract: see internal/benchcli.
package main

import (
	"context"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"example.invalid/jetbridge/bench/go/internal/benchcli"
)

func keyValue(ctx context.Context, js jetstream.JetStream, a *benchcli.Args) benchcli.Report {
	kv, err := js.KeyValue(ctx, a.Stream)
	check(err)
	switch a.Op {
	case "kv-put":
		return kvPut(ctx, kv, a)
	case "kv-get":
		return kvGet(ctx, kv, a)
	default:
		return kvWatch(ctx, kv, a)
	}
}

func kvPut(ctx context.Context, kv jetstream.KeyValue, a *benchcli.Args) benchcli.Report {
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

func kvGet(ctx context.Context, kv jetstream.KeyValue, a *benchcli.Args) benchcli.Report {
	received := 0
	start := time.Now()
	for i := 0; i < a.Count; i++ {
		e, err := kv.Get(ctx, benchcli.KVKey(i))
		check(err)
		if len(e.Value()) == a.Payload {
			received++
		}
	}
	r := benchcli.NewReport(entry, a, time.Since(start))
	r["received"] = received
	return r
}

func kvWatch(ctx context.Context, kv jetstream.KeyValue, a *benchcli.Args) benchcli.Report {
	start := time.Now()
	w, err := kv.WatchAll(ctx) // the latest value of each key, then nil once
	check(err)
	received, err := benchcli.CountUntilNil(w.Updates())
	check(err)
	elapsed := time.Since(start)
	check(w.Stop())
	r := benchcli.NewReport(entry, a, elapsed)
	r["received"] = received
	return r
}

func objects(ctx context.Context, js jetstream.JetStream, a *benchcli.Args) benchcli.Report {
	store, err := js.ObjectStore(ctx, a.Stream)
	check(err)
	size := int64(a.Count) * benchcli.MiB
	if a.Op == "obj-put" {
		start := time.Now()
		info, err := store.Put(ctx, jetstream.ObjectMeta{Name: benchcli.ObjectName}, &benchcli.PatternSource{Size: size})
		check(err)
		r := benchcli.NewReport(entry, a, time.Since(start))
		r["bytes"] = info.Size
		return r
	}
	start := time.Now()
	obj, err := store.Get(ctx, benchcli.ObjectName)
	check(err)
	n, err := benchcli.CheckAll(obj) // the digest mismatch, if any, is the last Read's error
	check(err)
	elapsed := time.Since(start)
	check(obj.Close())
	r := benchcli.NewReport(entry, a, elapsed)
	r["bytes"] = n
	return r
}
