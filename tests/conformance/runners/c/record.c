#include "record.h"

#include <string.h>

#include "arena.h"
#include "canonical.h"
#include "ops.h"
#include "outcome.h"

#define A (&g_step)

static const json *parse(const char *text) {
    char err[128];
    return json_parse(A, text, strlen(text), err, sizeof err);
}

static const char *field_str(const json *field, const char *key) { return json_get(field, key)->str; }

static bool is_duration(const json *field) {
    const char *kind = field_str(field, "kind");
    return strcmp(kind, "duration") == 0 || strcmp(kind, "durations") == 0;
}

static const char *field_key(const json *field) {
    const char *name = field_str(field, "name");
    return is_duration(field) ? arena_printf(A, "%s_ms", name) : name;
}

/* Milliseconds (a number or a list of them) as the core's nanoseconds. */
static json *nanos(const json *ms) {
    if (ms->kind != JSON_ARRAY) return json_int(A, ms->i * 1000000);
    json *out = json_array(A);
    for (size_t i = 0; i < ms->len; i++) json_push(A, out, nanos(ms->items[i]));
    return out;
}

/* Nanoseconds (a number or a list of them) as milliseconds. */
static json *millis(const json *ns) {
    if (ns->kind == JSON_NULL) return json_null(A);
    if (ns->kind != JSON_ARRAY) return json_int(A, (ns->kind == JSON_UINT ? (int64_t)ns->u : ns->i) / 1000000);
    json *out = json_array(A);
    for (size_t i = 0; i < ns->len; i++) json_push(A, out, millis(ns->items[i]));
    return out;
}

/* A string argument, or each of a list of them, ${JB_*}-substituted. */
static bool substituted(const json *v, json **out) {
    if (v->kind == JSON_STRING) {
        const char *s;
        if (!substitute(v->str, &s)) return false;
        *out = json_str(A, s);
        return true;
    }
    if (v->kind != JSON_ARRAY) {
        *out = (json *)v;
        return true;
    }
    *out = json_array(A);
    for (size_t i = 0; i < v->len; i++) {
        json *item;
        if (!substituted(v->items[i], &item)) return false;
        json_push(A, *out, item);
    }
    return true;
}

const char *record_wire_arg(args *a, const char *schema_text, const char *skip) {
    const json *schema = parse(schema_text);
    json *wire = json_object(A);
    for (size_t i = 0; a->map != NULL && i < a->map->len; i++) {
        const char *key = a->map->keys[i];
        if (skip != NULL && strcmp(key, skip) == 0) continue;
        const json *field = NULL;
        for (size_t f = 0; f < schema->len && field == NULL; f++)
            if (strcmp(field_key(schema->items[f]), key) == 0) field = schema->items[f];
        if (field == NULL) continue;
        const json *v = args_raw(a, key);
        if (v == NULL) continue;
        json *value;
        if (!substituted(v, &value)) return NULL;
        json_set(A, wire, field_str(field, "name"), is_duration(field) ? nanos(value) : value);
    }
    return canonical_encode(A, wire);
}

static bool listed(const char *name, const char *const *names) {
    for (; names != NULL && *names != NULL; names++)
        if (strcmp(*names, name) == 0) return true;
    return false;
}

json *record_print(jb_result rc, char *text, const char *schema_text, const char *const *skip) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    const json *wire = parse(text);
    jb_string_free(text);
    const json *schema = parse(schema_text);
    json *o = json_object(A);
    for (size_t f = 0; f < schema->len; f++) {
        const json *field = schema->items[f];
        const char *name = field_str(field, "name");
        if (listed(name, skip)) continue;
        const json *v = json_get(wire, name);
        if (v == NULL) v = json_null(A);
        json_set(A, o, field_key(field), is_duration(field) ? millis(v) : (json *)v);
    }
    return o;
}
