/*
 * Key-value buckets: put/get, create only if absent, compare-and-set update,
 * delete versus never written, history and keys, a watch with its caught-up
 * marker, the _async forms (callback exactly once, entries lent), and bad
 * arguments.
 */
#include "jbtest.h"

/* A fresh memory bucket `name` keeping `history` revisions per key. */
static jb_kv *fresh_bucket(jb_client *c, const char *name, uint64_t history) {
    jb_client_delete_kv(c, name); /* NOT_FOUND is fine */
    jb_kv_config cfg;
    jb_kv_config_default(&cfg);
    cfg.bucket = name;
    cfg.history = history;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_kv *kv = NULL;
    if (jb_client_create_kv(c, &cfg, &kv) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "create bucket", jb_last_error_message());
        return NULL;
    }
    return kv;
}

static int value_is(const jb_kv_entry *e, const char *want) {
    return e->value_len == strlen(want) && memcmp(e->value, want, e->value_len) == 0;
}

static uint64_t put(jb_kv *kv, const char *key, const char *value) {
    uint64_t rev = 0;
    if (jb_kv_put(kv, key, (const uint8_t *)value, strlen(value), &rev) != JB_RESULT_OK)
        jbt_fail(__FILE__, __LINE__, "put", jb_last_error_message());
    return rev;
}

static void test_kv_put_get_cas_delete(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_kv *kv = fresh_bucket(c, "TKV", 5);
    CHECK(kv);
    CHECK(strcmp(jb_kv_bucket(kv), "TKV") == 0);

    /* Creating it again with the same configuration opens it. */
    jb_kv_config cfg;
    jb_kv_config_default(&cfg);
    cfg.bucket = "TKV";
    cfg.history = 5;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_kv *again = NULL;
    CHECK_OK(jb_client_create_kv(c, &cfg, &again));
    CHECK_OK(jb_kv_free(again));
    jb_kv *opened = NULL;
    CHECK_OK(jb_client_kv(c, "TKV", &opened));
    CHECK(strcmp(jb_kv_bucket(opened), "TKV") == 0);

    /* Put and get, a value with a NUL inside. */
    uint64_t r1 = 0, r2 = 0, r3 = 0;
    const uint8_t bin[] = {'a', 0, 'b'};
    CHECK_OK(jb_kv_put(kv, "color", bin, sizeof bin, &r1));
    CHECK(r1 >= 1);
    jb_kv_entry *e = NULL;
    CHECK_OK(jb_kv_get(opened, "color", 0, &e));
    CHECK(e->value_len == 3 && memcmp(e->value, bin, 3) == 0);
    CHECK(e->revision == r1 && e->operation == JB_KV_OPERATION_PUT);
    CHECK(strcmp(e->bucket, "TKV") == 0 && strcmp(e->key, "color") == 0);
    CHECK(e->created_ns > 0);
    CHECK_OK(jb_kv_entry_free(e));
    CHECK_RES(jb_kv_entry_free(e), JB_RESULT_INVALID_HANDLE);

    /* create: only when the key has no value. */
    CHECK_RES(jb_kv_create(kv, "color", (const uint8_t *)"x", 1, &r2), JB_RESULT_WRONG_LAST_SEQUENCE);
    /* update: compare and set on the latest revision. */
    CHECK_RES(jb_kv_update(kv, "color", (const uint8_t *)"red", 3, r1 + 100, &r2),
              JB_RESULT_WRONG_LAST_SEQUENCE);
    CHECK_OK(jb_kv_update(kv, "color", (const uint8_t *)"red", 3, r1, &r2));
    CHECK(r2 > r1);
    CHECK_RES(jb_kv_update(kv, "color", (const uint8_t *)"blue", 4, r1, &r3),
              JB_RESULT_WRONG_LAST_SEQUENCE);
    /* An older revision is still there. */
    CHECK_OK(jb_kv_get(kv, "color", r1, &e));
    CHECK(e->revision == r1 && e->value_len == 3);
    CHECK_OK(jb_kv_entry_free(e));

    /* Delete versus never written: both NOT_FOUND for get; get_entry tells. */
    CHECK_OK(jb_kv_delete(kv, "color", 0, &r3));
    CHECK(r3 > r2);
    e = (jb_kv_entry *)1;
    CHECK_RES(jb_kv_get(kv, "color", 0, &e), JB_RESULT_NOT_FOUND);
    CHECK(e == (jb_kv_entry *)1); /* untouched on failure */
    CHECK_RES(jb_kv_get(kv, "never", 0, &e), JB_RESULT_NOT_FOUND);
    CHECK_OK(jb_kv_get_entry(kv, "color", &e));
    CHECK(e != NULL && e->operation == JB_KV_OPERATION_DELETE && e->value_len == 0);
    CHECK(e->revision == r3);
    CHECK_OK(jb_kv_entry_free(e));
    CHECK_OK(jb_kv_get_entry(kv, "never", &e));
    CHECK(e == NULL);
    /* After a delete, create works again. */
    uint64_t r4 = 0;
    CHECK_OK(jb_kv_create(kv, "color", (const uint8_t *)"green", 5, &r4));

    /* History, oldest first. */
    jb_kv_entry_list *h = NULL;
    CHECK_OK(jb_kv_history(kv, "color", &h));
    CHECK(h->len == 4);
    CHECK(h->items[0].revision == r1 && h->items[1].revision == r2);
    CHECK(h->items[2].operation == JB_KV_OPERATION_DELETE);
    CHECK(value_is(&h->items[3], "green") && h->items[3].revision == r4);
    CHECK_OK(jb_kv_entry_list_free(h));
    CHECK_RES(jb_kv_history(kv, "never", &h), JB_RESULT_NOT_FOUND);

    /* Keys: only keys with a value. */
    put(kv, "size", "L");
    put(kv, "gone", "x");
    CHECK_OK(jb_kv_purge(kv, "gone", 0, &r3));
    jb_kv_key_list *keys = NULL;
    CHECK_OK(jb_kv_keys(kv, &keys));
    CHECK(keys->len == 2);
    int color = 0, size = 0;
    for (size_t i = 0; i < keys->len; i++) {
        color += strcmp(keys->items[i], "color") == 0;
        size += strcmp(keys->items[i], "size") == 0;
    }
    CHECK(color == 1 && size == 1);
    CHECK_OK(jb_kv_key_list_free(keys));
    CHECK_OK(jb_kv_get_entry(kv, "gone", &e));
    CHECK(e != NULL && e->operation == JB_KV_OPERATION_PURGE);
    CHECK_OK(jb_kv_entry_free(e));
    /* A delete with a stale expected revision is refused. */
    CHECK_RES(jb_kv_delete(kv, "size", 1, &r3), JB_RESULT_WRONG_LAST_SEQUENCE);

    CHECK_OK(jb_kv_free(opened));
    CHECK_OK(jb_kv_free(kv));
    CHECK_RES(jb_kv_free(kv), JB_RESULT_INVALID_HANDLE);
    CHECK(jb_kv_bucket(kv) == NULL);
    CHECK_OK(jb_client_delete_kv(c, "TKV"));
    CHECK_RES(jb_client_kv(c, "TKV", &kv), JB_RESULT_NOT_FOUND);
    jb_client_close(c);
    jb_client_free(c);
}

