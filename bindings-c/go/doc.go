// Package jetbridge is the Go binding of JetBridge: NATS JetStream publish
// with guaranteed message ids and safe retries, pipelined publishing, durable
// pull and push consumers with acks (including a confirmed AckSync), and
// ordered replay — the same behaviour, defaults and errors as every other
// JetBridge language, from one Rust core reached through its C ABI
// (libjetbridge).
//
// Install it with
//
//	go get github.com/jetbridge/jetbridge-go
//
// Building needs cgo (CGO_ENABLED=1) and a C compiler, nothing else: the
// module carries the static libjetbridge for each platform it supports
// (lib/<goos>-<goarch>/libjetbridge.a, built for glibc 2.17 or newer) and
// its header (include/jetbridge.h), and links it into the program, which
// then needs no shared library at run time. Version reports the linked
// library's version.
//
// From a checkout of the JetBridge repository, where this package lives in
// bindings-c/go, `make -C bindings-c go` builds the library and puts it
// there (bindings-c/scripts/go_env.sh also tells Go's build cache when it
// changed).
//
// Zero values mean "not set" (the default), except in the fields where zero
// is a real setting: those are pointers (nil = default), and a value is sent
// as given, 0 and "" included, and judged as in every other language. They
// are the fields of the generated types (below) that are optional or whose
// default is not zero (StreamConfig's Replicas, 1, and limits, -1: unlimited;
// FetchOptions.MaxMessages and .MaxWait; MessagesOptions' Batch, Expires,
// Heartbeat and ThresholdPercent; PublisherOptions), PublishMessage.MsgID,
// and the timeouts, ping interval, retry budget and MaxReconnects of
// Options. Go 1.26's new(v) sets one:
//
//	cfg := jetbridge.ConsumerConfig{DurableName: new("worker"), MaxDeliver: new(int64(5))}
//
// ConsumerConfig, StreamConfig, FetchOptions, MessagesOptions,
// PublisherOptions, PurgeOptions, ConsumerPauseState, AccountInfo and
// GetMessagesOptions (with their enums' names: AckPolicy, ReplaySpeed, RetentionPolicy, StorageType,
// DiscardPolicy) are generated
// from the core's declarations (types_gen.go): their fields are the core's
// options in CamelCase, and they cross to the core as JSON, so the core
// checks every value and names the field of a wrong one.
//
// Client.PauseConsumer and ResumeConsumer pause a running consumer until a
// time and resume it, returning the ConsumerPauseState the server reports;
// Client.UnpinConsumer unpins a pinned_client consumer's priority group. They
// need nats-server 2.11 or later: on an older one they are ErrServerTooOld.
//
// Client.PublishBatch publishes messages as one atomic batch (nats-server
// 2.12+, older is ErrServerTooOld; a stream with AllowAtomic): the stream
// stores all of them in order, or none, and answers once with a *BatchAck
// (the last message's Sequence, Count, the generated BatchID). A stream
// without AllowAtomic is ErrInvalidArgument with APICode 10174.
//
// Client.ListStreams (all streams, or those overlapping a subject) and
// ListConsumers return every page the server has, as []StreamInfo and
// []ConsumerInfo; Client.DeleteMessage deletes one message (optionally a
// secure erase); Client.AccountInfo returns the account's usage and limits.
//
// Core NATS runs on the same connection: Client.CorePublish (fire-and-forget,
// no ack; CoreHeaders and CoreReply options), Client.CoreSubscribe (with an
// optional queue group, returning once the server has the subscription) →
// *CoreSubscription, whose Next(ctx) returns ctx.Err() when ctx's deadline
// passes with nothing received, as Subscription.Next, and ErrClosed after
// Unsubscribe (which also ends a Next waiting in another goroutine);
// Client.CoreRequest (ctx's deadline is the request timeout, none: the
// client's RequestTimeout; ErrNoResponders, ErrTimeout) → *CoreMessage
// {Subject, Data, Headers, Reply}, and CoreMessage.Respond answers a
// received request (ErrInvalidArgument when it has no reply subject).
//
// Client.Events(ctx) is a channel of the connection's events (Event: an
// EventKind, the core's name such as EventDisconnected, and a Detail),
// closed after EventClosed or when ctx ends; events are queued in Go
// without bound, so the core's thread never waits for a slow reader.
//
// Publisher.PublishTracked queues a message like Publish and returns a
// *PubAckFuture with its Ticket and its own outcome, as in nats.go: Ok() or
// Err() receives it, Wait(ctx) returns it; it also counts in the next Flush.
//
// Key-value buckets: Client.CreateKeyValue(ctx, KvConfig{Bucket: "cfg"}),
// KeyValue and DeleteKeyValue → *KeyValue with Get, GetRevision, Entry (nil
// for a key never written; delete and purge markers included), Put, Create
// (only if absent), Update (compare-and-set on a revision), Delete and Purge
// (LastRevision(rev) for an expected revision), History, Keys and Watch,
// whose *KvWatcher sends the initial entries, then a nil entry ("caught
// up"), then every change on Updates(), closed by Stop or the end of its
// ctx. A KvEntry has a KvOperation: KvPut, KvDelete or KvPurge.
//
// Object stores: Client.CreateObjectStore, ObjectStore and DeleteObjectStore
// → *ObjectStore with Put (from an io.Reader, streamed in chunks, never
// read whole; WithDescription), GetObject (an *ObjectReader, an
// io.ReadCloser whose last Read checks size and SHA-256 digest: a corrupted
// object is an error, never data), Info, List, Delete, and the PutBytes and
// GetBytes conveniences. KvConfig, KvWatchOptions, ObjectStoreConfig and
// ObjectInfo are generated types too.
//
// Delivered messages are Msg values, an interface (as nats.go's
// jetstream.Msg), so a handler can be tested with a fake: Data(),
// Subject(), StreamSeq(), … and Ack, Nak, Term, InProgress, AckSync.
// Msg.Headers() is a Header, nats.Header's shape (map[string][]string: a
// plain conversion either way) with Get (first value), Values, Has, Add,
// Set, Del, all case-insensitive as the core's lookup; HeaderFields() keeps
// the order sent. PublishMessage.Header and CoreHeader take a Header too.
// Msg.MsgID() returns (id, ok): ok is false when the message has none.
//
// The ctx given to Consumer.Messages (and Replay, PushSubscribe,
// DaprSubscribe) bounds the flow: when it ends the flow stops as with
// Subscription.Stop. A Client publish whose ctx ends before its outcome is a
// *PublishCanceledError (errors.As) naming the msg id it was sent with, the
// generated one included, so a resend with that MsgID is safe.
//
// SetLogger sends the core's log records to a *slog.Logger (off by
// default). The module github.com/jetbridge/jetbridge-go/otel (package
// jetbridgeotel, its own module so that this one needs no OpenTelemetry)
// is the optional OpenTelemetry integration.
// Msg.TraceContext reads a message's W3C trace context.
//
// Coming from nats.go's jetstream package: COMING_FROM_NATS_GO.md (beside
// this file) lists the names and behaviours that differ.
//
// Every blocking method takes a context.Context; the work runs on the core's
// own threads, so cancelling the context returns at once (the operation may
// still complete in the background; resources it produced are released).
// Client.Drain(ctx) is the graceful shutdown: new work is refused with
// ErrClosed at once, messages handed out and publishes in flight are settled,
// queued acks flushed, then the client closes; ctx's deadline is its timeout
// (none: the core's default drain timeout), and when it passes Drain returns
// the core's ErrTimeout (the client closed all the same) rather than
// ctx.Err(). Objects (Client, Publisher, Consumer, Subscription, KeyValue,
// ObjectStore, ObjectReader) have an
// idempotent Close; finalizers only release what was forgotten. Errors are *Error values
// that match the sentinels with errors.Is, e.g. errors.Is(err, ErrTimeout);
// err.Error() is the core's text, the same in every JetBridge language.
// Everything is safe for concurrent use.
package jetbridge
