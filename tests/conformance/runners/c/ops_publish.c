/* publish, publish_many, publish_batch and the pipelined publisher. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"
#include "record.h"

#define A (&g_step)

static jb_str opt_str(const char *s) { return s == NULL ? JB_STR_NULL : (jb_str){s, strlen(s)}; }

/* A message from its scenario description: `subject`, `data` (text, default
 * empty) or `data_size` (that many `x` bytes), `headers`, `msg_id`, `expect`,
 * `ttl_ms` (0 and absent alike: none). */
static bool message(args *a, jb_publish_message *m) {
    memset(m, 0, sizeof *m);
    const char *text;
    bool has_size, has;
    uint64_t size;
    if (!args_string(a, "data", &text) || !args_u64(a, "data_size", &has_size, &size)) return false;
    if (text != NULL && has_size) {
        fail_runner("give data or data_size, not both");
        return false;
    }
    if (text != NULL) {
        m->payload = (const uint8_t *)text;
        m->payload_len = strlen(text);
    } else if (has_size) {
        uint8_t *p = arena_alloc(A, size + 1);
        memset(p, 'x', size);
        m->payload = p;
        m->payload_len = size;
    }
    const char *subject;
    if (!args_required_string(a, "subject", &subject)) return false;
    m->subject = opt_str(subject);
    jb_header *headers;
    if (!args_pairs(a, "headers", &has, &headers, &m->headers_len)) return false;
    m->headers = headers;
    const char *msg_id;
    if (!args_string(a, "msg_id", &msg_id)) return false;
    m->msg_id = opt_str(msg_id);
    if (!args_u64(a, "ttl_ms", &has, &m->ttl_ms)) return false;
    args *e;
    if (!args_object(a, "expect", &e)) return false;
    if (e != NULL) {
        const char *s;
        if (!args_string(e, "stream", &s)) return false;
        m->expect.stream = opt_str(s);
        if (!args_u64(e, "last_sequence", &m->expect.has_last_sequence, &m->expect.last_sequence)) return false;
        if (!args_string(e, "last_msg_id", &s)) return false;
        m->expect.last_msg_id = opt_str(s);
        if (!args_u64(e, "last_subject_sequence", &m->expect.has_last_subject_sequence,
                      &m->expect.last_subject_sequence))
            return false;
    }
    return true;
}

bool publish_message_arg(args *a, jb_publish_message *m) { return message(a, m); }

static bool message_list(args *a, jb_publish_message **out, size_t *len) {
    args **items;
    bool has;
    if (!args_objects(a, "messages", &has, &items, len)) return false;
    *out = arena_alloc(A, (*len + 1) * sizeof **out);
    for (size_t i = 0; i < *len; i++)
        if (!message(items[i], &(*out)[i])) return false;
    return true;
}