static void test_kv_watch_caught_up(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_kv *kv = fresh_bucket(c, "TKVW", 1);
    CHECK(kv);

    /* An empty bucket: the marker comes first. */
    jb_kv_watcher *w = NULL;
    jb_kv_entry *e = NULL;
    bool caught_up = false;
    CHECK_OK(jb_kv_watch(kv, NULL, NULL, &w));
    CHECK_OK(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up));
    CHECK(e == NULL && caught_up);
    CHECK_RES(jb_kv_watcher_next(w, 100, &e, &caught_up), JB_RESULT_TIMEOUT);
    CHECK_OK(jb_kv_watcher_free(w));

    put(kv, "a", "1");
    put(kv, "b", "2");
    put(kv, "a", "3");
    CHECK_OK(jb_kv_watch(kv, NULL, NULL, &w));
    /* The latest value of each key, then the marker exactly once, then changes. */
    CHECK_OK(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up));
    CHECK(e && !caught_up && strcmp(e->key, "b") == 0 && value_is(e, "2"));
    CHECK_OK(jb_kv_entry_free(e));
    CHECK_OK(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up));
    CHECK(e && !caught_up && strcmp(e->key, "a") == 0 && value_is(e, "3"));
    CHECK_OK(jb_kv_entry_free(e));
    CHECK_OK(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up));
    CHECK(e == NULL && caught_up);
    put(kv, "c", "4");
    CHECK_OK(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up));
    CHECK(e && !caught_up && strcmp(e->key, "c") == 0 && value_is(e, "4"));
    CHECK_OK(jb_kv_entry_free(e));
    uint64_t rev = 0;
    CHECK_OK(jb_kv_delete(kv, "a", 0, &rev));
    CHECK_OK(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up));
    CHECK(e && e->operation == JB_KV_OPERATION_DELETE && e->revision == rev);
    CHECK_OK(jb_kv_entry_free(e));
    /* Stopped: CLOSED, and the handle still needs its free. */
    jb_kv_watcher_stop(w);
    CHECK_RES(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up), JB_RESULT_CLOSED);
    CHECK_OK(jb_kv_watcher_free(w));
    CHECK_RES(jb_kv_watcher_free(w), JB_RESULT_INVALID_HANDLE);

    /* A filter and options: ignore deletes, only updates. */
    jb_kv_watch_options o;
    jb_kv_watch_options_default(&o);
    o.updates_only = true;
    o.ignore_deletes = true;
    CHECK_OK(jb_kv_watch(kv, "c", &o, &w));
    CHECK_OK(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up));
    CHECK(e == NULL && caught_up);
    CHECK_OK(jb_kv_delete(kv, "c", 0, &rev));
    put(kv, "b", "ignored: another key");
    put(kv, "c", "5");
    CHECK_OK(jb_kv_watcher_next(w, JBT_WAIT_MS, &e, &caught_up));
    CHECK(e && strcmp(e->key, "c") == 0 && value_is(e, "5"));
    CHECK_OK(jb_kv_entry_free(e));
    /* Freeing a watcher stops it. */
    CHECK_OK(jb_kv_watcher_free(w));

    CHECK_OK(jb_kv_free(kv));
    CHECK_OK(jb_client_delete_kv(c, "TKVW"));
    jb_client_close(c);
    jb_client_free(c);
}

