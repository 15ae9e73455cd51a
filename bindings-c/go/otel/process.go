package jetbridgeotel

import (
	"context"

	jetbridge "github.com/jetbridge/jetbridge-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// tracerName is this instrumentation's name (its import path).
const tracerName = "github.com/jetbridge/jetbridge-go/otel"

// spanKinds are OpenTelemetry's span kinds by the lowercase names the core
// uses in a SpanSpec.
var spanKinds = map[string]trace.SpanKind{
	"internal": trace.SpanKindInternal, "server": trace.SpanKindServer, "client": trace.SpanKindClient,
	"producer": trace.SpanKindProducer, "consumer": trace.SpanKindConsumer,
}

// headerCarrier reads a message's headers for the propagator
// (case-insensitive, as the core).
type headerCarrier struct{ h jetbridge.Header }

func (c headerCarrier) Get(key string) string { return c.h.Get(key) }
func (c headerCarrier) Set(string, string)    {} // read only
func (c headerCarrier) Keys() []string {
	keys := make([]string, 0, len(c.h))
	for k := range c.h {
		keys = append(keys, k)
	}
	return keys
}

// ProcessSpan starts the span of processing msg: its name, kind (CONSUMER)
// and attributes are the core's (msg.ProcessSpan()), its parent the trace
// context the global propagator extracts from msg's headers (else the span
// active in ctx). The returned ctx holds the span, so a publish made with
// it carries it (with Instrument). End the span when processing ends;
// Process does it for you and records an error.
func ProcessSpan(ctx context.Context, msg jetbridge.Msg) (context.Context, trace.Span) {
	ctx = otel.GetTextMapPropagator().Extract(ctx, headerCarrier{msg.Headers()})
	tracer := otel.GetTracerProvider().Tracer(tracerName)
	spec, err := msg.ProcessSpan()
	if err != nil || spec == nil {
		// The core could not describe it (a freed message): a span all the
		// same, named by the subject, so the error is visible in the trace.
		ctx, span := tracer.Start(ctx, msg.Subject(), trace.WithSpanKind(trace.SpanKindConsumer))
		if err != nil {
			span.RecordError(err)
		}
		return ctx, span
	}
	attrs := make([]attribute.KeyValue, 0, len(spec.Attributes))
	for k, v := range spec.Attributes {
		attrs = append(attrs, attribute.String(k, v))
	}
	kind, ok := spanKinds[spec.Kind]
	if !ok {
		kind = trace.SpanKindConsumer
	}
	return tracer.Start(ctx, spec.Name, trace.WithSpanKind(kind), trace.WithAttributes(attrs...))
}

// Process runs handle inside msg's process span (ProcessSpan) and ends it;
// an error from handle is recorded on the span, whose status becomes Error,
// and returned. A panic is recorded too, then re-raised.
func Process(ctx context.Context, msg jetbridge.Msg, handle func(ctx context.Context) error) (err error) {
	ctx, span := ProcessSpan(ctx, msg)
	defer func() {
		if p := recover(); p != nil {
			span.SetStatus(codes.Error, "panic")
			span.End()
			panic(p)
		}
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}()
	return handle(ctx)
}
