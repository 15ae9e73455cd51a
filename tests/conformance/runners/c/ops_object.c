/* Object stores (SPEC.md §4.11): obj_put writes through jb_object_writer in
 * pieces of `piece` bytes, obj_get reads through jb_object_reader into a
 * buffer of `piece` bytes; neither holds the whole object. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"
#include "record.h"

#define A (&g_step)

#define DEFAULT_PIECE 65536
#define MAX_DATA 64

/* Byte i of the `data_size` pattern. */
static uint8_t pattern_at(uint64_t i) { return (uint8_t)(i * 31 % 251); }

/* OBJECT_INFO: the declared jb_object_info printed as any declared type
 * (record.h), without the chunks' id and the modification time. */
json *print_object_info(const jb_object_info *info) {
    static const char *const skip[] = {"nuid", "mtime", NULL};
    char *text = NULL;
    jb_result rc = jb_object_info_to_json(info, &text);
    return record_print(rc, text, jb_object_info_schema(), skip);
}

static json *store_result(state *st, args *a, jb_object_store *s) {
    const char *alias;
    if (!args_string(a, "as", &alias)) {
        jb_object_store_free(s);
        return NULL;
    }
    const char *name = jb_object_store_bucket(s);
    json *out = json_object(A);
    json_set(A, out, "bucket", json_str(A, name));
    state_put_object_store(st, alias != NULL ? alias : name, s);
    return out;
}

