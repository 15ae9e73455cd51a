package main

// Stream administration: create, update, info, delete, purge, get message.

import (
	"context"

	jb "github.com/jetbridge/jetbridge-go"
)

func opCreateStream(ctx context.Context, st *state, a *args) (obj, error) {
	return streamCall(ctx, st, a, (*jb.Client).CreateStream)
}

func opUpdateStream(ctx context.Context, st *state, a *args) (obj, error) {
	return streamCall(ctx, st, a, (*jb.Client).UpdateStream)
}

func streamCall(ctx context.Context, st *state, a *args,
	f func(*jb.Client, context.Context, jb.StreamConfig) (*jb.StreamInfo, error)) (obj, error) {
	cfg, err := recordArg[jb.StreamConfig](a)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	info, err := f(c, ctx, cfg)
	if err != nil {
		return nil, err
	}
	return streamInfo(info), nil
}

func opStreamInfo(ctx context.Context, st *state, a *args) (obj, error) {
	name, err := a.requiredStr("name")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	info, err := c.StreamInfo(ctx, name)
	if err != nil {
		return nil, err
	}
	return streamInfo(info), nil
}

func opDeleteStream(ctx context.Context, st *state, a *args) (obj, error) {
	name, err := a.requiredStr("name")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return obj{}, c.DeleteStream(ctx, name)
}

func opPurgeStream(ctx context.Context, st *state, a *args) (obj, error) {
	name, err := a.requiredStr("name")
	if err != nil {
		return nil, err
	}
	o, err := recordArg[jb.PurgeOptions](a)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	n, err := c.PurgeStream(ctx, name, o)
	if err != nil {
		return nil, err
	}
	return obj{"purged": n}, nil
}

func opGetMessage(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	seq, err := a.requiredU64("seq")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	m, err := c.GetMessage(ctx, stream, seq)
	if err != nil {
		return nil, err
	}
	return stored(m), nil
}

func opGetLastMessage(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	subject, err := a.requiredStr("subject")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	m, err := c.GetLastMessage(ctx, stream, subject)
	if err != nil {
		return nil, err
	}
	return stored(m), nil
}

func opStreamBySubject(ctx context.Context, st *state, a *args) (obj, error) {
	subject, err := a.requiredStr("subject")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	name, err := c.StreamBySubject(ctx, subject)
	if err != nil {
		return nil, err
	}
	return obj{"stream": name}, nil
}
