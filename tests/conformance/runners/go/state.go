package main

// What a scenario has built so far: the client, the publisher, consumers and
// message streams by alias, and the latest delivery of each message.

import (
	jb "github.com/jetbridge/jetbridge-go"
)

// consumerEntry is a consumer handle with what the runner needs to print it.
type consumerEntry struct {
	consumer *jb.Consumer
	stream   string
	name     string // "" for an ephemeral consumer (the handle has no name accessor)
}

// deliveryKey names the latest delivery of one stream sequence from one alias.
type deliveryKey struct {
	alias string
	seq   uint64
}

// state is the runner's state across the steps of one scenario.
type state struct {
	client    *jb.Client // the last successful connect (a closed client stays: later steps see CLOSED)
	publisher *jb.Publisher
	consumers map[string]*consumerEntry
	streams   map[string]*jb.Subscription
	messages  map[deliveryKey]jb.Msg
	// Key-value buckets, watches and object stores by alias (ops_kv.go, ops_object.go).
	kvs          map[string]*jb.KeyValue
	watchers     map[string]*jb.KvWatcher
	objectStores map[string]*jb.ObjectStore
	objWatchers  map[string]*jb.ObjectWatcher
	// Core NATS, events and tracked publishes (ops_core.go), made on first use.
	coreState *coreState
}

func newState() *state {
	return &state{
		consumers: map[string]*consumerEntry{},
		streams:   map[string]*jb.Subscription{},
		messages:  map[deliveryKey]jb.Msg{},

		kvs:          map[string]*jb.KeyValue{},
		watchers:     map[string]*jb.KvWatcher{},
		objectStores: map[string]*jb.ObjectStore{},
		objWatchers:  map[string]*jb.ObjectWatcher{},
	}
}

func (s *state) getClient() (*jb.Client, error) {
	if s.client == nil {
		return nil, runnerError("no client: the scenario must connect first")
	}
	return s.client, nil
}

func (s *state) getPublisher() (*jb.Publisher, error) {
	if s.publisher == nil {
		return nil, runnerError("no publisher: use publisher_open first")
	}
	return s.publisher, nil
}

func (s *state) consumer(alias string) (*consumerEntry, error) {
	c, ok := s.consumers[alias]
	if !ok {
		return nil, runnerError("no consumer with alias %q", alias)
	}
	return c, nil
}

func (s *state) stream(alias string) (*jb.Subscription, error) {
	sub, ok := s.streams[alias]
	if !ok {
		return nil, runnerError("no message stream with alias %q", alias)
	}
	return sub, nil
}

// kvFrom is the bucket named by the step's `from`.
func (s *state) kvFrom(a *args) (*jb.KeyValue, error) {
	alias, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	kv, ok := s.kvs[alias]
	if !ok {
		return nil, runnerError("no key-value bucket with alias %q", alias)
	}
	return kv, nil
}

// watcher is the watch named by the step's `from`.
func (s *state) watcher(a *args) (*jb.KvWatcher, error) {
	alias, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	w, ok := s.watchers[alias]
	if !ok {
		return nil, runnerError("no watch with alias %q", alias)
	}
	return w, nil
}

// objectStoreFrom is the object store named by the step's `from`.
func (s *state) objectStoreFrom(a *args) (*jb.ObjectStore, error) {
	alias, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	o, ok := s.objectStores[alias]
	if !ok {
		return nil, runnerError("no object store with alias %q", alias)
	}
	return o, nil
}

// objWatcher is the object-store watch named by the step's `from`.
func (s *state) objWatcher(a *args) (*jb.ObjectWatcher, error) {
	alias, err := a.requiredStr("from")
	if err != nil {
		return nil, err
	}
	w, ok := s.objWatchers[alias]
	if !ok {
		return nil, runnerError("no object watch with alias %q", alias)
	}
	return w, nil
}

func (s *state) message(alias string, seq uint64) (jb.Msg, error) {
	m, ok := s.messages[deliveryKey{alias, seq}]
	if !ok {
		return nil, runnerError("no message with seq %d received from %q", seq, alias)
	}
	return m, nil
}

func (s *state) remember(alias string, batch []jb.Msg) {
	for _, m := range batch {
		s.messages[deliveryKey{alias, m.StreamSeq()}] = m
	}
}

// shutdown closes the streams, consumers and the client at the end (best effort).
func (s *state) shutdown() {
	if s.coreState != nil {
		s.coreState.shutdown()
	}
	for _, w := range s.watchers {
		_ = w.Stop()
	}
	for _, w := range s.objWatchers {
		_ = w.Stop()
	}
	for _, kv := range s.kvs {
		_ = kv.Close()
	}
	for _, o := range s.objectStores {
		_ = o.Close()
	}
	for _, sub := range s.streams {
		_ = sub.Close()
	}
	for _, c := range s.consumers {
		_ = c.consumer.Close()
	}
	if s.client != nil {
		_ = s.client.Close()
	}
}
