package jetbridge

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"runtime"
	"time"
	"unsafe"
)

// StartPosition is where delivery starts: use one of the Start… values.
type StartPosition struct {
	kind     uint32
	sequence uint64
	time     time.Time
}

// Start positions.
var (
	StartAll            = StartPosition{kind: C.JB_START_ALL}
	StartLast           = StartPosition{kind: C.JB_START_LAST}
	StartLastPerSubject = StartPosition{kind: C.JB_START_LAST_PER_SUBJECT}
	StartNew            = StartPosition{kind: C.JB_START_NEW}
)

// StartAtSequence starts at stream sequence seq (at least 1).
func StartAtSequence(seq uint64) StartPosition {
	return StartPosition{kind: C.JB_START_SEQUENCE, sequence: seq}
}

// StartAtTime starts at the first message stored at or after t.
func StartAtTime(t time.Time) StartPosition { return StartPosition{kind: C.JB_START_TIME, time: t} }

// Policy is the deliver policy's name: "all", "last", "last_per_subject",
// "new", "by_start_sequence" or "by_start_time".
func (s StartPosition) Policy() string {
	switch s.kind {
	case C.JB_START_LAST:
		return "last"
	case C.JB_START_LAST_PER_SUBJECT:
		return "last_per_subject"
	case C.JB_START_NEW:
		return "new"
	case C.JB_START_SEQUENCE:
		return "by_start_sequence"
	case C.JB_START_TIME:
		return "by_start_time"
	default:
		return "all"
	}
}

// Sequence is the first stream sequence of a StartAtSequence position
// (ok is false for every other position).
func (s StartPosition) Sequence() (seq uint64, ok bool) {
	return s.sequence, s.kind == C.JB_START_SEQUENCE
}

// Time is the start time of a StartAtTime position (ok is false for every
// other position).
func (s StartPosition) Time() (t time.Time, ok bool) {
	return s.time, s.kind == C.JB_START_TIME
}

func (s StartPosition) toC() (C.uint32_t, C.uint64_t, C.int64_t) {
	var t int64
	if s.kind == C.JB_START_TIME {
		t = s.time.UnixNano()
	}
	return C.uint32_t(s.kind), C.uint64_t(s.sequence), C.int64_t(t)
}

func startFromC(kind C.uint32_t, seq C.uint64_t, t C.int64_t) StartPosition {
	s := StartPosition{kind: uint32(kind), sequence: uint64(seq)}
	if kind == C.JB_START_TIME {
		s.time = time.Unix(0, int64(t))
	}
	return s
}

// AckPolicy says which acks the server expects.
type AckPolicy uint32

// Ack policies.
const (
	AckPolicyExplicit AckPolicy = C.JB_ACK_POLICY_EXPLICIT
	AckPolicyAll      AckPolicy = C.JB_ACK_POLICY_ALL
	AckPolicyNone     AckPolicy = C.JB_ACK_POLICY_NONE
)

// ReplaySpeed says how fast stored messages are delivered.
type ReplaySpeed uint32

// Replay speeds.
const (
	ReplayInstant  ReplaySpeed = C.JB_REPLAY_SPEED_INSTANT
	ReplayOriginal ReplaySpeed = C.JB_REPLAY_SPEED_ORIGINAL
)

// ConsumerConfig configures a consumer. Zero values take the server's
// defaults (ack wait 30 s, max ack pending 1000).
//
// Durable and MaxDeliver are optional (nil = not set; a value is sent as
// given and checked as in every language). Durable names the consumer
// (nil: an ephemeral consumer; "" is ErrInvalidArgument, so an empty
// computed name cannot silently make one). MaxDeliver is at least 1, or -1
// for unlimited (nil: unlimited; 0 is ErrInvalidArgument).
type ConsumerConfig struct {
	Durable           *string
	Description       string
	Start             StartPosition
	AckPolicy         AckPolicy
	AckWait           time.Duration
	MaxDeliver        *int
	Backoff           []time.Duration
	MaxAckPending     int64
	FilterSubjects    []string
	Replay            ReplaySpeed
	InactiveThreshold time.Duration
	Replicas          int
	MemoryStorage     bool
	RateLimitBps      uint64
	MaxWaiting        int64
	// Push consumers.
	DeliverSubject string
	DeliverGroup   string
	FlowControl    bool
	IdleHeartbeat  time.Duration
}

