/* Consumer administration and fetch. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "canonical.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"
#include "record.h"

#define A (&g_step)

/* The configuration of the previous call: it backs the struct that call
 * filled, which a step uses only until its next configuration. */
static jb_consumer_config *g_config;

/* A consumer configuration from a scenario's config object, read by the core
 * (record.h: this lists no field); `start` is resolved by start_position. */
bool consumer_config(state *st, const char *stream, args *a, jb_consumer_config *c) {
    jb_consumer_config_default(c);
    if (a == NULL) return true;
    const char *wire = record_wire_arg(a, jb_consumer_config_schema(), "start");
    if (wire == NULL) return false;
    jb_consumer_config_free(g_config);
    g_config = NULL;
    jb_result rc = jb_consumer_config_from_json(wire, &g_config);
    if (rc != JB_RESULT_OK) {
        fail_binding(rc);
        return false;
    }
    *c = *g_config;
    args *s;
    if (!args_object(a, "start", &s)) return false;
    if (s != NULL) {
        jb_client *client = state_client(st);
        if (client == NULL) return false;
        if (!start_position(client, stream, s, &c->start, &c->start_sequence, &c->start_time_ns)) return false;
    }
    return true;
}

/* The config object under key (defaults when absent); *given says whether it was. */
static bool config_arg(state *st, const char *stream, args *a, const char *key, jb_consumer_config *c, bool *given) {
    args *obj;
    if (!args_object(a, key, &obj)) return false;
    *given = obj != NULL;
    if (obj != NULL && state_client(st) == NULL) return false;
    return consumer_config(st, stream, obj, c);
}

/* Stores a new consumer handle under `as` (else its durable name) and prints
 * it. The handle's stream and name come from its info (the C binding has no
 * other accessor); the alias is read after the binding call, so the core
 * judges a configuration first. */
static json *keep(state *st, args *a, jb_consumer *consumer, const char *bound_name) {
    jb_consumer_info *info = NULL;
    jb_result rc = jb_consumer_get_info(consumer, &info);
    if (rc != JB_RESULT_OK) {
        jb_consumer_free(consumer);
        return fail_binding(rc);
    }
    const char *alias;
    if (!args_string(a, "as", &alias)) goto fail;
    if (alias == NULL) alias = bound_name != NULL ? bound_name : info->config->durable_name;
    if (alias == NULL) {
        fail_runner("an ephemeral consumer needs \"as\"");
        goto fail;
    }
    json *printed = json_object(A);
    json_set(A, printed, "stream", json_str(A, info->stream));
    json_set(A, printed, "name", print_consumer_name(info->config, info->name));
    state_put_consumer(st, alias, consumer, info->stream, info->name);
    jb_consumer_info_free(info);
    return printed;
fail:
    jb_consumer_info_free(info);
    jb_consumer_free(consumer);
    return NULL;
}

typedef jb_result (*put_fn)(const jb_client *, const char *, const jb_consumer_config *, jb_consumer **);

static json *put(state *st, args *a, put_fn fn) {
    const char *stream;
    if (!args_required_string(a, "stream", &stream)) return NULL;
    jb_consumer_config c;
    bool given;
    if (!config_arg(st, stream, a, "config", &c, &given)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_consumer *consumer = NULL;
    jb_result rc = fn(client, stream, &c, &consumer);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    return keep(st, a, consumer, NULL);
}

json *op_create_consumer(state *st, args *a) { return put(st, a, jb_client_create_consumer); }
json *op_update_consumer(state *st, args *a) { return put(st, a, jb_client_update_consumer); }
json *op_get_or_create_consumer(state *st, args *a) { return put(st, a, jb_client_get_or_create_consumer); }

/* With `expected`, a differing configuration is CONFIG_MISMATCH. */
json *op_bind_consumer(state *st, args *a) {
    const char *stream, *name;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "name", &name)) return NULL;
    jb_consumer_config c;
    bool given;
    if (!config_arg(st, stream, a, "expected", &c, &given)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_consumer *consumer = NULL;
    jb_result rc = jb_client_bind_consumer(client, stream, name, given ? &c : NULL, &consumer);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    return keep(st, a, consumer, name);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* By `consumer` alias, or by `stream` and `name`. With `wait_for`, re-reads
 * every 50 ms (up to `timeout_ms`, default 5000) until each listed state
 * field has the given value, then prints the last info. */
json *op_consumer_info(state *st, args *a) {
    const json *wait_for = args_raw(a, "wait_for");
    if (wait_for != NULL && wait_for->kind != JSON_OBJECT) wait_for = NULL;
    bool has;
    uint64_t timeout_ms = 5000;
    if (!args_u64(a, "timeout_ms", &has, &timeout_ms)) return NULL;
    if (!has) timeout_ms = 5000;
    const char *alias, *stream, *name;
    if (!args_string(a, "consumer", &alias)) return NULL;
    if (alias != NULL) {
        consumer_entry *e = state_consumer(st, alias);
        if (e == NULL) return NULL;
        stream = e->stream;
        name = e->name;
    } else if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "name", &name)) {
        return NULL;
    }
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    double deadline = now_ms() + (double)timeout_ms;
    for (;;) {
        jb_consumer_info *info = NULL;
        jb_result rc = jb_client_consumer_info(client, stream, name, &info);
        if (rc != JB_RESULT_OK) return fail_binding(rc);
        json *state_now = print_consumer_state(info);
        bool settled = true;
        for (size_t i = 0; wait_for != NULL && i < wait_for->len && settled; i++) {
            const json *v = json_get(state_now, wait_for->keys[i]);
            settled = v != NULL && json_equal(v, wait_for->items[i]);
        }
        if (settled || now_ms() >= deadline) {
            json *printed = print_consumer_info(info);
            jb_consumer_info_free(info);
            return printed;
        }
        jb_consumer_info_free(info);
        sleep_ms(50);
    }
}

