/* Acks: {from: alias, seq: N} names the latest delivery of stream sequence N
 * received from that consumer or stream. The fire-and-forget acks are
 * queued by the binding; ack_sync waits for the server. read_headers and
 * trace_context read such a message through the header accessors. */
#include <strings.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"

static jb_message *target(state *st, args *a) {
    const char *from;
    uint64_t seq;
    if (!args_required_string(a, "from", &from) || !args_required_u64(a, "seq", &seq)) return NULL;
    return state_message(st, from, seq);
}

static json *done(jb_result rc) { return rc == JB_RESULT_OK ? json_object(&g_step) : fail_binding(rc); }

json *op_ack(state *st, args *a) {
    /* `awaited`: C has no awaitable form; the plain ack is the one a user calls. */
    bool has, awaited;
    if (!args_bool(a, "awaited", &has, &awaited)) return NULL;
    jb_message *m = target(st, a);
    return m == NULL ? NULL : done(jb_message_ack(m));
}

json *op_nak(state *st, args *a) {
    bool has;
    uint64_t delay = 0;
    if (!args_u64(a, "delay_ms", &has, &delay)) return NULL;
    jb_message *m = target(st, a);
    if (m == NULL) return NULL;
    return done(jb_message_nak(m, has ? delay : 0));
}

json *op_term(state *st, args *a) {
    const char *reason;
    if (!args_string(a, "reason", &reason)) return NULL;
    jb_message *m = target(st, a);
    if (m == NULL) return NULL;
    return done(jb_message_term(m, reason));
}

json *op_in_progress(state *st, args *a) {
    jb_message *m = target(st, a);
    return m == NULL ? NULL : done(jb_message_in_progress(m));
}

json *op_ack_sync(state *st, args *a) {
    jb_message *m = target(st, a);
    return m == NULL ? NULL : done(jb_message_ack_sync(m));
}

/* Every value of header `name` (case-insensitive), in the order sent: the
 * view's headers, sorted by name, hold a name's values in that order. */
static json *header_values(const jb_message_view *v, const char *name) {
    json *all = json_array(&g_step);
    size_t n = strlen(name);
    for (size_t i = 0; i < v->headers_len; i++) {
        const jb_header *h = &v->headers[i];
        if (h->name.len == n && strncasecmp(h->name.ptr, name, n) == 0)
            json_push(&g_step, all, json_strn(&g_step, h->value.ptr, h->value.len));
    }
    return all;
}

json *op_read_headers(state *st, args *a) {
    const char **names;
    size_t len;
    bool has;
    if (!args_strings(a, "names", &has, &names, &len)) return NULL;
    if (!has) return fail_runner("read_headers: \"names\" is required");
    jb_message *m = target(st, a);
    if (m == NULL) return NULL;
    jb_message_view v;
    jb_result rc = jb_message_read(m, &v);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *headers = json_array(&g_step);
    for (size_t i = 0; i < len; i++) {
        jb_str first;
        rc = jb_message_header(m, names[i], &first);
        if (rc != JB_RESULT_OK && rc != JB_RESULT_NOT_FOUND) return fail_binding(rc);
        bool found = rc == JB_RESULT_OK;
        json *h = json_object(&g_step);
        json_set(&g_step, h, "name", json_str(&g_step, names[i]));
        json_set(&g_step, h, "has", json_bool(&g_step, found));
        json_set(&g_step, h, "first",
                 found ? json_strn(&g_step, first.ptr, first.len) : json_null(&g_step));
        json_set(&g_step, h, "all", header_values(&v, names[i]));
        json_push(&g_step, headers, h);
    }
    json *out = json_object(&g_step);
    json_set(&g_step, out, "headers", headers);
    return out;
}

json *op_trace_context(state *st, args *a) {
    jb_message *m = target(st, a);
    if (m == NULL) return NULL;
    jb_trace_context *tc = NULL;
    jb_result rc = jb_message_trace_context(m, &tc);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *trace = json_null(&g_step);
    if (tc != NULL) {
        trace = json_object(&g_step);
        json_set(&g_step, trace, "trace_id", json_str(&g_step, tc->trace_id));
        json_set(&g_step, trace, "span_id", json_str(&g_step, tc->span_id));
        json_set(&g_step, trace, "sampled", json_bool(&g_step, tc->sampled));
        json_set(&g_step, trace, "traceparent", json_str(&g_step, tc->traceparent));
        json_set(&g_step, trace, "tracestate", json_str(&g_step, tc->tracestate));
        jb_trace_context_free(tc);
    }
    json *out = json_object(&g_step);
    json_set(&g_step, out, "trace", trace);
    return out;
}
