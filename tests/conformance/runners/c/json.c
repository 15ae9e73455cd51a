#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    arena *a;
    const char *p, *end;
    char *err;
    size_t errlen;
    int depth;
} parser;

#define MAX_DEPTH 200

static json *node(arena *a, json_kind k) {
    json *v = arena_alloc(a, sizeof *v);
    v->kind = k;
    return v;
}

static json *fail(parser *ps, const char *why) {
    if (ps->err != NULL && ps->errlen > 0 && ps->err[0] == '\0') snprintf(ps->err, ps->errlen, "%s", why);
    return NULL;
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static bool literal(parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) return false;
    ps->p += n;
    return true;
}

/* A growable byte buffer in the arena (strings while parsing). */
typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

static void buf_put(arena *a, buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = arena_alloc(a, cap);
        if (b->len) memcpy(d, b->data, b->len);
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void put_utf8(arena *a, buf *b, uint32_t cp) {
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_put(a, b, out, n);
}

static int hex4(parser *ps, uint32_t *out) {
    if (ps->end - ps->p < 4) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = ps->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return 0;
    }
    ps->p += 4;
    *out = v;
    return 1;
}

size_t utf8_seq(const uint8_t *p, size_t avail, size_t *bad) {
    uint8_t c = p[0];
    *bad = 1;
    if (c < 0x80) return 1;
    size_t n;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) { n = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) n = 3;
    else if (c == 0xED) { n = 3; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) n = 3;
    else if (c == 0xF0) { n = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) { n = 4; hi = 0x8F; }
    else return 0;
    for (size_t i = 1; i < n; i++) {
        uint8_t l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (i >= avail || p[i] < l || p[i] > h) {
            *bad = i;
            return 0;
        }
    }
    return n;
}

static char *parse_string_raw(parser *ps, size_t *out_len) {
    /* at the opening quote */
    ps->p++;
    buf b = {0};
    buf_put(ps->a, &b, "", 0);
    for (;;) {
        if (ps->p >= ps->end) return (char *)fail(ps, "unterminated string");
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->p++;
            break;
        }
        if (c < 0x20) return (char *)fail(ps, "control character in string");
        if (c == '\\') {
            ps->p++;
            if (ps->p >= ps->end) return (char *)fail(ps, "unterminated escape");
            char e = *ps->p++;
            switch (e) {
            case '"': buf_put(ps->a, &b, "\"", 1); break;
            case '\\': buf_put(ps->a, &b, "\\", 1); break;
            case '/': buf_put(ps->a, &b, "/", 1); break;
            case 'b': buf_put(ps->a, &b, "\b", 1); break;
            case 'f': buf_put(ps->a, &b, "\f", 1); break;
            case 'n': buf_put(ps->a, &b, "\n", 1); break;
            case 'r': buf_put(ps->a, &b, "\r", 1); break;
            case 't': buf_put(ps->a, &b, "\t", 1); break;
            case 'u': {
                uint32_t cp;
                if (!hex4(ps, &cp)) return (char *)fail(ps, "bad \\u escape");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t lo;
                    if (ps->end - ps->p >= 2 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                        ps->p += 2;
                        if (!hex4(ps, &lo)) return (char *)fail(ps, "bad \\u escape");
                        if (lo < 0xDC00 || lo > 0xDFFF) return (char *)fail(ps, "unpaired surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else {
                        return (char *)fail(ps, "unpaired surrogate");
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return (char *)fail(ps, "unpaired surrogate");
                }
                put_utf8(ps->a, &b, cp);
                break;
            }
            default: return (char *)fail(ps, "bad escape");
            }
            continue;
        }
        size_t bad;
        size_t n = utf8_seq((const uint8_t *)ps->p, (size_t)(ps->end - ps->p), &bad);
        if (n == 0) return (char *)fail(ps, "invalid UTF-8 in string");
        buf_put(ps->a, &b, ps->p, n);
        ps->p += n;
    }
    *out_len = b.len;
    return b.data;
}

