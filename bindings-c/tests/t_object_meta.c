/*
 * Object stores, beyond content: a writer with description and metadata
 * (jb_object_store_writer_meta); links (reading a link reads its target; a
 * link to a whole store has no content: INVALID_ARGUMENT; a link never
 * replaces an object: ALREADY_EXISTS); update_meta renames (NOT_FOUND,
 * ALREADY_EXISTS); a watch with its caught-up marker exactly once, stop,
 * and the _async forms.
 */
#include "jbtest.h"

static jb_object_store *fresh_store(jb_client *c, const char *name) {
    jb_client_delete_object_store(c, name); /* NOT_FOUND is fine */
    jb_object_store_config cfg;
    jb_object_store_config_default(&cfg);
    cfg.bucket = name;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_object_store *s = NULL;
    if (jb_client_create_object_store(c, &cfg, &s) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "create object store", jb_last_error_message());
        return NULL;
    }
    return s;
}

/* Writes `data` as the object `meta` names; returns its info. */
static jb_object_info *put_meta(jb_object_store *s, const jb_object_meta *meta, const char *data) {
    jb_object_writer *w = NULL;
    jb_object_info *info = NULL;
    if (jb_object_store_writer_meta(s, meta, &w) != JB_RESULT_OK ||
        jb_object_writer_write(w, (const uint8_t *)data, strlen(data)) != JB_RESULT_OK ||
        jb_object_writer_finish(w, &info) != JB_RESULT_OK)
        jbt_fail(__FILE__, __LINE__, "write object", jb_last_error_message());
    jb_object_writer_free(w);
    return info;
}

static jb_object_info *put(jb_object_store *s, const char *name, const char *data) {
    jb_object_meta meta;
    jb_object_meta_default(&meta);
    meta.name = name;
    return put_meta(s, &meta, data);
}

/* Reads object `name` whole into `buf` (NUL-terminated); the read's result. */
static jb_result read_text(jb_object_store *s, const char *name, char *buf, size_t cap) {
    jb_object_reader *rd = NULL;
    jb_result r = jb_object_store_get(s, name, &rd);
    size_t total = 0, n = 0;
    while (r == JB_RESULT_OK && total + 1 < cap) {
        r = jb_object_reader_read(rd, (uint8_t *)buf + total, cap - 1 - total, &n);
        if (r != JB_RESULT_OK || n == 0) break;
        total += n;
    }
    buf[total] = 0;
    jb_object_reader_free(rd);
    return r;
}

/* The value of metadata key `key` in `info`, or NULL. */
static const char *meta_value(const jb_object_info *info, const char *key) {
    for (size_t i = 0; i < info->metadata_len; i++)
        if (strcmp(info->metadata_keys[i], key) == 0) return info->metadata_values[i];
    return NULL;
}

