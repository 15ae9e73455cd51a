/*
 * Object stores: an object bigger than one chunk (128 KiB) written in pieces
 * through jb_object_writer and read back through jb_object_reader into a
 * small buffer; info, list, delete; abort; a missing object and an object
 * whose chunks were removed give typed errors, never data; the _async forms.
 */
#include "jbtest.h"

#define CHUNK (128 * 1024)
#define BIG (CHUNK * 5 / 2)

static uint8_t byte_at(size_t i) { return (uint8_t)(i * 31 % 251); }

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

/* Writes BIG bytes as `name` in pieces of `piece` bytes; returns the info. */
static jb_object_info *write_big(jb_object_store *s, const char *name, size_t piece) {
    jb_object_writer *w = NULL;
    jb_object_info *info = NULL;
    uint8_t *buf = malloc(piece);
    if (jb_object_store_writer(s, name, "big one", &w) != JB_RESULT_OK) goto fail;
    for (size_t off = 0; off < BIG; off += piece) {
        size_t n = BIG - off < piece ? BIG - off : piece;
        for (size_t i = 0; i < n; i++) buf[i] = byte_at(off + i);
        if (jb_object_writer_write(w, buf, n) != JB_RESULT_OK) goto fail;
    }
    if (jb_object_writer_finish(w, &info) != JB_RESULT_OK) goto fail;
    free(buf);
    jb_object_writer_free(w);
    return info;
fail:
    jbt_fail(__FILE__, __LINE__, "write object", jb_last_error_message());
    free(buf);
    jb_object_writer_free(w);
    return NULL;
}

/* Reads `name` through a buffer of `cap` bytes; returns the bytes read, or
 * -1 after a failure whose result is stored in *r. Checks the content. */
static long read_all(jb_object_store *s, const char *name, size_t cap, jb_result *r, int *same) {
    jb_object_reader *rd = NULL;
    *same = 1;
    if ((*r = jb_object_store_get(s, name, &rd)) != JB_RESULT_OK) return -1;
    uint8_t *buf = malloc(cap);
    long total = 0;
    for (;;) {
        size_t n = 0;
        if ((*r = jb_object_reader_read(rd, buf, cap, &n)) != JB_RESULT_OK) {
            total = -1;
            break;
        }
        if (n == 0) break;
        if (n > cap) *same = 0;
        for (size_t i = 0; i < n; i++)
            if (buf[i] != byte_at((size_t)total + i)) *same = 0;
        total += (long)n;
    }
    free(buf);
    jb_object_reader_free(rd);
    return total;
}