json *op_obj_create(state *st, args *a) {
    args *c;
    if (!args_object(a, "config", &c)) return NULL;
    if (c == NULL) return fail_runner("obj_create needs \"config\"");
    const char *wire = record_wire_arg(c, jb_object_store_config_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_object_store_config *config = NULL;
    jb_result rc = jb_object_store_config_from_json(wire, &config);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_client *client = state_client(st);
    jb_object_store *s = NULL;
    rc = client == NULL ? JB_RESULT_OK : jb_client_create_object_store(client, config, &s);
    jb_object_store_config_free(config);
    if (client == NULL) return NULL;
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    return store_result(st, a, s);
}

json *op_obj_open(state *st, args *a) {
    const char *bucket;
    if (!args_required_string(a, "bucket", &bucket)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_object_store *s = NULL;
    jb_result rc = jb_client_object_store(client, bucket, &s);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    return store_result(st, a, s);
}

/* OBJ_STATUS: the declared jb_object_store_status printed as any declared
 * type, without `bytes`. */
static json *print_status(jb_result rc, jb_object_store_status *status) {
    static const char *const skip[] = {"bytes", NULL};
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    char *text = NULL;
    rc = jb_object_store_status_to_json(status, &text);
    jb_object_store_status_free(status);
    return record_print(rc, text, jb_object_store_status_schema(), skip);
}

json *op_obj_status(state *st, args *a) {
    const char *bucket;
    if (!args_required_string(a, "bucket", &bucket)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_object_store_status *status = NULL;
    jb_result rc = jb_client_object_store_status(client, bucket, &status);
    return print_status(rc, status);
}

json *op_obj_seal(state *st, args *a) {
    const char *from;
    if (!args_required_string(a, "from", &from)) return NULL;
    jb_object_store *s = state_object_store(st, from);
    if (s == NULL) return NULL;
    jb_object_store_status *status = NULL;
    jb_result rc = jb_object_store_seal(s, &status);
    return print_status(rc, status);
}

json *op_obj_names(state *st, args *a) {
    (void)a;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_kv_key_list *l = NULL;
    jb_result rc = jb_client_object_store_names(client, &l);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = names_result(l);
    jb_kv_key_list_free(l);
    return out;
}

json *op_obj_delete_store(state *st, args *a) {
    const char *bucket;
    if (!args_required_string(a, "bucket", &bucket)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_result rc = jb_client_delete_object_store(client, bucket);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

/* The store under `from` and the `name` argument. */
static jb_object_store *from_name(state *st, args *a, const char **name) {
    const char *from;
    if (!args_required_string(a, "from", &from) || !args_required_string(a, "name", name)) return NULL;
    return state_object_store(st, from);
}

/* `piece` (default DEFAULT_PIECE, at least 1). */
static bool piece_arg(args *a, size_t *piece) {
    bool has;
    uint64_t v = 0;
    if (!args_u64(a, "piece", &has, &v)) return false;
    *piece = !has ? DEFAULT_PIECE : v == 0 ? 1 : (size_t)v;
    return true;
}

/* `name`, `description` and `metadata` are the declared jb_object_meta,
 * read from the step's own keys (record.h). */
json *op_obj_put(state *st, args *a) {
    const char *name, *data;
    bool has_size;
    uint64_t size = 0;
    size_t piece;
    jb_object_store *s = from_name(st, a, &name);
    if (s == NULL || !args_string(a, "data", &data) || !args_u64(a, "data_size", &has_size, &size) ||
        !piece_arg(a, &piece))
        return NULL;
    if (!has_size) size = data != NULL ? strlen(data) : 0;
    const char *wire = record_wire_arg(a, jb_object_meta_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_object_meta *meta = NULL;
    jb_result rc = jb_object_meta_from_json(wire, &meta);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_object_writer *w = NULL;
    rc = jb_object_store_writer_meta(s, meta, &w);
    jb_object_meta_free(meta);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    uint8_t *buf = malloc(piece);
    if (buf == NULL) abort();
    for (uint64_t off = 0; off < size && rc == JB_RESULT_OK; off += piece) {
        size_t n = size - off < piece ? (size_t)(size - off) : piece;
        if (has_size) {
            for (size_t i = 0; i < n; i++) buf[i] = pattern_at(off + i);
        } else {
            memcpy(buf, data + off, n);
        }
        rc = jb_object_writer_write(w, buf, n);
    }
    free(buf);
    jb_object_info *info = NULL;
    if (rc == JB_RESULT_OK) rc = jb_object_writer_finish(w, &info);
    jb_object_writer_free(w); /* aborts it after a failed write */
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = print_object_info(info);
    jb_object_info_free(info);
    return out;
}

json *op_obj_get(state *st, args *a) {
    const char *name;
    size_t piece;
    jb_object_store *s = from_name(st, a, &name);
    if (s == NULL || !piece_arg(a, &piece)) return NULL;
    jb_object_reader *r = NULL;
    jb_result rc = jb_object_store_get(s, name, &r);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    uint8_t *buf = malloc(piece);
    if (buf == NULL) abort();
    uint8_t head[MAX_DATA];
    uint64_t total = 0;
    bool pattern = true;
    for (;;) {
        size_t n = 0;
        rc = jb_object_reader_read(r, buf, piece, &n);
        if (rc != JB_RESULT_OK || n == 0) break;
        for (size_t i = 0; i < n; i++) {
            if (buf[i] != pattern_at(total + i)) pattern = false;
            if (total + i < MAX_DATA) head[total + i] = buf[i];
        }
        total += n;
    }
    free(buf);
    if (rc != JB_RESULT_OK) {
        jb_object_reader_free(r);
        return fail_binding(rc);
    }
    json *info = print_object_info(jb_object_reader_info(r));
    jb_object_reader_free(r);
    if (info == NULL) return NULL;
    json *out = json_object(A);
    json_set(A, out, "info", info);
    json_set(A, out, "bytes", json_uint(A, total));
    json_set(A, out, "data", total <= MAX_DATA ? print_data(head, (size_t)total) : json_null(A));
    json_set(A, out, "pattern", json_bool(A, pattern));
    return out;
}

json *op_obj_info(state *st, args *a) {
    const char *name;
    jb_object_store *s = from_name(st, a, &name);
    if (s == NULL) return NULL;
    jb_object_info *info = NULL;
    jb_result rc = jb_object_store_info(s, name, &info);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = print_object_info(info);
    jb_object_info_free(info);
    return out;
}

json *op_obj_delete(state *st, args *a) {
    const char *name;
    jb_object_store *s = from_name(st, a, &name);
    if (s == NULL) return NULL;
    jb_result rc = jb_object_store_delete(s, name);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

static int by_name(const void *x, const void *y) {
    return strcmp(((const jb_object_info *)x)->name, ((const jb_object_info *)y)->name);
}

json *op_obj_list(state *st, args *a) {
    const char *from;
    if (!args_required_string(a, "from", &from)) return NULL;
    jb_object_store *s = state_object_store(st, from);
    if (s == NULL) return NULL;
    jb_object_info_list *l = NULL;
    jb_result rc = jb_object_store_list(s, &l);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    /* Sorted copies of the items (they point into the list, freed after). */
    jb_object_info *items = arena_alloc(A, (l->len + 1) * sizeof *items);
    if (l->len) memcpy(items, l->items, l->len * sizeof *items);
    qsort(items, l->len, sizeof *items, by_name);
    json *objects = json_array(A);
    for (size_t i = 0; i < l->len; i++) {
        json *printed = print_object_info(&items[i]);
        if (printed == NULL) {
            jb_object_info_list_free(l);
            return NULL;
        }
        json_push(A, objects, printed);
    }
    jb_object_info_list_free(l);
    json *out = json_object(A);
    json_set(A, out, "objects", objects);
    return out;
}