json *op_delete_consumer(state *st, args *a) {
    const char *stream, *name;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "name", &name)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_result rc = jb_client_delete_consumer(client, stream, name);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

static json *fetch(state *st, const char *alias, const jb_fetch_options *o) {
    consumer_entry *e = state_consumer(st, alias);
    if (e == NULL) return NULL;
    size_t capacity = o->max_messages > 0 ? o->max_messages : 1;
    jb_message **batch = calloc(capacity, sizeof *batch);
    if (batch == NULL) return fail_runner("cannot allocate %zu message slots", capacity);
    size_t n = 0;
    jb_result rc = jb_consumer_fetch(e->consumer, o, batch, capacity, &n);
    if (rc != JB_RESULT_OK) {
        free(batch);
        return fail_binding(rc);
    }
    json *list = json_array(A);
    for (size_t i = 0; i < n; i++) {
        jb_message_view v;
        jb_str id;
        jb_message_read(batch[i], &v);
        bool has_id = jb_message_header(batch[i], "Nats-Msg-Id", &id) == JB_RESULT_OK;
        json_push(A, list, print_message(&v, has_id ? &id : NULL));
    }
    for (size_t i = 0; i < n; i++) state_remember(st, alias, batch[i]);
    free(batch);
    json *out = json_object(A);
    json_set(A, out, "count", json_uint(A, n));
    json_set(A, out, "messages", list);
    return out;
}

/* A fetch from the consumer `consumer`, the other keys being the fields of
 * jb_fetch_options, read by the core (record.h); zero messages is a result.
 * The fetched handles are remembered for acks.
 *
 * `cancel_after_ms` (SPEC.md §4.4): C has no cancellation of a blocking
 * call, so the runner bounds the fetch the way a C program would, with
 * `max_wait_ms` set to it; such a fetch that returns no message prints
 * {"cancelled": true}, one that got messages prints them. */
json *op_fetch(state *st, args *a) {
    const char *alias;
    bool cancel = false;
    uint64_t cancel_after_ms = 0;
    if (!args_required_string(a, "consumer", &alias)) return NULL;
    const char *wire = record_wire_arg(a, jb_fetch_options_schema(), "cancel_after_ms");
    if (wire == NULL) return NULL;
    if (!args_u64(a, "cancel_after_ms", &cancel, &cancel_after_ms)) return NULL;
    jb_fetch_options *o = NULL;
    jb_result rc = jb_fetch_options_from_json(wire, &o);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    if (cancel) o->max_wait_ms = cancel_after_ms;
    json *out = fetch(st, alias, o);
    jb_fetch_options_free(o);
    if (cancel && out != NULL && json_get(out, "messages")->len == 0) {
        out = json_object(A);
        json_set(A, out, "cancelled", json_bool(A, true));
    }
    return out;
}

/* PAUSE_STATE: the declared jb_consumer_pause_state printed as any declared
 * type (record.h), without pause_remaining (it depends on timing). */
static json *pause_state(jb_result rc, jb_consumer_pause_state *ps) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    static const char *const skip[] = {"pause_remaining", NULL};
    char *text = NULL;
    jb_result trc = jb_consumer_pause_state_to_json(ps, &text);
    jb_consumer_pause_state_free(ps);
    return record_print(trc, text, jb_consumer_pause_state_schema(), skip);
}

/* Until `until` (Unix nanoseconds) -> PAUSE_STATE. */
json *op_pause_consumer(state *st, args *a) {
    const char *stream, *name;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "name", &name)) return NULL;
    bool has;
    int64_t until = 0;
    if (!args_i64(a, "until", &has, &until)) return NULL;
    if (!has) return fail_runner("argument until is required");
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_consumer_pause_state *ps = NULL;
    jb_result rc = jb_client_pause_consumer(client, stream, name, until, &ps);
    return pause_state(rc, ps);
}

json *op_resume_consumer(state *st, args *a) {
    const char *stream, *name;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "name", &name)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_consumer_pause_state *ps = NULL;
    jb_result rc = jb_client_resume_consumer(client, stream, name, &ps);
    return pause_state(rc, ps);
}

json *op_unpin_consumer(state *st, args *a) {
    const char *stream, *name, *group;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "name", &name) ||
        !args_required_string(a, "group", &group))
        return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_result rc = jb_client_unpin_consumer(client, stream, name, group);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}
