#include "args.h"

#include <stdlib.h>
#include <string.h>

#include "outcome.h"

struct args_seen {
    const char **used;
    size_t used_len, used_cap;
    args **objects;
    size_t objects_len, objects_cap;
};

static void *grow(void *items, size_t len, size_t *cap, size_t size) {
    if (len < *cap) return items;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *n = arena_alloc(&g_step, ncap * size);
    if (len) memcpy(n, items, len * size);
    *cap = ncap;
    return n;
}

static args *nested(args_seen *seen, const json *map, const char *path) {
    args *a = arena_alloc(&g_step, sizeof *a);
    a->map = map;
    a->path = path;
    a->seen = seen;
    seen->objects = grow(seen->objects, seen->objects_len, &seen->objects_cap, sizeof *seen->objects);
    seen->objects[seen->objects_len++] = a;
    return a;
}

args *args_root(const json *map) {
    args_seen *seen = arena_alloc(&g_step, sizeof *seen);
    return nested(seen, map, "");
}

static const char *full(args *a, const char *key) {
    return a->path[0] ? arena_printf(&g_step, "%s.%s", a->path, key) : key;
}

static bool bad(args *a, const char *key, const char *want) {
    fail_runner("argument %s must be %s", full(a, key), want);
    return false;
}

bool substitute(const char *s, const char **out) {
    /* the text between "${" and the next "}" names a JB_ variable */
    size_t len = strlen(s);
    char *res = arena_alloc(&g_step, 1);
    size_t res_len = 0;
    const char *rest = s;
    for (;;) {
        const char *start = strstr(rest, "${");
        if (start == NULL) break;
        const char *end = strchr(start + 2, '}');
        if (end == NULL) {
            fail_runner("unterminated ${ in argument");
            return false;
        }
        char *name = arena_strndup(&g_step, start + 2, (size_t)(end - start - 2));
        if (strncmp(name, "JB_", 3) != 0) {
            fail_runner("only ${JB_*} variables are substituted, not %s", name);
            return false;
        }
        const char *value = getenv(name);
        if (value == NULL) {
            fail_runner("environment variable %s is not set", name);
            return false;
        }
        size_t pre = (size_t)(start - rest), vlen = strlen(value);
        char *n = arena_alloc(&g_step, res_len + pre + vlen + 1);
        memcpy(n, res, res_len);
        memcpy(n + res_len, rest, pre);
        memcpy(n + res_len + pre, value, vlen);
        res = n;
        res_len += pre + vlen;
        rest = end + 1;
    }
    size_t tail = len - (size_t)(rest - s);
    char *n = arena_alloc(&g_step, res_len + tail + 1);
    memcpy(n, res, res_len);
    memcpy(n + res_len, rest, tail);
    *out = n;
    return true;
}

const json *args_raw(args *a, const char *key) {
    args_seen *s = a->seen;
    s->used = grow(s->used, s->used_len, &s->used_cap, sizeof *s->used);
    s->used[s->used_len++] = full(a, key);
    const json *v = json_get(a->map, key);
    return v == NULL || v->kind == JSON_NULL ? NULL : v;
}

static bool required(args *a, const char *key, bool has) {
    if (!has) fail_runner("argument %s is required", full(a, key));
    return has;
}

bool args_string(args *a, const char *key, const char **out) {
    *out = NULL;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (v->kind != JSON_STRING) return bad(a, key, "a string");
    return substitute(v->str, out);
}

bool args_required_string(args *a, const char *key, const char **out) {
    return args_string(a, key, out) && required(a, key, *out != NULL);
}

static bool is_u64(const json *v, uint64_t *out) {
    if (v->kind == JSON_INT && v->i >= 0) { *out = (uint64_t)v->i; return true; }
    if (v->kind == JSON_UINT) { *out = v->u; return true; }
    return false;
}

bool args_u64(args *a, const char *key, bool *has, uint64_t *out) {
    *has = false;
    *out = 0;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (!is_u64(v, out)) return bad(a, key, "a non-negative integer");
    *has = true;
    return true;
}

bool args_required_u64(args *a, const char *key, uint64_t *out) {
    bool has;
    return args_u64(a, key, &has, out) && required(a, key, has);
}

bool args_i64(args *a, const char *key, bool *has, int64_t *out) {
    *has = false;
    *out = 0;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (v->kind != JSON_INT) return bad(a, key, "an integer");
    *out = v->i;
    *has = true;
    return true;
}

bool args_bool(args *a, const char *key, bool *has, bool *out) {
    *has = false;
    *out = false;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (v->kind != JSON_BOOL) return bad(a, key, "a boolean");
    *out = v->boolean;
    *has = true;
    return true;
}

