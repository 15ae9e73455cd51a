/* Core NATS (core_*), connection events (events_*) and tracked publishes
 * (publisher_publish_tracked, publisher_ack): SPEC.md §4.3 and §4.8. The
 * state of these ops lives here (aliases of this run), freed by
 * core_shutdown before the client closes. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"

#define A (&g_step)

static char *dup(const char *s) {
    char *p = strdup(s == NULL ? "" : s);
    if (p == NULL) abort();
    return p;
}

static void *grow(void *p, size_t *cap, size_t len, size_t size) {
    if (len < *cap) return p;
    *cap = *cap ? *cap * 2 : 8;
    p = realloc(p, *cap * size);
    if (p == NULL) abort();
    return p;
}

/* An optional non-negative integer with its default. */
static bool u64_or(args *a, const char *key, uint64_t def, uint64_t *out) {
    bool has;
    if (!args_u64(a, key, &has, out)) return false;
    if (!has) *out = def;
    return true;
}

static uint64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* ---- core subscriptions ---- */

typedef struct core_sub {
    char *alias;
    jb_core_subscription *sub;
    jb_core_message *last; /* the last message core_next returned */
    bool service;          /* a reply service thread runs on it */
    pthread_t thread;
    char *prefix;
} core_sub;

static core_sub *g_subs;
static size_t g_subs_len, g_subs_cap;

static core_sub *find_sub(const char *alias) {
    for (size_t i = 0; i < g_subs_len; i++)
        if (strcmp(g_subs[i].alias, alias) == 0) return &g_subs[i];
    fail_runner("no core subscription %s", alias);
    return NULL;
}

static void stop_service(core_sub *s) {
    if (!s->service) return;
    jb_core_subscription_unsubscribe(s->sub);
    pthread_join(s->thread, NULL);
    s->service = false;
}

static void drop_sub(core_sub *s) {
    stop_service(s);
    jb_core_subscription_free(s->sub);
    jb_core_message_free(s->last);
    free(s->alias);
    free(s->prefix);
}

static core_sub *put_sub(const char *alias, jb_core_subscription *sub) {
    for (size_t i = 0; i < g_subs_len; i++)
        if (strcmp(g_subs[i].alias, alias) == 0) {
            drop_sub(&g_subs[i]);
            memset(&g_subs[i], 0, sizeof g_subs[i]);
            g_subs[i].alias = dup(alias);
            g_subs[i].sub = sub;
            return &g_subs[i];
        }
    g_subs = grow(g_subs, &g_subs_cap, g_subs_len, sizeof *g_subs);
    core_sub *s = &g_subs[g_subs_len++];
    memset(s, 0, sizeof *s);
    s->alias = dup(alias);
    s->sub = sub;
    return s;
}

static json *print_core(const jb_core_message_view *v) {
    json *o = json_object(A);
    json_set(A, o, "subject", json_strn(A, v->subject.ptr, v->subject.len));
    json_set(A, o, "data", print_data(v->payload, v->payload_len));
    json_set(A, o, "headers", print_headers(v->headers, v->headers_len));
    json_set(A, o, "has_reply", json_bool(A, v->reply.ptr != NULL));
    return o;
}

/* data/data_size and headers of §4.3 (through the publish message parser). */
static bool body(args *a, jb_publish_message *m) { return publish_message_arg(a, m); }

json *op_core_subscribe(state *st, args *a) {
    const char *subject, *queue, *as;
    if (!args_required_string(a, "subject", &subject) || !args_string(a, "queue", &queue) ||
        !args_required_string(a, "as", &as))
        return NULL;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    jb_core_subscription *sub = NULL;
    jb_result rc = jb_client_core_subscribe(c, subject, queue, &sub);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    put_sub(as, sub);
    return json_object(A);
}

json *op_core_publish(state *st, args *a) {
    const char *reply;
    jb_publish_message m;
    if (!body(a, &m) || !args_string(a, "reply", &reply)) return NULL;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    char *subject = arena_strndup(A, m.subject.ptr, m.subject.len);
    jb_result rc = jb_client_core_publish(c, subject, m.payload, m.payload_len, m.headers, m.headers_len, reply);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    return json_object(A);
}

json *op_core_next(state *st, args *a) {
    (void)st;
    const char *from;
    uint64_t max, wait_ms;
    if (!args_required_string(a, "from", &from) || !u64_or(a, "max", 1, &max) ||
        !u64_or(a, "wait_ms", 2000, &wait_ms))
        return NULL;
    core_sub *s = find_sub(from);
    if (s == NULL) return NULL;
    json *list = json_array(A);
    uint64_t count = 0, deadline = now_ms() + wait_ms;
    while (count < max) {
        uint64_t now = now_ms();
        uint64_t left = deadline > now ? deadline - now : 0;
        jb_core_message *m = NULL;
        jb_result rc = jb_core_subscription_next(s->sub, left, &m);
        if (rc != JB_RESULT_OK) return fail_binding(rc);
        if (m == NULL) break;
        jb_core_message_view v;
        jb_core_message_read(m, &v);
        json_push(A, list, print_core(&v));
        jb_core_message_free(s->last);
        s->last = m;
        count++;
        if (left == 0) break;
    }
    json *out = json_object(A);
    json_set(A, out, "count", json_uint(A, count));
    json_set(A, out, "messages", list);
    return out;
}

