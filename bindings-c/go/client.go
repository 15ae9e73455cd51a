package jetbridge

/*
#include "shim.h"
#include <stdlib.h>
*/
import "C"

import (
	"context"
	"runtime"
	"time"
	"unsafe"
)

// Options configure Connect. The zero value connects to
// nats://127.0.0.1:4222 with the core's defaults; set at most one auth mode
// (Token; User+Password; NKeySeed; JWT+JWTSeed; CredsFile).
type Options struct {
	Servers []string
	Name    string

	Token     string
	User      string
	Password  string
	NKeySeed  string
	JWT       string
	JWTSeed   string
	CredsFile string

	TLSRequired       bool
	TLSCAFile         string
	TLSClientCert     string
	TLSClientKey      string
	TLSHandshakeFirst bool

	// Optional (nil = the core's default, as jb_connect_options_default
	// fills it; a value is sent as given, 0 included, and checked as in
	// every language). MaxReconnects after a lost connection; timeouts and
	// the ping interval must be greater than zero; a zero retry budget means
	// no publish retries.
	MaxReconnects      *int
	ConnectTimeout     *time.Duration
	RequestTimeout     *time.Duration
	PingInterval       *time.Duration
	PublishRetryBudget *time.Duration
	PublishAckTimeout  *time.Duration
	Domain             string
	APIPrefix          string
	InboxPrefix        string
}

// String never shows secrets.
func (o Options) String() string { return "jetbridge.Options{servers redacted, secrets redacted}" }

// GoString never shows secrets (for %#v).
func (o Options) GoString() string { return o.String() }

// Counters since connect: the core's counters, in its order.
type Counters struct {
	Published, Acked, Duplicates, Retries, UnknownOutcomes, Rejected uint64
	Delivered, Redelivered, AcksSent, HeartbeatMisses, Reconnects    uint64
	ConsumerRecreations, RedeliveriesSuppressed                      uint64
}

// ConnectionState is the connection as it is now.
type ConnectionState struct {
	Connected  bool
	Generation uint64
	Closed     bool
}

// Client is a connection to NATS with JetStream. Safe for concurrent use;
// Close it when done.
type Client struct {
	// The C handle, freed by the finalizer only: after Close the library
	// answers CLOSED for it, and a freed handle is INVALID_HANDLE, never
	// undefined behaviour.
	_ptr *C.jb_client
	// name is Options.Name as given to Connect ("" otherwise).
	name string
}

func (o *Options) toC(cs *cstrings) (C.jb_connect_options, error) {
	var c C.jb_connect_options
	C.jb_connect_options_default(&c)
	var err error
	if c.servers, c.servers_len, err = cs.array(o.Servers, "servers"); err != nil {
		return c, err
	}
	fields := []struct {
		dst  **C.char
		v    string
		what string
	}{
		{&c.name, o.Name, "name"}, {&c.token, o.Token, "token"}, {&c.user, o.User, "user"},
		{&c.password, o.Password, "password"}, {&c.nkey_seed, o.NKeySeed, "nkey seed"},
		{&c.jwt, o.JWT, "jwt"}, {&c.jwt_seed, o.JWTSeed, "jwt seed"},
		{&c.creds_file, o.CredsFile, "creds file"}, {&c.tls_ca_file, o.TLSCAFile, "tls ca file"},
		{&c.tls_client_cert, o.TLSClientCert, "tls client cert"},
		{&c.tls_client_key, o.TLSClientKey, "tls client key"}, {&c.domain, o.Domain, "domain"},
		{&c.api_prefix, o.APIPrefix, "api prefix"}, {&c.inbox_prefix, o.InboxPrefix, "inbox prefix"},
	}
	for _, f := range fields {
		if *f.dst, err = cs.opt(f.v, f.what); err != nil {
			return c, err
		}
	}
	c.tls_required = C.bool(o.TLSRequired)
	c.tls_handshake_first = C.bool(o.TLSHandshakeFirst)
	if o.MaxReconnects != nil {
		c.max_reconnects = C.int64_t(*o.MaxReconnects)
	}
	for _, d := range []struct {
		dst  *C.uint64_t
		name string
		v    *time.Duration
	}{
		{&c.connect_timeout_ms, "connect timeout", o.ConnectTimeout},
		{&c.request_timeout_ms, "request timeout", o.RequestTimeout},
		{&c.ping_interval_ms, "ping interval", o.PingInterval},
		{&c.publish_retry_budget_ms, "publish retry budget", o.PublishRetryBudget},
		{&c.publish_ack_timeout_ms, "publish ack timeout", o.PublishAckTimeout},
	} {
		if err := setMillis(d.dst, d.name, d.v); err != nil {
			return c, err
		}
	}
	return c, nil
}

