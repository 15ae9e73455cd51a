package main

// publish, publish_many, publish_batch and the pipelined publisher.

import (
	"bytes"
	"context"

	jb "github.com/jetbridge/jetbridge-go"
)

// publishMessage is a message of the binding from its scenario description:
// subject, data (text, default empty) or data_size (that many x bytes),
// headers, msg_id, expect.
func publishMessage(a *args) (jb.PublishMessage, error) {
	var m jb.PublishMessage
	text, hasText, err := a.str("data")
	if err != nil {
		return m, err
	}
	size, hasSize, err := a.u64("data_size")
	if err != nil {
		return m, err
	}
	if hasText && hasSize {
		return m, runnerError("give data or data_size, not both")
	}
	if hasSize {
		m.Data = bytes.Repeat([]byte("x"), int(size))
	} else {
		m.Data = []byte(text)
	}
	if m.Subject, err = a.requiredStr("subject"); err != nil {
		return m, err
	}
	pairs, _, err := a.pairs("headers")
	if err != nil {
		return m, err
	}
	for _, p := range pairs {
		m.Headers = append(m.Headers, jb.HeaderField{Name: p[0], Value: p[1]})
	}
	if err := optionalStr(a, "msg_id", &m.MsgID); err != nil {
		return m, err
	}
	if m.TTL, _, err = a.millis("ttl_ms"); err != nil {
		return m, err
	}
	e, err := a.object("expect")
	if err != nil || e == nil {
		return m, err
	}
	if err := nonEmpty(e, "stream", &m.Expect.Stream); err != nil {
		return m, err
	}
	if err := nonEmpty(e, "last_msg_id", &m.Expect.LastMsgID); err != nil {
		return m, err
	}
	for key, dst := range map[string]**uint64{
		"last_sequence": &m.Expect.LastSequence, "last_subject_sequence": &m.Expect.LastSubjectSequence,
	} {
		n, ok, err := e.u64(key)
		if err != nil {
			return m, err
		}
		if ok {
			*dst = &n
		}
	}
	return m, nil
}

func messageList(a *args) ([]jb.PublishMessage, error) {
	list, err := a.objects("messages")
	if err != nil {
		return nil, err
	}
	out := make([]jb.PublishMessage, len(list))
	for i, m := range list {
		if out[i], err = publishMessage(m); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func opPublish(ctx context.Context, st *state, a *args) (obj, error) {
	m, err := publishMessage(a)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	ack, err := c.PublishMsg(ctx, m)
	if err != nil {
		return nil, err
	}
	return pubAck(ack), nil
}

func opPublishMany(ctx context.Context, st *state, a *args) (obj, error) {
	msgs, err := messageList(a)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	outcomes, err := c.PublishMany(ctx, msgs)
	if err != nil {
		return nil, err
	}
	results := make([]any, len(outcomes))
	for i, o := range outcomes {
		if o.Err != nil {
			results[i] = obj{"error": kindName(o.Err)}
		} else {
			results[i] = pubAck(o.Ack)
		}
	}
	return obj{"results": results}, nil
}

// opPublishBatch sends messages, repeat times over (default 1), as one
// atomic batch and prints the stream, the last sequence and the count (the
// batch id is generated, never printed).
func opPublishBatch(ctx context.Context, st *state, a *args) (obj, error) {
	msgs, err := messageList(a)
	if err != nil {
		return nil, err
	}
	repeat, ok, err := a.u64("repeat")
	if err != nil {
		return nil, err
	}
	if !ok {
		repeat = 1
	}
	batch := make([]jb.PublishMessage, 0, len(msgs)*int(repeat))
	for range repeat {
		batch = append(batch, msgs...)
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	ack, err := c.PublishBatch(ctx, batch)
	if err != nil {
		return nil, err
	}
	return obj{"stream": ack.Stream, "seq": ack.Sequence, "count": ack.Count}, nil
}

func opPublisherOpen(ctx context.Context, st *state, a *args) (obj, error) {
	o, err := recordArg[jb.PublisherOptions](a)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	p, err := c.NewPublisher(o)
	if err != nil {
		return nil, err
	}
	st.publisher = p
	return record(p.Options()), nil
}

func opPublisherPublish(ctx context.Context, st *state, a *args) (obj, error) {
	m, err := publishMessage(a)
	if err != nil {
		return nil, err
	}
	p, err := st.getPublisher()
	if err != nil {
		return nil, err
	}
	ticket, err := p.Publish(ctx, m)
	if err != nil {
		return nil, err
	}
	return obj{"ticket": ticket}, nil
}

func opPublisherPublishMany(ctx context.Context, st *state, a *args) (obj, error) {
	msgs, err := messageList(a)
	if err != nil {
		return nil, err
	}
	p, err := st.getPublisher()
	if err != nil {
		return nil, err
	}
	tickets, err := p.PublishMany(ctx, msgs)
	if err != nil {
		return nil, err
	}
	if tickets == nil {
		tickets = []uint64{}
	}
	return obj{"tickets": tickets}, nil
}

func opPublisherFlush(ctx context.Context, st *state, a *args) (obj, error) {
	p, err := st.getPublisher()
	if err != nil {
		return nil, err
	}
	r, err := p.Flush(ctx)
	if err != nil {
		return nil, err
	}
	return flushReport(r), nil
}

func opPublisherClose(ctx context.Context, st *state, a *args) (obj, error) {
	p, err := st.getPublisher()
	if err != nil {
		return nil, err
	}
	r, err := p.Close()
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, runnerError("the publisher was closed before")
	}
	return flushReport(r), nil
}