static void test_object_streamed_in_and_out(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_object_store *s = fresh_store(c, "TOBJ");
    CHECK(s);
    CHECK(strcmp(jb_object_store_bucket(s), "TOBJ") == 0);

    /* 2.5 chunks written in pieces of 10000 bytes. */
    jb_object_info *info = write_big(s, "reports/q3.bin", 10000);
    CHECK(info);
    CHECK(info->size_bytes == BIG && info->chunks == 3);
    CHECK(strcmp(info->name, "reports/q3.bin") == 0 && strcmp(info->bucket, "TOBJ") == 0);
    CHECK(strcmp(info->description, "big one") == 0);
    CHECK(strncmp(info->digest, "SHA-256=", 8) == 0 && !info->deleted);
    CHECK_OK(jb_object_info_free(info));

    CHECK_OK(jb_object_store_info(s, "reports/q3.bin", &info));
    CHECK(info->size_bytes == BIG);
    CHECK_OK(jb_object_info_free(info));

    /* Read back through a 7000-byte buffer. */
    jb_result r;
    int same;
    CHECK(read_all(s, "reports/q3.bin", 7000, &r, &same) == BIG);
    CHECK(same);

    /* The reader's info, and the end repeated. */
    jb_object_reader *rd = NULL;
    CHECK_OK(jb_object_store_get(s, "reports/q3.bin", &rd));
    const jb_object_info *ri = jb_object_reader_info(rd);
    CHECK(ri && ri->size_bytes == BIG && ri->chunks == 3);
    uint8_t *buf = malloc(CHUNK * 2);
    size_t n = 0, total = 0;
    int reads = 0;
    do {
        jb_result rr = jb_object_reader_read(rd, buf, CHUNK * 2, &n);
        if (rr != JB_RESULT_OK) {
            free(buf);
            CHECK_OK(rr);
        }
        total += n;
        reads++;
    } while (n);
    free(buf);
    CHECK(total == BIG && reads == 4); /* one chunk per call at most, then the end */
    uint8_t one;
    CHECK_OK(jb_object_reader_read(rd, &one, 1, &n));
    CHECK(n == 0);
    CHECK_RES(jb_object_reader_read(rd, &one, 0, &n), JB_RESULT_INVALID_ARGUMENT);
    CHECK_OK(jb_object_reader_free(rd));
    CHECK(jb_object_reader_info(rd) == NULL);

    /* An empty object, a list, a delete. */
    jb_object_writer *w = NULL;
    CHECK_OK(jb_object_store_writer(s, "empty", NULL, &w));
    CHECK_OK(jb_object_writer_finish(w, &info));
    CHECK(info->size_bytes == 0 && info->description == NULL);
    CHECK_OK(jb_object_info_free(info));
    /* Finished: writing again is CLOSED. */
    CHECK_RES(jb_object_writer_finish(w, &info), JB_RESULT_CLOSED);
    CHECK_RES(jb_object_writer_write(w, &one, 1), JB_RESULT_CLOSED);
    CHECK_OK(jb_object_writer_free(w));
    CHECK(read_all(s, "empty", 16, &r, &same) == 0);
    jb_object_info_list *l = NULL;
    CHECK_OK(jb_object_store_list(s, &l));
    CHECK(l->len == 2);
    int seen = 0;
    for (size_t i = 0; i < l->len; i++)
        seen += strcmp(l->items[i].name, "empty") == 0 ||
                (strcmp(l->items[i].name, "reports/q3.bin") == 0 && l->items[i].size_bytes == BIG);
    CHECK(seen == 2);
    CHECK_OK(jb_object_info_list_free(l));
    CHECK_OK(jb_object_store_delete(s, "empty"));
    CHECK_RES(jb_object_store_info(s, "empty", &info), JB_RESULT_NOT_FOUND);

    /* Aborted, or freed unfinished: nothing becomes visible. */
    CHECK_OK(jb_object_store_writer(s, "aborted", NULL, &w));
    CHECK_OK(jb_object_writer_write(w, (const uint8_t *)"partial", 7));
    jb_object_writer_abort(w);
    CHECK_RES(jb_object_writer_finish(w, &info), JB_RESULT_CLOSED);
    CHECK_OK(jb_object_writer_free(w));
    CHECK_RES(jb_object_store_info(s, "aborted", &info), JB_RESULT_NOT_FOUND);
    CHECK_OK(jb_object_store_writer(s, "dropped", NULL, &w));
    CHECK_OK(jb_object_writer_write(w, (const uint8_t *)"partial", 7));
    CHECK_OK(jb_object_writer_free(w));
    CHECK_RES(jb_object_store_info(s, "dropped", &info), JB_RESULT_NOT_FOUND);

    /* Missing: NOT_FOUND. */
    CHECK_RES(jb_object_store_get(s, "nope", &rd), JB_RESULT_NOT_FOUND);

    CHECK_OK(jb_object_store_free(s));
    CHECK_OK(jb_client_delete_object_store(c, "TOBJ"));
    CHECK_RES(jb_client_object_store(c, "TOBJ", &s), JB_RESULT_NOT_FOUND);
    jb_client_close(c);
    jb_client_free(c);
}

