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
	"reflect"
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

func pubAck(a *jb.PubAck) obj {
	return obj{"stream": a.Stream, "seq": a.Sequence, "duplicate": a.Duplicate, "msg_id": msgID(a.MsgID)}
}

func message(m jb.Msg) obj {
	id, _ := m.MsgID()
	return obj{
		"stream":        m.Stream(),
		"seq":           m.StreamSeq(),
		"consumer_seq":  m.ConsumerSeq(),
		"subject":       m.Subject(),
		"data":          data(m.Data()),
		"delivered":     m.Delivered(),
		"pending":       m.Pending(),
		"headers":       headers(m.HeaderFields()),
		"msg_id":        msgID(id),
		"has_timestamp": m.Timestamp().UnixNano() > 0,
	}
}

func messages(batch []jb.Msg) obj {
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

// streamInfo is STREAM_INFO: the configuration printed by record.
func streamInfo(info *jb.StreamInfo) obj {
	s := &info.State
	return obj{
		"config": record(info.Config),
		"state": obj{
			"messages":  s.Messages,
			"bytes":     s.Bytes,
			"first_seq": s.FirstSequence,
			"last_seq":  s.LastSequence,
			"consumers": s.Consumers,
		},
	}
}

// consumerConfig is CONFIG: the configuration printed by record, except the
// start position, printed as deliver_policy, opt_start_seq and
// has_start_time, and deliver_subject, printed as push (whether it is set).
func consumerConfig(c *jb.ConsumerConfig) obj {
	out := record(*c, "start", "deliver_subject")
	var seq any
	if n, ok := c.Start.Sequence(); ok {
		seq = n
	}
	_, hasTime := c.Start.Time()
	out["deliver_policy"], out["opt_start_seq"], out["has_start_time"] = c.Start.Policy(), seq, hasTime
	out["push"] = c.DeliverSubject != nil
	return out
}

// plain is a field's value as the canonical writer takes it: a nil pointer
// as nil, a duration as whole milliseconds, a time as Unix nanoseconds, a
// list element by element, a map (text keys) value by value.
func plain(v reflect.Value) any {
	if v.Type() == durationType {
		return millis(time.Duration(v.Int()))
	}
	if v.Type() == timeType {
		return v.Interface().(time.Time).UnixNano()
	}
	switch v.Kind() {
	case reflect.Struct: // a nested declared type
		return record(v.Interface())
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return plain(v.Elem())
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = plain(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := obj{}
		for it := v.MapRange(); it.Next(); {
			out[it.Key().String()] = plain(it.Value())
		}
		return out
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint64:
		return v.Uint()
	}
	panic(fmt.Sprintf("cannot print a %s", v.Type()))
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
func consumerInfo(info *jb.ConsumerInfo) obj {
	return obj{
		"stream": info.Stream,
		"name":   consumerName(info.Config.DurableName != nil, info.Name),
		"config": consumerConfig(&info.Config),
		"state":  consumerState(info),
	}
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
