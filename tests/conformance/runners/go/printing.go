package main

// How results are printed: the normalisation rules of SPEC.md §3 and the
// shapes of §4.9, in one place, from the Go binding's public result types.
//
//   - Timestamps are never printed, only whether they are present.
//   - A generated message id (`jb-…`) prints as `<generated>`.
//   - Ports, URLs, inboxes and ephemeral consumer names are never printed.
//   - Headers whose name starts with `Nats-` are left out; the message id is its own field.
//   - Durations print as integer milliseconds, null when unset (the binding's zero).

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	jb "github.com/jetbridge/jetbridge-go"
)

// maxPrintedData: payloads longer than this print as "<N bytes>".
const maxPrintedData = 200

// orNull is s, or null when empty (the binding's "unset").
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// value is *p, or null when p is nil (an optional field not set).
func value[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// positive is n, or null when the server reported 0 or -1 (unset / unlimited).
func positive[T int64 | uint64](n T) any {
	if n <= 0 {
		return nil
	}
	return n
}

// msgID prints a message id, generated ids as <generated>; "" is null.
func msgID(id string) any {
	switch {
	case id == "":
		return nil
	case strings.HasPrefix(id, "jb-"):
		return "<generated>"
	default:
		return id
	}
}

// data is a payload as text (UTF-8, each invalid byte as U+FFFD), or its size when long.
func data(payload []byte) string {
	if len(payload) > maxPrintedData {
		return fmt.Sprintf("<%d bytes>", len(payload))
	}
	if utf8.Valid(payload) {
		return string(payload)
	}
	var b strings.Builder
	for len(payload) > 0 {
		r, n := utf8.DecodeRune(payload)
		b.WriteRune(r) // utf8.RuneError is U+FFFD
		payload = payload[n:]
	}
	return b.String()
}

// headers without Nats-*, sorted by name (stable: values of one name keep their order).
func headers(fields []jb.HeaderField) []any {
	kept := make([]jb.HeaderField, 0, len(fields))
	for _, h := range fields {
		if !strings.HasPrefix(strings.ToLower(h.Name), "nats-") {
			kept = append(kept, h)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Name < kept[j].Name })
	out := make([]any, len(kept))
	for i, h := range kept {
		out[i] = []any{h.Name, h.Value}
	}
	return out
}

func headerMsgID(fields []jb.HeaderField) string {
	for _, h := range fields {
		if strings.EqualFold(h.Name, "Nats-Msg-Id") {
			return h.Value
		}
	}
	return ""
}

// millis is a duration as whole milliseconds.
func millis(d time.Duration) uint64 { return uint64(d / time.Millisecond) }

// optMillis is millis, or null for the binding's zero (unset).
func optMillis(d time.Duration) any {
	if d == 0 {
		return nil
	}
	return millis(d)
}

func pubAck(a *jb.PubAck) obj {
	return obj{"stream": a.Stream, "seq": a.Sequence, "duplicate": a.Duplicate, "msg_id": msgID(a.MsgID)}
}

func message(m *jb.Msg) obj {
	return obj{
		"stream":        m.Stream,
		"seq":           m.StreamSeq,
		"consumer_seq":  m.ConsumerSeq,
		"subject":       m.Subject,
		"data":          data(m.Data),
		"delivered":     m.Delivered,
		"pending":       m.Pending,
		"headers":       headers(m.Headers),
		"msg_id":        msgID(m.MsgID()),
		"has_timestamp": m.Timestamp.UnixNano() > 0,
	}
}

func messages(batch []*jb.Msg) obj {
	list := make([]any, len(batch))
	for i, m := range batch {
		list[i] = message(m)
	}
	return obj{"count": len(batch), "messages": list}
}

func stored(m *jb.StoredMessage) obj {
	return obj{
		"seq":           m.Sequence,
		"subject":       m.Subject,
		"data":          data(m.Data),
		"headers":       headers(m.Headers),
		"msg_id":        msgID(headerMsgID(m.Headers)),
		"has_timestamp": m.Timestamp.UnixNano() > 0,
	}
}

var (
	retentionNames = map[jb.Retention]string{
		jb.RetentionLimits: "limits", jb.RetentionInterest: "interest", jb.RetentionWorkQueue: "workqueue",
	}
	storageNames = map[jb.Storage]string{jb.StorageFile: "file", jb.StorageMemory: "memory"}
	discardNames = map[jb.Discard]string{jb.DiscardOld: "old", jb.DiscardNew: "new"}
	ackNames     = map[jb.AckPolicy]string{
		jb.AckPolicyExplicit: "explicit", jb.AckPolicyAll: "all", jb.AckPolicyNone: "none",
	}
	replayNames = map[jb.ReplaySpeed]string{jb.ReplayInstant: "instant", jb.ReplayOriginal: "original"}
)

// name is names[v], or an UNSUPPORTED error for a value this runner does not know.
func name[K comparable](names map[K]string, v K, what string) (string, error) {
	n, ok := names[v]
	if !ok {
		return "", unsupported("the binding reported %s %v, unknown to this runner", what, v)
	}
	return n, nil
}

func streamInfo(info *jb.StreamInfo) (obj, error) {
	c, s := &info.Config, &info.State
	retention, err1 := name(retentionNames, c.Retention, "retention")
	storage, err2 := name(storageNames, c.Storage, "storage")
	discard, err3 := name(discardNames, c.Discard, "discard")
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	subjects := c.Subjects
	if subjects == nil {
		subjects = []string{}
	}
	return obj{
		"config": obj{
			"name":                 c.Name,
			"subjects":             subjects,
			"retention":            retention,
			"storage":              storage,
			"replicas":             value(c.Replicas),
			"max_msgs":             c.MaxMsgs,
			"max_bytes":            c.MaxBytes,
			"max_age_ms":           millis(c.MaxAge),
			"max_msg_size":         int64(c.MaxMsgSize),
			"max_msgs_per_subject": c.MaxMsgsPerSubject,
			"discard":              discard,
			"duplicate_window_ms":  millis(c.DuplicateWindow),
			"description":          orNull(c.Description),
		},
		"state": obj{
			"messages":  s.Messages,
			"bytes":     s.Bytes,
			"first_seq": s.FirstSequence,
			"last_seq":  s.LastSequence,
			"consumers": s.Consumers,
		},
	}, nil
}

// consumerConfig is a consumer configuration as the server reported it.
func consumerConfig(c *jb.ConsumerConfig) (obj, error) {
	ack, err1 := name(ackNames, c.AckPolicy, "ack policy")
	replay, err2 := name(replayNames, c.Replay, "replay speed")
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	var startSeq any
	if seq, ok := c.Start.Sequence(); ok {
		startSeq = seq
	}
	_, hasTime := c.Start.Time()
	backoff := make([]any, len(c.Backoff))
	for i, d := range c.Backoff {
		backoff[i] = millis(d)
	}
	filters := c.FilterSubjects
	if filters == nil {
		filters = []string{}
	}
	return obj{
		"durable_name":          value(c.Durable),
		"description":           orNull(c.Description),
		"deliver_policy":        c.Start.Policy(),
		"opt_start_seq":         startSeq,
		"has_start_time":        hasTime,
		"ack_policy":            ack,
		"ack_wait_ms":           optMillis(c.AckWait),
		"max_deliver":           value(c.MaxDeliver),
		"backoff_ms":            backoff,
		"max_ack_pending":       positive(c.MaxAckPending),
		"filter_subjects":       filters,
		"replay_policy":         replay,
		"inactive_threshold_ms": optMillis(c.InactiveThreshold),
		"replicas":              c.Replicas,
		"memory_storage":        c.MemoryStorage,
		"rate_limit_bps":        positive(c.RateLimitBps),
		"max_waiting":           positive(c.MaxWaiting),
		"push":                  c.DeliverSubject != "",
		"deliver_group":         orNull(c.DeliverGroup),
		"flow_control":          c.FlowControl,
		"idle_heartbeat_ms":     optMillis(c.IdleHeartbeat),
	}, nil
}

// consumerName is a consumer's name as printed: ephemeral names are generated, so hidden.
func consumerName(durable bool, name string) string {
	if durable {
		return name
	}
	return "<ephemeral>"
}

func consumerState(info *jb.ConsumerInfo) obj {
	return obj{
		"delivered_consumer_seq": info.Delivered.ConsumerSeq,
		"delivered_stream_seq":   info.Delivered.StreamSeq,
		"ack_floor_consumer_seq": info.AckFloor.ConsumerSeq,
		"ack_floor_stream_seq":   info.AckFloor.StreamSeq,
		"num_ack_pending":        info.NumAckPending,
		"num_redelivered":        info.NumRedelivered,
		"num_pending":            info.NumPending,
	}
}

// consumerInfo is a consumer's configuration and progress (num_waiting is left out: timing).
func consumerInfo(info *jb.ConsumerInfo) (obj, error) {
	cfg, err := consumerConfig(&info.Config)
	if err != nil {
		return nil, err
	}
	return obj{
		"stream": info.Stream,
		"name":   consumerName(info.Config.Durable != nil, info.Name),
		"config": cfg,
		"state":  consumerState(info),
	}, nil
}

func flushReport(r *jb.FlushReport) obj {
	failures := make([]any, len(r.Failures))
	for i, f := range r.Failures {
		failures[i] = obj{
			"ticket":  f.Ticket,
			"msg_id":  msgID(f.MsgID),
			"subject": f.Subject,
			"error":   kindName(f.Err),
		}
	}
	return obj{"acked": r.Acked, "duplicates": r.Duplicates, "failures": failures}
}

// kindName is the error kind of one message's failure inside a result.
func kindName(err error) string {
	var je *jb.Error
	if errors.As(err, &je) {
		logf("  item error: %v\n  item error %%#v: %#v", err, err)
		return je.Code.Name()
	}
	logf("  item runner error: %v (%#v)", err, err)
	return "RUNNER"
}

func counters(c jb.Counters) obj {
	return obj{
		"published":               c.Published,
		"acked":                   c.Acked,
		"duplicates":              c.Duplicates,
		"retries":                 c.Retries,
		"unknown_outcomes":        c.UnknownOutcomes,
		"rejected":                c.Rejected,
		"delivered":               c.Delivered,
		"redelivered":             c.Redelivered,
		"acks_sent":               c.AcksSent,
		"heartbeat_misses":        c.HeartbeatMisses,
		"reconnects":              c.Reconnects,
		"consumer_recreations":    c.ConsumerRecreations,
		"redeliveries_suppressed": c.RedeliveriesSuppressed,
	}
}