bool args_u64_list(args *a, const char *key, bool *has, uint64_t **out, size_t *len) {
    *has = false;
    *out = NULL;
    *len = 0;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (v->kind != JSON_ARRAY) return bad(a, key, "a list of integers");
    uint64_t *list = arena_alloc(&g_step, (v->len + 1) * sizeof *list);
    for (size_t i = 0; i < v->len; i++)
        if (!is_u64(v->items[i], &list[i])) return bad(a, key, "a list of integers");
    *out = list;
    *len = v->len;
    *has = true;
    return true;
}

bool args_strings(args *a, const char *key, bool *has, const char ***out, size_t *len) {
    *has = false;
    *out = NULL;
    *len = 0;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (v->kind != JSON_ARRAY) return bad(a, key, "a list of strings");
    for (size_t i = 0; i < v->len; i++)
        if (v->items[i]->kind != JSON_STRING) return bad(a, key, "a list of strings");
    const char **list = arena_alloc(&g_step, (v->len + 1) * sizeof *list);
    for (size_t i = 0; i < v->len; i++)
        if (!substitute(v->items[i]->str, &list[i])) return false;
    *out = list;
    *len = v->len;
    *has = true;
    return true;
}

bool args_pairs(args *a, const char *key, bool *has, jb_header **out, size_t *len) {
    *has = false;
    *out = NULL;
    *len = 0;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    const char *want = "a list of [name, value] pairs";
    if (v->kind != JSON_ARRAY) return bad(a, key, want);
    for (size_t i = 0; i < v->len; i++) {
        const json *p = v->items[i];
        if (p->kind != JSON_ARRAY || p->len != 2 || p->items[0]->kind != JSON_STRING ||
            p->items[1]->kind != JSON_STRING)
            return bad(a, key, want);
    }
    jb_header *list = arena_alloc(&g_step, (v->len + 1) * sizeof *list);
    for (size_t i = 0; i < v->len; i++) {
        const char *name, *value;
        if (!substitute(v->items[i]->items[0]->str, &name) || !substitute(v->items[i]->items[1]->str, &value))
            return false;
        list[i].name = (jb_str){name, strlen(name)};
        list[i].value = (jb_str){value, strlen(value)};
    }
    *out = list;
    *len = v->len;
    *has = true;
    return true;
}

bool args_string_map(args *a, const char *key, bool *has, jb_string_pair **out, size_t *len) {
    *has = false;
    *out = NULL;
    *len = 0;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (v->kind != JSON_OBJECT) return bad(a, key, "an object of strings");
    for (size_t i = 0; i < v->len; i++)
        if (v->items[i]->kind != JSON_STRING) return bad(a, key, "an object of strings");
    jb_string_pair *list = arena_alloc(&g_step, (v->len + 1) * sizeof *list);
    for (size_t i = 0; i < v->len; i++) {
        list[i].key = v->keys[i];
        if (!substitute(v->items[i]->str, &list[i].value)) return false;
    }
    *out = list;
    *len = v->len;
    *has = true;
    return true;
}

bool args_object(args *a, const char *key, args **out) {
    *out = NULL;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (v->kind != JSON_OBJECT) return bad(a, key, "an object");
    *out = nested(a->seen, v, full(a, key));
    return true;
}

bool args_objects(args *a, const char *key, bool *has, args ***out, size_t *len) {
    *has = false;
    *out = NULL;
    *len = 0;
    const json *v = args_raw(a, key);
    if (v == NULL) return true;
    if (v->kind != JSON_ARRAY) return bad(a, key, "a list of objects");
    for (size_t i = 0; i < v->len; i++)
        if (v->items[i]->kind != JSON_OBJECT) return bad(a, key, "a list of objects");
    args **list = arena_alloc(&g_step, (v->len + 1) * sizeof *list);
    for (size_t i = 0; i < v->len; i++)
        list[i] = nested(a->seen, v->items[i], arena_printf(&g_step, "%s.%zu", full(a, key), i));
    *out = list;
    *len = v->len;
    *has = true;
    return true;
}

bool args_finish(args *a) {
    args_seen *s = a->seen;
    for (size_t o = 0; o < s->objects_len; o++) {
        args *obj = s->objects[o];
        if (obj->map == NULL) continue;
        for (size_t k = 0; k < obj->map->len; k++) {
            const char *name = obj->path[0] ? arena_printf(&g_step, "%s.%s", obj->path, obj->map->keys[k])
                                            : obj->map->keys[k];
            bool used = false;
            for (size_t u = 0; u < s->used_len && !used; u++) used = strcmp(s->used[u], name) == 0;
            if (!used) {
                fail_runner("unknown argument %s", name);
                return false;
            }
        }
    }
    return true;
}
