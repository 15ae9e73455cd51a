package main

// Object links, meta updates and watches (SPEC.md §4.11): the watch's
// Updates channel read with a deadline, as the KV watch.

import (
	"context"
	"time"

	jb "github.com/jetbridge/jetbridge-go"
)

// opObjAddLink links `name` to `to`, whose info is read from `to_from`.
func opObjAddLink(ctx context.Context, st *state, a *args) (obj, error) {
	store, name, err := storeAndName(st, a)
	if err != nil {
		return nil, err
	}
	toFrom, err := a.requiredStr("to_from")
	if err != nil {
		return nil, err
	}
	to, err := a.requiredStr("to")
	if err != nil {
		return nil, err
	}
	targetStore, ok := st.objectStores[toFrom]
	if !ok {
		return nil, runnerError("no object store with alias %q", toFrom)
	}
	target, err := targetStore.Info(ctx, to)
	if err != nil {
		return nil, err
	}
	info, err := store.AddLink(ctx, name, target)
	if err != nil {
		return nil, err
	}
	return objectInfo(info), nil
}

func opObjAddBucketLink(ctx context.Context, st *state, a *args) (obj, error) {
	store, name, err := storeAndName(st, a)
	if err != nil {
		return nil, err
	}
	bucket, err := a.requiredStr("bucket")
	if err != nil {
		return nil, err
	}
	info, err := store.AddBucketLink(ctx, name, bucket)
	if err != nil {
		return nil, err
	}
	return objectInfo(info), nil
}

// opObjUpdateMeta: `meta` is the declared ObjectMeta.
func opObjUpdateMeta(ctx context.Context, st *state, a *args) (obj, error) {
	store, name, err := storeAndName(st, a)
	if err != nil {
		return nil, err
	}
	m, err := a.object("meta")
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, a.missing("meta")
	}
	meta, err := recordArg[jb.ObjectMeta](m)
	if err != nil {
		return nil, err
	}
	info, err := store.UpdateMeta(ctx, name, meta)
	if err != nil {
		return nil, err
	}
	return objectInfo(info), nil
}

// opObjWatch: the declared ObjectWatchOptions from the step's own keys.
func opObjWatch(ctx context.Context, st *state, a *args) (obj, error) {
	store, err := st.objectStoreFrom(a)
	if err != nil {
		return nil, err
	}
	opts, err := recordArg[jb.ObjectWatchOptions](a)
	if err != nil {
		return nil, err
	}
	alias, err := a.requiredStr("as")
	if err != nil {
		return nil, err
	}
	w, err := store.Watch(ctx, opts)
	if err != nil {
		return nil, err
	}
	st.objWatchers[alias] = w
	return obj{}, nil
}

// opObjWatchNext: up to `max` events within `wait_ms` in total.
func opObjWatchNext(ctx context.Context, st *state, a *args) (obj, error) {
	w, err := st.objWatcher(a)
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
		case info, open := <-w.Updates():
			if !open {
				if err := w.Err(); err != nil {
					return nil, err
				}
				return nil, jb.ErrClosed
			}
			if info == nil {
				events = append(events, obj{"kind": "caught_up", "info": nil})
			} else {
				events = append(events, obj{"kind": "info", "info": objectInfo(info)})
			}
		case <-timer.C:
			return obj{"events": events}, nil
		}
	}
	return obj{"events": events}, nil
}

func opObjWatchStop(ctx context.Context, st *state, a *args) (obj, error) {
	w, err := st.objWatcher(a)
	if err != nil {
		return nil, err
	}
	return obj{}, w.Stop()
}
