// Package jetbridgeotel is JetBridge's OpenTelemetry integration for Go,
// optional: the jetbridge package never imports OpenTelemetry, and a
// program that does not import this package runs exactly as without it.
//
//	jetbridgeotel.Instrument() // every publish carries the span active in its ctx
//	ctx, span := jetbridgeotel.ProcessSpan(ctx, msg)
//	defer span.End()
//	err := jetbridgeotel.InstrumentMetrics(client, meterProvider)
//
// It uses the global TracerProvider and TextMapPropagator (otel.SetTracerProvider,
// otel.SetTextMapPropagator; W3C trace context with
// propagation.TraceContext{}), as every OpenTelemetry instrumentation. Span
// names, kinds and attributes are the core's (Msg.ProcessSpan), the same in
// every JetBridge language.
//
// It is a module of its own (github.com/jetbridge/jetbridge-go/otel), so a
// program that does not use it gets no OpenTelemetry dependency.
package jetbridgeotel
