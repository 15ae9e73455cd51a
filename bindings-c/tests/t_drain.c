/*
 * jb_client_drain / _async against a real server: graceful shutdown settles
 * queued acks and pipelined publishes, then closes; a message handed out and
 * never answered makes it end in TIMEOUT, closed all the same; new work is
 * refused while draining and an ack lets drain finish.
 */
#include "jbtest.h"

static uint64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}


/* Fetches exactly `want` messages (the server may split a batch). */
static int fetch_n(jb_consumer *cons, size_t want, jb_message **out) {
    size_t got = 0;
    for (int tries = 0; tries < 10 && got < want; tries++) {
        jb_fetch_options fo;
        jb_fetch_options_default(&fo);
        fo.max_messages = want - got;
        fo.max_wait_ms = 2000;
        size_t n = 0;
        if (jb_consumer_fetch(cons, &fo, out + got, want - got, &n) != JB_RESULT_OK) {
            jbt_fail(__FILE__, __LINE__, "fetch", jb_last_error_message());
            return 0;
        }
        got += n;
    }
    return got == want;
}

static uint64_t seq_of(const jb_message *m) {
    jb_message_view v;
    return jb_message_read(m, &v) == JB_RESULT_OK ? v.stream_sequence : 0;
}

/* The consumer's info once its ack floor is `floor` (bounded wait: the
 * server applies acks right after reading them); NULL otherwise. */
static jb_consumer_info *info_at_floor(jb_client *c, const char *stream, const char *name,
                                       uint64_t floor) {
    jb_consumer_info *info = NULL;
    for (int tries = 0; tries < 50; tries++) {
        if (jb_client_consumer_info(c, stream, name, &info) != JB_RESULT_OK) return NULL;
        if (info->ack_floor.stream_sequence == floor) return info;
        jb_consumer_info_free(info);
        info = NULL;
        jbt_sleep_ms(100);
    }
    return NULL;
}

static void test_drain_settles_then_closes(void) {
    jb_client *check = jbt_connect(jbt_url());
    jb_client *c = jbt_connect(jbt_url());
    CHECK(check && c && jbt_fresh_stream(c, "DRAIN1", "drain1.>"));
    for (int i = 0; i < 3; i++) CHECK(jbt_publish(c, "drain1.a", "x", NULL) == (uint64_t)i + 1);
    jb_consumer *cons = jbt_durable(c, "DRAIN1", "proc", 0);
    CHECK(cons);
    jb_message *msgs[2];
    CHECK(fetch_n(cons, 2, msgs));
    CHECK(seq_of(msgs[0]) == 1 && seq_of(msgs[1]) == 2);
    CHECK_OK(jb_message_ack(msgs[0])); /* queued, not confirmed */
    CHECK_OK(jb_message_ack(msgs[1]));
    jb_publisher *pub = NULL;
    CHECK_OK(jb_publisher_new(c, NULL, &pub));
    jb_publish_message m = jbt_message("drain1.b", "pipelined");
    uint64_t ticket = 99;
    bool queued = false;
    CHECK_OK(jb_publisher_try_publish(pub, &m, &queued, &ticket));
    CHECK(queued && ticket == 0);
    CHECK_OK(jb_publisher_publish(pub, &m, &ticket)); /* queued, not flushed */
    CHECK(ticket == 1);

    CHECK_OK(jb_client_drain(c, 0)); /* the core's default timeout */

    jb_connection_state st;
    CHECK_OK(jb_client_connection_state(c, &st));
    CHECK(st.closed && !st.connected);
    jb_pub_ack *ack = NULL;
    jb_publish_message late = jbt_message("drain1.a", "late");
    CHECK_RES(jb_client_publish(c, &late, &ack), JB_RESULT_CLOSED);
    jb_stream_info *si = NULL;
    CHECK_RES(jb_client_stream_info(c, "DRAIN1", &si), JB_RESULT_CLOSED);
    jb_message *more[1];
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = 1;
    fo.max_wait_ms = 100;
    size_t n = 0;
    CHECK_RES(jb_consumer_fetch(cons, &fo, more, 1, &n), JB_RESULT_CLOSED);
    CHECK_RES(jb_publisher_try_publish(pub, &m, &queued, &ticket), JB_RESULT_CLOSED);
    CHECK_OK(jb_client_drain(c, 0)); /* draining a closed client is fine */
    CHECK_OK(jb_client_drain(c, 100));
    CHECK_OK(jb_client_close(c));

    /* The server has every publish and every ack. */
    CHECK_OK(jb_client_stream_info(check, "DRAIN1", &si));
    uint64_t stored = si->messages, last = si->last_sequence;
    CHECK_OK(jb_stream_info_free(si));
    CHECK(stored == 5 && last == 5);
    jb_consumer_info *ci = info_at_floor(check, "DRAIN1", "proc", 2);
    CHECK(ci != NULL);
    uint64_t pending = ci->num_ack_pending;
    CHECK_OK(jb_consumer_info_free(ci));
    CHECK(pending == 0);

    CHECK_OK(jb_messages_free(msgs, 2));
    CHECK_OK(jb_publisher_free(pub));
    CHECK_OK(jb_consumer_free(cons));
    CHECK_OK(jb_client_free(c));
    CHECK_OK(jb_client_delete_stream(check, "DRAIN1"));
    CHECK_OK(jb_client_close(check));
    CHECK_OK(jb_client_free(check));
}

