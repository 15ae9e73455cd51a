package main

// Dapr metadata: dapr_config prints what a metadata map configures;
// dapr_subscribe subscribes the way the Dapr component does;
// dapr_state_config, dapr_state_open and dapr_state_key do the same for the
// state.jetstream component.

import (
	"context"

	jb "github.com/jetbridge/jetbridge-go"
)

// parseDapr parses the `metadata` argument and logs the config (secret hygiene, SPEC.md §7).
func parseDapr(a *args) (*jb.DaprConfig, error) {
	metadata, ok, err := a.stringMap("metadata")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, runnerError("argument metadata is required")
	}
	cfg, err := jb.NewDaprConfig(metadata)
	if err != nil {
		return nil, err
	}
	logf("  dapr config: %#v", cfg)
	return cfg, nil
}

// connectSummary is DAPR's `connect`: server URLs counted, never printed;
// secrets never printed.
func connectSummary(servers int, name, auth string, tlsClientCert bool, jsAPIPrefix string) obj {
	return obj{
		"servers":         servers,
		"name":            orNull(name),
		"auth":            auth,
		"tls_client_cert": tlsClientCert,
		"js_api_prefix":   jsAPIPrefix,
	}
}

// opDaprConfig prints what the metadata configures, normalised: servers
// counted, the auth mode named, never a secret.
func opDaprConfig(ctx context.Context, st *state, a *args) (obj, error) {
	cfg, err := parseDapr(a)
	if err != nil {
		return nil, err
	}
	defer cfg.Close()
	info, err := cfg.Info()
	if err != nil {
		return nil, err
	}
	var startTimeNs any
	if t, ok := info.Consumer.Start.Time(); ok {
		startTimeNs = t.UnixNano()
	}
	return obj{
		"connect": connectSummary(info.Servers, info.Name, info.Auth, info.TLSClientCert, info.JSAPIPrefix),
		"subscription": obj{
			"stream_name":   orNull(info.StreamName),
			"concurrency":   info.Concurrency,
			"start_time_ns": startTimeNs,
			"consumer":      consumerConfig(&info.Consumer),
		},
	}, nil
}

// opDaprSubscribe subscribes to `topic` on the current client with the
// metadata's subscription options, stored as `as`.
func opDaprSubscribe(ctx context.Context, st *state, a *args) (obj, error) {
	cfg, err := parseDapr(a)
	if err != nil {
		return nil, err
	}
	defer cfg.Close()
	topic, err := a.requiredStr("topic")
	if err != nil {
		return nil, err
	}
	alias, err := a.requiredStr("as")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	sub, err := c.DaprSubscribe(ctx, topic, cfg)
	if err != nil {
		return nil, err
	}
	st.streams[alias] = sub
	return obj{}, nil
}

// parseDaprState parses the `metadata` argument as state.jetstream metadata
// and logs the config (secret hygiene, SPEC.md §7).
func parseDaprState(a *args) (*jb.DaprStateConfig, error) {
	metadata, ok, err := a.stringMap("metadata")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, runnerError("argument metadata is required")
	}
	cfg, err := jb.NewDaprStateConfig(metadata)
	if err != nil {
		return nil, err
	}
	logf("  dapr state config: %#v", cfg)
	return cfg, nil
}

// opDaprStateConfig: DAPR_STATE.
func opDaprStateConfig(ctx context.Context, st *state, a *args) (obj, error) {
	cfg, err := parseDaprState(a)
	if err != nil {
		return nil, err
	}
	defer cfg.Close()
	info, err := cfg.Info()
	if err != nil {
		return nil, err
	}
	return obj{
		"connect": connectSummary(info.Servers, info.Name, info.Auth, info.TLSClientCert, info.JSAPIPrefix),
		"bucket":  cfg.Bucket,
	}, nil
}

// opDaprStateOpen opens the metadata's bucket on the current client (never
// creating it), stored as `as` (default: the bucket's name).
func opDaprStateOpen(ctx context.Context, st *state, a *args) (obj, error) {
	cfg, err := parseDaprState(a)
	if err != nil {
		return nil, err
	}
	defer cfg.Close()
	alias, ok, err := a.str("as")
	if err != nil {
		return nil, err
	}
	if !ok {
		alias = cfg.Bucket
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	kv, err := c.KeyValue(ctx, cfg.Bucket)
	if err != nil {
		return nil, err
	}
	st.kvs[alias] = kv
	return obj{"bucket": cfg.Bucket}, nil
}

// opDaprStateKey: the bucket key the component stores a Dapr state `key` under.
func opDaprStateKey(ctx context.Context, st *state, a *args) (obj, error) {
	key, err := a.requiredStr("key")
	if err != nil {
		return nil, err
	}
	escaped, err := jb.DaprStateKey(key)
	if err != nil {
		return nil, err
	}
	return obj{"key": escaped}, nil
}
