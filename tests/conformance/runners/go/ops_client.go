package main

// connect, close, drain, client_info, counters, sleep.

import (
	"context"
	"fmt"
	"time"

	jb "github.com/jetbridge/jetbridge-go"
)

// opConnect replaces the client on success; a failed connect keeps the old
// one. Writes the options (or Dapr config) and the client with %#v to stderr
// (secret hygiene, SPEC.md §7: the binding's Options redact themselves).
func opConnect(ctx context.Context, st *state, a *args) (obj, error) {
	metadata, isDapr, err := a.stringMap("dapr")
	if err != nil {
		return nil, err
	}
	var client *jb.Client
	if isDapr {
		cfg, err := jb.NewDaprConfig(metadata)
		if err != nil {
			return nil, err
		}
		defer cfg.Close()
		logf("  dapr config: %#v", cfg)
		if client, err = jb.ConnectDapr(ctx, cfg); err != nil {
			return nil, err
		}
	} else {
		o, err := connectOptions(a)
		if err != nil {
			return nil, err
		}
		logf("  options: %#v", o)
		logf("  options shape: %s", describeOptions(o))
		if client, err = jb.Connect(ctx, o); err != nil {
			return nil, err
		}
	}
	logf("  client: %#v", client)
	st.client = client
	return obj{}, nil
}

// describeOptions is what the connect options hold, without a secret: the
// server count, the name, which credential fields are set (never their
// values), the TLS flags and PEM paths (paths are not secrets).
func describeOptions(o jb.Options) string {
	var auth []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"token", o.Token != ""}, {"user", o.User != ""}, {"password", o.Password != ""},
		{"nkey_seed", o.NKeySeed != ""}, {"jwt", o.JWT != ""}, {"jwt_seed", o.JWTSeed != ""},
		{"creds_file", o.CredsFile != ""},
	} {
		if f.set {
			auth = append(auth, f.name)
		}
	}
	return fmt.Sprintf("{servers: %d, name: %q, auth: %v, tls_required: %v, tls_handshake_first: %v, "+
		"tls_ca_file: %q, tls_client_cert: %q, tls_client_key: %q, connect_timeout: %v}",
		len(o.Servers), o.Name, auth, o.TLSRequired, o.TLSHandshakeFirst,
		o.TLSCAFile, o.TLSClientCert, o.TLSClientKey, value(o.ConnectTimeout))
}

// connectOptions are the binding's Options from servers, name, credentials, tls, connect_timeout_ms.
func connectOptions(a *args) (jb.Options, error) {
	var o jb.Options
	servers, ok, err := a.strings("servers")
	if err != nil {
		return o, err
	}
	if !ok {
		url, err := substitute("${JB_URL}")
		if err != nil {
			return o, err
		}
		servers = []string{url}
	}
	o.Servers = servers
	if o.Name, _, err = a.str("name"); err != nil {
		return o, err
	}
	if err := setCredentials(&o, a); err != nil {
		return o, err
	}
	if err := setTLS(&o, a); err != nil {
		return o, err
	}
	return o, optionalMillis(a, "connect_timeout_ms", &o.ConnectTimeout)
}

// opClose: the client stays in place so that later steps see CLOSED.
func opClose(ctx context.Context, st *state, a *args) (obj, error) {
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return obj{}, c.Close()
}

// opDrain: Client.Drain with a ctx whose deadline is timeout_ms when given
// (else none: the core's default); the client stays in place so that later
// steps see CLOSED. An explicit 0 cannot be given: a ctx already past its
// deadline starts nothing.
func opDrain(ctx context.Context, st *state, a *args) (obj, error) {
	timeout, has, err := a.millis("timeout_ms")
	if err != nil {
		return nil, err
	}
	if has && timeout == 0 {
		return nil, unsupported("drain timeout_ms 0: a Go context already past its deadline starts nothing")
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	if has {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	return obj{}, c.Drain(ctx)
}

// opFlushAcks: Client.FlushAcks; `confirm` defaults to false.
func opFlushAcks(ctx context.Context, st *state, a *args) (obj, error) {
	confirm, _, err := a.boolean("confirm")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return obj{}, c.FlushAcks(ctx, confirm)
}

func opClientInfo(ctx context.Context, st *state, a *args) (obj, error) {
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	cs, err := c.ConnectionState()
	if err != nil {
		return nil, err
	}
	maxPayload, err := c.MaxPayload()
	if err != nil {
		return nil, err
	}
	return obj{"connected": cs.Connected, "closed": cs.Closed, "max_payload": maxPayload}, nil
}

func opCounters(ctx context.Context, st *state, a *args) (obj, error) {
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	k, err := c.Counters()
	if err != nil {
		return nil, err
	}
	return counters(k), nil
}

func opSleep(ctx context.Context, st *state, a *args) (obj, error) {
	d, _, err := a.millis("ms")
	if err != nil {
		return nil, err
	}
	time.Sleep(d)
	return obj{}, nil
}