static json *parse_value(parser *ps);

static json *parse_number(parser *ps) {
    const char *start = ps->p;
    bool integral = true;
    if (ps->p < ps->end && *ps->p == '-') ps->p++;
    if (ps->p >= ps->end) return fail(ps, "bad number");
    if (*ps->p == '0') {
        ps->p++;
    } else if (*ps->p >= '1' && *ps->p <= '9') {
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    } else {
        return fail(ps, "bad number");
    }
    if (ps->p < ps->end && *ps->p == '.') {
        integral = false;
        ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') return fail(ps, "bad number");
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        integral = false;
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') return fail(ps, "bad number");
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    }
    char *text = arena_strndup(ps->a, start, (size_t)(ps->p - start));
    if (integral) {
        errno = 0;
        long long v = strtoll(text, NULL, 10);
        if (errno == 0) {
            json *n = node(ps->a, JSON_INT);
            n->i = v;
            return n;
        }
        if (text[0] != '-') {
            errno = 0;
            unsigned long long u = strtoull(text, NULL, 10);
            if (errno == 0) {
                json *n = node(ps->a, JSON_UINT);
                n->u = u;
                return n;
            }
        }
    }
    json *n = node(ps->a, JSON_DOUBLE);
    n->d = strtod(text, NULL);
    return n;
}

static json *parse_array(parser *ps) {
    ps->p++;
    json *arr = json_array(ps->a);
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return arr;
    }
    for (;;) {
        json *v = parse_value(ps);
        if (v == NULL) return NULL;
        json_push(ps->a, arr, v);
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            return arr;
        }
        return fail(ps, "expected , or ]");
    }
}

static json *parse_object(parser *ps) {
    ps->p++;
    json *obj = json_object(ps->a);
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return obj;
    }
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "expected a key");
        size_t klen;
        char *key = parse_string_raw(ps, &klen);
        if (key == NULL) return NULL;
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') return fail(ps, "expected :");
        ps->p++;
        json *v = parse_value(ps);
        if (v == NULL) return NULL;
        json_set(ps->a, obj, key, v);
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return obj;
        }
        return fail(ps, "expected , or }");
    }
}

static json *parse_value(parser *ps) {
    skip_ws(ps);
    if (ps->p >= ps->end) return fail(ps, "unexpected end");
    if (++ps->depth > MAX_DEPTH) return fail(ps, "nested too deeply");
    json *v;
    switch (*ps->p) {
    case '{': v = parse_object(ps); break;
    case '[': v = parse_array(ps); break;
    case '"': {
        size_t n;
        char *s = parse_string_raw(ps, &n);
        if (s == NULL) return NULL;
        v = node(ps->a, JSON_STRING);
        v->str = s;
        v->str_len = n;
        break;
    }
    case 't': v = literal(ps, "true") ? json_bool(ps->a, true) : fail(ps, "bad literal"); break;
    case 'f': v = literal(ps, "false") ? json_bool(ps->a, false) : fail(ps, "bad literal"); break;
    case 'n': v = literal(ps, "null") ? json_null(ps->a) : fail(ps, "bad literal"); break;
    default: v = parse_number(ps); break;
    }
    ps->depth--;
    return v;
}

json *json_parse(arena *a, const char *text, size_t len, char *err, size_t errlen) {
    if (err != NULL && errlen > 0) err[0] = '\0';
    parser ps = {a, text, text + len, err, errlen, 0};
    json *v = parse_value(&ps);
    if (v != NULL) {
        skip_ws(&ps);
        if (ps.p != ps.end) v = fail(&ps, "trailing characters");
    }
    if (v == NULL && err != NULL && errlen > 0) {
        /* say where */
        size_t at = (size_t)(ps.p - text);
        size_t used = strlen(err);
        char *cut = strstr(err, " at byte ");
        if (cut != NULL) used = (size_t)(cut - err);
        snprintf(err + used, errlen - used, " at byte %zu", at);
    }
    return v;
}

