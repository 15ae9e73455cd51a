// The clean-install check of github.com/jetbridge/jetbridge-go/otel
// (scripts/dist-test/go.sh): a program that installs the module from the
// release's GOPROXY, as a user would, publishes inside a span of the real
// OpenTelemetry SDK, consumes the message inside jetbridgeotel's process span
// and checks that the second span is the first one's child in one trace.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	jetbridge "github.com/jetbridge/jetbridge-go"
	jetbridgeotel "github.com/jetbridge/jetbridge-go/otel"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "go otel check:", err)
		os.Exit(1)
	}
}

func run() error {
	exporter := tracetest.NewInMemoryExporter()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter)))
	otel.SetTextMapPropagator(propagation.TraceContext{})
	jetbridgeotel.Instrument()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := jetbridge.Connect(ctx, jetbridge.Options{Servers: []string{os.Getenv("NATS_URL")}})
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.CreateStream(ctx, jetbridge.StreamConfig{Name: "OTELCHECK", Subjects: []string{"otelcheck.>"}}); err != nil {
		return err
	}
	spanCtx, root := otel.Tracer("check").Start(ctx, "checkout")
	if _, err := c.Publish(spanCtx, "otelcheck.a", []byte("x")); err != nil {
		return err
	}
	root.End()
	name := "check"
	consumer, err := c.CreateConsumer(ctx, "OTELCHECK", jetbridge.ConsumerConfig{DurableName: &name})
	if err != nil {
		return err
	}
	msgs, err := consumer.Fetch(ctx, 1, 5*time.Second)
	if err != nil || len(msgs) != 1 {
		return fmt.Errorf("fetch: %d messages, %v", len(msgs), err)
	}
	_, span := jetbridgeotel.ProcessSpan(ctx, msgs[0])
	span.End()
	if err := msgs[0].Ack(); err != nil {
		return err
	}
	spans := exporter.GetSpans()
	if len(spans) != 2 || spans[1].Parent.SpanID() != spans[0].SpanContext.SpanID() ||
		spans[1].SpanContext.TraceID() != spans[0].SpanContext.TraceID() {
		return fmt.Errorf("want %q as the child of %q in one trace, got %d spans: %+v", "process otelcheck.a", "checkout", len(spans), spans)
	}
	fmt.Printf("go otel: %q is the child of %q in trace %s\n", spans[1].Name, spans[0].Name, spans[0].SpanContext.TraceID())
	return nil
}
