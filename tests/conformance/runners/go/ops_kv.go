package main

// Key-value buckets and watches (SPEC.md §4.11): KeyValue by alias, the
// watch's Updates channel read with a deadline.

import (
	"context"
	"errors"
	"slices"
	"time"

	jb "github.com/jetbridge/jetbridge-go"
)

// kvEntry is an ENTRY.
func kvEntry(e *jb.KvEntry) obj {
	return obj{
		"bucket": e.Bucket, "key": e.Key, "value": data(e.Value), "revision": e.Revision,
		"operation": string(e.Operation), "has_created": e.Created.UnixNano() != 0,
	}
}

func kvEntries(list []*jb.KvEntry) []any {
	out := make([]any, len(list))
	for i, e := range list {
		out[i] = kvEntry(e)
	}
	return out
}

// opKvCreate: `config` (KvConfig by recordArg), `as` -> {"bucket"}.
func opKvCreate(ctx context.Context, st *state, a *args) (obj, error) {
	return createBucket(ctx, st, a, (*jb.Client).CreateKeyValue)
}

// opKvCreateOrUpdate: as kv_create, creating or updating the bucket.
func opKvCreateOrUpdate(ctx context.Context, st *state, a *args) (obj, error) {
	return createBucket(ctx, st, a, (*jb.Client).CreateOrUpdateKeyValue)
}

