/*
 * Key-value buckets, streamed keys and mirrors: jb_kv_list_keys gives each
 * key with a value once, then NULL (again on every later call); a filter;
 * a listing ended early (stop, free); the _async next (key lent, NULL at
 * the end); a mirror bucket reads its origin's keys.
 */
#include "jbtest.h"

static jb_kv *fresh_bucket(jb_client *c, const jb_kv_config *cfg) {
    jb_client_delete_kv(c, cfg->bucket); /* NOT_FOUND is fine */
    jb_kv *kv = NULL;
    if (jb_client_create_kv(c, cfg, &kv) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "create bucket", jb_last_error_message());
        return NULL;
    }
    return kv;
}

static int put(jb_kv *kv, const char *key, const char *value) {
    uint64_t rev = 0;
    return jb_kv_put(kv, key, (const uint8_t *)value, strlen(value), &rev) == JB_RESULT_OK;
}

/* Reads up to `max` keys of `l` (0: all) into `seen` (a bit per key "k<i>",
 * i < 8); returns how many came, or -1 on an error or an unknown key. */
static int read_keys(jb_kv_key_lister *l, int max, unsigned *seen) {
    int n = 0;
    *seen = 0;
    while (max == 0 || n < max) {
        char *key = NULL;
        if (jb_kv_key_lister_next(l, JBT_WAIT_MS, &key) != JB_RESULT_OK) return -1;
        if (!key) break;
        int ok = key[0] == 'k' && key[1] >= '0' && key[1] < '8' && key[2] == 0;
        if (ok) *seen |= 1u << (key[1] - '0');
        jb_string_free(key);
        if (!ok) return -1;
        n++;
        if (n > 100) return -1; /* bounded */
    }
    return n;
}

static void test_kv_list_keys_streamed(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_kv_config cfg;
    jb_kv_config_default(&cfg);
    cfg.bucket = "TKVLK";
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_kv *kv = fresh_bucket(c, &cfg);
    CHECK(kv);

    /* An empty bucket: the end at once, and again. */
    jb_kv_key_lister *l = NULL;
    char *key = (char *)"unset";
    CHECK_OK(jb_kv_list_keys(kv, NULL, &l));
    CHECK_OK(jb_kv_key_lister_next(l, JBT_WAIT_MS, &key));
    CHECK(key == NULL);
    CHECK_OK(jb_kv_key_lister_next(l, JBT_WAIT_MS, &key));
    CHECK(key == NULL);
    CHECK_OK(jb_kv_key_lister_free(l));
    CHECK_RES(jb_kv_key_lister_free(l), JB_RESULT_INVALID_HANDLE);

    /* k0..k4 with a value, k5 deleted, k0 written twice: each once. */
    for (int i = 0; i < 6; i++) {
        char k[3] = {'k', (char)('0' + i), 0};
        CHECK(put(kv, k, "v"));
    }
    CHECK(put(kv, "k0", "again"));
    uint64_t rev = 0;
    CHECK_OK(jb_kv_delete(kv, "k5", 0, &rev));
    unsigned seen = 0;
    CHECK_OK(jb_kv_list_keys(kv, jb_kv_watch_all(), &l));
    CHECK(read_keys(l, 0, &seen) == 5 && seen == 0x1F);
    CHECK_OK(jb_kv_key_lister_next(l, JBT_WAIT_MS, &key));
    CHECK(key == NULL);
    CHECK_OK(jb_kv_key_lister_free(l));

    /* A filter. */
    CHECK_OK(jb_kv_list_keys(kv, "k3", &l));
    CHECK(read_keys(l, 0, &seen) == 1 && seen == 0x08);
    CHECK_OK(jb_kv_key_lister_free(l));

    /* Ended early: two keys, then stop gives the end; freeing unread also ends it. */
    CHECK_OK(jb_kv_list_keys(kv, NULL, &l));
    CHECK(read_keys(l, 2, &seen) == 2);
    jb_kv_key_lister_stop(l);
    CHECK_OK(jb_kv_key_lister_next(l, JBT_WAIT_MS, &key));
    CHECK(key == NULL);
    CHECK_OK(jb_kv_key_lister_free(l));
    CHECK_OK(jb_kv_list_keys(kv, NULL, &l));
    CHECK_OK(jb_kv_key_lister_free(l));

    /* Bad arguments. */
    CHECK_RES(jb_kv_list_keys(kv, "bad filter", &l), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_kv_list_keys(NULL, NULL, &l), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_kv_key_lister_next(NULL, 1, &key), JB_RESULT_NULL_PARAMETER);
    jb_kv_key_lister_stop(NULL);
    CHECK_OK(jb_kv_key_lister_free(NULL));

    CHECK_OK(jb_kv_free(kv));
    CHECK_OK(jb_client_delete_kv(c, "TKVLK"));
    jb_client_close(c);
    jb_client_free(c);
}

