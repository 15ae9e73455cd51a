/*
 * Random call sequences over the C ABI (reliability.md test 24, the C ABI
 * part): a seeded generator makes a bounded number of calls picked from the
 * whole lifecycle — connect, close, free, publish (valid and invalid
 * subjects), publishers, consumers, fetch, every ack kind, replay
 * subscriptions — on small pools of handles that also hold freed handles,
 * NULL and handles of another type.
 *
 * The contract checked on every call:
 * - a NULL handle is JB_RESULT_NULL_PARAMETER (JB_RESULT_OK for the free
 *   functions, where NULL is a no-op);
 * - a freed handle, or a handle of another type, is JB_RESULT_INVALID_HANDLE;
 * - anything else returns a documented result, never PANIC or INTERNAL;
 * - nothing crashes or leaks (the C tests also run under ASan+UBSan and
 *   valgrind);
 * and after the sequence: every live handle frees with OK, and a new client
 * still publishes, with every publish the sequence saw acked stored.
 *
 * JB_SEQ_SEED chooses the seed (printed, so a failure can be replayed) and
 * JB_SEQ_CALLS the number of calls (default 800). Every wait is at most
 * 20 ms, so the whole sequence stays within seconds.
 */
#include "jbtest.h"

#define POOL 4
#define MESSAGES 16
#define STREAM "SEQ"

/* One pool entry: the handle value and whether it is still live. A freed
 * handle keeps its value, so later picks use it after free on purpose. */
typedef struct {
    void *h;
    int live;
} slot;

typedef struct {
    uint64_t rng;
    slot clients[POOL];
    slot publishers[POOL];
    slot consumers[POOL];
    slot subscriptions[POOL];
    slot messages[MESSAGES];
    uint64_t acked_publishes;
    uint64_t results[JB_RESULT_SERVER_TOO_OLD + 2]; /* calls per result; the last: out of range */
} world;

/* xorshift64*: small, seeded, the same sequence for the same seed. */
static uint64_t next_random(world *w) {
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return w->rng * 2685821657736338717ULL;
}

static unsigned pick(world *w, unsigned n) { return (unsigned)(next_random(w) % n); }

/* What a handle argument is, and so what the call must return for it. */
typedef enum { ARG_LIVE, ARG_FREED, ARG_NULL, ARG_WRONG_TYPE } arg_kind;

/* A handle from `pool` (or NULL, or one of `other`'s, a different type);
 * `*kind` says which. An empty slot counts as NULL. */
static void *choose(world *w, slot *pool, unsigned n, slot *other, unsigned other_n,
                    arg_kind *kind) {
    unsigned roll = pick(w, 20);
    if (roll == 0) {
        *kind = ARG_NULL;
        return NULL;
    }
    if (roll == 1) {
        slot *s = &other[pick(w, other_n)];
        *kind = s->h ? ARG_WRONG_TYPE : ARG_NULL;
        return s->h;
    }
    slot *s = &pool[pick(w, n)];
    *kind = !s->h ? ARG_NULL : s->live ? ARG_LIVE : ARG_FREED;
    return s->h;
}

/* Checks `r` of a call whose handle argument was of `kind`. `null_ok`: the
 * call is a free function (NULL is a no-op). Returns 0 and fails the test on
 * a contract breach. */
static int judge(world *w, const char *call, jb_result r, arg_kind kind, int null_ok, uint64_t step) {
    w->results[r <= JB_RESULT_SERVER_TOO_OLD ? r : JB_RESULT_SERVER_TOO_OLD + 1]++;
    jb_result want = JB_RESULT_OK;
    int exact = 1;
    switch (kind) {
    case ARG_NULL: want = null_ok ? JB_RESULT_OK : JB_RESULT_NULL_PARAMETER; break;
    case ARG_FREED:
    case ARG_WRONG_TYPE: want = JB_RESULT_INVALID_HANDLE; break;
    case ARG_LIVE: exact = 0; break;
    }
    if (exact ? r != want : (r == JB_RESULT_PANIC || r == JB_RESULT_INTERNAL || r > JB_RESULT_SERVER_TOO_OLD)) {
        char detail[256];
        snprintf(detail, sizeof detail, "call %llu: %s returned %s (%s)", (unsigned long long)step,
                 call, jb_result_name(r), jb_last_error_message());
        jbt_fail(__FILE__, __LINE__, exact ? jb_result_name(want) : "a documented result", detail);
        return 0;
    }
    return 1;
}

