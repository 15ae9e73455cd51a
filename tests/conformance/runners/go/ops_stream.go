package main

// Stream administration: create, update, info, delete, purge, list, get (by
// sequence, last or next on a subject, a batch) and delete a message; the
// account's usage and limits.

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

func opGetNextMessage(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	subject, err := a.requiredStr("subject")
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
	m, err := c.GetNextMessage(ctx, stream, subject, seq)
	if err != nil {
		return nil, err
	}
	return stored(m), nil
}

// opGetMessages: a batch read, its GetMessagesOptions read from the
// arguments (recordArg) -> STORED_LIST.
func opGetMessages(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	o, err := recordArg[jb.GetMessagesOptions](a)
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	list, err := c.GetMessages(ctx, stream, o)
	if err != nil {
		return nil, err
	}
	messages := make([]any, len(list))
	for i, m := range list {
		messages[i] = stored(m)
	}
	return obj{"count": len(list), "messages": messages}, nil
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

// opListStreams -> {"names": [...]}, in the order Client.ListStreams gives;
// `subject` (optional) is the filter ("" without it, so an explicit "" is
// UNSUPPORTED: nonEmpty).
func opListStreams(ctx context.Context, st *state, a *args) (obj, error) {
	var subject string
	if err := nonEmpty(a, "subject", &subject); err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	infos, err := c.ListStreams(ctx, subject)
	if err != nil {
		return nil, err
	}
	names := make([]any, len(infos))
	for i, info := range infos {
		names[i] = info.Config.Name
	}
	return obj{"names": names}, nil
}

// opListConsumers -> {"names": [...]}, in the order Client.ListConsumers gives.
func opListConsumers(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	infos, err := c.ListConsumers(ctx, stream)
	if err != nil {
		return nil, err
	}
	names := make([]any, len(infos))
	for i, info := range infos {
		names[i] = info.Name
	}
	return obj{"names": names}, nil
}

// opDeleteMessage -> {}; `erase` defaults to false.
func opDeleteMessage(ctx context.Context, st *state, a *args) (obj, error) {
	stream, err := a.requiredStr("stream")
	if err != nil {
		return nil, err
	}
	seq, err := a.requiredU64("seq")
	if err != nil {
		return nil, err
	}
	erase, _, err := a.boolean("erase")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return obj{}, c.DeleteMessage(ctx, stream, seq, erase)
}

// opAccountInfo -> ACCOUNT_INFO: the generated AccountInfo printed by
// record, without api_total and api_errors (each language makes its own
// number of requests).
func opAccountInfo(ctx context.Context, st *state, a *args) (obj, error) {
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	info, err := c.AccountInfo(ctx)
	if err != nil {
		return nil, err
	}
	return record(*info, "api_total", "api_errors"), nil
}
