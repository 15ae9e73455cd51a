package jetbridge

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
)

// Health is the state of a subscription.
type Health uint32

// Health states.
const (
	HealthActive       Health = C.JB_HEALTH_ACTIVE
	HealthReconnecting Health = C.JB_HEALTH_RECONNECTING
	HealthStalled      Health = C.JB_HEALTH_STALLED
	HealthRecovering   Health = C.JB_HEALTH_RECOVERING
	HealthStopped      Health = C.JB_HEALTH_STOPPED
)

// toC is o as a library-owned C struct; the caller frees it with
// C.jb_messages_options_free.
func (o MessagesOptions) toC() (*C.jb_messages_options, error) {
	return recordToC(o, func(js *C.char, out **C.jb_messages_options) C.jb_result {
		return C.jb_messages_options_from_json(js, out)
	})
}

// ReplayOptions choose what an ordered replay reads.
type ReplayOptions struct {
	Start          StartPosition // zero value: from the first message
	FilterSubjects []string
	Speed          ReplaySpeed     // "" (ReplaySpeedInstant) or ReplaySpeedOriginal
	Messages       MessagesOptions // pull tuning (types_gen.go)
}

// subscriptionState is what the C delivery thread reaches through the
// closure's cgo.Handle: it pushes messages onto a channel; drop closes it.
type subscriptionState struct {
	msgs    chan Msg
	done    chan struct{} // closed once by stopPushing (Stop, Close): stop waiting to push
	release sync.Once
	mu      sync.Mutex
	err     error // the error that ended the flow
	stopErr error // after Stop or Close: the core's error for a stopped stream
	handle  cgo.Handle
	dropped func()
}

// push hands the messages of one delivery to the channel in order: one
// crossing to read them all and one finalizer for the batch. When Stop or
// Close ends the wait, the ones not handed over are left to that finalizer
// (un-acked: the server redelivers them).
func (s *subscriptionState) push(ptrs []*C.jb_message) {
	msgs, err := newMsgs(ptrs)
	if err != nil {
		return // freed by newMsgs; unacked, so the server redelivers them
	}
	for _, m := range msgs {
		select {
		case s.msgs <- m:
		case <-s.done:
			return
		}
	}
}

// stopPushing makes a push blocked on a full channel give up (the messages
// not handed over go with their batch's finalizer, un-acked: the server
// redelivers them): Stop and Close wait for the delivery thread, which must
// not wait for a reader that is not coming.
func (s *subscriptionState) stopPushing() {
	s.release.Do(func() { close(s.done) })
}

func (s *subscriptionState) fail(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// Subscription is a continuous flow of messages: a durable consumer's
// Messages, an ordered Replay, a push consumer, or a Dapr subscription.
// Receive with Next, range over All, or read the Chan channel. Close it
// when done; messages received but not acked are redelivered by the server.
type Subscription struct {
	mu        sync.Mutex
	_ptr      *C.jb_subscription
	state     *subscriptionState
	closed    bool
	closeDone chan struct{}
	// unwatch stops watching the ctx the flow was started with.
	unwatch func() bool
}

const subscriptionBuffer = 256

func freeSubscription(r asyncResult) { C.jb_subscription_free((*C.jb_subscription)(r.handle)) }

// newSubscription switches the C subscription to callback delivery into a
// channel.
func newSubscription(p *C.jb_subscription) (*Subscription, error) {
	closeDone := make(chan struct{})
	st := &subscriptionState{
		msgs: make(chan Msg, subscriptionBuffer),
		done: make(chan struct{}),
	}
	var once sync.Once
	st.dropped = func() { once.Do(func() { close(st.msgs); close(closeDone) }) }
	st.handle = cgo.NewHandle(st)
	// The library owns the closure from here on: drop deletes the handle
	// and closes the channel exactly once, even if this call fails.
	if err := call(func() C.jb_result { return C.go_set_callback(p, C.uintptr_t(st.handle)) }); err != nil {
		C.jb_subscription_free(p)
		return nil, err
	}
	s := &Subscription{_ptr: p, state: st, closeDone: closeDone}
	runtime.SetFinalizer(s, func(s *Subscription) { _ = s.Close() })
	return s, nil
}

func (st *subscriptionState) terminalErr() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.err != nil {
		return st.err
	}
	if st.stopErr != nil {
		return st.stopErr
	}
	return ErrClosed
}