static void test_held_message_times_out_closed_anyway(void) {
    jb_client *check = jbt_connect(jbt_url());
    jb_client *c = jbt_connect(jbt_url());
    CHECK(check && c && jbt_fresh_stream(c, "DRAIN2", "drain2.>"));
    CHECK(jbt_publish(c, "drain2.a", "held", NULL) == 1);
    jb_consumer *cons = jbt_durable(c, "DRAIN2", "held", 0);
    CHECK(cons);
    jb_message *held[1];
    CHECK(fetch_n(cons, 1, held));
    CHECK(seq_of(held[0]) == 1);

    uint64_t started = now_ms();
    CHECK_RES(jb_client_drain(c, 500), JB_RESULT_TIMEOUT);
    uint64_t took = now_ms() - started;
    CHECK(took >= 450);    /* not before its timeout */
    CHECK(took < 10000);
    CHECK(strstr(jb_last_error_message(), "1 message") != NULL);
    jb_connection_state st;
    CHECK_OK(jb_client_connection_state(c, &st));
    CHECK(st.closed && !st.connected);
    jb_pub_ack *ack = NULL;
    jb_publish_message late = jbt_message("drain2.a", "late");
    CHECK_RES(jb_client_publish(c, &late, &ack), JB_RESULT_CLOSED);
    CHECK_OK(jb_client_drain(c, 0)); /* closed already: fine */

    /* Never answered: the server redelivers it after its ack wait. */
    jb_consumer_info *ci = NULL;
    CHECK_OK(jb_client_consumer_info(check, "DRAIN2", "held", &ci));
    uint64_t pending = ci->num_ack_pending, floor = ci->ack_floor.stream_sequence;
    CHECK_OK(jb_consumer_info_free(ci));
    CHECK(pending == 1 && floor == 0);

    CHECK_OK(jb_message_free(held[0]));
    CHECK_OK(jb_consumer_free(cons));
    CHECK_OK(jb_client_free(c));
    CHECK_OK(jb_client_delete_stream(check, "DRAIN2"));
    CHECK_OK(jb_client_close(check));
    CHECK_OK(jb_client_free(check));
}

typedef struct {
    jbt_latch done;
    jb_result result;
    int calls;
    pthread_t caller;
    int on_other_thread;
    jb_client *client;
    jb_result blocking_inside;
} probe;

