package jetbridge

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"time"
	"unsafe"
)

// StartPosition is where delivery starts: use one of the Start… values.
// As JSON it takes the core's wire form: the policy name ("all", "last",
// "last_per_subject", "new"), or {"policy":"sequence","sequence":N} or
// {"policy":"time","time":<Unix nanoseconds>}.
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

// startNames are the wire names of the JB_START_* kinds.
var startNames = map[uint32]string{
	C.JB_START_ALL: "all", C.JB_START_LAST: "last", C.JB_START_LAST_PER_SUBJECT: "last_per_subject",
	C.JB_START_NEW: "new", C.JB_START_SEQUENCE: "sequence", C.JB_START_TIME: "time",
}

// Policy is the deliver policy's name: "all", "last", "last_per_subject",
// "new", "by_start_sequence" or "by_start_time".
func (s StartPosition) Policy() string {
	if s.kind == C.JB_START_SEQUENCE || s.kind == C.JB_START_TIME {
		return "by_start_" + startNames[s.kind]
	}
	return startNames[s.kind]
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

// startJSON is the object form of a start position.
type startJSON struct {
	Policy   string  `json:"policy"`
	Sequence *uint64 `json:"sequence,omitempty"`
	Time     *int64  `json:"time,omitempty"`
}

// MarshalJSON writes the wire form (see StartPosition).
func (s StartPosition) MarshalJSON() ([]byte, error) {
	switch s.kind {
	case C.JB_START_SEQUENCE:
		return json.Marshal(startJSON{Policy: "sequence", Sequence: &s.sequence})
	case C.JB_START_TIME:
		return json.Marshal(startJSON{Policy: "time", Time: new(s.time.UnixNano())})
	}
	return json.Marshal(startNames[s.kind])
}

// UnmarshalJSON reads the wire form (see StartPosition); null is a no-op.
func (s *StartPosition) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var j startJSON
	if json.Unmarshal(b, &j.Policy) != nil { // not a name: the object form
		if err := json.Unmarshal(b, &j); err != nil {
			return err
		}
	}
	for kind, name := range startNames {
		if name == j.Policy {
			*s = StartPosition{kind: kind}
			if j.Sequence != nil {
				s.sequence = *j.Sequence
			}
			if j.Time != nil {
				s.time = time.Unix(0, *j.Time)
			}
			return nil
		}
	}
	return fmt.Errorf("unknown start policy %q", j.Policy)
}