static int cmp_str(const void *x, const void *y) {
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

json *op_core_next_group(state *st, args *a) {
    (void)st;
    const char **from;
    size_t n;
    bool has;
    uint64_t count, wait_ms, settle_ms;
    if (!args_strings(a, "from", &has, &from, &n) || !args_required_u64(a, "count", &count) ||
        !u64_or(a, "wait_ms", 5000, &wait_ms) || !u64_or(a, "settle_ms", 300, &settle_ms))
        return NULL;
    core_sub **subs = arena_alloc(A, (n + 1) * sizeof *subs);
    for (size_t i = 0; i < n; i++)
        if ((subs[i] = find_sub(from[i])) == NULL) return NULL;
    size_t cap = 16, got = 0;
    char **data = malloc(cap * sizeof *data);
    if (data == NULL) abort();
    uint64_t deadline = now_ms() + wait_ms;
    bool settling = false;
    for (;;) {
        if (!settling && (got >= count || now_ms() >= deadline)) {
            settling = true;
            deadline = now_ms() + settle_ms;
        }
        if (settling && now_ms() >= deadline) break;
        for (size_t i = 0; i < n; i++) {
            jb_core_message *m = NULL;
            jb_result rc = jb_core_subscription_next(subs[i]->sub, 20, &m);
            if (rc != JB_RESULT_OK) {
                for (size_t k = 0; k < got; k++) free(data[k]);
                free(data);
                return fail_binding(rc);
            }
            if (m == NULL) continue;
            jb_core_message_view v;
            jb_core_message_read(m, &v);
            if (got == cap) {
                cap *= 2;
                data = realloc(data, cap * sizeof *data);
                if (data == NULL) abort();
            }
            data[got] = strndup((const char *)v.payload, v.payload_len);
            if (data[got] == NULL) abort();
            got++;
            jb_core_message_free(m);
        }
    }
    qsort(data, got, sizeof *data, cmp_str);
    json *list = json_array(A);
    for (size_t k = 0; k < got; k++) {
        json_push(A, list, print_data((const uint8_t *)data[k], strlen(data[k])));
        free(data[k]);
    }
    free(data);
    json *out = json_object(A);
    json_set(A, out, "received", json_uint(A, got));
    json_set(A, out, "data", list);
    return out;
}

json *op_core_unsubscribe(state *st, args *a) {
    (void)st;
    const char *from;
    if (!args_required_string(a, "from", &from)) return NULL;
    core_sub *s = find_sub(from);
    if (s == NULL) return NULL;
    jb_result rc = jb_core_subscription_unsubscribe(s->sub);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    stop_service(s);
    return json_object(A);
}

typedef struct {
    jb_client *client;
    jb_core_subscription *sub;
    char *prefix;
} service_args;

/* Answers every request with prefix + its data and its headers until the
 * subscription ends (CLOSED). */
static void *serve(void *arg) {
    service_args *sa = arg;
    size_t plen = strlen(sa->prefix);
    for (;;) {
        jb_core_message *m = NULL;
        jb_result rc = jb_core_subscription_next(sa->sub, 1000, &m);
        if (rc != JB_RESULT_OK) break;
        if (m == NULL) continue;
        jb_core_message_view v;
        jb_core_message_read(m, &v);
        uint8_t *answer = malloc(plen + v.payload_len + 1);
        if (answer == NULL) abort();
        memcpy(answer, sa->prefix, plen);
        if (v.payload_len) memcpy(answer + plen, v.payload, v.payload_len);
        rc = jb_client_core_respond(sa->client, m, answer, plen + v.payload_len, v.headers, v.headers_len);
        if (rc != JB_RESULT_OK) log_line("  reply service: respond failed: %s", jb_last_error_message());
        free(answer);
        jb_core_message_free(m);
    }
    free(sa);
    return NULL;
}

json *op_core_reply_service(state *st, args *a) {
    const char *subject, *queue, *prefix, *as;
    if (!args_required_string(a, "subject", &subject) || !args_string(a, "queue", &queue) ||
        !args_required_string(a, "prefix", &prefix) || !args_required_string(a, "as", &as))
        return NULL;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    jb_core_subscription *sub = NULL;
    jb_result rc = jb_client_core_subscribe(c, subject, queue, &sub);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    core_sub *s = put_sub(as, sub);
    s->prefix = dup(prefix);
    service_args *sa = calloc(1, sizeof *sa);
    if (sa == NULL) abort();
    sa->client = c;
    sa->sub = sub;
    sa->prefix = s->prefix;
    if (pthread_create(&s->thread, NULL, serve, sa) != 0) {
        free(sa);
        return fail_runner("cannot start the reply service thread");
    }
    s->service = true;
    return json_object(A);
}

json *op_core_respond(state *st, args *a) {
    const char *from;
    if (!args_required_string(a, "from", &from)) return NULL;
    const char *data;
    bool has;
    jb_header *headers;
    size_t headers_len = 0;
    if (!args_string(a, "data", &data) || !args_pairs(a, "headers", &has, &headers, &headers_len))
        return NULL;
    core_sub *s = find_sub(from);
    if (s == NULL) return NULL;
    if (s->last == NULL) return fail_runner("core_next returned nothing from %s yet", from);
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    size_t len = data ? strlen(data) : 0;
    jb_result rc = jb_client_core_respond(c, s->last, (const uint8_t *)data, len, headers, headers_len);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    return json_object(A);
}

json *op_core_request(state *st, args *a) {
    jb_publish_message m;
    uint64_t timeout_ms;
    if (!body(a, &m) || !u64_or(a, "timeout_ms", 2000, &timeout_ms)) return NULL;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    char *subject = arena_strndup(A, m.subject.ptr, m.subject.len);
    jb_core_message *reply = NULL;
    jb_result rc = jb_client_core_request(c, subject, m.payload, m.payload_len, m.headers, m.headers_len,
                                          timeout_ms, &reply);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_core_message_view v;
    jb_core_message_read(reply, &v);
    json *out = json_object(A);
    json_set(A, out, "data", print_data(v.payload, v.payload_len));
    json_set(A, out, "headers", print_headers(v.headers, v.headers_len));
    jb_core_message_free(reply);
    return out;
}

/* ---- connection events ---- */

typedef struct event_item {
    jb_event_kind kind;
    char *detail;
} event_item;

typedef struct listener {
    char *alias;
    jb_event_listener *handle;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    event_item *items;
    size_t len, cap, head;
    bool closed_seen;
} listener;

static listener **g_listeners;
static size_t g_listeners_len, g_listeners_cap;

static void on_event(void *ud, jb_event_kind kind, const char *detail) {
    listener *l = ud;
    pthread_mutex_lock(&l->mu);
    l->items = grow(l->items, &l->cap, l->len, sizeof *l->items);
    l->items[l->len].kind = kind;
    l->items[l->len].detail = detail ? dup(detail) : NULL;
    l->len++;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

json *op_events_listen(state *st, args *a) {
    const char *as;
    if (!args_required_string(a, "as", &as)) return NULL;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    listener *l = calloc(1, sizeof *l);
    if (l == NULL) abort();
    l->alias = dup(as);
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    jb_result rc = jb_client_on_event(c, on_event, l, &l->handle);
    if (rc != JB_RESULT_OK) {
        json *failed = fail_binding(rc);
        free(l->alias);
        free(l);
        return failed;
    }
    g_listeners = grow(g_listeners, &g_listeners_cap, g_listeners_len, sizeof *g_listeners);
    g_listeners[g_listeners_len++] = l;
    return json_object(A);
}

json *op_events_next(state *st, args *a) {
    (void)st;
    const char *from;
    uint64_t max, wait_ms;
    if (!args_required_string(a, "from", &from) || !u64_or(a, "max", 10, &max) ||
        !u64_or(a, "wait_ms", 500, &wait_ms))
        return NULL;
    listener *l = NULL;
    for (size_t i = 0; i < g_listeners_len; i++)
        if (strcmp(g_listeners[i]->alias, from) == 0) l = g_listeners[i];
    if (l == NULL) return fail_runner("no event listener %s", from);
    json *list = json_array(A);
    uint64_t count = 0, deadline = now_ms() + wait_ms;
    pthread_mutex_lock(&l->mu);
    for (;;) {
        while (count < max && l->head < l->len) {
            event_item *e = &l->items[l->head++];
            json *o = json_object(A);
            json_set(A, o, "kind", json_str(A, jb_event_kind_name(e->kind)));
            json_set(A, o, "detail", e->detail ? json_str(A, e->detail) : json_null(A));
            json_push(A, list, o);
            if (e->kind == JB_EVENT_KIND_CLOSED) l->closed_seen = true;
            count++;
        }
        if (count >= max || l->closed_seen) break;
        bool ended = false;
        jb_event_listener_ended(l->handle, &ended);
        if (ended && l->head == l->len) break;
        uint64_t now = now_ms();
        if (now >= deadline) break;
        uint64_t step = deadline - now < 20 ? deadline - now : 20; /* re-check `ended` */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += (long)(step * 1000000);
        ts.tv_sec += ts.tv_nsec / 1000000000;
        ts.tv_nsec %= 1000000000;
        pthread_cond_timedwait(&l->cv, &l->mu, &ts);
    }
    bool ended = l->closed_seen;
    pthread_mutex_unlock(&l->mu);
    if (!ended) {
        bool done = false;
        jb_event_listener_ended(l->handle, &done);
        pthread_mutex_lock(&l->mu);
        ended = done && l->head == l->len;
        pthread_mutex_unlock(&l->mu);
    }
    json *out = json_object(A);
    json_set(A, out, "events", list);
    json_set(A, out, "ended", json_bool(A, ended));
    return out;
}

/* ---- tracked publishes ---- */

typedef struct tracked {
    uint64_t ticket;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
    jb_result result;
    char *error;
    uint32_t api_code;
    char *stream, *msg_id;
    uint64_t seq;
    bool duplicate;
} tracked;

static tracked **g_tracked;
static size_t g_tracked_len, g_tracked_cap;

static void on_ack(void *ud, jb_result r, const char *err, const jb_pub_ack *ack) {
    tracked *t = ud;
    pthread_mutex_lock(&t->mu);
    t->result = r;
    t->error = err ? dup(err) : NULL;
    t->api_code = r == JB_RESULT_OK ? 0 : jb_last_error_api_code();
    if (ack) {
        t->stream = dup(ack->stream);
        t->msg_id = ack->msg_id ? dup(ack->msg_id) : NULL;
        t->seq = ack->sequence;
        t->duplicate = ack->duplicate;
    }
    t->done = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

json *op_publisher_publish_tracked(state *st, args *a) {
    jb_publish_message m;
    if (!publish_message_arg(a, &m)) return NULL;
    jb_publisher *p = state_publisher(st);
    if (p == NULL) return NULL;
    tracked *t = calloc(1, sizeof *t);
    if (t == NULL) abort();
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    /* Registered before the call: the callback may come before it returns. */
    g_tracked = grow(g_tracked, &g_tracked_cap, g_tracked_len, sizeof *g_tracked);
    g_tracked[g_tracked_len++] = t;
    uint64_t ticket = 0;
    jb_result rc = jb_publisher_publish_tracked(p, &m, &ticket, on_ack, t);
    if (rc != JB_RESULT_OK) {
        g_tracked_len--; /* never called back */
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        free(t);
        return fail_binding(rc);
    }
    pthread_mutex_lock(&t->mu);
    t->ticket = ticket;
    pthread_mutex_unlock(&t->mu);
    json *out = json_object(A);
    json_set(A, out, "ticket", json_uint(A, ticket));
    return out;
}

json *op_publisher_ack(state *st, args *a) {
    (void)st;
    uint64_t ticket;
    if (!args_required_u64(a, "ticket", &ticket)) return NULL;
    tracked *t = NULL;
    for (size_t i = 0; i < g_tracked_len; i++)
        if (g_tracked[i]->ticket == ticket) t = g_tracked[i];
    if (t == NULL) return fail_runner("no tracked publish with ticket %llu", (unsigned long long)ticket);
    pthread_mutex_lock(&t->mu);
    while (!t->done) pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
    if (t->result != JB_RESULT_OK) return fail_recorded(t->result, t->error, t->api_code);
    jb_pub_ack ack = {t->stream, t->seq, t->duplicate, t->msg_id, NULL};
    return print_pub_ack(&ack);
}

void core_shutdown(void) {
    for (size_t i = 0; i < g_subs_len; i++) drop_sub(&g_subs[i]);
    free(g_subs);
    g_subs = NULL;
    g_subs_len = g_subs_cap = 0;
    for (size_t i = 0; i < g_listeners_len; i++) {
        listener *l = g_listeners[i];
        jb_event_listener_free(l->handle);
        for (size_t k = 0; k < l->len; k++) free(l->items[k].detail);
        free(l->items);
        free(l->alias);
        pthread_mutex_destroy(&l->mu);
        pthread_cond_destroy(&l->cv);
        free(l);
    }
    free(g_listeners);
    g_listeners = NULL;
    g_listeners_len = g_listeners_cap = 0;
    /* A tracked publish still in flight keeps its record: the callback may come later. */
    for (size_t i = 0; i < g_tracked_len; i++) {
        tracked *t = g_tracked[i];
        pthread_mutex_lock(&t->mu);
        bool done = t->done;
        pthread_mutex_unlock(&t->mu);
        if (!done) continue;
        free(t->error);
        free(t->stream);
        free(t->msg_id);
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        free(t);
    }
    free(g_tracked);
    g_tracked = NULL;
    g_tracked_len = g_tracked_cap = 0;
}