// SequencePair is delivery progress.
type SequencePair struct{ ConsumerSeq, StreamSeq uint64 }

// ConsumerInfo is a consumer's configuration and progress. NumPending is
// its lag.
type ConsumerInfo struct {
	Stream, Name                                          string
	Config                                                ConsumerConfig
	Created                                               time.Time
	Delivered, AckFloor                                   SequencePair
	NumAckPending, NumRedelivered, NumWaiting, NumPending uint64
	ClusterLeader                                         string
}

func (c *ConsumerConfig) toC(cs *cstrings) (C.jb_consumer_config, error) {
	var o C.jb_consumer_config
	C.jb_consumer_config_default(&o)
	var err error
	if o.durable_name, err = cs.ptr(c.Durable, "durable name"); err != nil {
		return o, err
	}
	for _, f := range []struct {
		dst  **C.char
		v    string
		what string
	}{
		{&o.description, c.Description, "description"},
		{&o.deliver_subject, c.DeliverSubject, "deliver subject"},
		{&o.deliver_group, c.DeliverGroup, "deliver group"},
	} {
		if *f.dst, err = cs.opt(f.v, f.what); err != nil {
			return o, err
		}
	}
	if o.filter_subjects, o.filter_subjects_len, err = cs.array(c.FilterSubjects, "filter subject"); err != nil {
		return o, err
	}
	if err := nonNegative(duration("ack wait", c.AckWait), duration("inactive threshold", c.InactiveThreshold),
		duration("idle heartbeat", c.IdleHeartbeat), count("replicas", c.Replicas)); err != nil {
		return o, err
	}
	backoff := make([]uint64, len(c.Backoff))
	for i, d := range c.Backoff {
		if err := nonNegative(duration("backoff", d)); err != nil {
			return o, err
		}
		backoff[i] = uint64(d / time.Millisecond)
	}
	o.backoff_ms, o.backoff_len = cs.u64s(backoff)
	o.start, o.start_sequence, o.start_time_ns = c.Start.toC()
	o.ack_policy = C.uint32_t(c.AckPolicy)
	o.ack_wait_ms = ms(c.AckWait)
	if c.MaxDeliver != nil {
		o.max_deliver = C.int64_t(*c.MaxDeliver)
	}
	o.max_ack_pending = C.int64_t(c.MaxAckPending)
	o.replay = C.uint32_t(c.Replay)
	o.inactive_threshold_ms = ms(c.InactiveThreshold)
	o.replicas = C.uint32_t(c.Replicas)
	o.memory_storage = C.bool(c.MemoryStorage)
	o.rate_limit_bps = C.uint64_t(c.RateLimitBps)
	o.max_waiting = C.int64_t(c.MaxWaiting)
	o.flow_control = C.bool(c.FlowControl)
	o.idle_heartbeat_ms = ms(c.IdleHeartbeat)
	return o, nil
}

// maxDeliverFromC is the C max_deliver in Go's convention: the C "unlimited"
// (-1) is nil.
func maxDeliverFromC(v C.int64_t) *int {
	if v == -1 {
		return nil
	}
	return new(int(v))
}

func consumerConfigFromC(o *C.jb_consumer_config) ConsumerConfig {
	c := ConsumerConfig{
		Durable: goStrPtr(o.durable_name), Description: goStrOpt(o.description),
		Start:     startFromC(o.start, o.start_sequence, o.start_time_ns),
		AckPolicy: AckPolicy(o.ack_policy), AckWait: time.Duration(o.ack_wait_ms) * time.Millisecond,
		MaxDeliver: maxDeliverFromC(o.max_deliver), MaxAckPending: int64(o.max_ack_pending),
		FilterSubjects:    goStrings(o.filter_subjects, o.filter_subjects_len),
		Replay:            ReplaySpeed(o.replay),
		InactiveThreshold: time.Duration(o.inactive_threshold_ms) * time.Millisecond,
		Replicas:          int(o.replicas), MemoryStorage: bool(o.memory_storage),
		RateLimitBps: uint64(o.rate_limit_bps), MaxWaiting: int64(o.max_waiting),
		DeliverSubject: goStrOpt(o.deliver_subject), DeliverGroup: goStrOpt(o.deliver_group),
		FlowControl: bool(o.flow_control), IdleHeartbeat: time.Duration(o.idle_heartbeat_ms) * time.Millisecond,
	}
	if o.backoff_len > 0 {
		for _, v := range unsafe.Slice(o.backoff_ms, int(o.backoff_len)) {
			c.Backoff = append(c.Backoff, time.Duration(v)*time.Millisecond)
		}
	}
	return c
}

