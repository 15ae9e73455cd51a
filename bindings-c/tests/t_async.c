/*
 * Async calls: each callback exactly once, on a library thread; blocking
 * calls refused there; callbacks that call back into the library; the
 * subscription closure contract (calls, drop exactly once, free from inside).
 */
#include "jbtest.h"

typedef struct {
    jbt_call call;
    pthread_t caller;
    int on_other_thread;
    jb_client *client;
    uint64_t value;
    jb_message *msgs[16];
    size_t n;
    jb_result blocking_inside;
    jb_result nonblocking_inside;
    uint32_t api_code;    /* jb_last_error_api_code() inside a failing callback */
    int last_error_is_error; /* jb_last_error_message() equals its `error` there */
    char text[64];
} probe;

static void probe_init(probe *p) {
    memset(p, 0, sizeof *p);
    jbt_call_init(&p->call);
    p->caller = pthread_self();
}

/* Ends a callback: notes its thread, then records it (wakes the waiter). */
static void probe_done(probe *p, jb_result r, const char *err) {
    p->on_other_thread = !pthread_equal(pthread_self(), p->caller);
    jbt_call_record(&p->call, r, err);
}

static void on_client(void *ud, jb_result r, const char *err, jb_client *c) {
    probe *p = ud;
    p->client = c;
    probe_done(p, r, err);
}

static void on_stream_info(void *ud, jb_result r, const char *err, const jb_stream_info *info) {
    probe *p = ud;
    if (err) {
        p->api_code = jb_last_error_api_code();
        p->last_error_is_error = strcmp(jb_last_error_message(), err) == 0;
    }
    if (info) {
        p->value = info->last_sequence;
        snprintf(p->text, sizeof p->text, "%s", info->config->name);
    }
    probe_done(p, r, err);
}

static void on_ack(void *ud, jb_result r, const char *err, const jb_pub_ack *ack) {
    probe *p = ud;
    if (ack) p->value = ack->sequence;
    /* Blocking calls are refused on a library thread; queued ones work. */
    jb_stream_info *si = NULL;
    p->blocking_inside = jb_client_stream_info(p->client, "ASYNC", &si);
    jb_counters k;
    p->nonblocking_inside = jb_client_counters(p->client, &k);
    probe_done(p, r, err);
}

static void on_results(void *ud, jb_result r, const char *err, const jb_publish_results *res) {
    probe *p = ud;
    if (res) p->value = res->acked;
    probe_done(p, r, err);
}

static void on_messages(void *ud, jb_result r, const char *err, jb_message *const *msgs,
                        size_t len) {
    probe *p = ud;
    for (size_t i = 0; i < len && i < 16; i++) p->msgs[i] = msgs[i];
    p->n = len;
    /* Acking from inside the callback works (it is queued, never blocks). */
    if (len > 0) p->nonblocking_inside = jb_message_ack(msgs[0]);
    probe_done(p, r, err);
}

static void on_count(void *ud, jb_result r, const char *err, uint64_t count) {
    probe *p = ud;
    p->value = count;
    probe_done(p, r, err);
}

static void on_string(void *ud, jb_result r, const char *err, const char *s) {
    probe *p = ud;
    if (s) snprintf(p->text, sizeof p->text, "%s", s);
    probe_done(p, r, err);
}

static void on_report(void *ud, jb_result r, const char *err, const jb_flush_report *rep) {
    probe *p = ud;
    if (rep) p->value = rep->acked;
    probe_done(p, r, err);
}

