package jetbridge

import (
	"testing"
	"time"
)

// TraceContext and ProcessSpan are the core's readings of a delivered
// message: nil without a traceparent; the header's ids with one.
func TestMessageTraceContextAndProcessSpan(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOTRACECTX", "gotracectx.>")
	const tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	mustPublish(t, c, "gotracectx.plain", "x")
	if _, err := c.PublishMsg(ctx, PublishMessage{Subject: "gotracectx.traced", Data: []byte("y"),
		Headers: []HeaderField{{"traceparent", tp}}}); err != nil {
		t.Fatal(err)
	}
	cons := mustConsumer(t, c, "GOTRACECTX", ConsumerConfig{DurableName: new("w")})
	msgs, err := cons.Fetch(ctx, 2, 5*time.Second)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("fetch: %d, %v", len(msgs), err)
	}
	if tc := msgs[0].TraceContext(); tc != nil {
		t.Fatalf("plain message: %+v", tc)
	}
	tc := msgs[1].TraceContext()
	if tc == nil || tc.TraceId != "0af7651916cd43dd8448eb211c80319c" || tc.SpanId != "b7ad6b7169203331" ||
		!tc.Sampled || tc.Traceparent != tp || tc.Tracestate != nil {
		t.Fatalf("traced message: %+v", tc)
	}
	spec, err := msgs[1].ProcessSpan()
	if err != nil || spec.Name != "process gotracectx.traced" || spec.Kind != "consumer" || len(spec.Attributes) == 0 {
		t.Fatalf("process span: %+v, %v", spec, err)
	}
}
