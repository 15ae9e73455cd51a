/*
 * Core NATS, connection events and tracked publishes against a real server:
 * request-reply with a responder in this process, a queue group sharing the
 * messages, NO_RESPONDERS, an unsubscribe that ends a waiting next, the
 * events' names and the closed event, and a tracked publish's own ack,
 * duplicate and error.
 */
#include "jbtest.h"

static int view_data_is(const jb_core_message *m, const char *data) {
    jb_core_message_view v;
    if (jb_core_message_read(m, &v) != JB_RESULT_OK) return 0;
    return v.payload_len == strlen(data) && memcmp(v.payload, data, v.payload_len) == 0;
}

/* The outcome of an async request: the reply handle. */
typedef struct {
    jbt_call call;
    jb_core_message *reply;
} request_probe;

static void on_reply(void *ud, jb_result r, const char *err, jb_core_message *m) {
    request_probe *p = ud;
    p->reply = m;
    jbt_call_record(&p->call, r, err);
}

static void test_request_reply_in_process(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_core_subscription *svc = NULL;
    CHECK_OK(jb_client_core_subscribe(c, "cnats.echo", "svc", &svc));
    request_probe p = {0};
    jbt_call_init(&p.call);
    jb_header h = {{"X-Trace", 7}, {"t1", 2}};
    CHECK_OK(jb_client_core_request_async(c, "cnats.echo", (const uint8_t *)"ping", 4, &h, 1, 5000,
                                          on_reply, &p));
    jb_core_message *req = NULL;
    CHECK_OK(jb_core_subscription_next(svc, 5000, &req));
    CHECK(req);
    jb_core_message_view v;
    CHECK_OK(jb_core_message_read(req, &v));
    CHECK(STR_EQ(v.subject, "cnats.echo"));
    CHECK(v.reply.ptr && v.reply.len > 0);
    CHECK(v.headers_len == 1 && STR_EQ(v.headers[0].name, "X-Trace"));
    CHECK(view_data_is(req, "ping"));
    CHECK_OK(jb_client_core_respond(c, req, (const uint8_t *)"pong", 4, v.headers, v.headers_len));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK_RES(p.call.result, JB_RESULT_OK);
    CHECK(p.reply && view_data_is(p.reply, "pong"));
    jb_core_message_view rv;
    CHECK_OK(jb_core_message_read(p.reply, &rv));
    CHECK(rv.headers_len == 1 && STR_EQ(rv.headers[0].value, "t1"));

    /* The reply carries no reply subject: answering it is refused by the core. */
    CHECK(rv.reply.ptr == NULL && rv.reply.len == 0);
    CHECK_RES(jb_client_core_respond(c, p.reply, (const uint8_t *)"x", 1, NULL, 0),
              JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "no reply subject"));

    CHECK_OK(jb_core_message_free(req));
    CHECK_OK(jb_core_message_free(p.reply));
    CHECK_RES(jb_core_message_free(p.reply), JB_RESULT_INVALID_HANDLE);
    jbt_call_destroy(&p.call);
    CHECK_OK(jb_core_subscription_free(svc));
    CHECK_OK(jb_client_free(c));
}

static void test_no_responders_and_timeout(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_core_message *m = NULL;
    CHECK_RES(jb_client_core_request(c, "cnats.nobody", (const uint8_t *)"q", 1, NULL, 0, 2000, &m),
              JB_RESULT_NO_RESPONDERS);
    CHECK(m == NULL);
    jb_core_subscription *silent = NULL;
    CHECK_OK(jb_client_core_subscribe(c, "cnats.silent", NULL, &silent));
    CHECK_RES(jb_client_core_request(c, "cnats.silent", (const uint8_t *)"q", 1, NULL, 0, 200, &m),
              JB_RESULT_TIMEOUT);
    /* Nothing more in time: OK with NULL. */
    jb_core_message *got = NULL;
    CHECK_OK(jb_core_subscription_next(silent, 2000, &got));
    CHECK(got && view_data_is(got, "q"));
    CHECK_OK(jb_core_message_free(got));
    CHECK_OK(jb_core_subscription_next(silent, 50, &got));
    CHECK(got == NULL);
    CHECK_RES(jb_client_core_publish(c, "cnats.*", (const uint8_t *)"x", 1, NULL, 0, NULL),
              JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_core_subscribe(c, "cnats.>", "bad queue", &silent),
              JB_RESULT_INVALID_ARGUMENT);
    CHECK_OK(jb_core_subscription_free(silent));
    CHECK_OK(jb_client_free(c));
}

