/*
 * jb_client_free without jb_client_close: what the client still had to do
 * is settled (see jb_client_free's contract in the header). Queued acks
 * reach the server and publishes in flight get their callback, even when
 * the client handle was the last holder of the connection.
 */
#include "jbtest.h"

#define N 400

/* The consumer's ack-pending count seen by a second client, once it is 0 or
 * after a bounded wait; UINT64_MAX on error. */
static uint64_t ack_pending_settled(const char *stream, const char *name) {
    jb_client *c = jbt_connect(jbt_url());
    if (c == NULL) return UINT64_MAX;
    uint64_t pending = UINT64_MAX;
    for (int i = 0; i < 100; i++) {
        jb_consumer_info *info = NULL;
        if (jb_client_consumer_info(c, stream, name, &info) != JB_RESULT_OK) break;
        pending = info->num_ack_pending;
        jb_consumer_info_free(info);
        if (pending == 0) break;
        jbt_sleep_ms(50);
    }
    jb_client_close(c);
    jb_client_free(c);
    return pending;
}

static void test_free_without_close_delivers_queued_acks(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c != NULL);
    CHECK(jbt_fresh_stream(c, "CFREE", "cfree.>"));
    for (int i = 0; i < N; i++) CHECK(jbt_publish(c, "cfree.x", "m", NULL) != 0);
    jb_consumer *cons = jbt_durable(c, "CFREE", "f", 0);
    CHECK(cons != NULL);
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = N;
    fo.max_wait_ms = 5000;
    jb_message *msgs[N];
    size_t n = 0;
    CHECK_OK(jb_consumer_fetch(cons, &fo, msgs, N, &n));
    CHECK(n == N);
    /* Every ack queued, then every handle freed, the client last: it is the
     * last holder of the connection. */
    for (size_t i = 0; i < n; i++) CHECK_OK(jb_message_ack(msgs[i]));
    CHECK_OK(jb_messages_free(msgs, n));
    CHECK_OK(jb_consumer_free(cons));
    CHECK_OK(jb_client_free(c));
    CHECK(ack_pending_settled("CFREE", "f") == 0);
}

typedef struct {
    jbt_latch done;
    pthread_mutex_t mu;
    int ok;
} pub_probe;

static void on_pub_ack(void *ud, jb_result r, const char *err, const jb_pub_ack *ack) {
    (void)err;
    (void)ack;
    pub_probe *p = ud;
    pthread_mutex_lock(&p->mu);
    if (r == JB_RESULT_OK) p->ok++;
    pthread_mutex_unlock(&p->mu);
    jbt_latch_add(&p->done);
}

static void test_free_without_close_settles_publishes_in_flight(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c != NULL);
    CHECK(jbt_fresh_stream(c, "CFREEP", "cfreep.>"));
    pub_probe p;
    jbt_latch_init(&p.done);
    pthread_mutex_init(&p.mu, NULL);
    p.ok = 0;
    int started = 0;
    for (int i = 0; i < N; i++) {
        jb_publish_message m = jbt_message("cfreep.x", "m");
        if (jb_client_publish_async(c, &m, on_pub_ack, &p) == JB_RESULT_OK) started++;
    }
    jb_result freed = jb_client_free(c);
    int all_called = jbt_latch_wait(&p.done, started);
    pthread_mutex_lock(&p.mu);
    int ok = p.ok;
    pthread_mutex_unlock(&p.mu);
    jb_client *check = jbt_connect(jbt_url());
    uint64_t stored = 0;
    if (check) {
        jb_stream_info *info = NULL;
        if (jb_client_stream_info(check, "CFREEP", &info) == JB_RESULT_OK) {
            stored = info->messages;
            jb_stream_info_free(info);
        }
        jb_client_delete_stream(check, "CFREEP");
        jb_client_delete_stream(check, "CFREE");
        jb_client_close(check);
        jb_client_free(check);
    }
    jbt_latch_destroy(&p.done);
    pthread_mutex_destroy(&p.mu);
    CHECK_OK(freed);
    CHECK(started == N);
    CHECK(all_called);
    CHECK(ok == N);
    CHECK(stored == N);
}

const jbt_case jbt_client_free_cases[] = {
    {"client_free_without_close_delivers_queued_acks", test_free_without_close_delivers_queued_acks},
    {"client_free_without_close_settles_publishes_in_flight",
     test_free_without_close_settles_publishes_in_flight},
    {NULL, NULL},
};
