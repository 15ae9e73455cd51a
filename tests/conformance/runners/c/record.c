#include "record.h"

#include <stdio.h>
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

static bool is_kind(const json *field, const char *kind) { return strcmp(field_str(field, "kind"), kind) == 0; }

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

/* Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* An RFC 3339 time (the core's JSON form of a point in time:
 * YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)) as Unix nanoseconds. */
static bool rfc3339_nanos(const char *s, int64_t *out) {
    int y, mo, d, h, mi, sec, used = 0;
    if (sscanf(s, "%4d-%2d-%2d%*1[Tt]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 || used != 19)
        return false;
    const char *p = s + used;
    int64_t frac = 0;
    if (*p == '.') {
        int digits = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 9) frac = frac * 10 + (*p - '0');
        if (digits == 0) return false;
        for (; digits < 9; digits++) frac *= 10;
    }
    int64_t offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, n = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5) return false;
        offset = (*p == '-' ? -1 : 1) * ((int64_t)oh * 3600 + om * 60);
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
    int64_t secs = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + mi * 60 + sec - offset;
    *out = secs * 1000000000 + frac;
    return true;
}

/* The core's time (RFC 3339 text, or null) as SPEC prints it: integer Unix
 * nanoseconds. NULL after fail_runner (a text that is no time). */
static json *time_nanos(const json *v) {
    int64_t ns;
    if (v->kind != JSON_STRING) return (json *)v;
    if (!rfc3339_nanos(v->str, &ns)) return fail_runner("the core wrote %s, which is no RFC 3339 time", v->str);
    return json_int(A, ns);
}

/* A string argument, or each string in a list or object of them,
 * ${JB_*}-substituted. */
static bool substituted(const json *v, json **out) {
    if (v->kind == JSON_STRING) {
        const char *s;
        if (!substitute(v->str, &s)) return false;
        *out = json_str(A, s);
        return true;
    }
    if (v->kind != JSON_ARRAY && v->kind != JSON_OBJECT) {
        *out = (json *)v;
        return true;
    }
    *out = v->kind == JSON_ARRAY ? json_array(A) : json_object(A);
    for (size_t i = 0; i < v->len; i++) {
        json *item;
        if (!substituted(v->items[i], &item)) return false;
        if (v->kind == JSON_ARRAY)
            json_push(A, *out, item);
        else
            json_set(A, *out, v->keys[i], item);
    }
    return true;
}

static bool string_map(const json *v) {
    if (v->kind != JSON_OBJECT) return false;
    for (size_t i = 0; i < v->len; i++)
        if (v->items[i]->kind != JSON_STRING) return false;
    return true;
}

/* The arguments of a declared type's fields (`schema`) in its wire JSON; a
 * nested declared type (or a list of them) by the same rules (NULL: RUNNER). */
static json *wire_of(args *a, const json *schema, const char *skip) {
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
        if (is_kind(field, "time") && v->kind != JSON_INT) {
            fail_runner("argument %s%s%s must be integer Unix nanoseconds", a->path, a->path[0] ? "." : "", key);
            return NULL;
        }
        if (is_kind(field, "map") && !string_map(v)) {
            fail_runner("argument %s%s%s must be an object of strings", a->path, a->path[0] ? "." : "", key);
            return NULL;
        }
        json *value;
        const json *nested = json_get(field, "fields");
        if (nested != NULL && is_kind(field, "records")) {
            bool has;
            args **items;
            size_t len;
            if (!args_objects(a, key, &has, &items, &len)) return NULL;
            value = json_array(A);
            for (size_t k = 0; k < len; k++) {
                json *item = wire_of(items[k], nested, NULL);
                if (item == NULL) return NULL;
                json_push(A, value, item);
            }
        } else if (nested != NULL) {
            args *item;
            if (!args_object(a, key, &item)) return NULL;
            if ((value = wire_of(item, nested, NULL)) == NULL) return NULL;
        } else if (!substituted(v, &value)) {
            return NULL;
        }
        json_set(A, wire, field_str(field, "name"), is_duration(field) ? nanos(value) : value);
    }
    return wire;
}

const char *record_wire_arg(args *a, const char *schema_text, const char *skip) {
    json *wire = wire_of(a, parse(schema_text), skip);
    return wire == NULL ? NULL : canonical_encode(A, wire);
}

static bool listed(const char *name, const char *const *names) {
    for (; names != NULL && *names != NULL; names++)
        if (strcmp(*names, name) == 0) return true;
    return false;
}

/* A declared type's wire JSON with its fields (`schema`) as scenarios
 * write them; a nested declared type (or a list of them) by the same rules. */
static json *printed_of(const json *wire, const json *schema, const char *const *skip) {
    json *o = json_object(A);
    for (size_t f = 0; f < schema->len; f++) {
        const json *field = schema->items[f];
        const char *name = field_str(field, "name");
        if (listed(name, skip)) continue;
        const json *v = json_get(wire, name);
        if (v == NULL) v = json_null(A);
        json *printed = (json *)v;
        if (is_duration(field)) printed = millis(v);
        if (is_kind(field, "time") && (printed = time_nanos(v)) == NULL) return NULL;
        const json *nested = json_get(field, "fields");
        if (nested != NULL && v->kind == JSON_OBJECT && (printed = printed_of(v, nested, NULL)) == NULL) return NULL;
        if (nested != NULL && v->kind == JSON_ARRAY) {
            printed = json_array(A);
            for (size_t k = 0; k < v->len; k++) {
                json *item = printed_of(v->items[k], nested, NULL);
                if (item == NULL) return NULL;
                json_push(A, printed, item);
            }
        }
        json_set(A, o, field_key(field), printed);
    }
    return o;
}

json *record_print(jb_result rc, char *text, const char *schema_text, const char *const *skip) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    const json *wire = parse(text);
    jb_string_free(text);
    return printed_of(wire, parse(schema_text), skip);
}
