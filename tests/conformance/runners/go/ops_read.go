package main

// Reading a delivered message as a user would (SPEC.md §4.5): its headers
// through the binding's Header type (Has, Get, Values) and its trace
// context through Msg.TraceContext.

import (
	"context"
)

// opReadHeaders looks each of `names` up in the message's Header.
func opReadHeaders(ctx context.Context, st *state, a *args) (obj, error) {
	names, ok, err := a.strings("names")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, a.missing("names")
	}
	m, err := target(st, a)
	if err != nil {
		return nil, err
	}
	h := m.Headers()
	out := make([]any, len(names))
	for i, name := range names {
		entry := obj{"name": name, "has": h.Has(name), "first": nil, "all": []any{}}
		if h.Has(name) {
			entry["first"] = h.Get(name)
			all := make([]any, 0, len(h.Values(name)))
			for _, v := range h.Values(name) {
				all = append(all, v)
			}
			entry["all"] = all
		}
		out[i] = entry
	}
	return obj{"headers": out}, nil
}

// opTraceContext prints the core's TraceContext of the message, or null.
func opTraceContext(ctx context.Context, st *state, a *args) (obj, error) {
	m, err := target(st, a)
	if err != nil {
		return nil, err
	}
	tc := m.TraceContext()
	if tc == nil {
		return obj{"trace": nil}, nil
	}
	var state any
	if tc.Tracestate != nil {
		state = *tc.Tracestate
	}
	return obj{"trace": obj{"trace_id": tc.TraceId, "span_id": tc.SpanId, "sampled": tc.Sampled,
		"traceparent": tc.Traceparent, "tracestate": state}}, nil
}