/* An async call's probe: the lister handle or a copy of the lent key. */
typedef struct {
    jbt_call call;
    jb_kv_key_lister *lister;
    char key[16];
    int got_key;
} probe;

static void on_lister(void *ud, jb_result r, const char *err, jb_kv_key_lister *l) {
    probe *p = ud;
    p->lister = l;
    jbt_call_record(&p->call, r, err);
}

static void on_key(void *ud, jb_result r, const char *err, const char *key) {
    probe *p = ud;
    p->got_key = key != NULL;
    if (key) snprintf(p->key, sizeof p->key, "%s", key);
    jbt_call_record(&p->call, r, err);
}

#define ASYNC(p, expr)                                                                             \
    do {                                                                                           \
        memset(&(p), 0, sizeof(p));                                                                \
        jbt_call_init(&(p).call);                                                                  \
        CHECK_OK(expr);                                                                            \
        int once_ = jbt_call_wait_once(&(p).call);                                                 \
        jbt_call_destroy(&(p).call);                                                               \
        CHECK(once_);                                                                              \
    } while (0)

static void test_kv_list_keys_async(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_kv_config cfg;
    jb_kv_config_default(&cfg);
    cfg.bucket = "TKVLKA";
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_kv *kv = fresh_bucket(c, &cfg);
    CHECK(kv);
    CHECK(put(kv, "only", "1"));
    probe p;
    ASYNC(p, jb_kv_list_keys_async(kv, NULL, on_lister, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.lister);
    jb_kv_key_lister *l = p.lister;
    ASYNC(p, jb_kv_key_lister_next_async(l, JBT_WAIT_MS, on_key, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.got_key && strcmp(p.key, "only") == 0);
    ASYNC(p, jb_kv_key_lister_next_async(l, JBT_WAIT_MS, on_key, &p));
    CHECK(p.call.result == JB_RESULT_OK && !p.got_key);
    CHECK_OK(jb_kv_key_lister_free(l));
    CHECK_OK(jb_kv_free(kv));
    CHECK_OK(jb_client_delete_kv(c, "TKVLKA"));
    jb_client_close(c);
    jb_client_free(c);
}

static void test_kv_mirror_reads_origin(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_kv_config cfg;
    jb_kv_config_default(&cfg);
    cfg.bucket = "TKVORIG";
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_kv *origin = fresh_bucket(c, &cfg);
    CHECK(origin);
    CHECK(put(origin, "a", "1"));

    jb_stream_source src;
    jb_stream_source_default(&src);
    src.name = "TKVORIG";
    jb_kv_config_default(&cfg);
    cfg.bucket = "TKVCOPY";
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    cfg.mirror = &src;
    jb_kv *copy = fresh_bucket(c, &cfg);
    CHECK(copy);
    /* A mirror copies in the background: wait (bounded) for "a". */
    jb_kv_entry *e = NULL;
    jb_result r = JB_RESULT_NOT_FOUND;
    for (int i = 0; i < 200 && r == JB_RESULT_NOT_FOUND; i++) {
        r = jb_kv_get(copy, "a", 0, &e);
        if (r == JB_RESULT_NOT_FOUND) jbt_sleep_ms(50);
    }
    CHECK_OK(r);
    CHECK(e->value_len == 1 && e->value[0] == '1' && strcmp(e->bucket, "TKVCOPY") == 0);
    CHECK_OK(jb_kv_entry_free(e));
    jb_kv_status *st = NULL;
    CHECK_OK(jb_kv_get_status(copy, &st));
    CHECK(st->config->mirror && strcmp(st->config->mirror->name, "TKVORIG") == 0);
    CHECK_OK(jb_kv_status_free(st));

    CHECK_OK(jb_kv_free(copy));
    CHECK_OK(jb_kv_free(origin));
    CHECK_OK(jb_client_delete_kv(c, "TKVCOPY"));
    CHECK_OK(jb_client_delete_kv(c, "TKVORIG"));
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_kv_keys_cases[] = {
    {"kv_list_keys_streamed", test_kv_list_keys_streamed},
    {"kv_list_keys_async", test_kv_list_keys_async},
    {"kv_mirror_reads_origin", test_kv_mirror_reads_origin},
    {NULL, NULL},
};