/* Puts a new live handle into a random slot of `pool`, freeing what was live there. */
static void store(world *w, slot *pool, unsigned n, void *h, jb_result (*free_fn)(void *)) {
    slot *s = &pool[pick(w, n)];
    if (s->live) free_fn(s->h);
    s->h = h;
    s->live = 1;
}

/* The free functions behind one signature, for store() and teardown. */
static jb_result free_client(void *h) { return jb_client_free(h); }
static jb_result free_publisher(void *h) { return jb_publisher_free(h); }
static jb_result free_consumer(void *h) { return jb_consumer_free(h); }
static jb_result free_subscription(void *h) { return jb_subscription_free(h); }
static jb_result free_message(void *h) { return jb_message_free(h); }

/* Marks the slot holding `h` (if any) freed. */
static void forget(slot *pool, unsigned n, void *h) {
    for (unsigned i = 0; i < n; i++)
        if (pool[i].h == h) pool[i].live = 0;
}

static const char *const SUBJECTS[] = {"seq.a", "seq.b", "seq a", "", "seq.>", "seq..x", "nowhere.x"};

/* How often each call of step_once() is picked, in its case order: mostly
 * traffic (publish, fetch, ack), sometimes the lifecycle (close, free). */
static const unsigned WEIGHTS[] = {2, 1, 1, 6, 2, 4, 1, 3, 5, 6, 3, 2, 3, 1};
#define CALL_KINDS (sizeof WEIGHTS / sizeof WEIGHTS[0])

static unsigned pick_call(world *w) {
    unsigned total = 0;
    for (unsigned i = 0; i < CALL_KINDS; i++) total += WEIGHTS[i];
    unsigned roll = pick(w, total);
    unsigned i = 0;
    while (roll >= WEIGHTS[i]) roll -= WEIGHTS[i++];
    return i;
}

