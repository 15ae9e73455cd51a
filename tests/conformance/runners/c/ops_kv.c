/* Key-value buckets and watches (SPEC.md §4.11). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"
#include "record.h"

#define A (&g_step)

/* ENTRY. The value is text: lossy UTF-8 like every payload (print_data),
 * exact bytes past its print limit. */
static json *print_entry(const jb_kv_entry *e) {
    static const char *const OPERATIONS[] = {"put", "delete", "purge"};
    json *o = json_object(A);
    json_set(A, o, "bucket", json_str(A, e->bucket));
    json_set(A, o, "key", json_str(A, e->key));
    json_set(A, o, "value",
             e->value_len <= MAX_PRINTED_DATA ? print_data(e->value, e->value_len)
                                              : json_strn(A, (const char *)e->value, e->value_len));
    json_set(A, o, "revision", json_uint(A, e->revision));
    json_set(A, o, "operation", json_str(A, e->operation <= JB_KV_OPERATION_PURGE ? OPERATIONS[e->operation] : "?"));
    json_set(A, o, "has_created", json_bool(A, e->created_ns != 0));
    return o;
}

static json *bucket_result(state *st, args *a, jb_kv *kv) {
    const char *alias;
    if (!args_string(a, "as", &alias)) {
        jb_kv_free(kv);
        return NULL;
    }
    const char *name = jb_kv_bucket(kv);
    json *out = json_object(A);
    json_set(A, out, "bucket", json_str(A, name));
    state_put_bucket(st, alias != NULL ? alias : name, kv);
    return out;
}

