/*
 * Bench entry `jetbridge-c`: libjetbridge (the C ABI of JetBridge) used as
 * its header documents: jb_publisher_publish (waits only while the window is
 * full) + jb_publisher_flush; jb_consumer_messages + jb_subscription_recv_many
 * + jb_messages_ack (one crossing per batch); jb_client_replay for ordered
 * replay. Contract: see common.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <jetbridge.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define ENTRY "jetbridge-c"

static void check(jb_result r, const char *what) {
    if (r != JB_RESULT_OK) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s: %s", what, jb_last_error_message());
        bench_fail(ENTRY, buf);
    }
}

/* dedup: give every message the repeating msg id; else JetBridge generates one. */
static void publish(jb_client *c, const bench_args *a, int dedup) {
    jb_publisher_options po;
    check(jb_publisher_options_default(&po), "options");
    po.max_in_flight = a->window;
    jb_publisher *p = NULL;
    check(jb_publisher_new(c, &po, &p), "publisher");
    jb_publish_message m;
    memset(&m, 0, sizeof m);
    m.subject = JB_STR(a->subject);
    m.payload = a->data;
    m.payload_len = a->payload;
    char id[32];
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++) {
        if (dedup) {
            bench_dedup_msg_id(i, id, sizeof id);
            m.msg_id = JB_STR(id);
        }
        uint64_t ticket;
        check(jb_publisher_publish(p, &m, &ticket), "publish");
    }
    jb_flush_report *rep = NULL;
    check(jb_publisher_flush(p, &rep), "flush");
    double secs = bench_now() - t;
    if (rep->failures_len) {
        char buf[512];
        snprintf(buf, sizeof buf, "%zu publishes failed", rep->failures_len);
        bench_fail(ENTRY, buf);
    }
    size_t peak = 0;
    jb_publisher_peak_in_flight(p, &peak);
    bench_begin(ENTRY, a, secs);
    printf(",\"acked\":%llu,\"duplicates\":%llu,\"peak_in_flight\":%zu", (unsigned long long)rep->acked,
           (unsigned long long)rep->duplicates, peak);
    bench_end();
    jb_flush_report_free(rep);
    jb_publisher_free(p);
}

static void latency(jb_client *c, const bench_args *a) {
    double *lat = malloc(a->count * sizeof *lat);
    if (!lat) bench_fail(ENTRY, "out of memory");
    jb_publish_message m;
    memset(&m, 0, sizeof m);
    m.subject = JB_STR(a->subject);
    m.payload = a->data;
    m.payload_len = a->payload;
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++) {
        double one = bench_now();
        jb_pub_ack *ack = NULL;
        check(jb_client_publish(c, &m, &ack), "publish");
        jb_pub_ack_free(ack);
        lat[i] = bench_now() - one;
    }
    double secs = bench_now() - t, p50, p99;
    bench_percentiles(lat, a->count, &p50, &p99);
    bench_begin(ENTRY, a, secs);
    printf(",\"acked\":%zu,\"p50_us\":%.3f,\"p99_us\":%.3f", a->count, p50, p99);
    bench_end();
    free(lat);
}

static void consume(jb_client *c, const bench_args *a) {
    jb_consumer_config cc;
    check(jb_consumer_config_default(&cc), "consumer config");
    cc.durable_name = DURABLE;
    jb_consumer *cons = NULL;
    check(jb_client_create_consumer(c, a->stream, &cc, &cons), "create consumer");
    jb_messages_options mo;
    check(jb_messages_options_default(&mo), "messages options");
    mo.batch = a->batch;
    jb_message **batch = malloc(a->batch * sizeof *batch);
    if (!batch) bench_fail(ENTRY, "out of memory");
    double t = bench_now();
    jb_subscription *sub = NULL;
    check(jb_consumer_messages(cons, &mo, &sub), "messages");
    size_t received = 0;
    while (received < a->count) {
        size_t got = 0;
        check(jb_subscription_recv_many(sub, a->batch, 10000, batch, &got), "receive");
        if (got == 0) bench_fail(ENTRY, "stalled");
        check(jb_messages_ack((const jb_message *const *)batch, got, NULL), "ack");
        check(jb_messages_free(batch, got), "free");
        received += got;
    }
    /* Acks are queued in the core; the run ends when the server has them all. */
    double deadline = bench_now() + SETTLE_TIMEOUT_S;
    while (bench_now() < deadline) {
        jb_consumer_info *info = NULL;
        check(jb_consumer_get_info(cons, &info), "consumer info");
        int settled = info->num_ack_pending == 0 && info->num_pending == 0;
        jb_consumer_info_free(info);
        if (settled) {
            double secs = bench_now() - t;
            jb_subscription_free(sub);
            jb_consumer_free(cons);
            free(batch);
            bench_begin(ENTRY, a, secs);
            printf(",\"received\":%zu,\"acked\":%zu", received, received);
            bench_end();
            return;
        }
        bench_sleep_ms(2);
    }
    bench_fail(ENTRY, "acks did not settle");
}

static void replay(jb_client *c, const bench_args *a) {
    jb_replay_options ro;
    check(jb_replay_options_default(&ro), "replay options");
    ro.start = JB_START_SEQUENCE;
    ro.start_sequence = 1;
    jb_messages_options mo;
    check(jb_messages_options_default(&mo), "messages options");
    mo.batch = a->batch;
    ro.messages = &mo;
    jb_message **batch = malloc(a->batch * sizeof *batch);
    if (!batch) bench_fail(ENTRY, "out of memory");
    double t = bench_now();
    jb_subscription *sub = NULL;
    check(jb_client_replay(c, a->stream, &ro, &sub), "replay");
    bench_seqs seqs = BENCH_SEQS_INIT;
    while (seqs.received < a->count) {
        size_t got = 0;
        check(jb_subscription_recv_many(sub, a->batch, 10000, batch, &got), "receive");
        if (got == 0) bench_fail(ENTRY, "stalled");
        for (size_t i = 0; i < got; i++) {
            jb_message_view v;
            check(jb_message_read(batch[i], &v), "read");
            bench_seqs_add(&seqs, v.stream_sequence);
        }
        check(jb_messages_free(batch, got), "free");
    }
    double secs = bench_now() - t;
    jb_subscription_free(sub);
    free(batch);
    bench_begin(ENTRY, a, secs);
    bench_seqs_print(&seqs);
    bench_end();
}

int main(int argc, char **argv) {
    bench_args a;
    bench_parse(argc, argv, &a);
    if (!strcmp(a.op, "core")) bench_unsupported(ENTRY, &a, "JetBridge has no core NATS publish");
    jb_connect_options o;
    check(jb_connect_options_default(&o), "connect options");
    o.servers = &a.url;
    o.servers_len = 1;
    jb_client *c = NULL;
    check(jb_client_connect(&o, &c), "connect");
    if (!strcmp(a.op, "publish") || !strcmp(a.op, "publish-ids")) publish(c, &a, 0);
    else if (!strcmp(a.op, "dedup")) publish(c, &a, 1);
    else if (!strcmp(a.op, "latency")) latency(c, &a);
    else if (!strcmp(a.op, "consume")) consume(c, &a);
    else if (!strcmp(a.op, "replay")) replay(c, &a);
    else bench_fail(ENTRY, "unknown op");
    jb_client_close(c);
    jb_client_free(c);
    free(a.data);
    return 0;
}
