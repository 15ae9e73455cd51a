package jetbridge

import (
	"context"
	"time"
)

// Msg is a delivered JetStream message (Fetch, Subscription). It is an
// interface, as nats.go's jetstream.Msg, so a handler can be tested with a
// fake; the package's own implementation copies the message's data into Go
// memory and keeps the library-side handle for acking (the core answers
// ErrAlreadyAcked to an ack after a terminal one), released by a finalizer.
// The Data of messages fetched together shares one backing array (each
// slice is capped, so append copies). Safe for concurrent use.
type Msg interface {
	Subject() string
	// Data is the payload (not a copy: do not modify it).
	Data() []byte
	// Headers is the headers as a Header (nats.go's nats.Header shape),
	// a fresh map on each call.
	Headers() Header
	// HeaderFields is the headers in the order sent.
	HeaderFields() []HeaderField
	// Header is the first value of name (case-insensitive, as the core), ""
	// when absent.
	Header(name string) string
	// MsgID is the Nats-Msg-Id header; ok is false when the message has
	// none (JetBridge always sends one; another client may not).
	MsgID() (id string, ok bool)
	Stream() string
	Consumer() string
	StreamSeq() uint64
	ConsumerSeq() uint64
	// Delivered is the delivery count: 1 on first delivery.
	Delivered() uint64
	Timestamp() time.Time
	// Pending is the number of messages still pending for the consumer
	// after this one.
	Pending() uint64
	// TraceContext is the W3C trace context the message carries (the
	// core's reading of its traceparent and tracestate headers), nil when
	// it carries none or an invalid one.
	TraceContext() *TraceContext
	// ProcessSpan is the core's description of the span that processes
	// the message (name "process <subject>", kind "consumer", OpenTelemetry
	// messaging attributes): what the otel subpackage's ProcessSpan starts.
	ProcessSpan() (*SpanSpec, error)

	// Ack acknowledges the message (terminal). Queued and batched by the
	// core; never waits for the network.
	Ack() error
	// Nak asks for redelivery after delay (0 = at once). Terminal for this
	// delivery.
	Nak(delay time.Duration) error
	// Term stops redelivery for good (terminal). The reason may not
	// contain CR/LF.
	Term(reason string) error
	// InProgress resets the ack timer ("still working on it"). May repeat
	// until a terminal ack.
	InProgress() error
	// AckSync acknowledges and waits for the server's confirmation.
	// Success means the message will not be redelivered; on error it
	// stays un-acked.
	AckSync(ctx context.Context) error
}
