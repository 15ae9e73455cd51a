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
	messages  map[deliveryKey]*jb.Msg
	// Core NATS, events and tracked publishes (ops_core.go), made on first use.
	coreState *coreState
}

func newState() *state {
	return &state{
		consumers: map[string]*consumerEntry{},
		streams:   map[string]*jb.Subscription{},
		messages:  map[deliveryKey]*jb.Msg{},
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

func (s *state) message(alias string, seq uint64) (*jb.Msg, error) {
	m, ok := s.messages[deliveryKey{alias, seq}]
	if !ok {
		return nil, runnerError("no message with seq %d received from %q", seq, alias)
	}
	return m, nil
}

func (s *state) remember(alias string, batch []*jb.Msg) {
	for _, m := range batch {
		s.messages[deliveryKey{alias, m.StreamSeq}] = m
	}
}

// shutdown closes the streams, consumers and the client at the end (best effort).
func (s *state) shutdown() {
	if s.coreState != nil {
		s.coreState.shutdown()
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