typedef struct {
    jbt_call call;
    jb_kv *kv;
    jb_kv_watcher *watcher;
    uint64_t revision;
    int entry_seen;
    int caught_up;
    char value[32];
    size_t n;
} probe;

static void on_kv(void *ud, jb_result r, const char *err, jb_kv *kv) {
    probe *p = ud;
    p->kv = kv;
    jbt_call_record(&p->call, r, err);
}

static void on_revision(void *ud, jb_result r, const char *err, uint64_t revision) {
    probe *p = ud;
    p->revision = revision;
    jbt_call_record(&p->call, r, err);
}

static void on_entry(void *ud, jb_result r, const char *err, const jb_kv_entry *e) {
    probe *p = ud;
    p->entry_seen = e != NULL;
    if (e && e->value_len < sizeof p->value) {
        memcpy(p->value, e->value, e->value_len);
        p->value[e->value_len] = 0;
        p->revision = e->revision;
    }
    jbt_call_record(&p->call, r, err);
}

static void on_keys(void *ud, jb_result r, const char *err, const jb_kv_key_list *l) {
    probe *p = ud;
    p->n = l ? l->len : 0;
    jbt_call_record(&p->call, r, err);
}

static void on_history(void *ud, jb_result r, const char *err, const jb_kv_entry_list *l) {
    probe *p = ud;
    p->n = l ? l->len : 0;
    jbt_call_record(&p->call, r, err);
}

static void on_watcher(void *ud, jb_result r, const char *err, jb_kv_watcher *w) {
    probe *p = ud;
    p->watcher = w;
    jbt_call_record(&p->call, r, err);
}

static void on_event(void *ud, jb_result r, const char *err, const jb_kv_entry *e, bool caught_up) {
    probe *p = ud;
    p->entry_seen = e != NULL;
    p->caught_up = caught_up;
    if (e && e->value_len < sizeof p->value) {
        memcpy(p->value, e->value, e->value_len);
        p->value[e->value_len] = 0;
    }
    jbt_call_record(&p->call, r, err);
}

#define ASYNC(p, call_expr)                                                                        \
    do {                                                                                           \
        memset(&(p), 0, sizeof(p));                                                                \
        jbt_call_init(&(p).call);                                                                  \
        CHECK_OK(call_expr);                                                                       \
        int once_ = jbt_call_wait_once(&(p).call);                                                 \
        jbt_call_destroy(&(p).call);                                                               \
        CHECK(once_);                                                                              \
    } while (0)

