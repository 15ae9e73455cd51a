package main

// Core NATS, connection events and tracked publish (SPEC.md §4.3, §4.8).

import (
	"bytes"
	"context"
	"errors"
	"sort"
	"time"

	jb "github.com/jetbridge/jetbridge-go"
)

var coreOps = map[string]opFunc{
	"core_subscribe":            opCoreSubscribe,
	"core_publish":              opCorePublish,
	"core_next":                 opCoreNext,
	"core_next_group":           opCoreNextGroup,
	"core_unsubscribe":          opCoreUnsubscribe,
	"core_reply_service":        opCoreReplyService,
	"core_respond":              opCoreRespond,
	"core_request":              opCoreRequest,
	"events_listen":             opEventsListen,
	"events_next":               opEventsNext,
	"publisher_publish_tracked": opPublisherPublishTracked,
	"publisher_ack":             opPublisherAck,
}

// coreState is what these ops keep: core subscriptions and the last message
// core_next returned from each, event listeners (a closed channel has
// ended), and tracked publishes by ticket.
type coreState struct {
	subs    map[string]*jb.CoreSubscription
	last    map[string]*jb.CoreMessage
	events  map[string]<-chan jb.Event
	tracked map[uint64]*jb.PubAckFuture
}

func (s *state) core() *coreState {
	if s.coreState == nil {
		s.coreState = &coreState{
			subs: map[string]*jb.CoreSubscription{}, last: map[string]*jb.CoreMessage{},
			events: map[string]<-chan jb.Event{}, tracked: map[uint64]*jb.PubAckFuture{},
		}
	}
	return s.coreState
}

func (c *coreState) shutdown() {
	for _, s := range c.subs {
		_ = s.Close()
	}
}

func (s *state) coreSub(alias string) (*jb.CoreSubscription, error) {
	sub, ok := s.core().subs[alias]
	if !ok {
		return nil, runnerError("no core subscription with alias %q", alias)
	}
	return sub, nil
}

// corePayload is data (text) or data_size (that many x bytes), and headers.
func corePayload(a *args) ([]byte, []jb.HeaderField, error) {
	text, hasText, err := a.str("data")
	if err != nil {
		return nil, nil, err
	}
	size, hasSize, err := a.u64("data_size")
	if err != nil {
		return nil, nil, err
	}
	if hasText && hasSize {
		return nil, nil, runnerError("give data or data_size, not both")
	}
	data := []byte(text)
	if hasSize {
		data = bytes.Repeat([]byte("x"), int(size))
	}
	pairs, _, err := a.pairs("headers")
	if err != nil {
		return nil, nil, err
	}
	var hs []jb.HeaderField
	for _, p := range pairs {
		hs = append(hs, jb.HeaderField{Name: p[0], Value: p[1]})
	}
	return data, hs, nil
}

func coreMessage(m *jb.CoreMessage) obj {
	return obj{"subject": m.Subject, "data": data(m.Data), "headers": headers(m.Headers), "has_reply": m.Reply != ""}
}

func subscribe(ctx context.Context, st *state, a *args) (*jb.CoreSubscription, string, error) {
	subject, err := a.requiredStr("subject")
	if err != nil {
		return nil, "", err
	}
	queue, _, err := a.str("queue")
	if err != nil {
		return nil, "", err
	}
	as, err := a.requiredStr("as")
	if err != nil {
		return nil, "", err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, "", err
	}
	sub, err := c.CoreSubscribe(ctx, subject, queue)
	if err != nil {
		return nil, "", err
	}
	st.core().subs[as] = sub
	return sub, as, nil
}

func opCoreSubscribe(ctx context.Context, st *state, a *args) (obj, error) {
	if _, _, err := subscribe(ctx, st, a); err != nil {
		return nil, err
	}
	return obj{}, nil
}

func opCorePublish(ctx context.Context, st *state, a *args) (obj, error) {
	subject, err := a.requiredStr("subject")
	if err != nil {
		return nil, err
	}
	payload, hs, err := corePayload(a)
	if err != nil {
		return nil, err
	}
	reply, hasReply, err := a.str("reply")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	opts := []jb.CorePublishOption{jb.CoreHeaders(hs...)}
	if hasReply {
		opts = append(opts, jb.CoreReply(reply))
	}
	if err := c.CorePublish(ctx, subject, payload, opts...); err != nil {
		return nil, err
	}
	return obj{}, nil
}

// waitArg is the duration argument key in milliseconds, or def.
func waitArg(a *args, key string, def time.Duration) (time.Duration, error) {
	d, ok, err := a.millis(key)
	if err != nil || !ok {
		return def, err
	}
	return d, nil
}

func opCoreNext(ctx context.Context, st *state, a *args) (obj, error) {
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
	wait, err := waitArg(a, "wait_ms", 2*time.Second)
	if err != nil {
		return nil, err
	}
	sub, err := st.coreSub(from)
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	printed := []any{}
	for uint64(len(printed)) < max {
		m, err := sub.Next(wctx)
		if errors.Is(err, context.DeadlineExceeded) {
			break
		}
		if err != nil {
			return nil, err
		}
		st.core().last[from] = m
		printed = append(printed, coreMessage(m))
	}
	return obj{"count": len(printed), "messages": printed}, nil
}