static void test_object_missing_chunks_are_an_error(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_object_store *s = fresh_store(c, "TOBJC");
    CHECK(s);
    jb_object_info *info = write_big(s, "x", CHUNK);
    CHECK(info);
    /* Remove all but the first of its three chunks. */
    char subject[128];
    snprintf(subject, sizeof subject, "$O.TOBJC.C.%s", info->nuid);
    CHECK_OK(jb_object_info_free(info));
    jb_purge_options po;
    jb_purge_options_default(&po);
    po.subject = subject;
    po.keep = 1;
    po.has_keep = true;
    uint64_t purged = 0;
    CHECK_OK(jb_client_purge_stream(c, "OBJ_TOBJC", &po, &purged));
    CHECK(purged == 2);
    jb_result r;
    int same;
    CHECK(read_all(s, "x", 4096, &r, &same) == -1);
    CHECK(r == JB_RESULT_SERVER);
    CHECK(strstr(jb_last_error_message(), "corrupted or incomplete") != NULL);
    CHECK_OK(jb_object_store_free(s));
    CHECK_OK(jb_client_delete_object_store(c, "TOBJC"));
    jb_client_close(c);
    jb_client_free(c);
}

typedef struct {
    jbt_call call;
    void *handle;
    const void *lent;
    uint64_t size;
    size_t len;
    size_t n;
} probe;

static void on_store(void *ud, jb_result r, const char *err, jb_object_store *s) {
    probe *p = ud;
    p->handle = s;
    jbt_call_record(&p->call, r, err);
}

static void on_writer(void *ud, jb_result r, const char *err, jb_object_writer *w) {
    probe *p = ud;
    p->handle = w;
    jbt_call_record(&p->call, r, err);
}

static void on_reader(void *ud, jb_result r, const char *err, jb_object_reader *rd) {
    probe *p = ud;
    p->handle = rd;
    jbt_call_record(&p->call, r, err);
}

static void on_info(void *ud, jb_result r, const char *err, const jb_object_info *i) {
    probe *p = ud;
    p->lent = i;
    p->size = i ? i->size_bytes : 0;
    jbt_call_record(&p->call, r, err);
}

static void on_list(void *ud, jb_result r, const char *err, const jb_object_info_list *l) {
    probe *p = ud;
    p->n = l ? l->len : 0;
    jbt_call_record(&p->call, r, err);
}