// Connect connects to NATS. Errors: ErrConnection, ErrAuth, ErrTLS,
// ErrTimeout, ErrInvalidArgument (bad option, two auth modes).
func Connect(ctx context.Context, opts Options) (*Client, error) {
	var cs cstrings
	defer cs.free()
	copts, err := opts.toC(&cs)
	if err != nil {
		return nil, err
	}
	r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_connect(&copts, h) }, freeClient)
	if err != nil {
		return nil, err
	}
	c := newClient((*C.jb_client)(r.handle))
	c.name = opts.Name
	return c, nil
}

func freeClient(r asyncResult) { C.jb_client_free((*C.jb_client)(r.handle)) }

func newClient(p *C.jb_client) *Client {
	c := &Client{_ptr: p}
	runtime.SetFinalizer(c, func(c *Client) { C.jb_client_free(c._ptr) }) // safety net only
	return c
}

// with runs f with the handle, keeping the client (and so the handle) alive.
func (c *Client) with(f func(p *C.jb_client) error) error {
	debugGC()
	err := f(c._ptr)
	runtime.KeepAlive(c)
	return err
}

// Close flushes queued acks and publishes and closes the connection.
// Idempotent. Calls on the client, and on publishers, consumers and
// subscriptions made from it, fail with ErrClosed afterwards (Close them too).
func (c *Client) Close() error {
	return c.with(func(p *C.jb_client) error {
		return call(func() C.jb_result { return C.jb_client_close(p) })
	})
}

// Drain shuts the client down gracefully, then closes it: new publishes,
// publishers, fetches and subscriptions fail with ErrClosed at once (acks
// are still accepted), subscriptions stop pulling (what they buffered stays
// readable), and Drain waits until every message handed out got its final
// Ack, Nak or Term (or was released: a Msg the program no longer references
// is, by its batch's finalizer) and every publish accepted before
// (pipelined ones included) is settled, then flushes the queued acks and
// closes, as Close.
//
// ctx's deadline, if it has one, is the drain timeout, else the core's
// default drain timeout applies. When it runs out Drain returns ErrTimeout
// naming what was left, and the client is closed all the same (unanswered
// messages are redelivered after their ack wait). Cancelling ctx returns
// ctx.Err() at once while the drain goes on in the core; a ctx already done
// starts nothing. Draining a closed client is fine.
func (c *Client) Drain(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var ms C.uint64_t // 0: the core's default
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		if left <= 0 {
			return context.DeadlineExceeded
		}
		// Whole milliseconds, rounded up: 0 would be the core's default.
		ms = C.uint64_t((left + time.Millisecond - 1) / time.Millisecond)
	}
	return c.with(func(p *C.jb_client) error {
		_, err := awaitPastDeadline(ctx, func(h C.uintptr_t) C.jb_result { return C.go_drain(p, ms, h) }, nil)
		return err
	})
}

// FlushAcks returns once every ack queued so far (Ack, Nak, InProgress,
// Term) was written to the connection and, with confirm, once the server
// answered a round trip sent after them (so it has processed them). The core
// bounds the wait by the client's request timeout (ErrTimeout, or
// ErrConnection while disconnected); ErrClosed on a closed client.
// Cancelling ctx returns ctx.Err() at once.
func (c *Client) FlushAcks(ctx context.Context, confirm bool) error {
	return c.with(func(p *C.jb_client) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_flush_acks(p, C.bool(confirm), h) }, nil)
		return err
	})
}

// Counters returns the client's counters.
func (c *Client) Counters() (Counters, error) {
	var k C.jb_counters
	err := c.with(func(p *C.jb_client) error {
		return call(func() C.jb_result { return C.jb_client_counters(p, &k) })
	})
	// Both structs are one uint64 per core counter, in the core's order
	// (TestCountersFollowTheCore checks the names).
	return *(*Counters)(unsafe.Pointer(&k)), err
}

// countersAsSlice is k as one uint64 per core counter, in the core's order
// (jb_counters is exactly that: see the size checks below).
func countersAsSlice(k *C.jb_counters) []uint64 {
	return unsafe.Slice((*uint64)(unsafe.Pointer(k)), unsafe.Sizeof(*k)/8)
}