const json *json_get(const json *obj, const char *key) {
    if (obj == NULL || obj->kind != JSON_OBJECT) return NULL;
    for (size_t i = obj->len; i > 0; i--)
        if (strcmp(obj->keys[i - 1], key) == 0) return obj->items[i - 1];
    return NULL;
}

json *json_null(arena *a) { return node(a, JSON_NULL); }

json *json_bool(arena *a, bool b) {
    json *v = node(a, JSON_BOOL);
    v->boolean = b;
    return v;
}

json *json_int(arena *a, int64_t i) {
    json *v = node(a, JSON_INT);
    v->i = i;
    return v;
}

json *json_uint(arena *a, uint64_t u) {
    if (u <= (uint64_t)INT64_MAX) return json_int(a, (int64_t)u);
    json *v = node(a, JSON_UINT);
    v->u = u;
    return v;
}

json *json_strn(arena *a, const char *s, size_t n) {
    json *v = node(a, JSON_STRING);
    v->str = arena_strndup(a, s == NULL ? "" : s, s == NULL ? 0 : n);
    v->str_len = s == NULL ? 0 : n;
    return v;
}

json *json_str(arena *a, const char *s) {
    return s == NULL ? json_null(a) : json_strn(a, s, strlen(s));
}

json *json_array(arena *a) { return node(a, JSON_ARRAY); }
json *json_object(arena *a) { return node(a, JSON_OBJECT); }

static void grow(arena *a, json *c) {
    if (c->len < c->cap) return;
    size_t cap = c->cap ? c->cap * 2 : 8;
    json **items = arena_alloc(a, cap * sizeof *items);
    char **keys = arena_alloc(a, cap * sizeof *keys);
    if (c->len) {
        memcpy(items, c->items, c->len * sizeof *items);
        if (c->keys) memcpy(keys, c->keys, c->len * sizeof *keys);
    }
    c->items = items;
    c->keys = keys;
    c->cap = cap;
}

void json_push(arena *a, json *arr, json *v) {
    grow(a, arr);
    arr->items[arr->len++] = v;
}

void json_set(arena *a, json *obj, const char *key, json *v) {
    grow(a, obj);
    obj->keys[obj->len] = (char *)key;
    obj->items[obj->len++] = v;
}

static bool as_u64(const json *v, uint64_t *out) {
    if (v->kind == JSON_UINT) { *out = v->u; return true; }
    if (v->kind == JSON_INT && v->i >= 0) { *out = (uint64_t)v->i; return true; }
    return false;
}

bool json_equal(const json *x, const json *y) {
    if ((x->kind == JSON_INT || x->kind == JSON_UINT) && (y->kind == JSON_INT || y->kind == JSON_UINT)) {
        uint64_t a, b;
        bool pa = as_u64(x, &a), pb = as_u64(y, &b);
        if (pa && pb) return a == b;
        if (!pa && !pb) return x->i == y->i;
        return false;
    }
    if (x->kind != y->kind) return false;
    switch (x->kind) {
    case JSON_NULL: return true;
    case JSON_BOOL: return x->boolean == y->boolean;
    case JSON_DOUBLE: return x->d == y->d;
    case JSON_STRING: return x->str_len == y->str_len && memcmp(x->str, y->str, x->str_len) == 0;
    case JSON_ARRAY:
        if (x->len != y->len) return false;
        for (size_t i = 0; i < x->len; i++)
            if (!json_equal(x->items[i], y->items[i])) return false;
        return true;
    case JSON_OBJECT:
        if (x->len != y->len) return false;
        for (size_t i = 0; i < x->len; i++) {
            const json *o = json_get(y, x->keys[i]);
            if (o == NULL || !json_equal(x->items[i], o)) return false;
        }
        return true;
    default: return false;
    }
}
