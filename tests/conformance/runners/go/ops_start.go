package main

// Start positions: {policy: all | last | last_per_subject | new | sequence |
// time, seq, after_seq, time_ns}. `time` with `after_seq` reads stored
// message N of the stream and starts 1 ns after its timestamp.

import (
	"context"
	"time"

	jb "github.com/jetbridge/jetbridge-go"
)

var namedStarts = map[string]jb.StartPosition{
	"all": jb.StartAll, "last": jb.StartLast, "last_per_subject": jb.StartLastPerSubject, "new": jb.StartNew,
}

// startPosition is the binding's StartPosition from a START object.
func startPosition(ctx context.Context, st *state, stream string, a *args) (jb.StartPosition, error) {
	policy, err := a.requiredStr("policy")
	if err != nil {
		return jb.StartAll, err
	}
	if s, ok := namedStarts[policy]; ok {
		return s, nil
	}
	switch policy {
	case "sequence":
		seq, err := a.requiredU64("seq")
		return jb.StartAtSequence(seq), err
	case "time":
		afterSeq, hasAfter, err := a.u64("after_seq")
		if err != nil {
			return jb.StartAll, err
		}
		timeNs, hasTime, err := a.i64("time_ns")
		if err != nil {
			return jb.StartAll, err
		}
		switch {
		case hasAfter && !hasTime:
			c, err := st.getClient()
			if err != nil {
				return jb.StartAll, err
			}
			m, err := c.GetMessage(ctx, stream, afterSeq)
			if err != nil {
				return jb.StartAll, err
			}
			return jb.StartAtTime(time.Unix(0, m.Timestamp.UnixNano()+1)), nil
		case hasTime && !hasAfter:
			return jb.StartAtTime(time.Unix(0, timeNs)), nil
		default:
			return jb.StartAll, runnerError("start time needs exactly one of after_seq, time_ns")
		}
	}
	return jb.StartAll, unsupported("start policy %q", policy)
}