func consumerInfoFromC(i *C.jb_consumer_info) *ConsumerInfo {
	pair := func(p C.jb_sequence_pair) SequencePair {
		return SequencePair{ConsumerSeq: uint64(p.consumer_sequence), StreamSeq: uint64(p.stream_sequence)}
	}
	return &ConsumerInfo{
		Stream: goStrOpt(i.stream), Name: goStrOpt(i.name), Config: consumerConfigFromC(&i.config),
		Created: time.Unix(0, int64(i.created_ns)), Delivered: pair(i.delivered), AckFloor: pair(i.ack_floor),
		NumAckPending: uint64(i.num_ack_pending), NumRedelivered: uint64(i.num_redelivered),
		NumWaiting: uint64(i.num_waiting), NumPending: uint64(i.num_pending),
		ClusterLeader: goStrOpt(i.cluster_leader),
	}
}

// Consumer is a handle to one consumer of one stream. Close releases the
// handle (the consumer stays on the server; Delete removes it); afterwards
// its calls fail with ErrInvalidHandle.
type Consumer struct {
	_ptr *C.jb_consumer // a freed handle is INVALID_HANDLE, never undefined behaviour
}

func newConsumer(p *C.jb_consumer) *Consumer {
	c := &Consumer{_ptr: p}
	runtime.SetFinalizer(c, func(c *Consumer) { C.jb_consumer_free(c._ptr) })
	return c
}

func freeConsumer(r asyncResult) { C.jb_consumer_free((*C.jb_consumer)(r.handle)) }

// with runs f with the handle, keeping the consumer alive.
func (c *Consumer) with(f func(p *C.jb_consumer) error) error {
	debugGC()
	err := f(c._ptr)
	runtime.KeepAlive(c)
	return err
}

// Close releases the handle. Idempotent (the library ignores a second free).
func (c *Consumer) Close() error {
	C.jb_consumer_free(c._ptr)
	runtime.SetFinalizer(c, nil)
	return nil
}

type consumerStart func(p *C.jb_client, stream *C.char, cfg *C.jb_consumer_config, h C.uintptr_t) C.jb_result

func (c *Client) putConsumer(ctx context.Context, stream string, cfg ConsumerConfig, start consumerStart) (*Consumer, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	ccfg, err := cfg.toC(&cs)
	if err != nil {
		return nil, err
	}
	var out *Consumer
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, cstream, &ccfg, h) }, freeConsumer)
		if err == nil {
			out = newConsumer((*C.jb_consumer)(r.handle))
		}
		return err
	})
	return out, err
}

// CreateConsumer creates a consumer on stream. The same configuration
// again returns it; a different one is ErrAlreadyExists.
func (c *Client) CreateConsumer(ctx context.Context, stream string, cfg ConsumerConfig) (*Consumer, error) {
	return c.putConsumer(ctx, stream, cfg, func(p *C.jb_client, s *C.char, cc *C.jb_consumer_config, h C.uintptr_t) C.jb_result {
		return C.go_create_consumer(p, s, cc, h)
	})
}

// UpdateConsumer changes an existing durable consumer (ErrNotFound if missing).
func (c *Client) UpdateConsumer(ctx context.Context, stream string, cfg ConsumerConfig) (*Consumer, error) {
	return c.putConsumer(ctx, stream, cfg, func(p *C.jb_client, s *C.char, cc *C.jb_consumer_config, h C.uintptr_t) C.jb_result {
		return C.go_update_consumer(p, s, cc, h)
	})
}

// GetOrCreateConsumer creates the consumer, or binds to it when it exists
// with the same configuration (a different one is ErrConfigMismatch).
func (c *Client) GetOrCreateConsumer(ctx context.Context, stream string, cfg ConsumerConfig) (*Consumer, error) {
	return c.putConsumer(ctx, stream, cfg, func(p *C.jb_client, s *C.char, cc *C.jb_consumer_config, h C.uintptr_t) C.jb_result {
		return C.go_get_or_create_consumer(p, s, cc, h)
	})
}