static void test_kv_async(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_client_delete_kv(c, "TKVA");
    probe p;
    jb_kv_config cfg;
    jb_kv_config_default(&cfg);
    cfg.bucket = "TKVA";
    cfg.history = 2;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    ASYNC(p, jb_client_create_kv_async(c, &cfg, on_kv, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.kv != NULL);
    jb_kv *kv = p.kv;
    ASYNC(p, jb_client_kv_async(c, "NOPE_TKVA", on_kv, &p));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND && p.kv == NULL && p.call.error[0]);

    ASYNC(p, jb_kv_put_async(kv, "k", (const uint8_t *)"v1", 2, on_revision, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.revision >= 1);
    uint64_t r1 = p.revision;
    ASYNC(p, jb_kv_create_async(kv, "k", (const uint8_t *)"v", 1, on_revision, &p));
    CHECK(p.call.result == JB_RESULT_WRONG_LAST_SEQUENCE && p.revision == 0);
    ASYNC(p, jb_kv_update_async(kv, "k", (const uint8_t *)"v2", 2, r1, on_revision, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.revision > r1);
    ASYNC(p, jb_kv_get_async(kv, "k", 0, on_entry, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.entry_seen && strcmp(p.value, "v2") == 0);
    ASYNC(p, jb_kv_get_async(kv, "k", r1, on_entry, &p));
    CHECK(p.call.result == JB_RESULT_OK && strcmp(p.value, "v1") == 0);
    ASYNC(p, jb_kv_get_async(kv, "never", 0, on_entry, &p));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND && !p.entry_seen);
    ASYNC(p, jb_kv_get_entry_async(kv, "never", on_entry, &p));
    CHECK(p.call.result == JB_RESULT_OK && !p.entry_seen);
    ASYNC(p, jb_kv_history_async(kv, "k", on_history, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.n == 2);
    ASYNC(p, jb_kv_keys_async(kv, on_keys, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.n == 1);

    ASYNC(p, jb_kv_watch_async(kv, ">", NULL, on_watcher, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.watcher != NULL);
    jb_kv_watcher *w = p.watcher;
    ASYNC(p, jb_kv_watcher_next_async(w, JBT_WAIT_MS, on_event, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.entry_seen && !p.caught_up);
    CHECK(strcmp(p.value, "v2") == 0);
    ASYNC(p, jb_kv_watcher_next_async(w, JBT_WAIT_MS, on_event, &p));
    CHECK(p.call.result == JB_RESULT_OK && !p.entry_seen && p.caught_up);
    ASYNC(p, jb_kv_watcher_next_async(w, 50, on_event, &p));
    CHECK(p.call.result == JB_RESULT_TIMEOUT && !p.entry_seen && !p.caught_up);
    /* A stop ends a call that is waiting: its callback comes with CLOSED. */
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_OK(jb_kv_watcher_next_async(w, 600000, on_event, &p));
    jbt_sleep_ms(100);
    jb_kv_watcher_stop(w);
    int once = jbt_call_wait_once(&p.call);
    jbt_call_destroy(&p.call);
    CHECK(once && p.call.result == JB_RESULT_CLOSED && !p.entry_seen);
    CHECK_OK(jb_kv_watcher_free(w));

    ASYNC(p, jb_kv_delete_async(kv, "k", 0, on_revision, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.revision > r1);
    ASYNC(p, jb_kv_purge_async(kv, "k", 0, on_revision, &p));
    CHECK(p.call.result == JB_RESULT_OK);
    CHECK_OK(jb_kv_free(kv));
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_delete_kv_async(c, "TKVA", jbt_call_on_done, &p.call));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK);
    jbt_call_destroy(&p.call);
    jb_client_close(c);
    jb_client_free(c);
}

static void test_kv_bad_arguments(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_kv *kv = fresh_bucket(c, "TKVB", 1);
    CHECK(kv);
    uint64_t rev = 0;
    jb_kv_entry *e = NULL;
    bool cu = false;
    const char bad_utf8[] = {'k', (char)0xff, 0};
    CHECK_RES(jb_client_create_kv(c, NULL, &kv), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_kv(NULL, "TKVB", &kv), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_kv(c, NULL, &kv), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_kv(c, "TKVB", NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_put(NULL, "k", NULL, 0, &rev), JB_RESULT_NULL_PARAMETER);
    CHECK(strstr(jb_last_error_message(), "kv") != NULL);
    CHECK_RES(jb_kv_put(kv, NULL, NULL, 0, &rev), JB_RESULT_NULL_PARAMETER);
    CHECK(strstr(jb_last_error_message(), "key") != NULL);
    CHECK_RES(jb_kv_put(kv, "k", NULL, 3, &rev), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_put(kv, "k", NULL, 0, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_put(kv, bad_utf8, NULL, 0, &rev), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_kv_put(kv, "a b", NULL, 0, &rev), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_kv_get(kv, "k", 0, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_watch(kv, NULL, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_watcher_next(NULL, 10, &e, &cu), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_put_async(kv, "k", NULL, 0, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_get_entry_async(kv, NULL, on_entry, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK(jb_kv_bucket(NULL) == NULL);
    jb_kv_watcher_stop(NULL);
    CHECK_OK(jb_kv_free(NULL));
    CHECK_OK(jb_kv_watcher_free(NULL));
    CHECK_OK(jb_kv_entry_free(NULL));
    CHECK_OK(jb_kv_entry_list_free(NULL));
    CHECK_OK(jb_kv_key_list_free(NULL));
    /* A handle of another type. */
    CHECK_RES(jb_kv_free((jb_kv *)c), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_kv_free(kv));
    CHECK_OK(jb_client_delete_kv(c, "TKVB"));
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_kv_cases[] = {
    {"kv_put_get_cas_delete", test_kv_put_get_cas_delete},
    {"kv_watch_caught_up", test_kv_watch_caught_up},
    {"kv_async", test_kv_async},
    {"kv_bad_arguments", test_kv_bad_arguments},
    {NULL, NULL},
};