func createBucket(ctx context.Context, st *state, a *args,
	create func(*jb.Client, context.Context, jb.KvConfig) (*jb.KeyValue, error)) (obj, error) {
	ca, err := a.object("config")
	if err != nil {
		return nil, err
	}
	if ca == nil {
		return nil, a.missing("config")
	}
	cfg, err := recordArg[jb.KvConfig](ca)
	if err != nil {
		return nil, err
	}
	alias, ok, err := a.str("as")
	if err != nil {
		return nil, err
	}
	if !ok {
		alias = cfg.Bucket
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	kv, err := create(c, ctx, cfg)
	if err != nil {
		return nil, err
	}
	st.kvs[alias] = kv
	return obj{"bucket": kv.Bucket()}, nil
}

// opKvStatus: `bucket` -> KV_STATUS, the declared KvStatus as a record.
func opKvStatus(ctx context.Context, st *state, a *args) (obj, error) {
	bucket, err := a.requiredStr("bucket")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	s, err := c.KeyValueStatus(ctx, bucket)
	if err != nil {
		return nil, err
	}
	return record(*s), nil
}

func opKvNames(ctx context.Context, st *state, a *args) (obj, error) {
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	names, err := c.KeyValueNames(ctx)
	if err != nil {
		return nil, err
	}
	return obj{"names": names}, nil
}

// opKvCreateKey: kv_put's arguments and `ttl_ms` (optional: KeyTTL).
func opKvCreateKey(ctx context.Context, st *state, a *args) (obj, error) {
	kv, key, err := kvAndKey(st, a)
	if err != nil {
		return nil, err
	}
	value, err := a.requiredStr("value")
	if err != nil {
		return nil, err
	}
	ttl, ok, err := a.u64("ttl_ms")
	if err != nil {
		return nil, err
	}
	var opts []jb.KvCreateOption
	if ok {
		opts = append(opts, jb.KeyTTL(time.Duration(ttl)*time.Millisecond))
	}
	return revision(kv.Create(ctx, key, []byte(value), opts...))
}

func opKvOpen(ctx context.Context, st *state, a *args) (obj, error) {
	bucket, err := a.requiredStr("bucket")
	if err != nil {
		return nil, err
	}
	alias, ok, err := a.str("as")
	if err != nil {
		return nil, err
	}
	if !ok {
		alias = bucket
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	kv, err := c.KeyValue(ctx, bucket)
	if err != nil {
		return nil, err
	}
	st.kvs[alias] = kv
	return obj{"bucket": kv.Bucket()}, nil
}

func opKvDeleteBucket(ctx context.Context, st *state, a *args) (obj, error) {
	bucket, err := a.requiredStr("bucket")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return obj{}, c.DeleteKeyValue(ctx, bucket)
}

// kvAndKey are the `from` bucket and the `key`.
func kvAndKey(st *state, a *args) (*jb.KeyValue, string, error) {
	kv, err := st.kvFrom(a)
	if err != nil {
		return nil, "", err
	}
	key, err := a.requiredStr("key")
	return kv, key, err
}

// revision is {"revision": rev} or the error.
func revision(rev uint64, err error) (obj, error) {
	if err != nil {
		return nil, err
	}
	return obj{"revision": rev}, nil
}

type kvWrite func(kv *jb.KeyValue, ctx context.Context, key string, value []byte) (uint64, error)

func kvWriteOp(write kvWrite) opFunc {
	return func(ctx context.Context, st *state, a *args) (obj, error) {
		kv, key, err := kvAndKey(st, a)
		if err != nil {
			return nil, err
		}
		value, err := a.requiredStr("value")
		if err != nil {
			return nil, err
		}
		return revision(write(kv, ctx, key, []byte(value)))
	}
}

func opKvUpdate(ctx context.Context, st *state, a *args) (obj, error) {
	kv, key, err := kvAndKey(st, a)
	if err != nil {
		return nil, err
	}
	value, err := a.requiredStr("value")
	if err != nil {
		return nil, err
	}
	rev, err := a.requiredU64("revision")
	if err != nil {
		return nil, err
	}
	return revision(kv.Update(ctx, key, []byte(value), rev))
}

type kvRemove func(kv *jb.KeyValue, ctx context.Context, key string, opts ...jb.KvDeleteOption) (uint64, error)

// kvRemoveOp: delete or purge, with LastRevision when `revision` is given.
func kvRemoveOp(remove kvRemove) opFunc {
	return func(ctx context.Context, st *state, a *args) (obj, error) {
		kv, key, err := kvAndKey(st, a)
		if err != nil {
			return nil, err
		}
		rev, ok, err := a.u64("revision")
		if err != nil {
			return nil, err
		}
		var opts []jb.KvDeleteOption
		if ok {
			opts = append(opts, jb.LastRevision(rev))
		}
		return revision(remove(kv, ctx, key, opts...))
	}
}

// opKvGet: Get, or GetRevision when `revision` is given -> ENTRY.
func opKvGet(ctx context.Context, st *state, a *args) (obj, error) {
	kv, key, err := kvAndKey(st, a)
	if err != nil {
		return nil, err
	}
	rev, ok, err := a.u64("revision")
	if err != nil {
		return nil, err
	}
	wait, _, err := a.millis("wait_ms")
	if err != nil {
		return nil, err
	}
	get := func() (*jb.KvEntry, error) {
		if ok {
			return kv.GetRevision(ctx, key, rev)
		}
		return kv.Get(ctx, key)
	}
	// While NOT_FOUND, again every 50 ms for up to wait_ms (mirrors and
	// sources copy in the background).
	deadline := time.Now().Add(wait)
	e, err := get()
	for errors.Is(err, jb.ErrNotFound) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		e, err = get()
	}
	if err != nil {
		return nil, err
	}
	return kvEntry(e), nil
}

// opKvListKeys reads the streamed listing one key at a time; after `max`
// keys it stops reading and ends the listing.
func opKvListKeys(ctx context.Context, st *state, a *args) (obj, error) {
	kv, err := st.kvFrom(a)
	if err != nil {
		return nil, err
	}
	filter, ok, err := a.str("filter")
	if err != nil {
		return nil, err
	}
	if !ok {
		filter = jb.KvWatchAll
	}
	max, limited, err := a.u64("max")
	if err != nil {
		return nil, err
	}
	l, err := kv.ListKeys(ctx, filter)
	if err != nil {
		return nil, err
	}
	defer l.Stop()
	keys := []any{}
	for !limited || uint64(len(keys)) < max {
		key, open := <-l.Keys()
		if !open {
			if err := l.Err(); err != nil {
				return nil, err
			}
			break
		}
		keys = append(keys, key)
	}
	return obj{"keys": keys}, nil
}

func opKvEntry(ctx context.Context, st *state, a *args) (obj, error) {
	kv, key, err := kvAndKey(st, a)
	if err != nil {
		return nil, err
	}
	e, err := kv.Entry(ctx, key)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return obj{"entry": nil}, nil
	}
	return obj{"entry": kvEntry(e)}, nil
}