static void test_async_calls_back_once(void) {
    const char *url = jbt_url();
    jb_connect_options o;
    jb_connect_options_default(&o);
    o.servers = &url;
    o.servers_len = 1;
    probe p;
    probe_init(&p);
    CHECK_OK(jb_client_connect_async(&o, on_client, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.client && p.on_other_thread);
    jb_client *c = p.client;
    jbt_call_destroy(&p.call);
    CHECK(jbt_fresh_stream(c, "ASYNC", "async.>"));

    /* A failing async call reports through the callback, once; during the
     * callback the thread's last error is that error, with its API code. */
    probe_init(&p);
    CHECK_OK(jb_client_stream_info_async(c, "MISSING", on_stream_info, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_NOT_FOUND);
    CHECK(p.api_code == 10059 && p.last_error_is_error);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    p.client = c;
    jb_publish_message m = jbt_message("async.x", "hello");
    CHECK_OK(jb_client_publish_async(c, &m, on_ack, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK && p.value == 1);
    CHECK(p.blocking_inside == JB_RESULT_INVALID_ARGUMENT);
    CHECK(p.nonblocking_inside == JB_RESULT_OK);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    jb_publish_message batch[3] = {m, m, m};
    CHECK_OK(jb_client_publish_many_async(c, batch, 3, on_results, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK && p.value == 3);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_stream_info_async(c, "ASYNC", on_stream_info, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.value == 4 && strcmp(p.text, "ASYNC") == 0);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_stream_by_subject_async(c, "async.x", on_string, &p));
    CHECK(jbt_call_wait_once(&p.call) && strcmp(p.text, "ASYNC") == 0);
    jbt_call_destroy(&p.call);

    /* Consumer, fetch, ack_sync. */
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "async-worker";
    jb_consumer *cons = NULL;
    CHECK_OK(jb_client_create_consumer(c, "ASYNC", &cc, &cons));
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = 4;
    fo.max_wait_ms = 2000;
    probe_init(&p);
    CHECK_OK(jb_consumer_fetch_async(cons, &fo, on_messages, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK && p.n >= 1);
    CHECK(p.nonblocking_inside == JB_RESULT_OK);
    size_t fetched = p.n;
    jb_message *second = fetched > 1 ? p.msgs[1] : NULL;
    jbt_call_destroy(&p.call);
    if (second) {
        probe_init(&p);
        CHECK_OK(jb_message_ack_sync_async(second, jbt_call_on_done, &p.call));
        CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK);
        jbt_call_destroy(&p.call);
    }
    CHECK_OK(jb_messages_free(p.msgs, fetched));
    CHECK_OK(jb_consumer_free(cons));

    probe_init(&p);
    jb_publisher *pub = NULL;
    CHECK_OK(jb_publisher_new(c, NULL, &pub));
    uint64_t t;
    CHECK_OK(jb_publisher_publish(pub, &m, &t));
    CHECK_OK(jb_publisher_flush_async(pub, on_report, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.value == 1);
    jbt_call_destroy(&p.call);
    jb_publisher_free(pub);

    probe_init(&p);
    CHECK_OK(jb_client_purge_stream_async(c, "ASYNC", NULL, on_count, &p));
    CHECK(jbt_call_wait_once(&p.call) && p.value == 5);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_delete_stream_async(c, "ASYNC", jbt_call_on_done, &p.call));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_close_async(c, jbt_call_on_done, &p.call));
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_OK);
    jbt_call_destroy(&p.call);
    CHECK_OK(jb_client_free(c));
}

/* A cancellable fetch: jb_cancel_cancel ends a waiting fetch at once with
 * JB_RESULT_CLOSED, and the message published afterwards goes to the next
 * fetch on its first delivery (the cancelled one took nothing). */
static void test_fetch_cancelled(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c != NULL);
    if (!jbt_fresh_stream(c, "CANCEL", "cancel.>")) goto out;
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "cancel-worker";
    jb_consumer *cons = NULL;
    CHECK_OK(jb_client_create_consumer(c, "CANCEL", &cc, &cons));
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = 1;
    fo.max_wait_ms = 10000;
    jb_cancel *cancel = NULL;
    CHECK_OK(jb_cancel_new(&cancel));
    probe p;
    probe_init(&p);
    CHECK_OK(jb_consumer_fetch_cancellable_async(cons, &fo, cancel, on_messages, &p));
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    jb_cancel_cancel(cancel);
    CHECK(jbt_call_wait_once(&p.call) && p.call.result == JB_RESULT_CLOSED && p.n == 0);
    jbt_call_destroy(&p.call);
    CHECK_OK(jb_cancel_free(cancel));
    CHECK_RES(jb_cancel_free(cancel), JB_RESULT_INVALID_HANDLE);

    jb_publish_message m = jbt_message("cancel.a", "after");
    jb_pub_ack *ack = NULL;
    CHECK_OK(jb_client_publish(c, &m, &ack));
    jb_pub_ack_free(ack);
    fo.max_wait_ms = 5000;
    jb_message *msgs[1];
    size_t n = 0;
    CHECK_OK(jb_consumer_fetch(cons, &fo, msgs, 1, &n));
    CHECK(n == 1);
    if (n == 1) {
        jb_message_view v;
        CHECK_OK(jb_message_read(msgs[0], &v));
        CHECK(v.delivered == 1);
        CHECK_OK(jb_message_ack_sync(msgs[0]));
        CHECK_OK(jb_message_free(msgs[0]));
    }
    CHECK_OK(jb_consumer_free(cons));
out:
    jb_client_close(c);
    jb_client_free(c);
}

