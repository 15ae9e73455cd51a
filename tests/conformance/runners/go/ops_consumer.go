package main

// Consumer administration and fetch.

import (
	"context"
	"errors"
	"time"

	jb "github.com/jetbridge/jetbridge-go"
)

// consumerConfigArg is a ConsumerConfig of the binding from a scenario's
// config object (nil: the zero config), read without naming a field
// (recordArg); `start` is START (ops_start.go); `deliver_subject` is never
// given (the binding makes it for push consumers).
func consumerConfigArg(ctx context.Context, st *state, stream string, a *args) (jb.ConsumerConfig, error) {
	if a == nil {
		return jb.ConsumerConfig{}, nil
	}
	c, err := recordArg[jb.ConsumerConfig](a, "start", "deliver_subject")
	if err != nil {
		return c, err
	}
	s, err := a.object("start")
	if err != nil || s == nil {
		return c, err
	}
	c.Start, err = startPosition(ctx, st, stream, s)
	return c, err
}

// aliasOf is `as`, else the durable name; read after the binding call (the core judges first).
func aliasOf(a *args, durable string) (string, error) {
	given, ok, err := a.str("as")
	if err != nil || ok {
		return given, err
	}
	if durable != "" {
		return durable, nil
	}
	return "", runnerError(`an ephemeral consumer needs "as"`)
}

// keepConsumer stores the handle under its alias and prints {stream, name}.
func keepConsumer(st *state, a *args, e *consumerEntry) (obj, error) {
	alias, err := aliasOf(a, e.name)
	if err != nil {
		_ = e.consumer.Close()
		return nil, err
	}
	st.consumers[alias] = e
	return obj{"stream": e.stream, "name": consumerName(e.name != "", e.name)}, nil
}

type putConsumer func(*jb.Client, context.Context, string, jb.ConsumerConfig) (*jb.Consumer, error)

// putWith creates, updates or gets-or-creates a consumer. The handle has no
// accessors: its stream is the argument, its name the configured durable
// ("" for an ephemeral one, which prints as <ephemeral>).
func putWith(ctx context.Context, st *state, a *args, put putConsumer) (obj, error) {
	stream, err := a.requiredStr("stream")
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
	consumer, err := put(c, ctx, stream, cfg)
	if err != nil {
		return nil, err
	}
	return keepConsumer(st, a, &consumerEntry{consumer: consumer, stream: stream, name: orEmpty(cfg.DurableName)})
}

func opCreateConsumer(ctx context.Context, st *state, a *args) (obj, error) {
	return putWith(ctx, st, a, (*jb.Client).CreateConsumer)
}

func opUpdateConsumer(ctx context.Context, st *state, a *args) (obj, error) {
	return putWith(ctx, st, a, (*jb.Client).UpdateConsumer)
}

func opGetOrCreateConsumer(ctx context.Context, st *state, a *args) (obj, error) {
	return putWith(ctx, st, a, (*jb.Client).GetOrCreateConsumer)
}

// opBindConsumer binds by name; whether the consumer is durable (so its name
// prints) comes from its info.
func opBindConsumer(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	name, err := a.requiredStr("name")
	if err != nil {
		return nil, err
	}
	expArgs, err := a.object("expected")
	if err != nil {
		return nil, err
	}
	var expected *jb.ConsumerConfig
	if expArgs != nil {
		cfg, err := consumerConfigArg(ctx, st, stream, expArgs)
		if err != nil {
			return nil, err
		}
		expected = &cfg
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	consumer, err := c.BindConsumer(ctx, stream, name, expected)
	if err != nil {
		return nil, err
	}
	e := &consumerEntry{consumer: consumer, stream: stream, name: name}
	alias, err := aliasOf(a, name)
	if err != nil {
		_ = consumer.Close()
		return nil, err
	}
	info, err := consumer.Info(ctx)
	if err != nil {
		_ = consumer.Close()
		return nil, err
	}
	st.consumers[alias] = e
	return obj{"stream": stream, "name": consumerName(info.Config.DurableName != nil, name)}, nil
}

// waitFor is consumer_info's wait_for: state field -> value.
func waitForArg(a *args) (map[string]int64, error) {
	v := a.raw("wait_for")
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, a.bad("wait_for", "an object of integers")
	}
	out := make(map[string]int64, len(m))
	for k, x := range m {
		n, ok := toInt(x)
		if !ok {
			return nil, a.bad("wait_for", "an object of integers")
		}
		out[k] = n
	}
	return out, nil
}

// settled reports whether every field of wait has its value in state.
func settled(state obj, wait map[string]int64) bool {
	for k, want := range wait {
		got, ok := state[k].(uint64)
		if !ok || want < 0 || got != uint64(want) {
			return false
		}
	}
	return true
}