func opKvHistory(ctx context.Context, st *state, a *args) (obj, error) {
	kv, key, err := kvAndKey(st, a)
	if err != nil {
		return nil, err
	}
	list, err := kv.History(ctx, key)
	if err != nil {
		return nil, err
	}
	return obj{"entries": kvEntries(list)}, nil
}

func opKvKeys(ctx context.Context, st *state, a *args) (obj, error) {
	kv, err := st.kvFrom(a)
	if err != nil {
		return nil, err
	}
	filter, ok, err := a.str("filter")
	if err != nil {
		return nil, err
	}
	var keys []string
	if ok {
		keys, err = kv.KeysMatching(ctx, filter)
	} else {
		keys, err = kv.Keys(ctx)
	}
	if err != nil {
		return nil, err
	}
	slices.Sort(keys)
	return obj{"keys": keys}, nil
}

// opKvWatch: `filter` (default jb.KvWatchAll), the KvWatchOptions fields (recordArg),
// `as`.
func opKvWatch(ctx context.Context, st *state, a *args) (obj, error) {
	kv, err := st.kvFrom(a)
	if err != nil {
		return nil, err
	}
	filter, ok, err := a.str("filter")
	if err != nil {
		return nil, err
	}
	if !ok {
		filter = jb.KvWatchAll
	}
	opts, err := recordArg[jb.KvWatchOptions](a)
	if err != nil {
		return nil, err
	}
	alias, err := a.requiredStr("as")
	if err != nil {
		return nil, err
	}
	w, err := kv.Watch(ctx, filter, opts)
	if err != nil {
		return nil, err
	}
	st.watchers[alias] = w
	return obj{}, nil
}

// opKvWatchNext: up to `max` events from Updates within `wait_ms` in
// total; a closed channel is the watch's error (Err), or CLOSED after Stop.
func opKvWatchNext(ctx context.Context, st *state, a *args) (obj, error) {
	w, err := st.watcher(a)
	if err != nil {
		return nil, err
	}
	max, ok, err := a.u64("max")
	if err != nil {
		return nil, err
	}
	if !ok {
		max = 1
	}
	wait, ok, err := a.millis("wait_ms")
	if err != nil {
		return nil, err
	}
	if !ok {
		wait = 2000 * time.Millisecond
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	events := []any{}
	for uint64(len(events)) < max {
		select {
		case e, open := <-w.Updates():
			if !open {
				if err := w.Err(); err != nil {
					return nil, err
				}
				return nil, jb.ErrClosed
			}
			if e == nil {
				events = append(events, obj{"kind": "caught_up", "entry": nil})
			} else {
				events = append(events, obj{"kind": "entry", "entry": kvEntry(e)})
			}
		case <-timer.C:
			return obj{"events": events}, nil
		}
	}
	return obj{"events": events}, nil
}

func opKvWatchStop(ctx context.Context, st *state, a *args) (obj, error) {
	w, err := st.watcher(a)
	if err != nil {
		return nil, err
	}
	return obj{}, w.Stop()
}

var kvOps = map[string]opFunc{
	"kv_create":           opKvCreate,
	"kv_open":             opKvOpen,
	"kv_delete_bucket":    opKvDeleteBucket,
	"kv_put":              kvWriteOp((*jb.KeyValue).Put),
	"kv_create_key":       opKvCreateKey,
	"kv_create_or_update": opKvCreateOrUpdate,
	"kv_status":           opKvStatus,
	"kv_names":            opKvNames,
	"kv_update":           opKvUpdate,
	"kv_delete":           kvRemoveOp((*jb.KeyValue).Delete),
	"kv_purge":            kvRemoveOp((*jb.KeyValue).Purge),
	"kv_get":              opKvGet,
	"kv_entry":            opKvEntry,
	"kv_history":          opKvHistory,
	"kv_keys":             opKvKeys,
	"kv_list_keys":        opKvListKeys,
	"kv_watch":            opKvWatch,
	"kv_watch_next":       opKvWatchNext,
	"kv_watch_stop":       opKvWatchStop,
}
