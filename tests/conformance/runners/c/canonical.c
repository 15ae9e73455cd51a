#include "canonical.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    arena *a;
    char *data;
    size_t len, cap;
} out;

static void put(out *o, const char *s, size_t n) {
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        while (cap < o->len + n + 1) cap *= 2;
        char *d = arena_alloc(o->a, cap);
        if (o->len) memcpy(d, o->data, o->len);
        o->data = d;
        o->cap = cap;
    }
    memcpy(o->data + o->len, s, n);
    o->len += n;
    o->data[o->len] = '\0';
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

static void unit(out *o, unsigned u) {
    char b[8];
    snprintf(b, sizeof b, "\\u%04x", u & 0xFFFF);
    put(o, b, 6);
}

/* Decodes one code point of valid UTF-8 (the tree holds only valid UTF-8);
 * a stray byte is taken as itself. */
static uint32_t next_cp(const unsigned char *p, size_t avail, size_t *n) {
    unsigned char c = p[0];
    if (c < 0x80 || avail < 2) { *n = 1; return c; }
    if ((c & 0xE0) == 0xC0) { *n = 2; return ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3F); }
    if ((c & 0xF0) == 0xE0 && avail >= 3) {
        *n = 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    if ((c & 0xF8) == 0xF0 && avail >= 4) {
        *n = 4;
        return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) |
               (p[3] & 0x3F);
    }
    *n = 1;
    return c;
}

static void string(out *o, const char *s, size_t len) {
    put(o, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n;
        uint32_t cp = next_cp(p + i, len - i, &n);
        i += n;
        switch (cp) {
        case '"': puts_(o, "\\\""); continue;
        case '\\': puts_(o, "\\\\"); continue;
        case '\b': puts_(o, "\\b"); continue;
        case '\f': puts_(o, "\\f"); continue;
        case '\n': puts_(o, "\\n"); continue;
        case '\r': puts_(o, "\\r"); continue;
        case '\t': puts_(o, "\\t"); continue;
        default: break;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0x10000)) {
            unit(o, cp);
        } else if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000;
            unit(o, 0xD800 + (v >> 10));
            unit(o, 0xDC00 + (v & 0x3FF));
        } else {
            char c = (char)cp;
            put(o, &c, 1);
        }
    }
    put(o, "\"", 1);
}

static const json *g_sorting; /* the object whose keys qsort compares */

static int by_key(const void *x, const void *y) {
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    int c = strcmp(g_sorting->keys[i], g_sorting->keys[j]); /* unsigned bytes = code points */
    return c != 0 ? c : (i < j ? -1 : i > j);
}

static bool encode(out *o, const json *v) {
    char num[32];
    switch (v->kind) {
    case JSON_NULL: puts_(o, "null"); return true;
    case JSON_BOOL: puts_(o, v->boolean ? "true" : "false"); return true;
    case JSON_INT: snprintf(num, sizeof num, "%" PRId64, v->i); puts_(o, num); return true;
    case JSON_UINT: snprintf(num, sizeof num, "%" PRIu64, v->u); puts_(o, num); return true;
    case JSON_DOUBLE: return false;
    case JSON_STRING: string(o, v->str, v->str_len); return true;
    case JSON_ARRAY:
        put(o, "[", 1);
        for (size_t i = 0; i < v->len; i++) {
            if (i) put(o, ",", 1);
            if (!encode(o, v->items[i])) return false;
        }
        put(o, "]", 1);
        return true;
    case JSON_OBJECT: {
        size_t *order = arena_alloc(o->a, (v->len + 1) * sizeof *order);
        for (size_t i = 0; i < v->len; i++) order[i] = i;
        g_sorting = v;
        qsort(order, v->len, sizeof *order, by_key);
        put(o, "{", 1);
        for (size_t k = 0; k < v->len; k++) {
            size_t i = order[k];
            if (k) put(o, ",", 1);
            string(o, v->keys[i], strlen(v->keys[i]));
            put(o, ":", 1);
            if (!encode(o, v->items[i])) return false;
        }
        put(o, "}", 1);
        return true;
    }
    }
    return false;
}

char *canonical_encode(arena *a, const json *v) {
    out o = {a, NULL, 0, 0};
    put(&o, "", 0);
    return encode(&o, v) ? o.data : NULL;
}
