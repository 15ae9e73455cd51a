#include "printing.h"

#include <string.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "record.h"

#define A (&g_step)

json *print_msg_id(const char *id, size_t len) {
    if (id == NULL) return json_null(A);
    if (len >= 3 && memcmp(id, "jb-", 3) == 0) return json_str(A, "<generated>");
    return json_strn(A, id, len);
}

/** A payload as text: UTF-8 with each maximal invalid subpart replaced by
 *  U+FFFD (Rust's String::from_utf8_lossy), or "<N bytes>" when long. */
json *print_data(const uint8_t *payload, size_t len) {
    if (len > MAX_PRINTED_DATA) return json_str(A, arena_printf(A, "<%zu bytes>", len));
    char *out = arena_alloc(A, len * 3 + 1);
    size_t o = 0, i = 0;
    while (i < len) {
        size_t bad;
        size_t n = utf8_seq(payload + i, len - i, &bad);
        if (n > 0) {
            memcpy(out + o, payload + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += bad;
        }
    }
    return json_strn(A, out, o);
}

static bool starts_nats(const jb_str *name) {
    static const char prefix[] = "nats-";
    if (name->len < 5) return false;
    for (size_t i = 0; i < 5; i++) {
        char c = name->ptr[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

static int cmp_str(const jb_str *x, const jb_str *y) {
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->ptr, y->ptr, n) : 0;
    if (c != 0) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/** Headers without Nats-*, sorted by name (stable: values of one name keep their order). */
json *print_headers(const jb_header *headers, size_t len) {
    const jb_header **kept = arena_alloc(A, (len + 1) * sizeof *kept);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!starts_nats(&headers[i].name)) kept[n++] = &headers[i];
    for (size_t i = 1; i < n; i++) { /* insertion sort: stable */
        const jb_header *h = kept[i];
        size_t j = i;
        while (j > 0 && cmp_str(&kept[j - 1]->name, &h->name) > 0) {
            kept[j] = kept[j - 1];
            j--;
        }
        kept[j] = h;
    }
    json *arr = json_array(A);
    for (size_t i = 0; i < n; i++) {
        json *pair = json_array(A);
        json_push(A, pair, json_strn(A, kept[i]->name.ptr, kept[i]->name.len));
        json_push(A, pair, json_strn(A, kept[i]->value.ptr, kept[i]->value.len));
        json_push(A, arr, pair);
    }
    return arr;
}


json *print_pub_ack(const jb_pub_ack *ack) {
    json *o = json_object(A);
    json_set(A, o, "stream", json_str(A, ack->stream));
    json_set(A, o, "seq", json_uint(A, ack->sequence));
    json_set(A, o, "duplicate", json_bool(A, ack->duplicate));
    json_set(A, o, "msg_id", print_msg_id(ack->msg_id, ack->msg_id ? strlen(ack->msg_id) : 0));
    return o;
}

json *print_message(const jb_message_view *m, const jb_str *msg_id) {
    json *o = json_object(A);
    json_set(A, o, "stream", json_strn(A, m->stream.ptr, m->stream.len));
    json_set(A, o, "seq", json_uint(A, m->stream_sequence));
    json_set(A, o, "consumer_seq", json_uint(A, m->consumer_sequence));
    json_set(A, o, "subject", json_strn(A, m->subject.ptr, m->subject.len));
    json_set(A, o, "data", print_data(m->payload, m->payload_len));
    json_set(A, o, "delivered", json_uint(A, m->delivered));
    json_set(A, o, "pending", json_uint(A, m->pending));
    json_set(A, o, "headers", print_headers(m->headers, m->headers_len));
    json_set(A, o, "msg_id", msg_id == NULL ? json_null(A) : print_msg_id(msg_id->ptr, msg_id->len));
    json_set(A, o, "has_timestamp", json_bool(A, m->timestamp_ns > 0));
    return o;
}

json *print_stored(const jb_stored_message *m) {
    const jb_str *id = NULL;
    for (size_t i = 0; i < m->headers_len && id == NULL; i++) {
        const jb_str *n = &m->headers[i].name;
        if (n->len == 11 && strncasecmp(n->ptr, "Nats-Msg-Id", 11) == 0) id = &m->headers[i].value;
    }
    json *o = json_object(A);
    json_set(A, o, "seq", json_uint(A, m->sequence));
    json_set(A, o, "subject", json_str(A, m->subject));
    json_set(A, o, "data", print_data(m->payload, m->payload_len));
    json_set(A, o, "headers", print_headers(m->headers, m->headers_len));
    json_set(A, o, "msg_id", id == NULL ? json_null(A) : print_msg_id(id->ptr, id->len));
    json_set(A, o, "has_timestamp", json_bool(A, m->timestamp_ns > 0));
    return o;
}

/* STREAM_INFO: the configuration is every declared field (record.h). */
json *print_stream_info(const jb_stream_info *info) {
    char *text = NULL;
    jb_result rc = jb_stream_config_to_json(info->config, &text);
    json *cfg = record_print(rc, text, jb_stream_config_schema(), NULL);
    if (cfg == NULL) return NULL;
    json *st = json_object(A);
    json_set(A, st, "messages", json_uint(A, info->messages));
    json_set(A, st, "bytes", json_uint(A, info->bytes));
    json_set(A, st, "first_seq", json_uint(A, info->first_sequence));
    json_set(A, st, "last_seq", json_uint(A, info->last_sequence));
    json_set(A, st, "consumers", json_uint(A, info->consumers));
    json *o = json_object(A);
    json_set(A, o, "config", cfg);
    json_set(A, o, "state", st);
    return o;
}

static const char *deliver_policy(uint32_t start) {
    switch (start) {
    case JB_START_ALL: return "all";
    case JB_START_LAST: return "last";
    case JB_START_LAST_PER_SUBJECT: return "last_per_subject";
    case JB_START_NEW: return "new";
    case JB_START_SEQUENCE: return "by_start_sequence";
    case JB_START_TIME: return "by_start_time";
    default: return "?";
    }
}

/* CONFIG: every declared field (record.h); the start position and the
 * deliver subject as SPEC §3 prints them. */
json *print_consumer_config(const jb_consumer_config *c) {
    char *text = NULL;
    jb_result rc = jb_consumer_config_to_json(c, &text);
    static const char *const special[] = {"start", "deliver_subject", NULL};
    json *o = record_print(rc, text, jb_consumer_config_schema(), special);
    if (o == NULL) return NULL;
    json_set(A, o, "deliver_policy", json_str(A, deliver_policy(c->start)));
    json_set(A, o, "opt_start_seq", c->start == JB_START_SEQUENCE ? json_uint(A, c->start_sequence) : json_null(A));
    json_set(A, o, "has_start_time", json_bool(A, c->start == JB_START_TIME));
    json_set(A, o, "push", json_bool(A, c->deliver_subject != NULL));
    return o;
}

json *print_consumer_name(const jb_consumer_config *c, const char *name) {
    return c->durable_name != NULL ? json_str(A, name) : json_str(A, "<ephemeral>");
}

json *print_consumer_state(const jb_consumer_info *info) {
    json *o = json_object(A);
    json_set(A, o, "delivered_consumer_seq", json_uint(A, info->delivered.consumer_sequence));
    json_set(A, o, "delivered_stream_seq", json_uint(A, info->delivered.stream_sequence));
    json_set(A, o, "ack_floor_consumer_seq", json_uint(A, info->ack_floor.consumer_sequence));
    json_set(A, o, "ack_floor_stream_seq", json_uint(A, info->ack_floor.stream_sequence));
    json_set(A, o, "num_ack_pending", json_uint(A, info->num_ack_pending));
    json_set(A, o, "num_redelivered", json_uint(A, info->num_redelivered));
    json_set(A, o, "num_pending", json_uint(A, info->num_pending));
    return o;
}

json *print_consumer_info(const jb_consumer_info *info) {
    json *o = json_object(A);
    json_set(A, o, "stream", json_str(A, info->stream));
    json_set(A, o, "name", print_consumer_name(info->config, info->name));
    json_set(A, o, "config", print_consumer_config(info->config));
    json_set(A, o, "state", print_consumer_state(info));
    return o;
}

json *print_flush_report(const jb_flush_report *r) {
    json *failures = json_array(A);
    for (size_t i = 0; i < r->failures_len; i++) {
        const jb_publish_failure *f = &r->failures[i];
        json *o = json_object(A);
        json_set(A, o, "ticket", json_uint(A, f->ticket));
        json_set(A, o, "msg_id", print_msg_id(f->msg_id, f->msg_id ? strlen(f->msg_id) : 0));
        json_set(A, o, "subject", json_str(A, f->subject));
        json_set(A, o, "error", json_str(A, jb_result_name(f->result)));
        json_push(A, failures, o);
    }
    json *o = json_object(A);
    json_set(A, o, "acked", json_uint(A, r->acked));
    json_set(A, o, "duplicates", json_uint(A, r->duplicates));
    json_set(A, o, "failures", failures);
    return o;
}

json *print_counters(const jb_counters *c) {
    json *o = json_object(A);
    /* jb_counters is one uint64_t per counter, in jb_counter_name order. */
    const uint64_t *values = (const uint64_t *)c;
    for (size_t i = 0; jb_counter_name(i) != NULL; i++) json_set(A, o, jb_counter_name(i), json_uint(A, values[i]));
    return o;
}