static void on_drained(void *ud, jb_result r, const char *err) {
    probe *p = ud;
    (void)err;
    p->calls++;
    p->result = r;
    p->on_other_thread = !pthread_equal(pthread_self(), p->caller);
    /* A blocking call on a library thread is refused, not deadlocked. */
    p->blocking_inside = jb_client_drain(p->client, 0);
    jbt_latch_add(&p->done);
}

static void test_drain_async_waits_for_the_ack(void) {
    jb_client *check = jbt_connect(jbt_url());
    jb_client *c = jbt_connect(jbt_url());
    CHECK(check && c && jbt_fresh_stream(c, "DRAIN3", "drain3.>"));
    CHECK(jbt_publish(c, "drain3.a", "x", NULL) == 1);
    jb_consumer *cons = jbt_durable(c, "DRAIN3", "late", 0);
    CHECK(cons);
    jb_message *msg[1];
    CHECK(fetch_n(cons, 1, msg));

    CHECK_RES(jb_client_drain_async(c, 30000, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    probe p;
    memset(&p, 0, sizeof p);
    jbt_latch_init(&p.done);
    p.caller = pthread_self();
    p.client = c;
    CHECK_OK(jb_client_drain_async(c, 30000, on_drained, &p));
    /* Drain starts on a library thread: publish (bounded) until refused. A
     * publish accepted before that is settled like any other. */
    jb_result refused = JB_RESULT_OK;
    jb_publish_message m = jbt_message("drain3.b", "y");
    for (int i = 0; i < 500 && refused == JB_RESULT_OK; i++) {
        jb_pub_ack *ack = NULL;
        refused = jb_client_publish(c, &m, &ack);
        if (refused == JB_RESULT_OK) {
            jb_pub_ack_free(ack);
            jbt_sleep_ms(10);
        }
    }
    CHECK(refused == JB_RESULT_CLOSED);
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = 1;
    fo.max_wait_ms = 100;
    jb_message *more[1];
    size_t n = 0;
    CHECK_RES(jb_consumer_fetch(cons, &fo, more, 1, &n), JB_RESULT_CLOSED);
    CHECK(jbt_latch_count(&p.done) == 0); /* it waits for the message handed out */
    CHECK_OK(jb_message_ack(msg[0])); /* acks are still accepted */
    CHECK(jbt_latch_wait(&p.done, 1));
    jbt_sleep_ms(50); /* a second call would show */
    CHECK(jbt_latch_count(&p.done) == 1 && p.calls == 1);
    CHECK(p.result == JB_RESULT_OK && p.on_other_thread);
    CHECK(p.blocking_inside == JB_RESULT_INVALID_ARGUMENT);
    jbt_latch_destroy(&p.done);
    jb_connection_state st;
    CHECK_OK(jb_client_connection_state(c, &st));
    CHECK(st.closed);

    jb_consumer_info *ci = info_at_floor(check, "DRAIN3", "late", 1);
    CHECK(ci != NULL);
    uint64_t pending = ci->num_ack_pending;
    CHECK_OK(jb_consumer_info_free(ci));
    CHECK(pending == 0);

    CHECK_OK(jb_message_free(msg[0]));
    CHECK_OK(jb_consumer_free(cons));
    CHECK_OK(jb_client_free(c));
    CHECK_RES(jb_client_drain(c, 0), JB_RESULT_INVALID_HANDLE); /* freed */
    CHECK_RES(jb_client_drain_async(c, 0, on_drained, &p), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_client_delete_stream(check, "DRAIN3"));
    CHECK_OK(jb_client_close(check));
    CHECK_OK(jb_client_free(check));
}

const jbt_case jbt_drain_cases[] = {
    {"drain/settles_then_closes", test_drain_settles_then_closes},
    {"drain/held_message_times_out", test_held_message_times_out_closed_anyway},
    {"drain/async_waits_for_the_ack", test_drain_async_waits_for_the_ack},
    {NULL, NULL},
};