func opCoreNextGroup(ctx context.Context, st *state, a *args) (obj, error) {
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
	wait, err := waitArg(a, "wait_ms", 5*time.Second)
	if err != nil {
		return nil, err
	}
	settle, err := waitArg(a, "settle_ms", 300*time.Millisecond)
	if err != nil {
		return nil, err
	}
	subs := make([]*jb.CoreSubscription, len(members))
	for i, m := range members {
		if subs[i], err = st.coreSub(m); err != nil {
			return nil, err
		}
	}
	got := []string{}
	deadline := time.Now().Add(wait)
	var settleEnd time.Time
	for {
		now := time.Now()
		if !settleEnd.IsZero() {
			if !now.Before(settleEnd) {
				break
			}
		} else if uint64(len(got)) >= count {
			settleEnd = now.Add(settle)
		} else if !now.Before(deadline) {
			break
		}
		for i, sub := range subs {
			short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
			m, err := sub.Next(short)
			cancel()
			if errors.Is(err, context.DeadlineExceeded) {
				continue
			}
			if err != nil {
				return nil, err
			}
			st.core().last[members[i]] = m
			got = append(got, data(m.Data))
		}
	}
	sort.Strings(got)
	return obj{"received": len(got), "data": got}, nil
}

func opCoreUnsubscribe(ctx context.Context, st *state, a *args) (obj, error) {
	from, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	sub, err := st.coreSub(from)
	if err != nil {
		return nil, err
	}
	if err := sub.Unsubscribe(ctx); err != nil {
		return nil, err
	}
	return obj{}, nil
}

// opCoreReplyService subscribes, then answers every request in a goroutine
// with prefix + its data and its headers, until the subscription ends.
func opCoreReplyService(ctx context.Context, st *state, a *args) (obj, error) {
	prefix, err := a.requiredStr("prefix")
	if err != nil {
		return nil, err
	}
	sub, as, err := subscribe(ctx, st, a)
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			m, err := sub.Next(context.Background())
			if err != nil {
				logf("  reply service %s ended: %v", as, err)
				return
			}
			answer := append([]byte(prefix), m.Data...)
			if err := m.Respond(context.Background(), answer, m.Headers...); err != nil {
				logf("  reply service %s: respond: %v", as, err)
			}
		}
	}()
	return obj{}, nil
}

func opCoreRespond(ctx context.Context, st *state, a *args) (obj, error) {
	from, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	payload, hs, err := corePayload(a)
	if err != nil {
		return nil, err
	}
	m, ok := st.core().last[from]
	if !ok {
		return nil, runnerError("no core message received from %q", from)
	}
	if err := m.Respond(ctx, payload, hs...); err != nil {
		return nil, err
	}
	return obj{}, nil
}

func opCoreRequest(ctx context.Context, st *state, a *args) (obj, error) {
	subject, err := a.requiredStr("subject")
	if err != nil {
		return nil, err
	}
	payload, hs, err := corePayload(a)
	if err != nil {
		return nil, err
	}
	timeout, err := waitArg(a, "timeout_ms", 2*time.Second)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	reply, err := c.CoreRequest(rctx, subject, payload, hs...)
	if err != nil {
		return nil, err
	}
	return obj{"data": data(reply.Data), "headers": headers(reply.Headers)}, nil
}

func opEventsListen(ctx context.Context, st *state, a *args) (obj, error) {
	as, err := a.requiredStr("as")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	st.core().events[as] = c.Events(context.Background())
	return obj{}, nil
}

func opEventsNext(ctx context.Context, st *state, a *args) (obj, error) {
	from, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	max, ok, err := a.u64("max")
	if err != nil {
		return nil, err
	}
	if !ok {
		max = 10
	}
	wait, err := waitArg(a, "wait_ms", 500*time.Millisecond)
	if err != nil {
		return nil, err
	}
	ch, ok := st.core().events[from]
	if !ok {
		return nil, runnerError("no event listener with alias %q", from)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	events := []any{}
	ended := false
	for !ended && uint64(len(events)) < max {
		select {
		case e, ok := <-ch:
			if !ok {
				ended = true
				break
			}
			events = append(events, obj{"kind": string(e.Kind), "detail": orNull(e.Detail)})
			// Closed is the last event: the channel closes right after it.
			ended = e.Kind == jb.EventClosed
		case <-timer.C:
			return obj{"events": events, "ended": false}, nil
		}
	}
	return obj{"events": events, "ended": ended}, nil
}

func opPublisherPublishTracked(ctx context.Context, st *state, a *args) (obj, error) {
	m, err := publishMessage(a)
	if err != nil {
		return nil, err
	}
	p, err := st.getPublisher()
	if err != nil {
		return nil, err
	}
	f, err := p.PublishTracked(ctx, m)
	if err != nil {
		return nil, err
	}
	st.core().tracked[f.Ticket()] = f
	return obj{"ticket": f.Ticket()}, nil
}

func opPublisherAck(ctx context.Context, st *state, a *args) (obj, error) {
	ticket, err := a.requiredU64("ticket")
	if err != nil {
		return nil, err
	}
	f, ok := st.core().tracked[ticket]
	if !ok {
		return nil, runnerError("no tracked publish with ticket %d", ticket)
	}
	ack, err := f.Wait(ctx)
	if err != nil {
		return nil, err
	}
	return pubAck(ack), nil
}
