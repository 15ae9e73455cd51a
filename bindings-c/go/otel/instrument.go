package jetbridgeotel

import (
	"context"

	jetbridge "github.com/jetbridge/jetbridge-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// traceparentHeader is the W3C header a caller may set itself (then the
// caller's wins and nothing is injected).
const traceparentHeader = "traceparent"

// Instrument makes every publish form of the jetbridge package (Client
// publishes, PublishBatch, Publisher publishes, CorePublish, CoreRequest,
// CoreMessage.Respond) carry the span active in its ctx: the global
// propagator injects it into the message's headers, unless the caller
// already set a traceparent header (the caller's wins). No valid span in
// ctx: the headers are untouched. For the whole process; Uninstrument
// undoes it.
func Instrument() { jetbridge.RegisterPublishHook(inject) }

// Uninstrument stops what Instrument started.
func Uninstrument() { jetbridge.RegisterPublishHook(nil) }

// inject is the publish hook: ctx's span context through the global
// propagator, as header fields.
func inject(ctx context.Context, has func(name string) bool) []jetbridge.HeaderField {
	if !trace.SpanContextFromContext(ctx).IsValid() || has(traceparentHeader) {
		return nil
	}
	carrier := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, carrier)
	if len(carrier) == 0 {
		return nil
	}
	return jetbridge.Header(headerOf(carrier)).Fields()
}

// headerOf is a MapCarrier as a jetbridge.Header (one value per key).
func headerOf(c propagation.MapCarrier) jetbridge.Header {
	h := make(jetbridge.Header, len(c))
	for k, v := range c {
		h[k] = []string{v}
	}
	return h
}
