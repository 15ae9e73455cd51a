package jetbridgeotel

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	jetbridge "github.com/jetbridge/jetbridge-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// The tests use the real SDK with an in-memory exporter and a real
// nats-server (NATS_URL, from bindings-c/scripts/with_servers.py).

func setup(t *testing.T) (*jetbridge.Client, *tracetest.InMemoryExporter, context.Context) {
	t.Helper()
	url := os.Getenv("NATS_URL")
	if url == "" {
		t.Fatal("NATS_URL is not set: run through bindings-c/scripts/with_servers.py")
	}
	exporter := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	Instrument()
	t.Cleanup(Uninstrument)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	c, err := jetbridge.Connect(ctx, jetbridge.Options{Servers: []string{url}, Name: "jetbridge-go-otel"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, exporter, ctx
}

func freshStream(t *testing.T, ctx context.Context, c *jetbridge.Client, name, subjects string) *jetbridge.Consumer {
	t.Helper()
	_ = c.DeleteStream(ctx, name)
	if _, err := c.CreateStream(ctx, jetbridge.StreamConfig{Name: name, Subjects: []string{subjects},
		Storage: jetbridge.StorageTypeMemory}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.DeleteStream(context.Background(), name) })
	cons, err := c.CreateConsumer(ctx, name, jetbridge.ConsumerConfig{DurableName: new("w")})
	if err != nil {
		t.Fatal(err)
	}
	return cons
}

func fetch(t *testing.T, ctx context.Context, cons *jetbridge.Consumer, n int) []jetbridge.Msg {
	t.Helper()
	msgs, err := cons.Fetch(ctx, n, 5*time.Second)
	if err != nil || len(msgs) != n {
		t.Fatalf("fetch: %d of %d, %v", len(msgs), n, err)
	}
	return msgs
}

// Every publish form carries the active span; the caller's traceparent
// wins; without a span nothing is added.
func TestPublishCarriesActiveSpan(t *testing.T) {
	c, _, ctx := setup(t)
	cons := freshStream(t, ctx, c, "GOOTELPUB", "gootelpub.>")
	rootCtx, root := otel.Tracer("test").Start(ctx, "checkout")
	sc := root.SpanContext()
	pub, err := c.NewPublisher(jetbridge.PublisherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const theirs = "00-11111111111111111111111111111111-2222222222222222-01"
	steps := []func() error{
		func() error { _, err := c.Publish(rootCtx, "gootelpub.a", []byte("1")); return err },
		func() error {
			_, err := c.PublishMany(rootCtx, []jetbridge.PublishMessage{{Subject: "gootelpub.a", Data: []byte("2")}})
			return err
		},
		func() error { // flushed at once, so the stream keeps the steps' order
			if _, err := pub.Publish(rootCtx, jetbridge.PublishMessage{Subject: "gootelpub.a", Data: []byte("3")}); err != nil {
				return err
			}
			_, err := pub.Flush(ctx)
			return err
		},
		func() error { return c.CorePublish(rootCtx, "gootelpub.a", []byte("4")) },
		func() error { // the caller's traceparent wins
			_, err := c.PublishMsg(rootCtx, jetbridge.PublishMessage{Subject: "gootelpub.a", Data: []byte("5"),
				Headers: []jetbridge.HeaderField{{Name: "traceparent", Value: theirs}}})
			return err
		},
		func() error { _, err := c.Publish(ctx, "gootelpub.a", []byte("6")); return err }, // no span
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("publish %d: %v", i+1, err)
		}
	}
	root.End()
	msgs := fetch(t, ctx, cons, len(steps))
	for i, m := range msgs[:4] {
		tc := m.TraceContext()
		if tc == nil || tc.TraceId != sc.TraceID().String() || tc.SpanId != sc.SpanID().String() || !tc.Sampled {
			t.Errorf("message %d: trace context %+v, want %s/%s", i+1, tc, sc.TraceID(), sc.SpanID())
		}
	}
	if tc := msgs[4].TraceContext(); tc == nil || tc.Traceparent != theirs || len(msgs[4].Headers().Values("traceparent")) != 1 {
		t.Errorf("the caller's traceparent: %+v", tc)
	}
	if tc := msgs[5].TraceContext(); tc != nil {
		t.Errorf("no active span, yet %+v", tc)
	}
	Uninstrument()
	if _, err := c.Publish(rootCtx, "gootelpub.a", []byte("7")); err != nil {
		t.Fatal(err)
	}
	if tc := fetch(t, ctx, cons, 1)[0].TraceContext(); tc != nil {
		t.Errorf("after Uninstrument: %+v", tc)
	}
}

// The process span: the core's name, kind and attributes, the message's
// context as parent, active inside (a publish carries it), ERROR on error.
func TestProcessSpan(t *testing.T) {
	c, exporter, ctx := setup(t)
	cons := freshStream(t, ctx, c, "GOOTELPROC", "gootelproc.>")
	rootCtx, root := otel.Tracer("test").Start(ctx, "checkout")
	for _, d := range []string{"ok", "fail"} {
		if _, err := c.Publish(rootCtx, "gootelproc.in", []byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	root.End()
	msgs := fetch(t, ctx, cons, 2)
	var inner trace.SpanContext
	err := Process(ctx, msgs[0], func(ctx context.Context) error {
		inner = trace.SpanContextFromContext(ctx)
		_, err := c.Publish(ctx, "gootelproc.out", []byte("next"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := Process(ctx, msgs[1], func(context.Context) error { return boom }); err != boom {
		t.Fatalf("Process returned %v", err)
	}
	spec, err := msgs[0].ProcessSpan()
	if err != nil {
		t.Fatal(err)
	}
	spans := exporter.GetSpans()
	var processed []tracetest.SpanStub
	for _, s := range spans {
		if s.Name == spec.Name {
			processed = append(processed, s)
		}
	}
	if len(processed) != 2 {
		t.Fatalf("want 2 spans named %q, got %d of %d", spec.Name, len(processed), len(spans))
	}
	ok, failed := processed[0], processed[1]
	if ok.SpanKind != trace.SpanKindConsumer || ok.Parent.SpanID() != root.SpanContext().SpanID() ||
		ok.SpanContext.TraceID() != root.SpanContext().TraceID() || ok.SpanContext.SpanID() != inner.SpanID() {
		t.Errorf("process span: kind %v parent %v trace %v", ok.SpanKind, ok.Parent.SpanID(), ok.SpanContext.TraceID())
	}
	got := map[string]string{}
	for _, a := range ok.Attributes {
		got[string(a.Key)] = a.Value.Emit()
	}
	for k, v := range spec.Attributes {
		if got[k] != v {
			t.Errorf("attribute %s = %q, want the core's %q", k, got[k], v)
		}
	}
	if failed.Status.Code != codes.Error || len(failed.Events) == 0 {
		t.Errorf("failed span: status %v, %d events", failed.Status, len(failed.Events))
	}
	if ok.Status.Code == codes.Error {
		t.Error("the successful span has status Error")
	}
	// The publish inside the process span carries it.
	out := fetch(t, ctx, cons, 1)[0]
	if tc := out.TraceContext(); tc == nil || tc.SpanId != inner.SpanID().String() {
		t.Errorf("publish inside the process span: %+v", tc)
	}
}

// The client's counters as observable counters jetbridge.<core name>,
// with the client's name.
func TestInstrumentMetrics(t *testing.T) {
	c, _, ctx := setup(t)
	freshStream(t, ctx, c, "GOOTELMET", "gootelmet.>")
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	reg, err := InstrumentMetrics(c, mp)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Unregister()
	if _, err := c.Publish(ctx, "gootelmet.a", []byte("x")); err != nil {
		t.Fatal(err)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	values, err := c.CounterValues()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok || len(sum.DataPoints) != 1 || !sum.IsMonotonic {
				t.Errorf("%s: %T", m.Name, m.Data)
				continue
			}
			dp := sum.DataPoints[0]
			if name, _ := dp.Attributes.Value("jetbridge.client.name"); name.AsString() != "jetbridge-go-otel" {
				t.Errorf("%s: attributes %v", m.Name, dp.Attributes)
			}
			found[m.Name] = dp.Value
		}
	}
	for _, v := range values {
		if _, ok := found["jetbridge."+v.Name]; !ok {
			t.Errorf("no metric for counter %q", v.Name)
		}
	}
	if len(found) != len(values) || found["jetbridge.published"] < 1 {
		t.Errorf("metrics %v, counters %v", found, values)
	}
}