static void test_queue_group_shares(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_core_subscription *w[2] = {NULL, NULL};
    CHECK_OK(jb_client_core_subscribe(c, "cnats.work", "workers", &w[0]));
    CHECK_OK(jb_client_core_subscribe(c, "cnats.work", "workers", &w[1]));
    enum { N = 20 };
    for (int i = 0; i < N; i++) {
        char d[16];
        snprintf(d, sizeof d, "%d", i);
        CHECK_OK(jb_client_core_publish(c, "cnats.work", (const uint8_t *)d, strlen(d), NULL, 0,
                                        NULL));
    }
    int seen[N] = {0};
    int total = 0, idle = 0;
    while (total < N && idle < 10) {
        int got_any = 0;
        for (int k = 0; k < 2; k++) {
            jb_core_message *m = NULL;
            CHECK_OK(jb_core_subscription_next(w[k], 100, &m));
            if (!m) continue;
            jb_core_message_view v;
            CHECK_OK(jb_core_message_read(m, &v));
            char d[8] = {0};
            memcpy(d, v.payload, v.payload_len < 7 ? v.payload_len : 7);
            int i = atoi(d);
            CHECK(i >= 0 && i < N);
            seen[i]++;
            total++;
            got_any = 1;
            CHECK_OK(jb_core_message_free(m));
        }
        idle = got_any ? 0 : idle + 1;
    }
    CHECK(total == N);
    for (int i = 0; i < N; i++) CHECK(seen[i] == 1);
    CHECK_OK(jb_core_subscription_free(w[0]));
    CHECK_OK(jb_core_subscription_free(w[1]));
    CHECK_OK(jb_client_free(c));
}

typedef struct {
    jb_core_subscription *sub;
    jb_result result;
    jb_core_message *got;
} waiter;

static void *wait_next(void *arg) {
    waiter *w = arg;
    w->result = jb_core_subscription_next(w->sub, 15000, &w->got);
    return NULL;
}

static uint64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void test_unsubscribe_ends_a_waiting_next(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    waiter w = {NULL, 999, NULL};
    CHECK_OK(jb_client_core_subscribe(c, "cnats.quiet", NULL, &w.sub));
    pthread_t t;
    uint64_t start = now_ms();
    CHECK(pthread_create(&t, NULL, wait_next, &w) == 0);
    jbt_sleep_ms(200);
    CHECK_OK(jb_core_subscription_unsubscribe(w.sub));
    CHECK_OK(jb_core_subscription_unsubscribe(w.sub)); /* twice is fine */
    pthread_join(t, NULL);
    CHECK(now_ms() - start < 5000);
    CHECK_RES(w.result, JB_RESULT_CLOSED);
    CHECK(w.got == NULL);
    jb_core_message *m = NULL;
    CHECK_RES(jb_core_subscription_next(w.sub, 10, &m), JB_RESULT_CLOSED);
    CHECK_OK(jb_core_subscription_free(w.sub));
    CHECK_RES(jb_core_subscription_free(w.sub), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_client_free(c));
}

/* Events seen by a listener. */
typedef struct {
    jbt_latch latch;
    pthread_mutex_t mu;
    jb_event_kind kinds[16];
    int n;
} event_log;

static void on_event(void *ud, jb_event_kind kind, const char *detail) {
    event_log *log = ud;
    (void)detail;
    pthread_mutex_lock(&log->mu);
    if (log->n < 16) log->kinds[log->n++] = kind;
    pthread_mutex_unlock(&log->mu);
    jbt_latch_add(&log->latch);
}

