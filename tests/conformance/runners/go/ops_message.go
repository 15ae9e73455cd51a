package main

// Acks: {from: alias, seq: N} names the latest delivery of stream sequence N
// received from that consumer or stream. Ack, Nak, Term and InProgress are
// queued by the core (fire and forget); AckSync waits for the server.

import (
	"context"

	jb "github.com/jetbridge/jetbridge-go"
)

func target(st *state, a *args) (jb.Msg, error) {
	from, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	seq, err := a.requiredU64("seq")
	if err != nil {
		return nil, err
	}
	return st.message(from, seq)
}

// opAck acks; `awaited: true` is the same plain Ack (Go's ack has no
// awaitable form: AckSync is the confirmed one).
func opAck(ctx context.Context, st *state, a *args) (obj, error) {
	if _, _, err := a.boolean("awaited"); err != nil {
		return nil, err
	}
	m, err := target(st, a)
	if err != nil {
		return nil, err
	}
	return obj{}, m.Ack()
}

func opNak(ctx context.Context, st *state, a *args) (obj, error) {
	delay, _, err := a.millis("delay_ms")
	if err != nil {
		return nil, err
	}
	m, err := target(st, a)
	if err != nil {
		return nil, err
	}
	return obj{}, m.Nak(delay)
}

func opTerm(ctx context.Context, st *state, a *args) (obj, error) {
	reason, _, err := a.str("reason")
	if err != nil {
		return nil, err
	}
	m, err := target(st, a)
	if err != nil {
		return nil, err
	}
	return obj{}, m.Term(reason)
}

func opInProgress(ctx context.Context, st *state, a *args) (obj, error) {
	m, err := target(st, a)
	if err != nil {
		return nil, err
	}
	return obj{}, m.InProgress()
}

// opAckSync returns once the server confirmed the ack.
func opAckSync(ctx context.Context, st *state, a *args) (obj, error) {
	m, err := target(st, a)
	if err != nil {
		return nil, err
	}
	return obj{}, m.AckSync(ctx)
}
