/*
 * Trace context of delivered messages: jb_message_trace_context (a
 * library-owned copy of the core's TraceContext, NULL when the message
 * carries none or an invalid one) and jb_message_process_span (the core's
 * SpanSpec: name, kind, messaging attributes).
 */
#include "jbtest.h"

#define TP "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

/* Publishes `payload` on tracec.x with a traceparent `tp` (none for NULL) and
 * a tracestate `ts` (none for NULL); 0 on failure. */
static uint64_t publish_traced(jb_client *c, const char *payload, const char *tp, const char *ts) {
    jb_publish_message m = jbt_message("tracec.x", payload);
    jb_header h[2];
    size_t n = 0;
    if (tp) h[n++] = (jb_header){JB_STR("traceparent"), JB_STR(tp)};
    if (ts) h[n++] = (jb_header){JB_STR("tracestate"), JB_STR(ts)};
    m.headers = n ? h : NULL;
    m.headers_len = n;
    jb_pub_ack *ack = NULL;
    if (jb_client_publish(c, &m, &ack) != JB_RESULT_OK) return 0;
    uint64_t seq = ack->sequence;
    jb_pub_ack_free(ack);
    return seq;
}

/* The value of `key` in the span's attributes, or NULL. */
static const char *attribute(const jb_span_spec *s, const char *key) {
    for (size_t i = 0; i < s->attributes_len; i++)
        if (strcmp(s->attributes_keys[i], key) == 0) return s->attributes_values[i];
    return NULL;
}

static void test_trace_context_and_process_span(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c != NULL);
    if (!jbt_fresh_stream(c, "TRACEC", "tracec.>")) goto out;
    if (!publish_traced(c, "traced", TP, " vendor=1 ") || !publish_traced(c, "plain", NULL, NULL) ||
        !publish_traced(c, "zeros", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", NULL) ||
        !publish_traced(c, "unsampled", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
                        NULL)) {
        jbt_fail(__FILE__, __LINE__, "publish", jb_last_error_message());
        goto out;
    }
    jb_consumer *cons = jbt_durable(c, "TRACEC", "tc", 0);
    if (cons == NULL) goto out;
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = 4;
    fo.max_wait_ms = 5000;
    jb_message *msgs[4];
    size_t n = 0;
    jb_result r = jb_consumer_fetch(cons, &fo, msgs, 4, &n);
    jb_consumer_free(cons);
    CHECK_OK(r);
    CHECK(n == 4);

    jb_trace_context *tc = NULL;
    r = jb_message_trace_context(msgs[0], &tc);
    int ok = r == JB_RESULT_OK && tc != NULL &&
             strcmp(tc->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736") == 0 &&
             strcmp(tc->span_id, "00f067aa0ba902b7") == 0 && tc->sampled &&
             strcmp(tc->traceparent, TP) == 0 && tc->tracestate != NULL &&
             strcmp(tc->tracestate, "vendor=1") == 0;
    CHECK_OK(jb_trace_context_free(tc));
    /* A second free is caught, never undefined behaviour. */
    CHECK_RES(jb_trace_context_free(tc), JB_RESULT_INVALID_HANDLE);
    CHECK(ok);

    /* No header, or an all-zero trace id: none, and still OK. */
    tc = (jb_trace_context *)&n; /* overwritten with NULL */
    CHECK_OK(jb_message_trace_context(msgs[1], &tc));
    CHECK(tc == NULL);
    tc = (jb_trace_context *)&n;
    CHECK_OK(jb_message_trace_context(msgs[2], &tc));
    CHECK(tc == NULL);
    CHECK_OK(jb_message_trace_context(msgs[3], &tc));
    ok = tc != NULL && !tc->sampled && tc->tracestate == NULL;
    CHECK_OK(jb_trace_context_free(tc));
    CHECK(ok);

    jb_span_spec *span = NULL;
    CHECK_OK(jb_message_process_span(msgs[0], &span));
    const char *dest = attribute(span, "messaging.destination.name");
    const char *system = attribute(span, "messaging.system");
    const char *stream = attribute(span, "messaging.nats.stream");
    ok = strcmp(span->name, "process tracec.x") == 0 && strcmp(span->kind, "consumer") == 0 &&
         dest && strcmp(dest, "tracec.x") == 0 && system && strcmp(system, "nats") == 0 &&
         stream && strcmp(stream, "TRACEC") == 0;
    CHECK_OK(jb_span_spec_free(span));
    CHECK(ok);

    /* Bad input: the typed error, never a crash. */
    CHECK_RES(jb_message_trace_context(msgs[0], NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_trace_context(NULL, &tc), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_process_span(msgs[0], NULL), JB_RESULT_NULL_PARAMETER);
    for (size_t i = 0; i < n; i++) jb_message_ack(msgs[i]);
    CHECK_OK(jb_messages_free(msgs, n));
    CHECK_RES(jb_message_process_span(msgs[0], &span), JB_RESULT_INVALID_HANDLE);
out:
    jb_client_delete_stream(c, "TRACEC");
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_trace_cases[] = {
    {"trace_context_and_process_span", test_trace_context_and_process_span},
    {NULL, NULL},
};