static void test_async_connect_failure(void) {
    const char *url = "nats://127.0.0.1:1"; /* nothing listens on port 1 */
    jb_connect_options o;
    jb_connect_options_default(&o);
    o.servers = &url;
    o.servers_len = 1;
    o.connect_timeout_ms = 2000;
    o.max_reconnects = 0;
    probe p;
    probe_init(&p);
    CHECK_OK(jb_client_connect_async(&o, on_client, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_CONNECTION || p.call.result == JB_RESULT_TIMEOUT);
    CHECK(p.client == NULL && p.call.error[0] != '\0');
    jbt_call_destroy(&p.call);
}

/* The closure contract. */
typedef struct {
    pthread_mutex_t mu;
    int calls;
    int drops;
    int calls_after_drop;
    int errors;
    jb_result last_error;
    int in_call;
    int overlapping;
    int ack_sync_ok;
    jb_subscription *free_me_inside; /* freed from inside the 3rd call */
    jb_result free_inside_result;
    jbt_latch seen;
    jbt_latch dropped;
} sink;

static void sink_init(sink *s) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    jbt_latch_init(&s->seen);
    jbt_latch_init(&s->dropped);
}

static void sink_destroy(sink *s) {
    pthread_mutex_destroy(&s->mu);
    jbt_latch_destroy(&s->seen);
    jbt_latch_destroy(&s->dropped);
}

static void sink_call(void *ctx, jb_result r, const char *err, jb_message *m) {
    sink *s = ctx;
    (void)err;
    pthread_mutex_lock(&s->mu);
    if (s->in_call) s->overlapping++;
    s->in_call = 1;
    if (s->drops) s->calls_after_drop++;
    pthread_mutex_unlock(&s->mu);
    if (r != JB_RESULT_OK) {
        s->errors++;
        s->last_error = r;
    } else {
        /* A blocking call is allowed here: this is not a runtime thread. */
        if (jb_message_ack_sync(m) == JB_RESULT_OK) s->ack_sync_ok++;
        jb_message_free(m);
        s->calls++;
        if (s->calls == 3 && s->free_me_inside) {
            s->free_inside_result = jb_subscription_free(s->free_me_inside);
        }
    }
    pthread_mutex_lock(&s->mu);
    s->in_call = 0;
    pthread_mutex_unlock(&s->mu);
    jbt_latch_add(&s->seen);
}

static void sink_drop(void *ctx) {
    sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    s->drops++;
    pthread_mutex_unlock(&s->mu);
    jbt_latch_add(&s->dropped);
}

static jb_message_closure closure_of(sink *s) {
    jb_message_closure c = {s, sink_call, sink_drop};
    return c;
}