static void test_object_metadata_links_and_rename(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_object_store *s = fresh_store(c, "TOBJM");
    CHECK(s);
    jb_object_store *other = fresh_store(c, "TOBJM2");
    CHECK(other);

    /* A writer with description and metadata. */
    const char *keys[] = {"owner", "kind"};
    const char *values[] = {"ana", "report"};
    jb_object_meta meta;
    jb_object_meta_default(&meta);
    meta.name = "doc";
    meta.description = "the doc";
    meta.metadata_keys = keys;
    meta.metadata_values = values;
    meta.metadata_len = 2;
    jb_object_info *info = put_meta(s, &meta, "hello");
    CHECK(info);
    CHECK(strcmp(info->description, "the doc") == 0 && info->metadata_len == 2);
    CHECK(strcmp(meta_value(info, "owner"), "ana") == 0 && info->link == NULL);
    CHECK_OK(jb_object_info_free(info));

    /* A link in another store reads its target. */
    jb_object_info *target = NULL;
    CHECK_OK(jb_object_store_info(s, "doc", &target));
    CHECK_OK(jb_object_store_add_link(other, "to-doc", target, &info));
    CHECK(info->link && strcmp(info->link->bucket, "TOBJM") == 0);
    CHECK(strcmp(info->link->name, "doc") == 0 && strcmp(info->bucket, "TOBJM2") == 0);
    CHECK_OK(jb_object_info_free(info));
    char buf[32];
    CHECK_OK(read_text(other, "to-doc", buf, sizeof buf));
    CHECK(strcmp(buf, "hello") == 0);
    /* A link never replaces an object; a link to a link is refused. */
    CHECK(info = put(other, "plain", "x"));
    CHECK_OK(jb_object_info_free(info));
    CHECK_RES(jb_object_store_add_link(other, "plain", target, &info), JB_RESULT_ALREADY_EXISTS);
    CHECK_OK(jb_object_store_info(other, "to-doc", &info));
    CHECK_RES(jb_object_store_add_link(s, "chain", info, &target), JB_RESULT_INVALID_ARGUMENT);
    CHECK_OK(jb_object_info_free(info));
    CHECK_OK(jb_object_info_free(target));

    /* A link to a whole store has no content of its own. */
    CHECK_OK(jb_object_store_add_bucket_link(s, "all-of-2", "TOBJM2", &info));
    CHECK(info->link && strcmp(info->link->bucket, "TOBJM2") == 0 && info->link->name == NULL);
    CHECK_OK(jb_object_info_free(info));
    CHECK_RES(read_text(s, "all-of-2", buf, sizeof buf), JB_RESULT_INVALID_ARGUMENT);
    jb_object_info_list *l = NULL;
    CHECK_OK(jb_object_store_list(s, &l));
    CHECK(l->len == 2); /* doc and the link */
    CHECK_OK(jb_object_info_list_free(l));

    /* update_meta renames, keeps the content, replaces the metadata. */
    jb_object_meta_default(&meta);
    meta.name = "doc-v2";
    CHECK_OK(jb_object_store_update_meta(s, "doc", &meta, &info));
    CHECK(strcmp(info->name, "doc-v2") == 0 && info->description == NULL);
    CHECK(info->metadata_len == 0 && info->size_bytes == 5);
    CHECK_OK(jb_object_info_free(info));
    CHECK_RES(jb_object_store_info(s, "doc", &info), JB_RESULT_NOT_FOUND);
    CHECK_OK(read_text(s, "doc-v2", buf, sizeof buf));
    CHECK(strcmp(buf, "hello") == 0);
    CHECK_RES(jb_object_store_update_meta(s, "doc", &meta, &info), JB_RESULT_NOT_FOUND);
    meta.name = "all-of-2";
    CHECK_RES(jb_object_store_update_meta(s, "doc-v2", &meta, &info), JB_RESULT_ALREADY_EXISTS);

    /* Bad arguments. */
    CHECK_RES(jb_object_store_add_link(s, "x", NULL, &info), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_store_add_bucket_link(s, "x", NULL, &info), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_store_update_meta(s, "x", NULL, &info), JB_RESULT_NULL_PARAMETER);
    jb_object_writer *w = NULL;
    CHECK_RES(jb_object_store_writer_meta(s, NULL, &w), JB_RESULT_NULL_PARAMETER);
    jb_object_meta_default(&meta);
    meta.name = "";
    CHECK_RES(jb_object_store_writer_meta(s, &meta, &w), JB_RESULT_INVALID_ARGUMENT);

    CHECK_OK(jb_object_store_free(other));
    CHECK_OK(jb_object_store_free(s));
    CHECK_OK(jb_client_delete_object_store(c, "TOBJM2"));
    CHECK_OK(jb_client_delete_object_store(c, "TOBJM"));
    jb_client_close(c);
    jb_client_free(c);
}

static void test_object_watch_caught_up(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_object_store *s = fresh_store(c, "TOBJW");
    CHECK(s);
    jb_object_info *info = put(s, "one", "1");
    CHECK(info);
    CHECK_OK(jb_object_info_free(info));

    /* The latest info of each object, the marker exactly once, then changes. */
    jb_object_watcher *w = NULL;
    bool caught_up = false;
    CHECK_OK(jb_object_store_watch(s, NULL, &w));
    CHECK_OK(jb_object_watcher_next(w, JBT_WAIT_MS, &info, &caught_up));
    CHECK(info && !caught_up && strcmp(info->name, "one") == 0);
    CHECK_OK(jb_object_info_free(info));
    CHECK_OK(jb_object_watcher_next(w, JBT_WAIT_MS, &info, &caught_up));
    CHECK(info == NULL && caught_up);
    CHECK(info = put(s, "two", "2"));
    CHECK_OK(jb_object_info_free(info));
    CHECK_OK(jb_object_watcher_next(w, JBT_WAIT_MS, &info, &caught_up));
    CHECK(info && !caught_up && strcmp(info->name, "two") == 0 && !info->deleted);
    CHECK_OK(jb_object_info_free(info));
    CHECK_OK(jb_object_store_delete(s, "two"));
    CHECK_OK(jb_object_watcher_next(w, JBT_WAIT_MS, &info, &caught_up));
    CHECK(info && strcmp(info->name, "two") == 0 && info->deleted);
    CHECK_OK(jb_object_info_free(info));
    CHECK_RES(jb_object_watcher_next(w, 100, &info, &caught_up), JB_RESULT_TIMEOUT);
    /* Stopped: CLOSED, and the handle still needs its free. */
    jb_object_watcher_stop(w);
    CHECK_RES(jb_object_watcher_next(w, JBT_WAIT_MS, &info, &caught_up), JB_RESULT_CLOSED);
    CHECK_OK(jb_object_watcher_free(w));
    CHECK_RES(jb_object_watcher_free(w), JB_RESULT_INVALID_HANDLE);

    /* Only updates: the marker first. */
    jb_object_watch_options o;
    jb_object_watch_options_default(&o);
    o.updates_only = true;
    CHECK_OK(jb_object_store_watch(s, &o, &w));
    CHECK_OK(jb_object_watcher_next(w, JBT_WAIT_MS, &info, &caught_up));
    CHECK(info == NULL && caught_up);
    CHECK_OK(jb_object_watcher_free(w));

    CHECK_RES(jb_object_watcher_next(NULL, 1, &info, &caught_up), JB_RESULT_NULL_PARAMETER);
    jb_object_watcher_stop(NULL);
    CHECK_OK(jb_object_watcher_free(NULL));
    CHECK_OK(jb_object_store_free(s));
    CHECK_OK(jb_client_delete_object_store(c, "TOBJW"));
    jb_client_close(c);
    jb_client_free(c);
}