// BindConsumer binds to an existing consumer. With expected, any set field
// that differs from the server's configuration is ErrConfigMismatch.
func (c *Client) BindConsumer(ctx context.Context, stream, name string, expected *ConsumerConfig) (*Consumer, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	cname, err := cs.add(name, "consumer name")
	if err != nil {
		return nil, err
	}
	var cexp *C.jb_consumer_config
	if expected != nil {
		e, err := expected.toC(&cs)
		if err != nil {
			return nil, err
		}
		cexp = &e
	}
	var out *Consumer
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_bind_consumer(p, cstream, cname, cexp, h) }, freeConsumer)
		if err == nil {
			out = newConsumer((*C.jb_consumer)(r.handle))
		}
		return err
	})
	return out, err
}

// ConsumerInfo returns a consumer's configuration and progress by name.
func (c *Client) ConsumerInfo(ctx context.Context, stream, name string) (*ConsumerInfo, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	cname, err := cs.add(name, "consumer name")
	if err != nil {
		return nil, err
	}
	var out *ConsumerInfo
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_client_consumer_info(p, cstream, cname, h) }, nil)
		if err == nil {
			out = r.value.(*ConsumerInfo)
		}
		return err
	})
	return out, err
}

// DeleteConsumer deletes a consumer by name.
func (c *Client) DeleteConsumer(ctx context.Context, stream, name string) error {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return err
	}
	cname, err := cs.add(name, "consumer name")
	if err != nil {
		return err
	}
	return c.with(func(p *C.jb_client) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_delete_consumer(p, cstream, cname, h) }, nil)
		return err
	})
}

// Info returns this consumer's configuration and progress (lag).
func (c *Consumer) Info(ctx context.Context) (*ConsumerInfo, error) {
	var out *ConsumerInfo
	err := c.with(func(p *C.jb_consumer) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_consumer_info(p, h) }, nil)
		if err == nil {
			out = r.value.(*ConsumerInfo)
		}
		return err
	})
	return out, err
}

// Delete deletes this consumer on the server.
func (c *Consumer) Delete(ctx context.Context) error {
	return c.with(func(p *C.jb_consumer) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_consumer_delete(p, h) }, nil)
		return err
	})
}

// FetchOptions tune FetchWith. The pointer fields are optional (nil =
// default; a value is sent as given and checked as in every language):
// MaxMessages (default 1, at least 1), MaxWait (default 5 s, at least 1 ms
// unless NoWait), MaxBytes (default no limit, at least 1). Heartbeat 0 means
// none; else at most half of MaxWait.
type FetchOptions struct {
	MaxMessages *int
	MaxWait     *time.Duration
	MaxBytes    *int
	NoWait      bool
	Heartbeat   time.Duration
}

// Fetch returns up to n messages, waiting up to maxWait. Zero messages is
// not an error. n < 1 or maxWait < 1 ms is ErrInvalidArgument, as in every
// other language.
func (c *Consumer) Fetch(ctx context.Context, n int, maxWait time.Duration) ([]*Msg, error) {
	return c.FetchWith(ctx, FetchOptions{MaxMessages: &n, MaxWait: &maxWait})
}

// FetchWith is Fetch with every option.
func (c *Consumer) FetchWith(ctx context.Context, o FetchOptions) ([]*Msg, error) {
	var co C.jb_fetch_options
	C.jb_fetch_options_default(&co)
	if err := setSize(&co.max_messages, "max messages", o.MaxMessages); err != nil {
		return nil, err
	}
	if err := setMillis(&co.max_wait_ms, "max wait", o.MaxWait); err != nil {
		return nil, err
	}
	if err := setSize(&co.max_bytes, "max bytes", o.MaxBytes); err != nil {
		return nil, err
	}
	if err := nonNegative(duration("heartbeat", o.Heartbeat)); err != nil {
		return nil, err
	}
	co.no_wait = C.bool(o.NoWait)
	co.heartbeat_ms = ms(o.Heartbeat)
	var out []*Msg
	err := c.with(func(p *C.jb_consumer) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_fetch(p, &co, h) }, func(r asyncResult) {
			freeMessages(r.value)
		})
		if err != nil || r.value == nil {
			return err
		}
		out, err = newMsgs(r.value.([]*C.jb_message))
		return err
	})
	return out, err
}

func freeMessages(v any) {
	if handles, ok := v.([]*C.jb_message); ok && len(handles) > 0 {
		C.jb_messages_free(&handles[0], C.size_t(len(handles)))
	}
}
