/*
 * Bucket and store administration: a bucket's status (its configuration as
 * the server holds it), create-or-update, the account's buckets and stores,
 * keys matching a filter (NULL = the core's WATCH_ALL), keys with their own
 * TTL, an object store's status and sealing it; the _async forms (callback
 * exactly once, the status lent).
 */
#include "jbtest.h"

static int has_name(const jb_kv_key_list *l, const char *name) {
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i], name) == 0) return 1;
    return 0;
}

static int sorted(const jb_kv_key_list *l) {
    for (size_t i = 1; i < l->len; i++)
        if (strcmp(l->items[i - 1], l->items[i]) > 0) return 0;
    return 1;
}

static jb_kv *create_bucket(jb_client *c, const char *name, uint64_t history, uint64_t marker_ttl_ms) {
    jb_client_delete_kv(c, name); /* NOT_FOUND is fine */
    jb_kv_config cfg;
    jb_kv_config_default(&cfg);
    cfg.bucket = name;
    cfg.history = history;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    cfg.limit_marker_ttl_ms = marker_ttl_ms;
    static const char *const keys[] = {"team"}, *const values[] = {"core"};
    cfg.metadata_keys = keys;
    cfg.metadata_values = values;
    cfg.metadata_len = 1;
    jb_kv *kv = NULL;
    if (jb_client_create_kv(c, &cfg, &kv) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "create bucket", jb_last_error_message());
        return NULL;
    }
    return kv;
}

static void put(jb_kv *kv, const char *key) {
    uint64_t rev = 0;
    if (jb_kv_put(kv, key, (const uint8_t *)"v", 1, &rev) != JB_RESULT_OK)
        jbt_fail(__FILE__, __LINE__, "put", jb_last_error_message());
}

typedef struct {
    jbt_call call;
    uint64_t values;
    int sealed;
    int names;
} probe;

static void on_kv_status(void *ud, jb_result r, const char *err, const jb_kv_status *s) {
    probe *p = ud;
    p->values = s ? s->values : 0;
    jbt_call_record(&p->call, r, err);
}

static void on_store_status(void *ud, jb_result r, const char *err, const jb_object_store_status *s) {
    probe *p = ud;
    p->sealed = s ? s->sealed : -1;
    jbt_call_record(&p->call, r, err);
}

static void on_names(void *ud, jb_result r, const char *err, const jb_kv_key_list *l) {
    probe *p = ud;
    p->names = l ? has_name(l, "TKVADM") : -1;
    jbt_call_record(&p->call, r, err);
}