/* kv_create, kv_create_or_update. */
static json *create_bucket(state *st, args *a, bool or_update) {
    args *c;
    if (!args_object(a, "config", &c)) return NULL;
    if (c == NULL) return fail_runner("%s needs \"config\"", or_update ? "kv_create_or_update" : "kv_create");
    const char *wire = record_wire_arg(c, jb_kv_config_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_kv_config *config = NULL;
    jb_result rc = jb_kv_config_from_json(wire, &config);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_client *client = state_client(st);
    jb_kv *kv = NULL;
    rc = client == NULL  ? JB_RESULT_OK
         : or_update     ? jb_client_create_or_update_kv(client, config, &kv)
                         : jb_client_create_kv(client, config, &kv);
    jb_kv_config_free(config);
    if (client == NULL) return NULL;
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    return bucket_result(st, a, kv);
}

json *op_kv_create(state *st, args *a) { return create_bucket(st, a, false); }
json *op_kv_create_or_update(state *st, args *a) { return create_bucket(st, a, true); }

/* KV_STATUS: the declared jb_kv_status printed as any declared type. */
json *op_kv_status(state *st, args *a) {
    const char *bucket;
    if (!args_required_string(a, "bucket", &bucket)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_kv_status *status = NULL;
    jb_result rc = jb_client_kv_status(client, bucket, &status);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    char *text = NULL;
    rc = jb_kv_status_to_json(status, &text);
    jb_kv_status_free(status);
    return record_print(rc, text, jb_kv_status_schema(), NULL);
}

json *names_result(const jb_kv_key_list *l) {
    json *names = json_array(A);
    for (size_t i = 0; i < l->len; i++) json_push(A, names, json_str(A, l->items[i]));
    json *out = json_object(A);
    json_set(A, out, "names", names);
    return out;
}

json *op_kv_names(state *st, args *a) {
    (void)a;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_kv_key_list *l = NULL;
    jb_result rc = jb_client_kv_names(client, &l);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = names_result(l);
    jb_kv_key_list_free(l);
    return out;
}

json *op_kv_open(state *st, args *a) {
    const char *bucket;
    if (!args_required_string(a, "bucket", &bucket)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_kv *kv = NULL;
    jb_result rc = jb_client_kv(client, bucket, &kv);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    return bucket_result(st, a, kv);
}

json *op_kv_delete_bucket(state *st, args *a) {
    const char *bucket;
    if (!args_required_string(a, "bucket", &bucket)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_result rc = jb_client_delete_kv(client, bucket);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

/* The bucket under `from` and the `key` argument. */
static jb_kv *from_key(state *st, args *a, const char **key) {
    const char *from;
    if (!args_required_string(a, "from", &from) || !args_required_string(a, "key", key)) return NULL;
    return state_bucket(st, from);
}

static json *revision_result(jb_result rc, uint64_t revision) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = json_object(A);
    json_set(A, out, "revision", json_uint(A, revision));
    return out;
}

/* kv_put, kv_create_key, kv_update: a write that returns its revision. */
static json *write(state *st, args *a, int which) {
    const char *key, *value;
    jb_kv *kv = from_key(st, a, &key);
    if (kv == NULL || !args_required_string(a, "value", &value)) return NULL;
    const uint8_t *v = (const uint8_t *)value;
    size_t len = strlen(value);
    uint64_t revision = 0, expected = 0;
    jb_result rc;
    if (which == 0) {
        rc = jb_kv_put(kv, key, v, len, &revision);
    } else if (which == 1) {
        bool has_ttl;
        uint64_t ttl_ms = 0;
        if (!args_u64(a, "ttl_ms", &has_ttl, &ttl_ms)) return NULL;
        rc = has_ttl ? jb_kv_create_with_ttl(kv, key, v, len, ttl_ms, &revision)
                     : jb_kv_create(kv, key, v, len, &revision);
    } else {
        if (!args_required_u64(a, "revision", &expected)) return NULL;
        rc = jb_kv_update(kv, key, v, len, expected, &revision);
    }
    return revision_result(rc, revision);
}

json *op_kv_put(state *st, args *a) { return write(st, a, 0); }
json *op_kv_create_key(state *st, args *a) { return write(st, a, 1); }
json *op_kv_update(state *st, args *a) { return write(st, a, 2); }

/* kv_delete, kv_purge: `revision` absent is 0, "no expected revision". */
static json *remove_key(state *st, args *a, bool purge) {
    const char *key;
    jb_kv *kv = from_key(st, a, &key);
    bool has;
    uint64_t expected = 0, revision = 0;
    if (kv == NULL || !args_u64(a, "revision", &has, &expected)) return NULL;
    jb_result rc = purge ? jb_kv_purge(kv, key, expected, &revision) : jb_kv_delete(kv, key, expected, &revision);
    return revision_result(rc, revision);
}

json *op_kv_delete(state *st, args *a) { return remove_key(st, a, false); }
json *op_kv_purge(state *st, args *a) { return remove_key(st, a, true); }

json *op_kv_get(state *st, args *a) {
    const char *key;
    jb_kv *kv = from_key(st, a, &key);
    bool has;
    uint64_t revision = 0;
    if (kv == NULL || !args_u64(a, "revision", &has, &revision)) return NULL;
    if (has && revision == 0) return fail_runner("\"revision\" starts at 1");
    bool has_wait;
    uint64_t wait_ms = 0;
    if (!args_u64(a, "wait_ms", &has_wait, &wait_ms)) return NULL;
    /* While NOT_FOUND, again every 50 ms for up to wait_ms (mirrors and
     * sources copy in the background). */
    int64_t deadline = kv_now_ms() + (int64_t)wait_ms;
    jb_kv_entry *e = NULL;
    jb_result rc = jb_kv_get(kv, key, revision, &e);
    while (rc == JB_RESULT_NOT_FOUND && kv_now_ms() < deadline) {
        struct timespec pause = {0, 50 * 1000000L};
        nanosleep(&pause, NULL);
        rc = jb_kv_get(kv, key, revision, &e);
    }
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = print_entry(e);
    jb_kv_entry_free(e);
    return out;
}

json *op_kv_entry(state *st, args *a) {
    const char *key;
    jb_kv *kv = from_key(st, a, &key);
    if (kv == NULL) return NULL;
    jb_kv_entry *e = NULL;
    jb_result rc = jb_kv_get_entry(kv, key, &e);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = json_object(A);
    json_set(A, out, "entry", e == NULL ? json_null(A) : print_entry(e));
    jb_kv_entry_free(e);
    return out;
}

json *op_kv_history(state *st, args *a) {
    const char *key;
    jb_kv *kv = from_key(st, a, &key);
    if (kv == NULL) return NULL;
    jb_kv_entry_list *l = NULL;
    jb_result rc = jb_kv_history(kv, key, &l);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *entries = json_array(A);
    for (size_t i = 0; i < l->len; i++) json_push(A, entries, print_entry(&l->items[i]));
    jb_kv_entry_list_free(l);
    json *out = json_object(A);
    json_set(A, out, "entries", entries);
    return out;
}

static int by_text(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

/* `filter` absent: jb_kv_keys, every key. */
json *op_kv_keys(state *st, args *a) {
    const char *from, *filter;
    if (!args_required_string(a, "from", &from) || !args_string(a, "filter", &filter)) return NULL;
    jb_kv *kv = state_bucket(st, from);
    if (kv == NULL) return NULL;
    jb_kv_key_list *l = NULL;
    jb_result rc = filter != NULL ? jb_kv_keys_matching(kv, filter, &l) : jb_kv_keys(kv, &l);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    const char **sorted = arena_alloc(A, (l->len + 1) * sizeof *sorted);
    for (size_t i = 0; i < l->len; i++) sorted[i] = arena_strdup(A, l->items[i]);
    size_t n = l->len;
    jb_kv_key_list_free(l);
    qsort(sorted, n, sizeof *sorted, by_text);
    json *keys = json_array(A);
    for (size_t i = 0; i < n; i++) json_push(A, keys, json_str(A, sorted[i]));
    json *out = json_object(A);
    json_set(A, out, "keys", keys);
    return out;
}

/* Reads the streamed listing one key at a time; after `max` keys it stops
 * reading and ends the listing (jb_kv_key_lister_free). */
json *op_kv_list_keys(state *st, args *a) {
    const char *from, *filter;
    bool has_max;
    uint64_t max = 0;
    if (!args_required_string(a, "from", &from) || !args_string(a, "filter", &filter) ||
        !args_u64(a, "max", &has_max, &max))
        return NULL;
    jb_kv *kv = state_bucket(st, from);
    if (kv == NULL) return NULL;
    jb_kv_key_lister *l = NULL;
    jb_result rc = jb_kv_list_keys(kv, filter, &l); /* NULL: the core's WATCH_ALL */
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *keys = json_array(A);
    for (uint64_t n = 0; (!has_max || n < max) && n < 1000000; n++) {
        char *key = NULL;
        rc = jb_kv_key_lister_next(l, 30000, &key);
        if (rc != JB_RESULT_OK || key == NULL) break;
        json_push(A, keys, json_str(A, key));
        jb_string_free(key);
    }
    if (rc != JB_RESULT_OK) {
        json *failed = fail_binding(rc); /* before the free: it reads the last error */
        jb_kv_key_lister_free(l);
        return failed;
    }
    jb_kv_key_lister_free(l);
    json *out = json_object(A);
    json_set(A, out, "keys", keys);
    return out;
}

/* The watch options are the declared jb_kv_watch_options, read from the
 * step's own keys (record.h: this lists no field). */
json *op_kv_watch(state *st, args *a) {
    const char *from, *filter, *alias;
    if (!args_required_string(a, "from", &from) || !args_string(a, "filter", &filter) ||
        !args_required_string(a, "as", &alias))
        return NULL;
    jb_kv *kv = state_bucket(st, from);
    if (kv == NULL) return NULL;
    const char *wire = record_wire_arg(a, jb_kv_watch_options_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_kv_watch_options *options = NULL;
    jb_result rc = jb_kv_watch_options_from_json(wire, &options);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_kv_watcher *w = NULL;
    rc = jb_kv_watch(kv, filter, options, &w); /* NULL: the core's WATCH_ALL */
    jb_kv_watch_options_free(options);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    state_put_watcher(st, alias, w);
    return json_object(A);
}

int64_t kv_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Up to `max` events within `wait_ms` in total. */
json *op_kv_watch_next(state *st, args *a) {
    const char *from;
    bool has_max, has_wait;
    uint64_t max = 1, wait_ms = 2000;
    if (!args_required_string(a, "from", &from) || !args_u64(a, "max", &has_max, &max) ||
        !args_u64(a, "wait_ms", &has_wait, &wait_ms))
        return NULL;
    if (!has_max) max = 1;
    if (!has_wait) wait_ms = 2000;
    jb_kv_watcher *w = state_watcher(st, from);
    if (w == NULL) return NULL;
    int64_t deadline = kv_now_ms() + (int64_t)wait_ms;
    json *events = json_array(A);
    for (uint64_t n = 0; n < max; n++) {
        int64_t left = deadline - kv_now_ms();
        jb_kv_entry *e = NULL;
        bool caught_up = false;
        jb_result rc = jb_kv_watcher_next(w, left > 0 ? (uint64_t)left : 0, &e, &caught_up);
        if (rc == JB_RESULT_TIMEOUT) break;
        if (rc != JB_RESULT_OK) return fail_binding(rc);
        json *ev = json_object(A);
        json_set(A, ev, "kind", json_str(A, caught_up ? "caught_up" : "entry"));
        json_set(A, ev, "entry", e == NULL ? json_null(A) : print_entry(e));
        jb_kv_entry_free(e);
        json_push(A, events, ev);
    }
    json *out = json_object(A);
    json_set(A, out, "events", events);
    return out;
}

json *op_kv_watch_stop(state *st, args *a) {
    const char *from;
    if (!args_required_string(a, "from", &from)) return NULL;
    jb_kv_watcher *w = state_watcher(st, from);
    if (w == NULL) return NULL;
    jb_kv_watcher_stop(w);
    return json_object(A);
}