// opConsumerInfo: by `consumer` alias, or by `stream` and `name`. With
// `wait_for`, re-reads every 50 ms (up to `timeout_ms`, default 5000) until
// each listed state field has the given value, then prints the last info.
func opConsumerInfo(ctx context.Context, st *state, a *args) (obj, error) {
	wait, err := waitForArg(a)
	if err != nil {
		return nil, err
	}
	timeoutMs, ok, err := a.u64("timeout_ms")
	if err != nil {
		return nil, err
	}
	if !ok {
		timeoutMs = 5000
	}
	var read func() (*jb.ConsumerInfo, error)
	alias, byAlias, err := a.str("consumer")
	if err != nil {
		return nil, err
	}
	if byAlias {
		e, err := st.consumer(alias)
		if err != nil {
			return nil, err
		}
		if e.name == "" {
			read = func() (*jb.ConsumerInfo, error) { return e.consumer.Info(ctx) }
		} else {
			c, err := st.getClient()
			if err != nil {
				return nil, err
			}
			read = func() (*jb.ConsumerInfo, error) { return c.ConsumerInfo(ctx, e.stream, e.name) }
		}
	} else {
		stream, err := a.requiredStr("stream")
		if err != nil {
			return nil, err
		}
		name, err := a.requiredStr("name")
		if err != nil {
			return nil, err
		}
		c, err := st.getClient()
		if err != nil {
			return nil, err
		}
		read = func() (*jb.ConsumerInfo, error) { return c.ConsumerInfo(ctx, stream, name) }
	}
	deadline := time.Now().Add(time.Duration(timeoutMs) * time.Millisecond)
	for {
		info, err := read()
		if err != nil {
			return nil, err
		}
		if wait == nil || settled(consumerState(info), wait) || !time.Now().Before(deadline) {
			return consumerInfo(info), nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func opDeleteConsumer(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	name, err := a.requiredStr("name")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return obj{}, c.DeleteConsumer(ctx, stream, name)
}

// opFetch: up to max_messages (default 1) within max_wait_ms (default 5000);
// zero messages is a result. With cancel_after_ms the fetch's ctx ends that
// long after it started (context.WithTimeout, the way a Go program cancels a
// call): a fetch that ended by its ctx prints {"cancelled": true} (SPEC.md §4.4).
func opFetch(ctx context.Context, st *state, a *args) (obj, error) {
	alias, err := a.requiredStr("consumer")
	if err != nil {
		return nil, err
	}
	cancelAfter, cancelling, err := a.millis("cancel_after_ms")
	if err != nil {
		return nil, err
	}
	e, err := st.consumer(alias)
	if err != nil {
		return nil, err
	}
	if cancelling {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cancelAfter)
		defer cancel()
	}
	batch, err := fetchWith(ctx, e.consumer, a)
	if cancelling && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
		return obj{"cancelled": true}, nil
	}
	if err != nil {
		return nil, err
	}
	printed := messages(batch)
	st.remember(alias, batch)
	return printed, nil
}

// fetchWith is Consumer.FetchWith (Consumer.Fetch(ctx, n, maxWait) is FetchWith
// with both set), its FetchOptions read from the arguments (recordArg); what
// is not given keeps its default.
func fetchWith(ctx context.Context, c *jb.Consumer, a *args) ([]jb.Msg, error) {
	o, err := recordArg[jb.FetchOptions](a)
	if err != nil {
		return nil, err
	}
	return c.FetchWith(ctx, o)
}

// streamAndName are the `stream` and `name` arguments.
func streamAndName(a *args) (string, string, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return "", "", err
	}
	name, err := a.requiredStr("name")
	return stream, name, err
}

// pauseState is PAUSE_STATE: the declared ConsumerPauseState printed by
// record, without pause_remaining (it depends on timing).
func pauseState(s *jb.ConsumerPauseState) obj { return record(*s, "pause_remaining") }

// opPauseConsumer: until `until` (Unix nanoseconds) -> PAUSE_STATE.
func opPauseConsumer(ctx context.Context, st *state, a *args) (obj, error) {
	stream, name, err := streamAndName(a)
	if err != nil {
		return nil, err
	}
	until, ok, err := a.i64("until")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, a.missing("until")
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	s, err := c.PauseConsumer(ctx, stream, name, time.Unix(0, until))
	if err != nil {
		return nil, err
	}
	return pauseState(s), nil
}

// opResumeConsumer -> PAUSE_STATE.
func opResumeConsumer(ctx context.Context, st *state, a *args) (obj, error) {
	stream, name, err := streamAndName(a)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	s, err := c.ResumeConsumer(ctx, stream, name)
	if err != nil {
		return nil, err
	}
	return pauseState(s), nil
}

// opUnpinConsumer -> {}.
func opUnpinConsumer(ctx context.Context, st *state, a *args) (obj, error) {
	stream, name, err := streamAndName(a)
	if err != nil {
		return nil, err
	}
	group, err := a.requiredStr("group")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return obj{}, c.UnpinConsumer(ctx, stream, name, group)
}
