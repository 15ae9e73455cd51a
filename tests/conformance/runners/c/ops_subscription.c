/* Continuous consumption: `messages` (durable pull), `replay` (ordered),
 * `push_subscribe`, and reading them with `next` / `next_group`
 * (jb_subscription_recv_many). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"
#include "record.h"

#define A (&g_step)

/* Pull tuning from the keys that are jb_messages_options fields (`batch`,
 * `heartbeat_ms`, …), read by the core (record.h); the caller frees *o. */
static bool pull_options(args *a, jb_messages_options **o) {
    const char *wire = record_wire_arg(a, jb_messages_options_schema(), NULL);
    if (wire == NULL) return false;
    jb_result rc = jb_messages_options_from_json(wire, o);
    if (rc != JB_RESULT_OK) fail_binding(rc);
    return rc == JB_RESULT_OK;
}

static json *keep(state *st, const char *alias, jb_result rc, jb_subscription *sub) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    state_put_stream(st, alias, sub);
    return json_object(A);
}

/* A continuous pull from the consumer `consumer`, stored as `as`. */
/* A replay's `speed`: one of the core's names. */
static bool replay_speed(const char *value, uint32_t *out) {
    if (strcmp(value, "instant") == 0) *out = JB_REPLAY_SPEED_INSTANT;
    else if (strcmp(value, "original") == 0) *out = JB_REPLAY_SPEED_ORIGINAL;
    else {
        fail_unsupported("replay speed \"%s\"", value);
        return false;
    }
    return true;
}

json *op_messages(state *st, args *a) {
    const char *consumer, *alias;
    if (!args_required_string(a, "consumer", &consumer) || !args_required_string(a, "as", &alias)) return NULL;
    consumer_entry *e = state_consumer(st, consumer);
    jb_messages_options *o = NULL;
    if (e == NULL || !pull_options(a, &o)) return NULL;
    jb_subscription *sub = NULL;
    jb_result rc = jb_consumer_messages(e->consumer, o, &sub);
    jb_messages_options_free(o);
    return keep(st, alias, rc, sub);
}

/* An ordered replay of `stream`, stored as `as`. */
json *op_replay(state *st, args *a) {
    const char *stream, *alias;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "as", &alias)) return NULL;
    jb_replay_options o;
    jb_replay_options_default(&o);
    bool has;
    const char **filters;
    if (!args_strings(a, "filter_subjects", &has, &filters, &o.filter_subjects_len)) return NULL;
    o.filter_subjects = filters;
    args *s;
    if (!args_object(a, "start", &s)) return NULL;
    if (s != NULL) {
        jb_client *client = state_client(st);
        if (client == NULL) return NULL;
        if (!start_position(client, stream, s, &o.start, &o.start_sequence, &o.start_time_ns)) return NULL;
    }
    const char *speed;
    if (!args_string(a, "speed", &speed)) return NULL;
    if (speed != NULL && !replay_speed(speed, &o.speed)) return NULL;
    jb_client *client = state_client(st);
    jb_messages_options *m = NULL;
    if (client == NULL || !pull_options(a, &m)) return NULL;
    o.messages = m;
    jb_subscription *sub = NULL;
    jb_result rc = jb_client_replay(client, stream, &o, &sub);
    jb_messages_options_free(m);
    return keep(st, alias, rc, sub);
}