static void test_subscription_callback_contract(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "CB", "cb.>"));
    for (int i = 0; i < 10; i++) CHECK(jbt_publish(c, "cb.x", "m", NULL));
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "cb-push";
    jb_subscription *sub = NULL;
    CHECK_OK(jb_client_push_subscribe(c, "CB", &cc, &sub));

    sink s;
    sink_init(&s);
    CHECK_OK(jb_subscription_set_callback(sub, closure_of(&s)));
    CHECK(jbt_latch_wait(&s.seen, 10));
    jb_message *m = NULL;
    CHECK_RES(jb_subscription_recv(sub, 10, &m), JB_RESULT_INVALID_ARGUMENT);
    /* A second closure is refused, and its drop still runs once. */
    sink other;
    sink_init(&other);
    CHECK_RES(jb_subscription_set_callback(sub, closure_of(&other)), JB_RESULT_INVALID_ARGUMENT);
    CHECK(other.drops == 1 && other.calls == 0);
    sink_destroy(&other);
    /* Free from this thread: waits for a running call, then drop runs once. */
    CHECK_OK(jb_subscription_free(sub));
    CHECK(s.drops == 1);
    int calls = s.calls;
    jbt_sleep_ms(200);
    CHECK(s.calls == calls && s.drops == 1 && s.calls_after_drop == 0);
    CHECK(s.overlapping == 0 && s.calls == 10 && s.ack_sync_ok == 10);
    sink_destroy(&s);

    /* A NULL call is refused; drop still runs once. */
    CHECK_OK(jb_client_replay(c, "CB", NULL, &sub));
    sink_init(&s);
    jb_message_closure bad = {&s, NULL, sink_drop};
    CHECK_RES(jb_subscription_set_callback(sub, bad), JB_RESULT_NULL_PARAMETER);
    CHECK(s.drops == 1);
    sink_destroy(&s);
    /* Free from inside the callback (a replay: messages take no acks). */
    sink_init(&s);
    s.free_me_inside = sub;
    CHECK_OK(jb_subscription_set_callback(sub, closure_of(&s)));
    CHECK(jbt_latch_wait(&s.dropped, 1));
    CHECK(s.free_inside_result == JB_RESULT_OK);
    CHECK(s.calls == 3 && s.drops == 1 && s.calls_after_drop == 0);
    CHECK_RES(jb_subscription_free(sub), JB_RESULT_INVALID_HANDLE);
    sink_destroy(&s);
    /* An invalid handle: the closure is still dropped. */
    sink_init(&s);
    CHECK_RES(jb_subscription_set_callback(sub, closure_of(&s)), JB_RESULT_INVALID_HANDLE);
    CHECK(s.drops == 1);
    sink_destroy(&s);

    jb_client_delete_stream(c, "CB");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_subscription_ends_with_error(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "GONE", "gone.>"));
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "gone-worker";
    jb_consumer *cons = NULL;
    CHECK_OK(jb_client_create_consumer(c, "GONE", &cc, &cons));
    jb_messages_options mo;
    jb_messages_options_default(&mo);
    mo.heartbeat_ms = 1000;
    mo.expires_ms = 5000;
    jb_subscription *sub = NULL;
    CHECK_OK(jb_consumer_messages(cons, &mo, &sub));
    sink s;
    sink_init(&s);
    CHECK_OK(jb_subscription_set_callback(sub, closure_of(&s)));
    CHECK(jbt_publish(c, "gone.x", "m", NULL));
    CHECK(jbt_latch_wait(&s.seen, 1));
    CHECK_OK(jb_client_delete_stream(c, "GONE"));
    /* The flow ends: one error call, then drop. */
    CHECK(jbt_latch_wait(&s.dropped, 1));
    CHECK(s.errors == 1 && s.last_error == JB_RESULT_NOT_FOUND);
    CHECK(s.calls == 1 && s.drops == 1 && s.calls_after_drop == 0);
    uint32_t health = 0;
    CHECK_OK(jb_subscription_health(sub, &health));
    CHECK(health == JB_HEALTH_STOPPED);
    CHECK_OK(jb_subscription_free(sub));
    CHECK(s.drops == 1);
    sink_destroy(&s);
    jb_consumer_free(cons);
    jb_client_close(c);
    jb_client_free(c);
}

/* A batch closure: counts messages and checks their stream sequences run
 * 1, 2, 3, … across calls. */
typedef struct {
    pthread_mutex_t mu;
    int calls, messages, max_count, out_of_order, bad_count, errors, drops;
    jb_result last_error;
    uint64_t next_seq;
    jbt_latch dropped;
} batch_sink;

