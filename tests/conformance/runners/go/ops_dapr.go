package main

// Dapr metadata: dapr_config prints what a metadata map configures;
// dapr_subscribe subscribes the way the Dapr component does.

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
		"connect": obj{
			"servers":         info.Servers,
			"name":            orNull(info.Name),
			"auth":            info.Auth,
			"tls_client_cert": info.TLSClientCert,
			"js_api_prefix":   info.JSAPIPrefix,
		},
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