static void test_kv_status_names_create_or_update(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_kv *kv = create_bucket(c, "TKVADM", 3, 0);
    CHECK(kv);
    put(kv, "db.host");
    put(kv, "db.port");
    put(kv, "cache.ttl");

    jb_kv_status *s = NULL;
    CHECK_OK(jb_client_kv_status(c, "TKVADM", &s));
    CHECK(strcmp(s->bucket, "TKVADM") == 0 && s->values == 3 && s->bytes > 0);
    CHECK(s->config != NULL && s->config->history == 3 && s->config->storage == JB_STORAGE_TYPE_MEMORY);
    CHECK(s->config->metadata_len == 1 && strcmp(s->config->metadata_keys[0], "team") == 0 &&
          strcmp(s->config->metadata_values[0], "core") == 0);
    CHECK_OK(jb_kv_status_free(s));
    s = NULL;
    CHECK_OK(jb_kv_get_status(kv, &s));
    CHECK(s->values == 3);
    CHECK_OK(jb_kv_status_free(s));
    CHECK_RES(jb_client_kv_status(c, "TKVADM_NONE", &s), JB_RESULT_NOT_FOUND);

    /* A plain create with another configuration is refused; create-or-update
     * changes the bucket in place, keeping its entries. */
    jb_kv_config cfg;
    jb_kv_config_default(&cfg);
    cfg.bucket = "TKVADM";
    cfg.history = 7;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_kv *other = NULL;
    CHECK_RES(jb_client_create_kv(c, &cfg, &other), JB_RESULT_ALREADY_EXISTS);
    CHECK_OK(jb_client_create_or_update_kv(c, &cfg, &other));
    CHECK(strcmp(jb_kv_bucket(other), "TKVADM") == 0);
    CHECK_OK(jb_kv_get_status(other, &s));
    CHECK(s->config->history == 7 && s->values == 3);
    CHECK_OK(jb_kv_status_free(s));
    CHECK_OK(jb_kv_free(other));

    /* Names, sorted. */
    jb_kv *second = create_bucket(c, "TKVADM_A", 1, 0);
    CHECK(second);
    jb_kv_key_list *names = NULL;
    CHECK_OK(jb_client_kv_names(c, &names));
    CHECK(has_name(names, "TKVADM") && has_name(names, "TKVADM_A") && sorted(names));
    CHECK_OK(jb_kv_key_list_free(names));

    /* Keys matching a filter; NULL is every key, as jb_kv_watch_all(). */
    jb_kv_key_list *keys = NULL;
    CHECK_OK(jb_kv_keys_matching(kv, "db.*", &keys));
    CHECK(keys->len == 2 && has_name(keys, "db.host") && has_name(keys, "db.port"));
    CHECK_OK(jb_kv_key_list_free(keys));
    CHECK_OK(jb_kv_keys_matching(kv, NULL, &keys));
    CHECK(keys->len == 3);
    CHECK_OK(jb_kv_key_list_free(keys));
    CHECK(jb_kv_watch_all() != NULL && jb_kv_watch_all() == jb_kv_watch_all());
    CHECK_OK(jb_kv_keys_matching(kv, jb_kv_watch_all(), &keys));
    CHECK(keys->len == 3);
    CHECK_OK(jb_kv_key_list_free(keys));
    CHECK_OK(jb_kv_keys_matching(kv, "nothing.>", &keys));
    CHECK(keys->len == 0 && keys->items == NULL);
    CHECK_OK(jb_kv_key_list_free(keys));
    CHECK_RES(jb_kv_keys_matching(kv, "a..b", &keys), JB_RESULT_INVALID_ARGUMENT);
    /* A watch with a NULL filter sees every key. */
    jb_kv_watcher *w = NULL;
    CHECK_OK(jb_kv_watch(kv, NULL, NULL, &w));
    int entries = 0;
    for (;;) {
        jb_kv_entry *e = NULL;
        bool caught_up = false;
        CHECK_OK(jb_kv_watcher_next(w, 5000, &e, &caught_up));
        if (caught_up) break;
        entries++;
        CHECK_OK(jb_kv_entry_free(e));
    }
    CHECK(entries == 3);
    CHECK_OK(jb_kv_watcher_free(w));

    /* _async: each callback once, the status and the list lent. */
    probe p;
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_kv_status_async(c, "TKVADM", on_kv_status, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK && p.values == 3);
    jbt_call_destroy(&p.call);
    jbt_call_init(&p.call);
    CHECK_OK(jb_kv_get_status_async(kv, on_kv_status, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK && p.values == 3);
    jbt_call_destroy(&p.call);
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_kv_status_async(c, "TKVADM_NONE", on_kv_status, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_NOT_FOUND && p.values == 0);
    jbt_call_destroy(&p.call);
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_kv_names_async(c, on_names, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK && p.names == 1);
    jbt_call_destroy(&p.call);

    CHECK_RES(jb_client_kv_status(c, "TKVADM", NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_kv_names(NULL, &names), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_get_status_async(kv, NULL, NULL), JB_RESULT_NULL_PARAMETER);

    CHECK_OK(jb_kv_free(second));
    CHECK_OK(jb_kv_free(kv));
    CHECK_OK(jb_client_delete_kv(c, "TKVADM_A"));
    CHECK_OK(jb_client_delete_kv(c, "TKVADM"));
    jb_client_close(c);
    jb_client_free(c);
}

static void test_kv_key_ttl(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_kv *kv = create_bucket(c, "TKVTTL", 1, 1000);
    CHECK(kv);
    jb_kv_status *s = NULL;
    CHECK_OK(jb_kv_get_status(kv, &s));
    CHECK(s->config->limit_marker_ttl_ms == 1000);
    CHECK_OK(jb_kv_status_free(s));

    uint64_t rev = 0;
    CHECK_OK(jb_kv_create_with_ttl(kv, "leader", (const uint8_t *)"node-1", 6, 1000, &rev));
    CHECK(rev == 1);
    CHECK_RES(jb_kv_create(kv, "leader", (const uint8_t *)"node-2", 6, &rev), JB_RESULT_WRONG_LAST_SEQUENCE);
    jb_kv_entry *e = NULL;
    CHECK_OK(jb_kv_get(kv, "leader", 0, &e));
    CHECK_OK(jb_kv_entry_free(e));
    /* The server removes it after its TTL. */
    jb_result rc = JB_RESULT_OK;
    for (int i = 0; i < 50 && rc == JB_RESULT_OK; i++) {
        jbt_sleep_ms(200);
        e = NULL;
        rc = jb_kv_get(kv, "leader", 0, &e);
        jb_kv_entry_free(e);
    }
    CHECK_RES(rc, JB_RESULT_NOT_FOUND);
    CHECK_OK(jb_kv_create(kv, "leader", (const uint8_t *)"node-2", 6, &rev));

    /* A bucket without limit_marker_ttl refuses a key's TTL. */
    jb_kv *plain = create_bucket(c, "TKVTTL_PLAIN", 1, 0);
    CHECK(plain);
    CHECK_RES(jb_kv_create_with_ttl(plain, "k", (const uint8_t *)"v", 1, 1000, &rev),
              JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_kv_create_with_ttl(kv, "k", (const uint8_t *)"v", 1, 1000, NULL), JB_RESULT_NULL_PARAMETER);

    CHECK_OK(jb_kv_free(plain));
    CHECK_OK(jb_kv_free(kv));
    CHECK_OK(jb_client_delete_kv(c, "TKVTTL_PLAIN"));
    CHECK_OK(jb_client_delete_kv(c, "TKVTTL"));
    jb_client_close(c);
    jb_client_free(c);
}

static void test_object_store_status_seal(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_client_delete_object_store(c, "TOBJADM");
    jb_object_store_config cfg;
    jb_object_store_config_default(&cfg);
    cfg.bucket = "TOBJADM";
    cfg.description = "docs";
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_object_store *s = NULL;
    CHECK_OK(jb_client_create_object_store(c, &cfg, &s));
    jb_object_writer *w = NULL;
    CHECK_OK(jb_object_store_writer(s, "a.txt", NULL, &w));
    CHECK_OK(jb_object_writer_write(w, (const uint8_t *)"kept", 4));
    jb_object_info *info = NULL;
    CHECK_OK(jb_object_writer_finish(w, &info));
    CHECK_OK(jb_object_info_free(info));
    CHECK_OK(jb_object_writer_free(w));

    jb_object_store_status *st = NULL;
    CHECK_OK(jb_client_object_store_status(c, "TOBJADM", &st));
    CHECK(strcmp(st->bucket, "TOBJADM") == 0 && !st->sealed && st->bytes > 0);
    CHECK(st->config != NULL && strcmp(st->config->description, "docs") == 0 &&
          st->config->storage == JB_STORAGE_TYPE_MEMORY);
    CHECK_OK(jb_object_store_status_free(st));
    CHECK_RES(jb_client_object_store_status(c, "TOBJADM_NONE", &st), JB_RESULT_NOT_FOUND);

    jb_kv_key_list *names = NULL;
    CHECK_OK(jb_client_object_store_names(c, &names));
    CHECK(has_name(names, "TOBJADM") && sorted(names));
    CHECK_OK(jb_kv_key_list_free(names));

    /* Seal (async): the status after sealing, lent. */
    probe p;
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_OK(jb_object_store_seal_async(s, on_store_status, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK && p.sealed == 1);
    jbt_call_destroy(&p.call);
    CHECK_OK(jb_object_store_get_status(s, &st));
    CHECK(st->sealed);
    CHECK_OK(jb_object_store_status_free(st));
    /* Sealed again is still sealed. */
    CHECK_OK(jb_object_store_seal(s, &st));
    CHECK(st->sealed);
    CHECK_OK(jb_object_store_status_free(st));

    /* Writes and deletes are refused; reads still work. */
    CHECK_OK(jb_object_store_writer(s, "b.txt", NULL, &w));
    jb_result rc = jb_object_writer_write(w, (const uint8_t *)"no", 2);
    if (rc == JB_RESULT_OK) rc = jb_object_writer_finish(w, &info);
    CHECK_RES(rc, JB_RESULT_INVALID_ARGUMENT);
    CHECK(jb_last_error_api_code() == 10109);
    CHECK_OK(jb_object_writer_free(w));
    CHECK_RES(jb_object_store_delete(s, "a.txt"), JB_RESULT_INVALID_ARGUMENT);
    jb_object_reader *r = NULL;
    CHECK_OK(jb_object_store_get(s, "a.txt", &r));
    uint8_t buf[16];
    size_t n = 0;
    CHECK_OK(jb_object_reader_read(r, buf, sizeof buf, &n));
    CHECK(n == 4 && memcmp(buf, "kept", 4) == 0);
    CHECK_OK(jb_object_reader_free(r));

    CHECK_OK(jb_object_store_free(s));
    CHECK_OK(jb_client_delete_object_store(c, "TOBJADM"));
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_kv_admin_cases[] = {
    {"kv_status_names_create_or_update", test_kv_status_names_create_or_update},
    {"kv_key_ttl", test_kv_key_ttl},
    {"object_store_status_seal", test_object_store_status_seal},
    {NULL, NULL},
};
