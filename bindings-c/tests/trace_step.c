/*
 * The C step of the cross-language trace test (tests/trace/run.py): a
 * durable pull consumer `c` (filter trace.shipments) on $JB_TRACE_STREAM
 * fetches one message from $NATS_URL, reads its trace context with
 * jb_message_trace_context and acks it. C has no OpenTelemetry SDK, so the
 * step describes its process span itself and writes it to $JB_TRACE_OUT:
 * name and attributes from jb_message_process_span, trace id and parent span
 * id from the message's trace context, a fresh random span id.
 *
 * Not part of the C test binary (it has its own main): built by
 * bindings-c/scripts/build_trace_step.sh. Exits 0, or non-zero with a
 * message on stderr; every wait is bounded (20 s in all).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "jetbridge.h"

static void die(const char *what) {
    fprintf(stderr, "trace step (c): %s: %s\n", what, jb_last_error_message());
    exit(1);
}

static const char *need_env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "trace step (c): %s is not set\n", name);
        exit(2);
    }
    return v;
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* 16 lowercase hex digits of fresh randomness (never all zero). */
static void random_span_id(char out[17]) {
    uint8_t b[8] = {0};
    bool zero = true;
    for (int tries = 0; tries < 8 && zero; tries++) {
        if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
            fprintf(stderr, "trace step (c): getrandom failed\n");
            exit(1);
        }
        for (size_t i = 0; i < sizeof b; i++) zero = zero && b[i] == 0;
    }
    for (size_t i = 0; i < sizeof b; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* `s` as a JSON string. */
static void json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void write_span(const char *path, const jb_span_spec *span, const jb_trace_context *parent,
                       const char *span_id, int64_t start_ns, int64_t end_ns) {
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "trace step (c): cannot write %s\n", path);
        exit(1);
    }
    fputs("{\"service\": \"c\", \"spans\": [{\"name\": ", f);
    json_string(f, span->name);
    fputs(", \"kind\": ", f);
    json_string(f, span->kind);
    fputs(", \"trace_id\": ", f);
    json_string(f, parent->trace_id);
    fputs(", \"span_id\": ", f);
    json_string(f, span_id);
    fputs(", \"parent_span_id\": ", f);
    json_string(f, parent->span_id);
    fprintf(f, ", \"start_ns\": %lld, \"end_ns\": %lld, \"attributes\": {", (long long)start_ns,
            (long long)end_ns);
    for (size_t i = 0; i < span->attributes_len; i++) {
        if (i) fputs(", ", f);
        json_string(f, span->attributes_keys[i]);
        fputs(": ", f);
        json_string(f, span->attributes_values[i]);
    }
    fputs("}}]}\n", f);
    if (fclose(f) != 0) {
        fprintf(stderr, "trace step (c): cannot write %s\n", path);
        exit(1);
    }
}

int main(void) {
    const char *url = need_env("NATS_URL");
    const char *out = need_env("JB_TRACE_OUT");
    const char *stream = need_env("JB_TRACE_STREAM");

    jb_connect_options o;
    jb_connect_options_default(&o);
    o.servers = &url;
    o.servers_len = 1;
    o.name = "trace-step-c";
    o.connect_timeout_ms = 5000;
    jb_client *client = NULL;
    if (jb_client_connect(&o, &client) != JB_RESULT_OK) die("connect");

    const char *filter = "trace.shipments";
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "c";
    cc.filter_subjects = &filter;
    cc.filter_subjects_len = 1;
    jb_consumer *consumer = NULL;
    if (jb_client_create_consumer(client, stream, &cc, &consumer) != JB_RESULT_OK)
        die("create consumer c");

    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = 1;
    fo.max_wait_ms = 12000;
    jb_message *msg = NULL;
    size_t n = 0;
    if (jb_consumer_fetch(consumer, &fo, &msg, 1, &n) != JB_RESULT_OK) die("fetch");
    if (n != 1) {
        fprintf(stderr, "trace step (c): no message on %s within %llu ms\n", filter,
                (unsigned long long)fo.max_wait_ms);
        return 1;
    }

    int64_t start_ns = now_ns();
    jb_trace_context *parent = NULL;
    jb_span_spec *span = NULL;
    if (jb_message_trace_context(msg, &parent) != JB_RESULT_OK) die("trace context");
    if (parent == NULL) {
        fprintf(stderr, "trace step (c): the message carries no trace context\n");
        return 1;
    }
    if (jb_message_process_span(msg, &span) != JB_RESULT_OK) die("process span");
    if (jb_message_ack_sync(msg) != JB_RESULT_OK) die("ack");
    int64_t end_ns = now_ns();

    char span_id[17];
    random_span_id(span_id);
    write_span(out, span, parent, span_id, start_ns, end_ns);

    jb_span_spec_free(span);
    jb_trace_context_free(parent);
    jb_message_free(msg);
    jb_consumer_free(consumer);
    jb_client_close(client);
    jb_client_free(client);
    return 0;
}