/* One random call. Returns 0 on a contract breach. */
static int step_once(world *w, uint64_t step) {
    arg_kind k;
    jb_result r;
    switch (pick_call(w)) {
    case 0: { /* connect */
        jb_client *c = jbt_connect(jbt_url());
        if (!c) return 0;
        store(w, w->clients, POOL, c, free_client);
        return 1;
    }
    case 1: { /* close */
        void *c = choose(w, w->clients, POOL, w->consumers, POOL, &k);
        return judge(w, "jb_client_close", jb_client_close(c), k, 0, step);
    }
    case 2: { /* free a client */
        void *c = choose(w, w->clients, POOL, w->messages, MESSAGES, &k);
        r = jb_client_free(c);
        if (k == ARG_LIVE && r == JB_RESULT_OK) forget(w->clients, POOL, c);
        return judge(w, "jb_client_free", r, k, 1, step);
    }
    case 3: { /* publish, sometimes on an invalid subject */
        void *c = choose(w, w->clients, POOL, w->publishers, POOL, &k);
        jb_publish_message m = jbt_message(SUBJECTS[pick(w, 7)], "payload");
        jb_pub_ack *ack = NULL;
        r = jb_client_publish(c, &m, &ack);
        if (r == JB_RESULT_OK) w->acked_publishes++;
        jb_pub_ack_free(ack);
        return judge(w, "jb_client_publish", r, k, 0, step);
    }
    case 4: { /* a publisher */
        void *c = choose(w, w->clients, POOL, w->subscriptions, POOL, &k);
        jb_publisher_options o;
        jb_publisher_options_default(&o);
        jb_publisher *p = NULL;
        r = jb_publisher_new(c, &o, &p);
        if (r == JB_RESULT_OK) store(w, w->publishers, POOL, p, free_publisher);
        return judge(w, "jb_publisher_new", r, k, 0, step);
    }
    case 5: { /* pipelined publish, then sometimes flush or close */
        void *p = choose(w, w->publishers, POOL, w->clients, POOL, &k);
        jb_publish_message m = jbt_message(SUBJECTS[pick(w, 7)], "pipelined");
        bool queued = false;
        uint64_t ticket = 0;
        r = jb_publisher_try_publish(p, &m, &queued, &ticket);
        if (!judge(w, "jb_publisher_try_publish", r, k, 0, step)) return 0;
        jb_flush_report *report = NULL;
        unsigned then = pick(w, 3);
        if (then == 0) r = jb_publisher_flush(p, &report);
        else if (then == 1) r = jb_publisher_close(p, &report);
        else return 1;
        jb_flush_report_free(report);
        return judge(w, then == 0 ? "jb_publisher_flush" : "jb_publisher_close", r, k, 0, step);
    }
    case 6: { /* free a publisher */
        void *p = choose(w, w->publishers, POOL, w->consumers, POOL, &k);
        r = jb_publisher_free(p);
        if (k == ARG_LIVE && r == JB_RESULT_OK) forget(w->publishers, POOL, p);
        return judge(w, "jb_publisher_free", r, k, 1, step);
    }
    case 7: { /* a durable or ephemeral consumer */
        static const char *const NAMES[] = {"d0", "d1", NULL};
        void *c = choose(w, w->clients, POOL, w->publishers, POOL, &k);
        jb_consumer_config cfg;
        jb_consumer_config_default(&cfg);
        cfg.durable_name = NAMES[pick(w, 3)];
        cfg.ack_wait_ms = 1000;
        jb_consumer *consumer = NULL;
        r = jb_client_create_consumer(c, STREAM, &cfg, &consumer);
        if (r == JB_RESULT_OK) store(w, w->consumers, POOL, consumer, free_consumer);
        return judge(w, "jb_client_create_consumer", r, k, 0, step);
    }
    case 8: { /* fetch into the message pool */
        void *consumer = choose(w, w->consumers, POOL, w->subscriptions, POOL, &k);
        jb_fetch_options o;
        jb_fetch_options_default(&o);
        o.max_messages = 1 + pick(w, 4);
        o.max_wait_ms = pick(w, 21);
        o.no_wait = pick(w, 2);
        jb_message *got[4];
        size_t len = 0;
        r = jb_consumer_fetch(consumer, &o, got, 4, &len);
        for (size_t i = 0; r == JB_RESULT_OK && i < len; i++)
            store(w, w->messages, MESSAGES, got[i], free_message);
        return judge(w, "jb_consumer_fetch", r, k, 0, step);
    }
    case 9: { /* an ack of any kind */
        void *m = choose(w, w->messages, MESSAGES, w->clients, POOL, &k);
        unsigned kind = pick(w, 5);
        const char *name[] = {"jb_message_ack", "jb_message_nak", "jb_message_term",
                              "jb_message_in_progress", "jb_message_ack_sync"};
        if (kind == 0) r = jb_message_ack(m);
        else if (kind == 1) r = jb_message_nak(m, pick(w, 50));
        else if (kind == 2) r = jb_message_term(m, pick(w, 2) ? "done" : NULL);
        else if (kind == 3) r = jb_message_in_progress(m);
        else r = jb_message_ack_sync(m);
        return judge(w, name[kind], r, k, 0, step);
    }
    case 10: { /* read or free a message */
        void *m = choose(w, w->messages, MESSAGES, w->publishers, POOL, &k);
        if (pick(w, 2)) {
            jb_message_view v;
            return judge(w, "jb_message_read", jb_message_read(m, &v), k, 0, step);
        }
        r = jb_message_free(m);
        if (k == ARG_LIVE && r == JB_RESULT_OK) forget(w->messages, MESSAGES, m);
        return judge(w, "jb_message_free", r, k, 1, step);
    }
    case 11: { /* an ordered replay */
        void *c = choose(w, w->clients, POOL, w->messages, MESSAGES, &k);
        jb_replay_options o;
        jb_replay_options_default(&o);
        jb_subscription *s = NULL;
        r = jb_client_replay(c, STREAM, &o, &s);
        if (r == JB_RESULT_OK) store(w, w->subscriptions, POOL, s, free_subscription);
        return judge(w, "jb_client_replay", r, k, 0, step);
    }
    case 12: { /* receive from, or stop, a subscription */
        void *s = choose(w, w->subscriptions, POOL, w->consumers, POOL, &k);
        if (pick(w, 4) == 0) return judge(w, "jb_subscription_stop", jb_subscription_stop(s), k, 0, step);
        jb_message *m = NULL;
        r = jb_subscription_recv(s, pick(w, 21), &m);
        if (r == JB_RESULT_OK) store(w, w->messages, MESSAGES, m, free_message);
        return judge(w, "jb_subscription_recv", r, k, 0, step);
    }
    default: { /* free a consumer or a subscription */
        int consumer = (int)pick(w, 2);
        slot *pool = consumer ? w->consumers : w->subscriptions;
        void *h = choose(w, pool, POOL, w->clients, POOL, &k);
        r = consumer ? jb_consumer_free(h) : jb_subscription_free(h);
        if (k == ARG_LIVE && r == JB_RESULT_OK) forget(pool, POOL, h);
        return judge(w, consumer ? "jb_consumer_free" : "jb_subscription_free", r, k, 1, step);
    }
    }
}