static void batch_call(void *ctx, jb_result r, const char *err, jb_message *const *msgs, size_t n) {
    batch_sink *s = ctx;
    (void)err;
    pthread_mutex_lock(&s->mu);
    if (r != JB_RESULT_OK) {
        s->errors++;
        s->last_error = r;
        if (msgs != NULL || n != 0) s->bad_count++;
    } else {
        s->calls++;
        if (n == 0 || n > 256) s->bad_count++;
        if ((int)n > s->max_count) s->max_count = (int)n;
        for (size_t i = 0; i < n; i++) {
            jb_message_view v;
            if (jb_message_read(msgs[i], &v) != JB_RESULT_OK || v.stream_sequence != s->next_seq)
                s->out_of_order++;
            s->next_seq++;
            s->messages++;
        }
        if (jb_messages_ack((const jb_message *const *)msgs, n, NULL) != JB_RESULT_OK) s->bad_count++;
        jb_messages_free(msgs, n);
    }
    pthread_mutex_unlock(&s->mu);
}

static void batch_drop(void *ctx) {
    batch_sink *s = ctx;
    pthread_mutex_lock(&s->mu);
    s->drops++;
    pthread_mutex_unlock(&s->mu);
    jbt_latch_add(&s->dropped);
}

static void test_subscription_batch_callback(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "CBM", "cbm.>"));
    for (int i = 0; i < 300; i++) CHECK(jbt_publish(c, "cbm.x", "m", NULL));
    jb_messages_options mo;
    jb_messages_options_default(&mo);
    mo.heartbeat_ms = 1000;
    mo.expires_ms = 5000;
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "cbm-worker";
    jb_consumer *cons = NULL;
    CHECK_OK(jb_client_create_consumer(c, "CBM", &cc, &cons));
    jb_subscription *sub = NULL;
    CHECK_OK(jb_consumer_messages(cons, &mo, &sub));
    batch_sink s;
    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.mu, NULL);
    jbt_latch_init(&s.dropped);
    s.next_seq = 1;
    jb_messages_closure closure = {&s, batch_call, batch_drop};
    CHECK_OK(jb_subscription_set_batch_callback(sub, closure));
    /* Every message once, in order, in calls of 1 to 256. */
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&s.mu);
        int got = s.messages;
        pthread_mutex_unlock(&s.mu);
        if (got >= 300) break;
        jbt_sleep_ms(50);
    }
    pthread_mutex_lock(&s.mu);
    CHECK(s.messages == 300 && s.out_of_order == 0 && s.bad_count == 0);
    CHECK(s.calls >= 2 && s.max_count >= 1); /* 300 > 256: at least two calls */
    pthread_mutex_unlock(&s.mu);
    /* One closure per subscription, whichever kind. */
    batch_sink other;
    memset(&other, 0, sizeof other);
    pthread_mutex_init(&other.mu, NULL);
    jbt_latch_init(&other.dropped);
    jb_messages_closure second = {&other, batch_call, batch_drop};
    CHECK_RES(jb_subscription_set_batch_callback(sub, second), JB_RESULT_INVALID_ARGUMENT);
    CHECK(other.drops == 1 && other.calls == 0);
    /* A NULL call is refused; drop still runs once. */
    jb_messages_closure bad = {&other, NULL, batch_drop};
    CHECK_RES(jb_subscription_set_batch_callback(sub, bad), JB_RESULT_NULL_PARAMETER);
    CHECK(other.drops == 2);
    pthread_mutex_destroy(&other.mu);
    jbt_latch_destroy(&other.dropped);
    /* The flow ends with the stream: one error call (NULL, 0), then drop. */
    CHECK_OK(jb_client_delete_stream(c, "CBM"));
    CHECK(jbt_latch_wait(&s.dropped, 1));
    CHECK(s.errors == 1 && s.last_error == JB_RESULT_NOT_FOUND && s.bad_count == 0 && s.drops == 1);
    CHECK_OK(jb_subscription_free(sub));
    CHECK(s.drops == 1);
    pthread_mutex_destroy(&s.mu);
    jbt_latch_destroy(&s.dropped);
    jb_consumer_free(cons);
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_async_cases[] = {
    {"async/calls_back_once", test_async_calls_back_once},
    {"async/connect_failure", test_async_connect_failure},
    {"async/fetch_cancelled", test_fetch_cancelled},
    {"async/subscription_closure", test_subscription_callback_contract},
    {"async/subscription_ends_with_error", test_subscription_ends_with_error},
    {"async/subscription_batch_closure", test_subscription_batch_callback},
    {NULL, NULL},
};