func (s StartPosition) toC() (C.uint32_t, C.uint64_t, C.int64_t) {
	var t int64
	if s.kind == C.JB_START_TIME {
		t = s.time.UnixNano()
	}
	return C.uint32_t(s.kind), C.uint64_t(s.sequence), C.int64_t(t)
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

// consumerConfigToC is cfg as a library-owned C config (NULL for nil;
// recordToC); the caller frees it with C.jb_consumer_config_free.
func consumerConfigToC(cfg *ConsumerConfig) (*C.jb_consumer_config, error) {
	if cfg == nil {
		return nil, nil
	}
	return recordToC(cfg, func(js *C.char, out **C.jb_consumer_config) C.jb_result {
		return C.jb_consumer_config_from_json(js, out)
	})
}

// consumerConfigFromC reads a C config (recordFromC).
func consumerConfigFromC(p *C.jb_consumer_config) (ConsumerConfig, error) {
	var c ConsumerConfig
	err := recordFromC(&c, func(js **C.char) C.jb_result { return C.jb_consumer_config_to_json(p, js) })
	return c, err
}

// consumerPauseStateFromC reads a C pause state (recordFromC).
func consumerPauseStateFromC(p *C.jb_consumer_pause_state) (*ConsumerPauseState, error) {
	var s ConsumerPauseState
	err := recordFromC(&s, func(js **C.char) C.jb_result { return C.jb_consumer_pause_state_to_json(p, js) })
	return &s, err
}

func consumerInfoFromC(i *C.jb_consumer_info) (*ConsumerInfo, error) {
	cfg, err := consumerConfigFromC(i.config)
	if err != nil {
		return nil, err
	}
	pair := func(p C.jb_sequence_pair) SequencePair {
		return SequencePair{ConsumerSeq: uint64(p.consumer_sequence), StreamSeq: uint64(p.stream_sequence)}
	}
	return &ConsumerInfo{
		Stream: goStrOpt(i.stream), Name: goStrOpt(i.name), Config: cfg,
		Created: time.Unix(0, int64(i.created_ns)), Delivered: pair(i.delivered), AckFloor: pair(i.ack_floor),
		NumAckPending: uint64(i.num_ack_pending), NumRedelivered: uint64(i.num_redelivered),
		NumWaiting: uint64(i.num_waiting), NumPending: uint64(i.num_pending),
		ClusterLeader: goStrOpt(i.cluster_leader),
	}, nil
}

// consumerInfoListFromC reads a C list of consumer infos, each as
// consumerInfoFromC does.
func consumerInfoListFromC(l *C.jb_consumer_info_list) ([]ConsumerInfo, error) {
	out := make([]ConsumerInfo, 0, int(l.len))
	if l.items == nil {
		return out, nil
	}
	items := unsafe.Slice(l.items, int(l.len))
	for i := range items {
		info, err := consumerInfoFromC(&items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *info)
	}
	return out, nil
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
	ccfg, err := consumerConfigToC(&cfg)
	defer C.jb_consumer_config_free(ccfg)
	if err != nil {
		return nil, err
	}
	var out *Consumer
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, cstream, ccfg, h) }, freeConsumer)
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
	cexp, err := consumerConfigToC(expected)
	defer C.jb_consumer_config_free(cexp)
	if err != nil {
		return nil, err
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

// ListConsumers returns every consumer of stream, in the server's order,
// reading every page the server returns (ErrNotFound if the stream does not
// exist).
func (c *Client) ListConsumers(ctx context.Context, stream string) ([]ConsumerInfo, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	var out []ConsumerInfo
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_list_consumers(p, cstream, h) }, nil)
		if err == nil {
			out = r.value.([]ConsumerInfo)
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

// PauseConsumer pauses a consumer until until: it delivers nothing before
// then and resumes by itself afterwards (or on ResumeConsumer). It returns
// the pause as the server reports it. until in the past is
// ErrInvalidArgument, a missing consumer ErrNotFound, a server older than
// 2.11 ErrServerTooOld.
func (c *Client) PauseConsumer(ctx context.Context, stream, name string, until time.Time) (*ConsumerPauseState, error) {
	ns := unixNanos(until)
	return c.pauseRequest(ctx, stream, name, func(p *C.jb_client, s, n *C.char, h C.uintptr_t) C.jb_result {
		return C.go_pause_consumer(p, s, n, C.int64_t(ns), h)
	})
}

// ResumeConsumer resumes a paused consumer at once (one that is not paused
// is left as it is) and returns its state. Errors as PauseConsumer.
func (c *Client) ResumeConsumer(ctx context.Context, stream, name string) (*ConsumerPauseState, error) {
	return c.pauseRequest(ctx, stream, name, func(p *C.jb_client, s, n *C.char, h C.uintptr_t) C.jb_result {
		return C.go_resume_consumer(p, s, n, h)
	})
}

func (c *Client) pauseRequest(ctx context.Context, stream, name string,
	start func(p *C.jb_client, s, n *C.char, h C.uintptr_t) C.jb_result) (*ConsumerPauseState, error) {
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
	var out *ConsumerPauseState
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, cstream, cname, h) }, nil)
		if err == nil {
			out = r.value.(*ConsumerPauseState)
		}
		return err
	})
	return out, err
}

// UnpinConsumer unpins the client pinned in priority group of a consumer
// with the PriorityPolicyPinnedClient policy; the server pins the next
// client that pulls. A group the consumer does not have is
// ErrInvalidArgument, a missing consumer ErrNotFound, a server older than
// 2.11 ErrServerTooOld.
func (c *Client) UnpinConsumer(ctx context.Context, stream, name, group string) error {
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
	cgroup, err := cs.add(group, "priority group")
	if err != nil {
		return err
	}
	return c.with(func(p *C.jb_client) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_unpin_consumer(p, cstream, cname, cgroup, h) }, nil)
		return err
	})
}

// unixNanos is t as Unix nanoseconds, the C form of a point in time,
// saturating outside what an int64 holds (about 1678 to 2262) as the core's
// record::unix_nanos does.
func unixNanos(t time.Time) int64 {
	switch {
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
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

// Fetch returns up to n messages, waiting up to maxWait. Zero messages is
// not an error. The core judges n and maxWait as in every other language
// (ErrInvalidArgument naming the field it refuses).
func (c *Consumer) Fetch(ctx context.Context, n int, maxWait time.Duration) ([]Msg, error) {
	return c.fetch(ctx, map[string]any{"max_messages": n, "max_wait": maxWait})
}

// FetchWith is Fetch with every option (FetchOptions, types_gen.go).
func (c *Consumer) FetchWith(ctx context.Context, o FetchOptions) ([]Msg, error) {
	return c.fetch(ctx, o)
}

// fetch fetches with the options o holds in their wire JSON form.
func (c *Consumer) fetch(ctx context.Context, o any) ([]Msg, error) {
	co, err := recordToC(o, func(js *C.char, out **C.jb_fetch_options) C.jb_result {
		return C.jb_fetch_options_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_fetch_options_free(co)
	var out []Msg
	err = c.with(func(p *C.jb_consumer) error {
		r, err := awaitCancellable(ctx, func(h C.uintptr_t, cancel *C.jb_cancel) C.jb_result {
			return C.go_fetch(p, co, cancel, h)
		})
		if err != nil || r.value == nil {
			return err
		}
		out, err = newMsgs(r.value.([]*C.jb_message))
		return err
	})
	return out, err
}