// counterName is the core's name of counter i ("" past the last).
func counterName(i int) string { return goStrOpt(C.jb_counter_name(C.size_t(i))) }

// Counters and C.jb_counters have the same size (one uint64 per counter).
var _ [unsafe.Sizeof(Counters{}) - unsafe.Sizeof(C.jb_counters{})]byte
var _ [unsafe.Sizeof(C.jb_counters{}) - unsafe.Sizeof(Counters{})]byte

// ConnectionState returns the connection state; after Close, not connected
// and closed (as in every other JetBridge language).
func (c *Client) ConnectionState() (ConnectionState, error) {
	var s C.jb_connection_state
	err := c.with(func(p *C.jb_client) error {
		return call(func() C.jb_result { return C.jb_client_connection_state(p, &s) })
	})
	return ConnectionState{Connected: bool(s.connected), Generation: uint64(s.generation), Closed: bool(s.closed)}, err
}

// MaxPayload is the server's maximum message size (headers included);
// after Close, the last one known.
func (c *Client) MaxPayload() (int, error) {
	var n C.size_t
	err := c.with(func(p *C.jb_client) error {
		return call(func() C.jb_result { return C.jb_client_max_payload(p, &n) })
	})
	return int(n), err
}

// DaprConfig is parsed Dapr pubsub.jetstream metadata: connection and
// subscription options. Close it when done (afterwards it is
// ErrInvalidHandle).
type DaprConfig struct {
	_ptr *C.jb_dapr_config
}

// NewDaprConfig parses Dapr metadata (natsURL, jwt, seedKey, token,
// durableName, queueGroupName, deliverPolicy, ackWait, maxDeliver, …).
// Unknown keys and bad values are ErrInvalidArgument naming the key.
func NewDaprConfig(metadata map[string]string) (*DaprConfig, error) {
	var cs cstrings
	defer cs.free()
	first, n, err := metadataPairs(&cs, metadata)
	if err != nil {
		return nil, err
	}
	var out *C.jb_dapr_config
	if err := call(func() C.jb_result {
		return C.jb_dapr_config_from_metadata(first, n, &out)
	}); err != nil {
		return nil, err
	}
	return newDaprConfig(out), nil
}

// metadataPairs copies Dapr metadata into C memory owned by cs: the first
// pair (nil when there is none) and the count.
func metadataPairs(cs *cstrings, metadata map[string]string) (*C.jb_string_pair, C.size_t, error) {
	kv := make([]C.jb_string_pair, 0, len(metadata))
	for k, v := range metadata {
		ck, err := cs.add(k, "metadata key")
		if err != nil {
			return nil, 0, err
		}
		cv, err := cs.add(v, "metadata value")
		if err != nil {
			return nil, 0, err
		}
		kv = append(kv, C.jb_string_pair{key: ck, value: cv})
	}
	if len(kv) == 0 {
		return nil, 0, nil
	}
	return &kv[0], C.size_t(len(kv)), nil
}

// LoadDaprComponent reads a Dapr component YAML file (spec.type
// pubsub.jetstream).
func LoadDaprComponent(path string) (*DaprConfig, error) {
	var cs cstrings
	defer cs.free()
	cpath, err := cs.add(path, "path")
	if err != nil {
		return nil, err
	}
	var out *C.jb_dapr_config
	if err := call(func() C.jb_result { return C.jb_dapr_config_from_file(cpath, &out) }); err != nil {
		return nil, err
	}
	return newDaprConfig(out), nil
}

func newDaprConfig(p *C.jb_dapr_config) *DaprConfig {
	d := &DaprConfig{_ptr: p}
	runtime.SetFinalizer(d, func(d *DaprConfig) { C.jb_dapr_config_free(d._ptr) })
	return d
}

// Close releases the config. Idempotent (the library ignores a second free).
func (d *DaprConfig) Close() error {
	C.jb_dapr_config_free(d._ptr)
	runtime.SetFinalizer(d, nil)
	return nil
}

// ConnectDapr connects with the connection part of a Dapr config.
func ConnectDapr(ctx context.Context, d *DaprConfig) (*Client, error) {
	debugGC()
	r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_connect_dapr(d._ptr, h) }, freeClient)
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return newClient((*C.jb_client)(r.handle)), nil
}
