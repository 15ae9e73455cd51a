package main

// One function per operation of SPEC.md §4; run dispatches a step to it.

import (
	"context"
	"fmt"
)

// opFunc executes one op with its arguments and returns the result object.
type opFunc func(ctx context.Context, st *state, a *args) (obj, error)

var ops map[string]opFunc

func init() {
	ops = map[string]opFunc{
		"connect":                opConnect,
		"close":                  opClose,
		"drain":                  opDrain,
		"flush_acks":             opFlushAcks,
		"client_info":            opClientInfo,
		"counters":               opCounters,
		"sleep":                  opSleep,
		"create_stream":          opCreateStream,
		"update_stream":          opUpdateStream,
		"stream_info":            opStreamInfo,
		"delete_stream":          opDeleteStream,
		"purge_stream":           opPurgeStream,
		"get_message":            opGetMessage,
		"get_last_message":       opGetLastMessage,
		"get_next_message":       opGetNextMessage,
		"get_messages":           opGetMessages,
		"stream_by_subject":      opStreamBySubject,
		"list_streams":           opListStreams,
		"list_consumers":         opListConsumers,
		"delete_message":         opDeleteMessage,
		"account_info":           opAccountInfo,
		"publish":                opPublish,
		"publish_many":           opPublishMany,
		"publish_batch":          opPublishBatch,
		"publisher_open":         opPublisherOpen,
		"publisher_publish":      opPublisherPublish,
		"publisher_publish_many": opPublisherPublishMany,
		"publisher_flush":        opPublisherFlush,
		"publisher_close":        opPublisherClose,
		"create_consumer":        opCreateConsumer,
		"update_consumer":        opUpdateConsumer,
		"get_or_create_consumer": opGetOrCreateConsumer,
		"bind_consumer":          opBindConsumer,
		"consumer_info":          opConsumerInfo,
		"delete_consumer":        opDeleteConsumer,
		"fetch":                  opFetch,
		"pause_consumer":         opPauseConsumer,
		"resume_consumer":        opResumeConsumer,
		"unpin_consumer":         opUnpinConsumer,
		"ack":                    opAck,
		"nak":                    opNak,
		"term":                   opTerm,
		"in_progress":            opInProgress,
		"ack_sync":               opAckSync,
		"read_headers":           opReadHeaders,
		"trace_context":          opTraceContext,
		"messages":               opMessages,
		"replay":                 opReplay,
		"push_subscribe":         opPushSubscribe,
		"next":                   opNext,
		"next_group":             opNextGroup,
		"stop":                   opStop,
		"dapr_config":            opDaprConfig,
		"dapr_subscribe":         opDaprSubscribe,
		"dapr_state_config":      opDaprStateConfig,
		"dapr_state_open":        opDaprStateOpen,
		"dapr_state_key":         opDaprStateKey,
	}
	for _, group := range []map[string]opFunc{coreOps, kvOps, objectOps} { // ops_core.go, ops_kv.go, ops_object.go
		for name, fn := range group {
			ops[name] = fn
		}
	}
}

// run executes one step and returns its result. Unknown arguments are a
// RUNNER error (after the operation ran, as in the Rust runner); a panic of
// the runner or the binding is RUNNER too.
func run(st *state, op string, raw map[string]any) (result obj, err error) {
	fn, ok := ops[op]
	if !ok {
		return nil, unsupported("unknown op %q", op)
	}
	defer func() {
		if p := recover(); p != nil {
			result, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	a := newArgs(raw)
	result, err = fn(context.Background(), st, a)
	if err != nil {
		return nil, err
	}
	if err := a.finish(); err != nil {
		return nil, err
	}
	return result, nil
}