json *op_publish(state *st, args *a) {
    jb_publish_message m;
    if (!message(a, &m)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_pub_ack *ack = NULL;
    jb_result rc = jb_client_publish(client, &m, &ack);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *printed = print_pub_ack(ack);
    jb_pub_ack_free(ack);
    return printed;
}

/* One outcome per message, in order: PUBACK or {"error": KIND}. */
json *op_publish_many(state *st, args *a) {
    jb_publish_message *msgs;
    size_t len;
    if (!message_list(a, &msgs, &len)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_publish_results *results = NULL;
    jb_result rc = jb_client_publish_many(client, msgs, len, &results);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *list = json_array(A);
    for (size_t i = 0; i < results->len; i++) {
        const jb_publish_outcome *r = &results->items[i];
        if (r->result == JB_RESULT_OK) {
            json_push(A, list, print_pub_ack(&r->ack));
        } else {
            log_line("  core error (message %zu): %s", i, r->error ? r->error : "");
            json *e = json_object(A);
            json_set(A, e, "error", json_str(A, jb_result_name(r->result)));
            json_push(A, list, e);
        }
    }
    jb_publish_results_free(results);
    json *out = json_object(A);
    json_set(A, out, "results", list);
    return out;
}

/* `messages` sent `repeat` times over (default 1) as one atomic batch:
 * {"stream", "seq" (of the last message), "count"}; the batch id is never
 * printed. */
json *op_publish_batch(state *st, args *a) {
    jb_publish_message *msgs;
    size_t len;
    if (!message_list(a, &msgs, &len)) return NULL;
    bool has;
    uint64_t repeat = 1;
    if (!args_u64(a, "repeat", &has, &repeat)) return NULL;
    if (!has) repeat = 1;
    jb_publish_message *batch = arena_alloc(A, (len * repeat + 1) * sizeof *batch);
    for (uint64_t r = 0; r < repeat; r++)
        for (size_t i = 0; i < len; i++) batch[r * len + i] = msgs[i];
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_batch_ack *ack = NULL;
    jb_result rc = jb_client_publish_batch(client, batch, len * repeat, &ack);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = json_object(A);
    json_set(A, out, "stream", json_str(A, ack->stream));
    json_set(A, out, "seq", json_uint(A, ack->sequence));
    json_set(A, out, "count", json_uint(A, ack->count));
    jb_batch_ack_free(ack);
    return out;
}

/* Prints the window sizes in effect: the options the publisher was made
 * with, the core's defaults filled in (record.h). */
json *op_publisher_open(state *st, args *a) {
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    const char *wire = record_wire_arg(a, jb_publisher_options_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_publisher_options *o = NULL;
    jb_result rc = jb_publisher_options_from_json(wire, &o);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_publisher *p = NULL;
    rc = jb_publisher_new(client, o, &p);
    char *text = NULL;
    if (rc == JB_RESULT_OK) {
        state_set_publisher(st, p);
        rc = jb_publisher_options_to_json(o, &text);
    }
    jb_publisher_options_free(o);
    return record_print(rc, text, jb_publisher_options_schema(), NULL);
}

json *op_publisher_publish(state *st, args *a) {
    jb_publish_message m;
    if (!message(a, &m)) return NULL;
    jb_publisher *p = state_publisher(st);
    if (p == NULL) return NULL;
    uint64_t ticket;
    jb_result rc = jb_publisher_publish(p, &m, &ticket);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = json_object(A);
    json_set(A, out, "ticket", json_uint(A, ticket));
    return out;
}

json *op_publisher_publish_many(state *st, args *a) {
    jb_publish_message *msgs;
    size_t len;
    if (!message_list(a, &msgs, &len)) return NULL;
    jb_publisher *p = state_publisher(st);
    if (p == NULL) return NULL;
    uint64_t *tickets = arena_alloc(A, (len + 1) * sizeof *tickets);
    jb_result rc = jb_publisher_publish_many(p, msgs, len, tickets);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *list = json_array(A);
    for (size_t i = 0; i < len; i++) json_push(A, list, json_uint(A, tickets[i]));
    json *out = json_object(A);
    json_set(A, out, "tickets", list);
    return out;
}

static json *report_result(jb_result rc, jb_flush_report *r) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    for (size_t i = 0; i < r->failures_len; i++)
        log_line("  core error (ticket %llu): %s", (unsigned long long)r->failures[i].ticket,
                 r->failures[i].error ? r->failures[i].error : "");
    json *printed = print_flush_report(r);
    jb_flush_report_free(r);
    return printed;
}

json *op_publisher_flush(state *st, args *a) {
    (void)a;
    jb_publisher *p = state_publisher(st);
    if (p == NULL) return NULL;
    jb_flush_report *r = NULL;
    jb_result rc = jb_publisher_flush(p, &r);
    return report_result(rc, r);
}

json *op_publisher_close(state *st, args *a) {
    (void)a;
    jb_publisher *p = state_publisher(st);
    if (p == NULL) return NULL;
    jb_flush_report *r = NULL;
    jb_result rc = jb_publisher_close(p, &r);
    return report_result(rc, r);
}
