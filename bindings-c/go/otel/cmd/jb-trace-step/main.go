// Command jb-trace-step is the Go step of the cross-language trace test
// (tests/trace/run.py): durable pull consumer "go" (filter
// trace.shipments) on $JB_TRACE_STREAM fetches one message, processes it
// inside its process span (jetbridgeotel.Process) and acks it; then the
// spans the real OpenTelemetry SDK exported (in memory, W3C propagator) are
// written as JSON to $JB_TRACE_OUT. Environment: NATS_URL, JB_TRACE_OUT,
// JB_TRACE_STREAM (already created). Exits 0, or 1 with a message; gives up
// after 20 s.
//
//	go build -o $CARGO_TARGET_DIR/trace/jb-trace-step-go ./cmd/jb-trace-step
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	jetbridge "github.com/jetbridge/jetbridge-go"
	jetbridgeotel "github.com/jetbridge/jetbridge-go/otel"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

const giveUp = 20 * time.Second

// spanJSON is an exported span in the driver's JSON shape.
type spanJSON struct {
	Name         string            `json:"name"`
	Kind         string            `json:"kind"`
	TraceID      string            `json:"trace_id"`
	SpanID       string            `json:"span_id"`
	ParentSpanID *string           `json:"parent_span_id"`
	StartNs      int64             `json:"start_ns"`
	EndNs        int64             `json:"end_ns"`
	Attributes   map[string]string `json:"attributes"`
}

func toJSON(s tracetest.SpanStub) spanJSON {
	out := spanJSON{
		Name: s.Name, Kind: strings.ToLower(s.SpanKind.String()),
		TraceID: s.SpanContext.TraceID().String(), SpanID: s.SpanContext.SpanID().String(),
		StartNs: s.StartTime.UnixNano(), EndNs: s.EndTime.UnixNano(), Attributes: map[string]string{},
	}
	if s.Parent.SpanID().IsValid() {
		out.ParentSpanID = new(s.Parent.SpanID().String())
	}
	for _, a := range s.Attributes {
		out.Attributes[string(a.Key)] = a.Value.Emit()
	}
	return out
}

func need(name string) (string, error) {
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("%s is not set", name)
}

func run() error {
	url, err := need("NATS_URL")
	if err != nil {
		return err
	}
	out, err := need("JB_TRACE_OUT")
	if err != nil {
		return err
	}
	stream, err := need("JB_TRACE_STREAM")
	if err != nil {
		return err
	}
	exporter := tracetest.NewInMemoryExporter()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	jetbridgeotel.Instrument()

	ctx, cancel := context.WithTimeout(context.Background(), giveUp)
	defer cancel()
	client, err := jetbridge.Connect(ctx, jetbridge.Options{Servers: []string{url}, Name: "trace-go"})
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer client.Close()
	cons, err := client.CreateConsumer(ctx, stream, jetbridge.ConsumerConfig{
		DurableName: new("go"), FilterSubjects: []string{"trace.shipments"},
	})
	if err != nil {
		return fmt.Errorf("consumer: %w", err)
	}
	defer cons.Close()
	var msg jetbridge.Msg
	for msg == nil { // bounded by ctx
		msgs, err := cons.Fetch(ctx, 1, 2*time.Second)
		if err != nil {
			return fmt.Errorf("fetch: %w", err)
		}
		if len(msgs) == 1 {
			msg = msgs[0]
		}
	}
	err = jetbridgeotel.Process(ctx, msg, func(ctx context.Context) error { return msg.AckSync(ctx) })
	if err != nil {
		return fmt.Errorf("ack: %w", err)
	}
	if err := provider.ForceFlush(ctx); err != nil {
		return err
	}
	spans := exporter.GetSpans()
	if len(spans) == 0 {
		return errors.New("no span was exported")
	}
	doc := struct {
		Service string     `json:"service"`
		Spans   []spanJSON `json:"spans"`
	}{Service: "go"}
	for _, s := range spans {
		doc.Spans = append(doc.Spans, toJSON(s))
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "jb-trace-step-go:", err)
		os.Exit(1)
	}
}