/* Frees every live handle of `pool`; each must free with OK. */
static int free_live(slot *pool, unsigned n, jb_result (*free_fn)(void *)) {
    for (unsigned i = 0; i < n; i++) {
        if (!pool[i].live) continue;
        jb_result r = free_fn(pool[i].h);
        pool[i].live = 0;
        if (r != JB_RESULT_OK) {
            jbt_fail_result(__FILE__, __LINE__, "freeing a live handle", r, JB_RESULT_OK);
            return 0;
        }
    }
    return 1;
}

static uint64_t env_u64(const char *name, uint64_t fallback) {
    const char *v = jbt_env(name);
    return v ? strtoull(v, NULL, 10) : fallback;
}

static void test_random_call_sequences_keep_the_contract(void) {
    jb_client *admin = jbt_connect(jbt_url());
    CHECK(admin != NULL);
    CHECK(jbt_fresh_stream(admin, STREAM, "seq.>"));

    world w;
    memset(&w, 0, sizeof w);
    uint64_t seed = env_u64("JB_SEQ_SEED", (uint64_t)time(NULL));
    uint64_t calls = env_u64("JB_SEQ_CALLS", 800);
    w.rng = seed ? seed : 1;
    fprintf(stderr, "    seed %llu (JB_SEQ_SEED), %llu calls (JB_SEQ_CALLS)\n",
            (unsigned long long)seed, (unsigned long long)calls);

    int ok = 1;
    for (uint64_t i = 0; ok && i < calls; i++) ok = step_once(&w, i);
    fprintf(stderr, "    results:");
    for (unsigned r = 0; r <= JB_RESULT_SERVER_TOO_OLD; r++)
        if (w.results[r]) fprintf(stderr, " %s %llu", jb_result_name(r), (unsigned long long)w.results[r]);
    fprintf(stderr, "; acked publishes %llu\n", (unsigned long long)w.acked_publishes);
    /* Messages first: they may outlive their consumer and client. */
    ok = ok && free_live(w.messages, MESSAGES, free_message) &&
         free_live(w.subscriptions, POOL, free_subscription) &&
         free_live(w.consumers, POOL, free_consumer) &&
         free_live(w.publishers, POOL, free_publisher) && free_live(w.clients, POOL, free_client);
    CHECK(ok);

    /* The library is still usable, and every acked publish is stored. */
    CHECK(jbt_publish(admin, "seq.a", "after", NULL) != 0);
    jb_stream_info *info = NULL;
    CHECK_OK(jb_client_stream_info(admin, STREAM, &info));
    uint64_t stored = info->messages;
    jb_stream_info_free(info);
    CHECK(stored >= w.acked_publishes + 1);
    CHECK_OK(jb_client_delete_stream(admin, STREAM));
    CHECK_OK(jb_client_free(admin));
}

const jbt_case jbt_sequences_cases[] = {
    {"random call sequences keep the contract", test_random_call_sequences_keep_the_contract},
    {NULL, NULL},
};