static void test_event_names_are_the_cores(void) {
    static const struct {
        jb_event_kind kind;
        const char *name;
    } want[] = {
        {JB_EVENT_KIND_CONNECTED, "connected"},       {JB_EVENT_KIND_DISCONNECTED, "disconnected"},
        {JB_EVENT_KIND_RECONNECTED, "reconnected"},   {JB_EVENT_KIND_LAME_DUCK, "lame_duck"},
        {JB_EVENT_KIND_SLOW_CONSUMER, "slow_consumer"}, {JB_EVENT_KIND_SERVER_ERROR, "server_error"},
        {JB_EVENT_KIND_CLOSED, "closed"},             {JB_EVENT_KIND_MISSED, "missed"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        CHECK((size_t)want[i].kind == i);
        CHECK(strcmp(jb_event_kind_name(want[i].kind), want[i].name) == 0);
    }
    CHECK(strcmp(jb_event_kind_name(99), "unknown") == 0);
}

static void test_events_end_with_closed(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    event_log log = {0};
    jbt_latch_init(&log.latch);
    pthread_mutex_init(&log.mu, NULL);
    jb_event_listener *l = NULL;
    CHECK_RES(jb_client_on_event(c, NULL, &log, &l), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_client_on_event(c, on_event, &log, &l));
    jbt_sleep_ms(100);
    CHECK(jbt_latch_count(&log.latch) == 0);
    CHECK_OK(jb_client_close(c));
    CHECK(jbt_latch_wait(&log.latch, 1));
    jbt_sleep_ms(100);
    pthread_mutex_lock(&log.mu);
    int n = log.n;
    jb_event_kind last = log.kinds[n - 1];
    pthread_mutex_unlock(&log.mu);
    CHECK(n == 1 && last == JB_EVENT_KIND_CLOSED);
    CHECK_OK(jb_event_listener_free(l));
    CHECK_RES(jb_event_listener_free(l), JB_RESULT_INVALID_HANDLE);
    /* A listener of a closed client: never called. */
    event_log late = {0};
    jbt_latch_init(&late.latch);
    pthread_mutex_init(&late.mu, NULL);
    jb_event_listener *l2 = NULL;
    CHECK_OK(jb_client_on_event(c, on_event, &late, &l2));
    jbt_sleep_ms(100);
    CHECK(jbt_latch_count(&late.latch) == 0);
    CHECK_OK(jb_event_listener_free(l2));
    /* Core calls on a closed client. */
    jb_core_subscription *s = NULL;
    CHECK_RES(jb_client_core_subscribe(c, "cnats.x", NULL, &s), JB_RESULT_CLOSED);
    CHECK_RES(jb_client_core_publish(c, "cnats.x", (const uint8_t *)"x", 1, NULL, 0, NULL),
              JB_RESULT_CLOSED);
    CHECK_OK(jb_client_free(c));
    jbt_latch_destroy(&log.latch);
    jbt_latch_destroy(&late.latch);
    pthread_mutex_destroy(&log.mu);
    pthread_mutex_destroy(&late.mu);
}

/* The outcome of a tracked publish. */
typedef struct {
    jbt_call call;
    uint64_t seq;
    int duplicate;
    uint32_t api_code;
} ack_probe;

static void on_ack(void *ud, jb_result r, const char *err, const jb_pub_ack *ack) {
    ack_probe *p = ud;
    if (ack) {
        p->seq = ack->sequence;
        p->duplicate = ack->duplicate;
    }
    p->api_code = jb_last_error_api_code();
    jbt_call_record(&p->call, r, err);
}

static void test_tracked_publish_gets_its_own_outcome(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TRACKC", "trackc.>"));
    jb_publisher *pub = NULL;
    CHECK_OK(jb_publisher_new(c, NULL, &pub));
    ack_probe p[3];
    for (int i = 0; i < 3; i++) {
        memset(&p[i], 0, sizeof p[i]);
        jbt_call_init(&p[i].call);
    }
    jb_publish_message m = jbt_message("trackc.a", "1");
    m.msg_id = (jb_str){"a-1", 3};
    uint64_t t[3];
    CHECK_OK(jb_publisher_publish_tracked(pub, &m, &t[0], on_ack, &p[0]));
    CHECK_OK(jb_publisher_publish_tracked(pub, &m, &t[1], on_ack, &p[1]));
    jb_publish_message bad = jbt_message("trackc.b", "2");
    bad.expect.has_last_sequence = true;
    bad.expect.last_sequence = 99;
    CHECK_OK(jb_publisher_publish_tracked(pub, &bad, &t[2], on_ack, &p[2]));
    CHECK(t[1] == t[0] + 1 && t[2] == t[1] + 1);
    for (int i = 0; i < 3; i++) CHECK(jbt_call_wait_once(&p[i].call));
    CHECK_RES(p[0].call.result, JB_RESULT_OK);
    CHECK(p[0].seq == 1 && !p[0].duplicate);
    CHECK_RES(p[1].call.result, JB_RESULT_OK);
    CHECK(p[1].seq == 1 && p[1].duplicate);
    CHECK_RES(p[2].call.result, JB_RESULT_WRONG_LAST_SEQUENCE);
    CHECK(p[2].api_code == 10071 && p[2].call.error[0]);
    /* Invalid input: nothing queued, no callback. */
    uint64_t none = 0;
    jb_publish_message wild = jbt_message("trackc.*", "x");
    CHECK_RES(jb_publisher_publish_tracked(pub, &wild, &none, on_ack, &p[0]),
              JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_publisher_publish_tracked(pub, &m, &none, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    jb_flush_report *r = NULL;
    CHECK_OK(jb_publisher_flush(pub, &r));
    CHECK(r->acked == 2 && r->duplicates == 1 && r->failures_len == 1);
    CHECK_OK(jb_flush_report_free(r));
    CHECK(p[0].call.calls == 1);
    for (int i = 0; i < 3; i++) jbt_call_destroy(&p[i].call);
    CHECK_OK(jb_publisher_free(pub));
    CHECK_OK(jb_client_free(c));
}

const jbt_case jbt_core_nats_cases[] = {
    {"core request-reply in process", test_request_reply_in_process},
    {"core no responders, timeout, bad input", test_no_responders_and_timeout},
    {"core queue group shares", test_queue_group_shares},
    {"core unsubscribe ends a waiting next", test_unsubscribe_ends_a_waiting_next},
    {"event kinds are the core's names", test_event_names_are_the_cores},
    {"events end with closed", test_events_end_with_closed},
    {"tracked publish: ack, duplicate, error", test_tracked_publish_gets_its_own_outcome},
    {NULL, NULL},
};