/* An async call's probe: a handle, or what a lent info or event held. */
typedef struct {
    jbt_call call;
    void *handle;
    char name[32];
    int got_info;
    int caught_up;
} probe;

static void on_info(void *ud, jb_result r, const char *err, const jb_object_info *info) {
    probe *p = ud;
    p->got_info = info != NULL;
    if (info) snprintf(p->name, sizeof p->name, "%s", info->name);
    jbt_call_record(&p->call, r, err);
}

static void on_writer(void *ud, jb_result r, const char *err, jb_object_writer *w) {
    probe *p = ud;
    p->handle = w;
    jbt_call_record(&p->call, r, err);
}

static void on_watcher(void *ud, jb_result r, const char *err, jb_object_watcher *w) {
    probe *p = ud;
    p->handle = w;
    jbt_call_record(&p->call, r, err);
}

static void on_event(void *ud, jb_result r, const char *err, const jb_object_info *info,
                     bool caught_up) {
    probe *p = ud;
    p->caught_up = caught_up;
    on_info(ud, r, err, info);
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

static void test_object_meta_async(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_object_store *s = fresh_store(c, "TOBJMA");
    CHECK(s);
    probe p;
    ASYNC(p, jb_object_store_watch_async(s, NULL, on_watcher, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.handle);
    jb_object_watcher *w = p.handle;
    ASYNC(p, jb_object_watcher_next_async(w, JBT_WAIT_MS, on_event, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.caught_up && !p.got_info);

    jb_object_meta meta;
    jb_object_meta_default(&meta);
    meta.name = "a";
    ASYNC(p, jb_object_store_writer_meta_async(s, &meta, on_writer, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.handle);
    jb_object_writer *wr = p.handle;
    jb_object_info *info = NULL;
    CHECK_OK(jb_object_writer_finish(wr, &info));
    CHECK_OK(jb_object_writer_free(wr));
    ASYNC(p, jb_object_watcher_next_async(w, JBT_WAIT_MS, on_event, &p));
    CHECK(p.call.result == JB_RESULT_OK && !p.caught_up && strcmp(p.name, "a") == 0);

    ASYNC(p, jb_object_store_add_link_async(s, "link-a", info, on_info, &p));
    CHECK_OK(jb_object_info_free(info));
    CHECK(p.call.result == JB_RESULT_OK && strcmp(p.name, "link-a") == 0);
    ASYNC(p, jb_object_store_add_bucket_link_async(s, "all", "TOBJMA", on_info, &p));
    CHECK(p.call.result == JB_RESULT_OK && strcmp(p.name, "all") == 0);
    meta.name = "b";
    ASYNC(p, jb_object_store_update_meta_async(s, "a", &meta, on_info, &p));
    CHECK(p.call.result == JB_RESULT_OK && strcmp(p.name, "b") == 0);
    ASYNC(p, jb_object_store_update_meta_async(s, "nope", &meta, on_info, &p));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND && !p.got_info && p.call.error[0]);
    ASYNC(p, jb_object_watcher_next_async(w, JBT_WAIT_MS, on_event, &p));
    CHECK(p.call.result == JB_RESULT_OK && strcmp(p.name, "link-a") == 0);

    /* Stopped: CLOSED (after what was already received, if anything). */
    jb_object_watcher_stop(w);
    for (int i = 0; i < 10; i++) {
        ASYNC(p, jb_object_watcher_next_async(w, JBT_WAIT_MS, on_event, &p));
        if (p.call.result != JB_RESULT_OK) break;
    }
    CHECK(p.call.result == JB_RESULT_CLOSED && !p.got_info && !p.caught_up);
    CHECK_OK(jb_object_watcher_free(w));
    CHECK_OK(jb_object_store_free(s));
    CHECK_OK(jb_client_delete_object_store(c, "TOBJMA"));
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_object_meta_cases[] = {
    {"object_metadata_links_and_rename", test_object_metadata_links_and_rename},
    {"object_watch_caught_up", test_object_watch_caught_up},
    {"object_meta_async", test_object_meta_async},
    {NULL, NULL},
};
