// Package jetbridge is the Go binding of JetBridge: NATS JetStream publish
// with guaranteed message ids and safe retries, pipelined publishing, durable
// pull and push consumers with acks (including a confirmed AckSync), and
// ordered replay — the same behaviour, defaults and errors as every other
// JetBridge language, from one Rust core reached through its C ABI
// (libjetbridge).
//
// Building needs the installed C library and pkg-config:
//
//	make -C bindings-c install PREFIX=$HOME/.local
//	export PKG_CONFIG_PATH=$HOME/.local/lib/pkgconfig LD_LIBRARY_PATH=$HOME/.local/lib
//	go build ./...
//
// Zero values mean "not set" (the default), except in the fields where zero
// is a real setting: those are pointers (nil = default), and a value is sent
// as given, 0 and "" included, and judged as in every other language. They
// are ConsumerConfig.Durable and .MaxDeliver, StreamConfig.Replicas,
// PublishMessage.MsgID, PublisherOptions, FetchOptions.MaxMessages, .MaxWait
// and .MaxBytes, MessagesOptions, and the timeouts, ping interval, retry
// budget and MaxReconnects of Options. Go 1.26's new(v) sets one:
//
//	cfg := jetbridge.ConsumerConfig{Durable: new("worker"), MaxDeliver: new(5)}
//
// Every blocking method takes a context.Context; the work runs on the core's
// own threads, so cancelling the context returns at once (the operation may
// still complete in the background; resources it produced are released).
// Objects (Client, Publisher, Consumer, Subscription) have an idempotent
// Close; finalizers only release what was forgotten. Errors are *Error values
// that match the sentinels with errors.Is, e.g. errors.Is(err, ErrTimeout).
// Everything is safe for concurrent use.
package jetbridge
