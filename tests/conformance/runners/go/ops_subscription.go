package main

// Continuous consumption: messages (durable pull), replay (ordered),
// push_subscribe, and reading them with next / next_group. The binding's
// subscriptions start when created, so errors belong to the step that
// creates them.

import (
	"context"
	"sort"
	"time"

	jb "github.com/jetbridge/jetbridge-go"
)

// pullOptions are the pull tuning of the arguments that are MessagesOptions
// fields (batch, heartbeat_ms, …; recordArg).
func pullOptions(a *args) (jb.MessagesOptions, error) {
	return recordArg[jb.MessagesOptions](a)
}

// opMessages starts a continuous pull from the consumer `consumer`, stored as `as`.
func opMessages(ctx context.Context, st *state, a *args) (obj, error) {
	name, err := a.requiredStr("consumer")
	if err != nil {
		return nil, err
	}
	alias, err := a.requiredStr("as")
	if err != nil {
		return nil, err
	}
	o, err := pullOptions(a)
	if err != nil {
		return nil, err
	}
	e, err := st.consumer(name)
	if err != nil {
		return nil, err
	}
	sub, err := e.consumer.Messages(ctx, o)
	if err != nil {
		return nil, err
	}
	st.streams[alias] = sub
	return obj{}, nil
}

var replaySpeeds = map[string]jb.ReplaySpeed{"instant": jb.ReplaySpeedInstant, "original": jb.ReplaySpeedOriginal}

// opReplay starts an ordered replay of `stream`, stored as `as`.
func opReplay(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	alias, err := a.requiredStr("as")
	if err != nil {
		return nil, err
	}
	var o jb.ReplayOptions
	if o.Messages, err = pullOptions(a); err != nil {
		return nil, err
	}
	if o.FilterSubjects, _, err = a.strings("filter_subjects"); err != nil {
		return nil, err
	}
	start, err := a.object("start")
	if err != nil {
		return nil, err
	}
	if start != nil {
		if o.Start, err = startPosition(ctx, st, stream, start); err != nil {
			return nil, err
		}
	}
	if err := choice(a, "speed", replaySpeeds, &o.Speed); err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	sub, err := c.Replay(ctx, stream, o)
	if err != nil {
		return nil, err
	}
	st.streams[alias] = sub
	return obj{}, nil
}

// opPushSubscribe creates or joins a push consumer, stored as `as`.
func opPushSubscribe(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	alias, err := a.requiredStr("as")
	if err != nil {
		return nil, err
	}
	cfgArgs, err := a.object("config")
	if err != nil {
		return nil, err
	}
	cfg, err := consumerConfigArg(ctx, st, stream, cfgArgs)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	sub, err := c.PushSubscribe(ctx, stream, cfg)
	if err != nil {
		return nil, err
	}
	st.streams[alias] = sub
	return obj{}, nil
}

// opNext collects up to `max` (default 1) messages from `from`, waiting at
// most `wait_ms` (default 5000) in total; returns early once `max` arrived.
func opNext(ctx context.Context, st *state, a *args) (obj, error) {
	from, err := a.requiredStr("from")
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
		wait = 5 * time.Second
	}
	sub, err := st.stream(from)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	var got []jb.Msg
	for uint64(len(got)) < max {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		batch, err := sub.NextBatch(ctx, int(max)-len(got), left)
		if err != nil {
			return nil, err
		}
		got = append(got, batch...)
	}
	printed := messages(got)
	st.remember(from, got)
	return printed, nil
}

// opNextGroup reads the members `from` in turn, acking every message, until
// `count` arrived or `wait_ms` (default 10000) passed; then reads on for
// `settle_ms` (default 300) to catch any extra delivery.
func opNextGroup(ctx context.Context, st *state, a *args) (obj, error) {
	members, ok, err := a.strings("from")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, runnerError("argument from is required")
	}
	count, _, err := a.u64("count")
	if err != nil {
		return nil, err
	}
	wait, ok, err := a.millis("wait_ms")
	if err != nil {
		return nil, err
	}
	if !ok {
		wait = 10 * time.Second
	}
	settle, ok, err := a.millis("settle_ms")
	if err != nil {
		return nil, err
	}
	if !ok {
		settle = 300 * time.Millisecond
	}
	subs := make([]*jb.Subscription, len(members))
	for i, m := range members {
		if subs[i], err = st.stream(m); err != nil {
			return nil, err
		}
	}
	seqs := map[uint64]bool{}
	used := map[string]bool{}
	var received, duplicates uint64
	deadline := time.Now().Add(wait)
	var settleEnd time.Time
	for {
		now := time.Now()
		if !settleEnd.IsZero() {
			if !now.Before(settleEnd) {
				break
			}
		} else if received >= count {
			settleEnd = now.Add(settle)
		} else if !now.Before(deadline) {
			break
		}
		for i, sub := range subs {
			batch, err := sub.NextBatch(ctx, 64, 20*time.Millisecond)
			if err != nil {
				return nil, err
			}
			for _, m := range batch {
				received++
				used[members[i]] = true
				if seqs[m.StreamSeq()] {
					duplicates++
				}
				seqs[m.StreamSeq()] = true
				if err := m.Ack(); err != nil {
					return nil, err
				}
			}
		}
	}
	sorted := make([]uint64, 0, len(seqs))
	for s := range seqs {
		sorted = append(sorted, s)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	return obj{"received": received, "duplicates": duplicates, "seqs": sorted, "members_used": len(used)}, nil
}

// opStop stops the stream `from` (Subscription.Stop: what it buffered stays
// readable; it is freed with the state at the end).
func opStop(ctx context.Context, st *state, a *args) (obj, error) {
	from, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	sub, err := st.stream(from)
	if err != nil {
		return nil, err
	}
	return obj{}, sub.Stop()
}

// choice maps a string argument through names; an unknown value is UNSUPPORTED.
func choice[T any](a *args, key string, names map[string]T, dst *T) error {
	v, ok, err := a.str(key)
	if err != nil || !ok {
		return err
	}
	x, known := names[v]
	if !known {
		return unsupported("%s %q", key, v)
	}
	*dst = x
	return nil
}
