package main

// Dapr metadata: dapr_config prints what a metadata map configures;
// dapr_subscribe subscribes the way the Dapr component does.

import (
	"context"

	jb "example.invalid/jetbridge/bindings-c/go"
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

// opDaprConfig parses the metadata; printing what it configures needs
// accessors that neither the Go package nor the C ABI under it has (a parse
// error still prints its kind).
func opDaprConfig(ctx context.Context, st *state, a *args) (obj, error) {
	cfg, err := parseDapr(a)
	if err != nil {
		return nil, err
	}
	_ = cfg.Close()
	return nil, unsupported("dapr_config: the Go binding's DaprConfig (and the C ABI's jb_dapr_config) has no accessors for what it configures")
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
