/* JSON values: the scenario file parsed into a tree (objects keep their key
 * order), and the results the runner prints, built from the same nodes.
 * Every node and string lives in an arena. */
#ifndef JBC_JSON_H
#define JBC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum json_kind {
    JSON_NULL,
    JSON_BOOL,
    JSON_INT,    /* integral and fits int64 */
    JSON_UINT,   /* integral, above INT64_MAX (parsed) or a uint64 result */
    JSON_DOUBLE, /* any other number (never printed) */
    JSON_STRING, /* UTF-8, NUL-terminated, str_len bytes (may hold \u0000) */
    JSON_ARRAY,
    JSON_OBJECT,
} json_kind;

typedef struct json json;
struct json {
    json_kind kind;
    bool boolean;
    int64_t i;
    uint64_t u;
    double d;
    char *str;
    size_t str_len;
    size_t len, cap;
    json **items; /* array elements, or object values */
    char **keys;  /* object keys (NUL-terminated UTF-8), parallel to items */
};

/* Length of the well-formed UTF-8 sequence at p (Unicode Table 3-7), at most
 * avail bytes; 0 when there is none, with *bad the length of its maximal valid
 * prefix (at least 1), the unit U+FFFD replaces in a lossy decode. */
size_t utf8_seq(const uint8_t *p, size_t avail, size_t *bad);

/** Parses text (len bytes) strictly: one value, whitespace around it only.
 *  On failure returns NULL and writes a reason to err (size errlen). */
json *json_parse(arena *a, const char *text, size_t len, char *err, size_t errlen);

/** The value of key in an object (the last one when repeated), or NULL. */
const json *json_get(const json *obj, const char *key);

/* Builders (in arena a). */
json *json_null(arena *a);
json *json_bool(arena *a, bool b);
json *json_int(arena *a, int64_t i);
json *json_uint(arena *a, uint64_t u);
json *json_str(arena *a, const char *s);           /* NULL gives null */
json *json_strn(arena *a, const char *s, size_t n); /* exact bytes */
json *json_array(arena *a);
json *json_object(arena *a);
/** Appends to an array. */
void json_push(arena *a, json *arr, json *v);
/** Adds key -> v to an object (keys are not checked for repeats). */
void json_set(arena *a, json *obj, const char *key, json *v);

/** Same JSON value (numbers by value, objects by key set). */
bool json_equal(const json *x, const json *y);

#endif