static void on_chunk(void *ud, jb_result r, const char *err, const uint8_t *data, size_t len) {
    probe *p = ud;
    p->lent = data;
    p->len = len;
    p->size = 1;
    for (size_t i = 0; i < len; i++)
        if (data[i] != (uint8_t)('a' + i % 26)) p->size = 0;
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

static void test_object_async(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_client_delete_object_store(c, "TOBJA");
    probe p;
    jb_object_store_config cfg;
    jb_object_store_config_default(&cfg);
    cfg.bucket = "TOBJA";
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    ASYNC(p, jb_client_create_object_store_async(c, &cfg, on_store, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.handle);
    jb_object_store *s = p.handle;
    ASYNC(p, jb_client_object_store_async(c, "NOPE_TOBJA", on_store, &p));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND && !p.handle && p.call.error[0]);

    ASYNC(p, jb_object_store_writer_async(s, "alpha", NULL, on_writer, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.handle);
    jb_object_writer *w = p.handle;
    /* 200000 bytes: a full chunk and a part. */
    size_t total = 200000;
    uint8_t *data = malloc(total);
    for (size_t i = 0; i < total; i++) data[i] = (uint8_t)('a' + i % CHUNK % 26);
    jbt_call_init(&p.call);
    jb_result wr = jb_object_writer_write_async(w, data, total, jbt_call_on_done, &p.call);
    free(data); /* copied before the call returns */
    CHECK_OK(wr);
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK);
    jbt_call_destroy(&p.call);
    ASYNC(p, jb_object_writer_finish_async(w, on_info, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.size == total);
    ASYNC(p, jb_object_writer_finish_async(w, on_info, &p));
    CHECK(p.call.result == JB_RESULT_CLOSED && !p.lent);
    CHECK_OK(jb_object_writer_free(w));

    ASYNC(p, jb_object_store_info_async(s, "alpha", on_info, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.size == total);
    ASYNC(p, jb_object_store_list_async(s, on_list, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.n == 1);

    /* Read: one chunk lent per call, then len 0. */
    ASYNC(p, jb_object_store_get_async(s, "alpha", on_reader, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.handle);
    jb_object_reader *rd = p.handle;
    ASYNC(p, jb_object_reader_read_async(rd, on_chunk, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.len == CHUNK && p.size == 1);
    ASYNC(p, jb_object_reader_read_async(rd, on_chunk, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.len == total - CHUNK);
    ASYNC(p, jb_object_reader_read_async(rd, on_chunk, &p));
    CHECK(p.call.result == JB_RESULT_OK && p.len == 0 && p.lent == NULL);
    CHECK_OK(jb_object_reader_free(rd));
    ASYNC(p, jb_object_store_get_async(s, "nope", on_reader, &p));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND && !p.handle);

    jbt_call_init(&p.call);
    CHECK_OK(jb_object_store_delete_async(s, "alpha", jbt_call_on_done, &p.call));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK);
    jbt_call_destroy(&p.call);
    CHECK_OK(jb_object_store_free(s));
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_delete_object_store_async(c, "TOBJA", jbt_call_on_done, &p.call));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK);
    jbt_call_destroy(&p.call);
    jb_client_close(c);
    jb_client_free(c);
}

static void test_object_bad_arguments(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_object_store *s = fresh_store(c, "TOBJB");
    CHECK(s);
    jb_object_writer *w = NULL;
    jb_object_reader *rd = NULL;
    jb_object_info *info = NULL;
    size_t n = 0;
    const char bad_utf8[] = {'o', (char)0xff, 0};
    CHECK_RES(jb_client_create_object_store(c, NULL, &s), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_store_writer(NULL, "x", NULL, &w), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_store_writer(s, NULL, NULL, &w), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_store_writer(s, "x", NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_store_writer(s, bad_utf8, NULL, &w), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_object_store_writer(s, "x", bad_utf8, &w), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_object_store_writer(s, "", NULL, &w), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_object_writer_write(NULL, NULL, 0), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_object_store_writer(s, "x", NULL, &w));
    CHECK_RES(jb_object_writer_write(w, NULL, 5), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_writer_finish(w, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_writer_write_async(w, NULL, 0, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_object_writer_finish(w, &info));
    CHECK_OK(jb_object_info_free(info));
    CHECK_OK(jb_object_writer_free(w));
    CHECK_OK(jb_object_store_get(s, "x", &rd));
    CHECK_RES(jb_object_reader_read(rd, NULL, 10, &n), JB_RESULT_NULL_PARAMETER);
    uint8_t b[4];
    CHECK_RES(jb_object_reader_read(rd, b, sizeof b, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_object_reader_read_async(rd, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_object_reader_free(rd));
    CHECK_RES(jb_object_reader_read(rd, b, sizeof b, &n), JB_RESULT_INVALID_HANDLE);
    CHECK(jb_object_store_bucket(NULL) == NULL);
    CHECK(jb_object_reader_info(NULL) == NULL);
    jb_object_writer_abort(NULL);
    CHECK_OK(jb_object_store_free(NULL));
    CHECK_OK(jb_object_writer_free(NULL));
    CHECK_OK(jb_object_reader_free(NULL));
    CHECK_OK(jb_object_info_list_free(NULL));
    CHECK_OK(jb_object_store_free(s));
    CHECK_RES(jb_object_store_free(s), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_client_delete_object_store(c, "TOBJB"));
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_object_cases[] = {
    {"object_streamed_in_and_out", test_object_streamed_in_and_out},
    {"object_missing_chunks_are_an_error", test_object_missing_chunks_are_an_error},
    {"object_async", test_object_async},
    {"object_bad_arguments", test_object_bad_arguments},
    {NULL, NULL},
};
