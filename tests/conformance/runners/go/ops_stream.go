package main

// Stream administration: create, update, info, delete, purge, get message.

import (
	"context"

	jb "github.com/jetbridge/jetbridge-go"
)

// choice maps a string argument through names; an unknown value is UNSUPPORTED.
func choice[T any](a *args, key string, names map[string]T, dst *T) error {
	v, ok, err := a.str(key)
	if err != nil || !ok {
		return err
	}
	x, known := names[v]
	if !known {
		return unsupported("%s %q", key, v)
	}
	*dst = x
	return nil
}

// streamConfig is a StreamConfig of the binding from the step's arguments.
func streamConfig(a *args) (jb.StreamConfig, error) {
	var c jb.StreamConfig
	var err error
	if c.Name, err = a.requiredStr("name"); err != nil {
		return c, err
	}
	if c.Subjects, _, err = a.strings("subjects"); err != nil {
		return c, err
	}
	steps := []func() error{
		func() error {
			return choice(a, "storage", map[string]jb.Storage{"file": jb.StorageFile, "memory": jb.StorageMemory}, &c.Storage)
		},
		func() error {
			return choice(a, "retention", map[string]jb.Retention{
				"limits": jb.RetentionLimits, "interest": jb.RetentionInterest, "workqueue": jb.RetentionWorkQueue,
			}, &c.Retention)
		},
		func() error {
			return choice(a, "discard", map[string]jb.Discard{"old": jb.DiscardOld, "new": jb.DiscardNew}, &c.Discard)
		},
		func() error { return optional(a, "replicas", &c.Replicas) },
		func() error { return nonZero(a, "max_msgs", &c.MaxMsgs) },
		func() error { return nonZero(a, "max_bytes", &c.MaxBytes) },
		func() error { return nonZero(a, "max_msgs_per_subject", &c.MaxMsgsPerSubject) },
		func() error { return nonZero(a, "max_msg_size", &c.MaxMsgSize) },
		func() (err error) { c.MaxAge, _, err = a.millis("max_age_ms"); return },
		func() (err error) { c.DuplicateWindow, _, err = a.millis("duplicate_window_ms"); return },
		func() error { return nonEmpty(a, "description", &c.Description) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return c, err
		}
	}
	return c, nil
}

func opCreateStream(ctx context.Context, st *state, a *args) (obj, error) {
	return streamCall(ctx, st, a, (*jb.Client).CreateStream)
}

func opUpdateStream(ctx context.Context, st *state, a *args) (obj, error) {
	return streamCall(ctx, st, a, (*jb.Client).UpdateStream)
}

func streamCall(ctx context.Context, st *state, a *args,
	f func(*jb.Client, context.Context, jb.StreamConfig) (*jb.StreamInfo, error)) (obj, error) {
	cfg, err := streamConfig(a)
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
	return streamInfo(info)
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
	return streamInfo(info)
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
	var o jb.PurgeOptions
	if o.Subject, _, err = a.str("subject"); err != nil {
		return nil, err
	}
	for key, dst := range map[string]*uint64{"up_to_sequence": &o.UpToSequence, "keep": &o.Keep} {
		n, ok, err := a.u64(key)
		if err != nil {
			return nil, err
		}
		if ok && n == 0 {
			return nil, unsupported("%s 0: the Go binding's zero means not set", key)
		}
		*dst = n
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
