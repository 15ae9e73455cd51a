/* Object links, meta updates and watches (SPEC.md §4.11). */
#include <string.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"
#include "record.h"

#define A (&g_step)

/* The store under `from` and the `name` argument. */
static jb_object_store *from_name(state *st, args *a, const char **name) {
    const char *from;
    if (!args_required_string(a, "from", &from) || !args_required_string(a, "name", name)) return NULL;
    return state_object_store(st, from);
}

/* OBJECT_INFO of a call's result, freed here. */
static json *info_result(jb_result rc, jb_object_info *info) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = print_object_info(info);
    jb_object_info_free(info);
    return out;
}

/* The target is `to`'s info read from the store under `to_from`. */
json *op_obj_add_link(state *st, args *a) {
    const char *name, *to_from, *to;
    jb_object_store *s = from_name(st, a, &name);
    if (s == NULL || !args_required_string(a, "to_from", &to_from) || !args_required_string(a, "to", &to))
        return NULL;
    jb_object_store *target_store = state_object_store(st, to_from);
    if (target_store == NULL) return NULL;
    jb_object_info *target = NULL;
    jb_result rc = jb_object_store_info(target_store, to, &target);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_object_info *info = NULL;
    rc = jb_object_store_add_link(s, name, target, &info);
    json *out = info_result(rc, info); /* before the free: a failure reads the last error */
    jb_object_info_free(target);
    return out;
}

json *op_obj_add_bucket_link(state *st, args *a) {
    const char *name, *bucket;
    jb_object_store *s = from_name(st, a, &name);
    if (s == NULL || !args_required_string(a, "bucket", &bucket)) return NULL;
    jb_object_info *info = NULL;
    jb_result rc = jb_object_store_add_bucket_link(s, name, bucket, &info);
    return info_result(rc, info);
}

/* `meta` is the declared jb_object_meta (record.h). */
json *op_obj_update_meta(state *st, args *a) {
    const char *name;
    args *m;
    jb_object_store *s = from_name(st, a, &name);
    if (s == NULL || !args_object(a, "meta", &m)) return NULL;
    if (m == NULL) return fail_runner("obj_update_meta needs \"meta\"");
    const char *wire = record_wire_arg(m, jb_object_meta_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_object_meta *meta = NULL;
    jb_result rc = jb_object_meta_from_json(wire, &meta);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_object_info *info = NULL;
    rc = jb_object_store_update_meta(s, name, meta, &info);
    json *out = info_result(rc, info);
    jb_object_meta_free(meta);
    return out;
}

/* The watch options are the declared jb_object_watch_options, read from the
 * step's own keys (record.h: this lists no field). */
json *op_obj_watch(state *st, args *a) {
    const char *from, *alias;
    if (!args_required_string(a, "from", &from) || !args_required_string(a, "as", &alias)) return NULL;
    jb_object_store *s = state_object_store(st, from);
    if (s == NULL) return NULL;
    const char *wire = record_wire_arg(a, jb_object_watch_options_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_object_watch_options *options = NULL;
    jb_result rc = jb_object_watch_options_from_json(wire, &options);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_object_watcher *w = NULL;
    rc = jb_object_store_watch(s, options, &w);
    json *failed = rc != JB_RESULT_OK ? fail_binding(rc) : NULL;
    jb_object_watch_options_free(options);
    if (rc != JB_RESULT_OK) return failed;
    state_put_object_watcher(st, alias, w);
    return json_object(A);
}

/* Up to `max` events within `wait_ms` in total. */
json *op_obj_watch_next(state *st, args *a) {
    const char *from;
    bool has_max, has_wait;
    uint64_t max = 1, wait_ms = 2000;
    if (!args_required_string(a, "from", &from) || !args_u64(a, "max", &has_max, &max) ||
        !args_u64(a, "wait_ms", &has_wait, &wait_ms))
        return NULL;
    if (!has_max) max = 1;
    if (!has_wait) wait_ms = 2000;
    jb_object_watcher *w = state_object_watcher(st, from);
    if (w == NULL) return NULL;
    int64_t deadline = kv_now_ms() + (int64_t)wait_ms;
    json *events = json_array(A);
    for (uint64_t n = 0; n < max; n++) {
        int64_t left = deadline - kv_now_ms();
        jb_object_info *info = NULL;
        bool caught_up = false;
        jb_result rc = jb_object_watcher_next(w, left > 0 ? (uint64_t)left : 0, &info, &caught_up);
        if (rc == JB_RESULT_TIMEOUT) break;
        if (rc != JB_RESULT_OK) return fail_binding(rc);
        json *printed = info == NULL ? json_null(A) : print_object_info(info);
        jb_object_info_free(info);
        if (printed == NULL) return NULL;
        json *ev = json_object(A);
        json_set(A, ev, "kind", json_str(A, caught_up ? "caught_up" : "info"));
        json_set(A, ev, "info", printed);
        json_push(A, events, ev);
    }
    json *out = json_object(A);
    json_set(A, out, "events", events);
    return out;
}

json *op_obj_watch_stop(state *st, args *a) {
    const char *from;
    if (!args_required_string(a, "from", &from)) return NULL;
    jb_object_watcher *w = state_object_watcher(st, from);
    if (w == NULL) return NULL;
    jb_object_watcher_stop(w);
    return json_object(A);
}
