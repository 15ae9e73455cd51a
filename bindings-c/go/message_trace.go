package jetbridge

// A delivered message's W3C trace context and the description of the span
// that processes it, both read from the core (jb_message_trace_context,
// jb_message_process_span), never computed here.

/*
#include "shim.h"
*/
import "C"

// TraceContext is the trace context the message carries, as the core reads
// its traceparent and tracestate headers (W3C rules), or nil when it
// carries none or an invalid one.
func (m *message) TraceContext() *TraceContext {
	var out *TraceContext
	_ = m.with(func(p *C.jb_message) C.jb_result {
		var tc *C.jb_trace_context
		if r := C.jb_message_trace_context(p, &tc); r != C.JB_RESULT_OK || tc == nil {
			return r
		}
		defer C.jb_trace_context_free(tc)
		var v TraceContext
		if recordFromC(&v, func(js **C.char) C.jb_result { return C.jb_trace_context_to_json(tc, js) }) == nil {
			out = &v
		}
		return C.JB_RESULT_OK
	})
	return out
}

// ProcessSpan is how the span of processing the message is named and
// described, the same in every language: name "process <subject>", kind
// "consumer", OpenTelemetry messaging attributes.
func (m *message) ProcessSpan() (*SpanSpec, error) {
	var out *SpanSpec
	err := m.with(func(p *C.jb_message) C.jb_result {
		var spec *C.jb_span_spec
		if r := C.jb_message_process_span(p, &spec); r != C.JB_RESULT_OK {
			return r
		}
		defer C.jb_span_spec_free(spec)
		var v SpanSpec
		if err := recordFromC(&v, func(js **C.char) C.jb_result { return C.jb_span_spec_to_json(spec, js) }); err != nil {
			return C.JB_RESULT_INTERNAL
		}
		out = &v
		return C.JB_RESULT_OK
	})
	return out, err
}