// stop stops the flow (callback delivery ends, drop runs) and records the
// core's error for the stopped stream, reading past (and freeing) what the
// library had not handed over yet.
func (s *Subscription) stop() error {
	if err := call(func() C.jb_result { return C.jb_subscription_stop(s._ptr) }); err != nil {
		return err
	}
	for range 50 { // the stream ends within a few 100 ms slices
		var m *C.jb_message
		err := call(func() C.jb_result { return C.jb_subscription_recv(s._ptr, 100, &m) })
		if err == nil {
			C.jb_message_free(m)
			continue
		}
		if !errors.Is(err, ErrTimeout) {
			s.state.mu.Lock()
			s.state.stopErr = err
			s.state.mu.Unlock()
			break
		}
	}
	return nil
}

// Next returns the next message, waiting until one arrives or ctx ends. The
// error that ended the flow (e.g. ErrNotFound when the stream was deleted)
// is returned once the buffered messages are read, then ErrClosed.
func (s *Subscription) Next(ctx context.Context) (Msg, error) {
	select {
	case m, ok := <-s.state.msgs:
		if !ok {
			return nil, s.state.terminalErr()
		}
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// NextBatch waits up to maxWait for the first message, then takes whatever
// else is buffered, up to max. Zero messages is not an error.
func (s *Subscription) NextBatch(ctx context.Context, max int, maxWait time.Duration) ([]Msg, error) {
	timer := time.NewTimer(maxWait)
	defer timer.Stop()
	var out []Msg
	select {
	case m, ok := <-s.state.msgs:
		if !ok {
			return nil, s.state.terminalErr()
		}
		out = append(out, m)
	case <-timer.C:
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for len(out) < max {
		select {
		case m, ok := <-s.state.msgs:
			if !ok {
				return out, nil
			}
			out = append(out, m)
		default:
			return out, nil
		}
	}
	return out, nil
}

// All ranges over the messages until the flow ends or ctx is done; the
// final error (nil for ctx cancellation or Close) is yielded last.
func (s *Subscription) All(ctx context.Context) iter.Seq2[Msg, error] {
	return func(yield func(Msg, error) bool) {
		for {
			m, err := s.Next(ctx)
			if err != nil {
				if ctx.Err() == nil && !isClosed(err, s) {
					yield(nil, err)
				}
				return
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}

func isClosed(err error, s *Subscription) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := err.(*Error)
	return s.closed && ok && e.Code == CodeClosed
}

// Chan is the channel the messages arrive on; it is closed when the flow
// ends (then Err says why) or the subscription is closed.
func (s *Subscription) Chan() <-chan Msg { return s.state.msgs }

// Err is the error that ended the flow, or nil while it runs.
func (s *Subscription) Err() error {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	return s.state.err
}

// Health returns the subscription's health.
func (s *Subscription) Health() (Health, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return HealthStopped, nil
	}
	var h C.uint32_t
	err := call(func() C.jb_result { return C.jb_subscription_health(s._ptr, &h) })
	return Health(h), err
}

// Stop ends the flow without freeing, as in every language: messages already
// received stay readable (Next, NextBatch, All, Chan) and can be acked; after
// them Next returns ErrClosed. Unread deliveries the library had not handed
// over yet are dropped and redelivered by the server after their ack wait.
// It returns promptly even when the channel is full and nobody reads it.
// Idempotent; Close still frees the subscription.
func (s *Subscription) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.state.stopPushing()
	return s.stop()
}

// Close stops the flow and releases the subscription. Messages still
// buffered are released un-acked (the server redelivers them). Idempotent.
func (s *Subscription) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.unwatch != nil {
		s.unwatch()
	}
	s.state.stopPushing()
	_ = s.stop()
	err := call(func() C.jb_result { return C.jb_subscription_free(s._ptr) })
	<-s.closeDone // drop ran: the channel is closed
	for m := range s.state.msgs {
		m.(*message).free() // only its own handle: the program may hold others of its batch
	}
	runtime.SetFinalizer(s, nil)
	return err
}

type subscriptionStart func(h C.uintptr_t) C.jb_result

// awaitSubscription starts a flow and ties it to ctx: when ctx ends, the
// flow stops as with Stop (the channel closes once the buffered messages
// are read; the core's stream stops). Watching ctx costs no goroutine until
// it ends (context.AfterFunc), and Close stops watching it.
func awaitSubscription(ctx context.Context, start subscriptionStart) (*Subscription, error) {
	r, err := await(ctx, start, freeSubscription)
	if err != nil {
		return nil, err
	}
	s, err := newSubscription((*C.jb_subscription)(r.handle))
	if err != nil {
		return nil, err
	}
	s.unwatch = context.AfterFunc(ctx, func() { _ = s.Stop() })
	return s, nil
}

// Messages starts a continuous pull: pull requests stay outstanding,
// heartbeats are on, and it recovers by itself after reconnects, server
// restarts, leader changes and a deleted durable. ctx bounds the flow, not
// only the start: when it ends, the flow stops as with Stop (messages
// already received stay readable, then the channel closes and Next returns
// ErrClosed); no goroutine is left behind. The same holds for Replay,
// PushSubscribe and DaprSubscribe.
func (c *Consumer) Messages(ctx context.Context, opts MessagesOptions) (*Subscription, error) {
	co, err := opts.toC()
	if err != nil {
		return nil, err
	}
	defer C.jb_messages_options_free(co)
	var out *Subscription
	err = c.with(func(p *C.jb_consumer) error {
		var err error
		out, err = awaitSubscription(ctx, func(h C.uintptr_t) C.jb_result { return C.go_messages(p, co, h) })
		return err
	})
	return out, err
}

// Replay starts an ordered replay of stream: every stored message from the
// start position, each once and in order, through an ephemeral consumer
// that resets itself across gaps and restarts. Replayed messages take no
// acks.
func (c *Client) Replay(ctx context.Context, stream string, opts ReplayOptions) (*Subscription, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	var o C.jb_replay_options
	C.jb_replay_options_default(&o)
	if opts.Start.kind != 0 || opts.Start.sequence != 0 {
		o.start, o.start_sequence, o.start_time_ns = opts.Start.toC()
	}
	if o.filter_subjects, o.filter_subjects_len, err = cs.array(opts.FilterSubjects, "filter subject"); err != nil {
		return nil, err
	}
	switch opts.Speed {
	case "", ReplaySpeedInstant: // the default
	case ReplaySpeedOriginal:
		o.speed = C.JB_REPLAY_SPEED_ORIGINAL
	default:
		return nil, invalid("replay speed", fmt.Sprintf("%q is not one of instant, original", opts.Speed))
	}
	if o.messages, err = opts.Messages.toC(); err != nil {
		return nil, err
	}
	defer C.jb_messages_options_free(o.messages)
	var out *Subscription
	err = c.with(func(p *C.jb_client) error {
		var err error
		out, err = awaitSubscription(ctx, func(h C.uintptr_t) C.jb_result { return C.go_replay(p, cstream, &o, h) })
		return err
	})
	return out, err
}

// PushSubscribe creates (or joins) a push consumer on stream and starts
// receiving. Set cfg.DurableName to share it and cfg.DeliverGroup to split the
// work (each message goes to one member). Joining with a different
// configuration is ErrConfigMismatch.
func (c *Client) PushSubscribe(ctx context.Context, stream string, cfg ConsumerConfig) (*Subscription, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	ccfg, err := consumerConfigToC(&cfg)
	defer C.jb_consumer_config_free(ccfg)
	if err != nil {
		return nil, err
	}
	var out *Subscription
	err = c.with(func(p *C.jb_client) error {
		var err error
		out, err = awaitSubscription(ctx, func(h C.uintptr_t) C.jb_result { return C.go_push_subscribe(p, cstream, ccfg, h) })
		return err
	})
	return out, err
}

// DaprSubscribe subscribes to topic the way the Dapr component does, with
// the subscription part of a Dapr config.
func (c *Client) DaprSubscribe(ctx context.Context, topic string, d *DaprConfig) (*Subscription, error) {
	var cs cstrings
	defer cs.free()
	ctopic, err := cs.add(topic, "topic")
	if err != nil {
		return nil, err
	}
	dp := d._ptr
	var out *Subscription
	err = c.with(func(p *C.jb_client) error {
		var err error
		out, err = awaitSubscription(ctx, func(h C.uintptr_t) C.jb_result { return C.go_dapr_subscribe(p, ctopic, dp, h) })
		return err
	})
	runtime.KeepAlive(d)
	return out, err
}