/* Creates or joins a push consumer, stored as `as`. */
json *op_push_subscribe(state *st, args *a) {
    const char *stream, *alias;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "as", &alias)) return NULL;
    args *c;
    if (!args_object(a, "config", &c)) return NULL;
    if (c != NULL && state_client(st) == NULL) return NULL;
    jb_consumer_config config;
    if (!consumer_config(st, stream, c, &config)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_subscription *sub = NULL;
    jb_result rc = jb_client_push_subscribe(client, stream, &config, &sub);
    return keep(st, alias, rc, sub);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* Up to `max` (default 1) messages from `from`, waiting at most `wait_ms`
 * (default 5000) in total; returns early once `max` arrived. */
json *op_next(state *st, args *a) {
    const char *from;
    bool has;
    uint64_t max = 1, wait = 5000;
    if (!args_required_string(a, "from", &from)) return NULL;
    if (!args_u64(a, "max", &has, &max)) return NULL;
    if (!has) max = 1;
    if (!args_u64(a, "wait_ms", &has, &wait)) return NULL;
    if (!has) wait = 5000;
    jb_subscription *sub = state_stream(st, from);
    if (sub == NULL) return NULL;
    jb_message **got = calloc(max + 1, sizeof *got);
    if (got == NULL) return fail_runner("cannot allocate %llu message slots", (unsigned long long)max);
    size_t n = 0;
    double deadline = now_ms() + (double)wait;
    while (n < max) {
        double left = deadline - now_ms();
        if (left <= 0) break;
        size_t k = 0;
        /* whole milliseconds, rounded up so that a fraction still waits */
        uint64_t left_ms = (uint64_t)left + ((double)(uint64_t)left < left ? 1 : 0);
        jb_result rc = jb_subscription_recv_many(sub, max - n, left_ms, got + n, &k);
        if (rc != JB_RESULT_OK) {
            fail_binding(rc);
            jb_messages_free(got, n);
            free(got);
            return NULL;
        }
        n += k;
    }
    json *list = json_array(A);
    for (size_t i = 0; i < n; i++) {
        jb_message_view v;
        jb_str id;
        jb_message_read(got[i], &v);
        bool has_id = jb_message_header(got[i], "Nats-Msg-Id", &id) == JB_RESULT_OK;
        json_push(A, list, print_message(&v, has_id ? &id : NULL));
    }
    for (size_t i = 0; i < n; i++) state_remember(st, from, got[i]);
    free(got);
    json *out = json_object(A);
    json_set(A, out, "count", json_uint(A, n));
    json_set(A, out, "messages", list);
    return out;
}

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Reads the members `from` in turn (up to 64 messages, 20 ms each), acking
 * every message, until `count` arrived or `wait_ms` (default 10000) passed;
 * then reads on for `settle_ms` (default 300) to catch any extra delivery. */
json *op_next_group(state *st, args *a) {
    const char **members;
    size_t members_len;
    bool has;
    if (!args_strings(a, "from", &has, &members, &members_len)) return NULL;
    if (!has) return fail_runner("argument from is required");
    uint64_t count = 0, wait = 10000, settle = 300;
    if (!args_u64(a, "count", &has, &count)) return NULL;
    if (!has) count = 0;
    if (!args_u64(a, "wait_ms", &has, &wait)) return NULL;
    if (!has) wait = 10000;
    if (!args_u64(a, "settle_ms", &has, &settle)) return NULL;
    if (!has) settle = 300;
    jb_subscription **subs = arena_alloc(A, (members_len + 1) * sizeof *subs);
    for (size_t i = 0; i < members_len; i++)
        if ((subs[i] = state_stream(st, members[i])) == NULL) return NULL;
    bool *used = arena_alloc(A, members_len + 1);
    size_t seqs_len = 0, seqs_cap = 64;
    uint64_t *seqs = malloc(seqs_cap * sizeof *seqs);
    uint64_t received = 0, duplicates = 0;
    double deadline = now_ms() + (double)wait, settle_end = -1;
    jb_message *batch[64];
    json *result = NULL;
    for (;;) {
        double now = now_ms();
        if (settle_end >= 0) {
            if (now >= settle_end) break;
        } else if (received >= count) {
            settle_end = now + (double)settle;
        } else if (now >= deadline) {
            break;
        }
        for (size_t i = 0; i < members_len; i++) {
            size_t n = 0;
            jb_result rc = jb_subscription_recv_many(subs[i], 64, 20, batch, &n);
            if (rc != JB_RESULT_OK) {
                fail_binding(rc);
                goto out;
            }
            for (size_t k = 0; k < n; k++) {
                jb_message_view v;
                jb_message_read(batch[k], &v);
                received++;
                used[i] = true;
                bool seen = false;
                for (size_t j = 0; j < seqs_len && !seen; j++) seen = seqs[j] == v.stream_sequence;
                if (seen) duplicates++;
                else {
                    if (seqs_len == seqs_cap) seqs = realloc(seqs, (seqs_cap *= 2) * sizeof *seqs);
                    seqs[seqs_len++] = v.stream_sequence;
                }
                rc = jb_message_ack(batch[k]);
                if (rc != JB_RESULT_OK) {
                    fail_binding(rc);
                    jb_messages_free(batch + k, n - k);
                    goto out;
                }
                jb_message_free(batch[k]);
            }
        }
    }
    qsort(seqs, seqs_len, sizeof *seqs, cmp_u64);
    size_t members_used = 0;
    for (size_t i = 0; i < members_len; i++) {
        /* a member named twice counts once, as the set of names does */
        bool earlier = false;
        for (size_t j = 0; j < i && !earlier; j++) earlier = used[j] && strcmp(members[j], members[i]) == 0;
        if (used[i] && !earlier) members_used++;
    }
    json *list = json_array(A);
    for (size_t i = 0; i < seqs_len; i++) json_push(A, list, json_uint(A, seqs[i]));
    result = json_object(A);
    json_set(A, result, "received", json_uint(A, received));
    json_set(A, result, "duplicates", json_uint(A, duplicates));
    json_set(A, result, "seqs", list);
    json_set(A, result, "members_used", json_uint(A, members_used));
out:
    free(seqs);
    return result;
}

/* Stops the stream `from` (buffered messages stay readable). */
json *op_stop(state *st, args *a) {
    const char *from;
    if (!args_required_string(a, "from", &from)) return NULL;
    jb_subscription *sub = state_stream(st, from);
    if (sub == NULL) return NULL;
    jb_result rc = jb_subscription_stop(sub);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}
