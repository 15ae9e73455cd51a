/*
 * Bench entry `jetbridge-c`: libjetbridge (the C ABI of JetBridge) used as
 * its header documents: jb_publisher_publish (waits only while the window is
 * full) + jb_publisher_flush; jb_consumer_messages + jb_subscription_recv_many
 * + jb_messages_ack (one crossing per batch); jb_client_replay for ordered
 * replay. Buckets and stores: jb_client_kv + jb_kv_put/jb_kv_get/jb_kv_watch +
 * jb_kv_watcher_next (NULL entry, caught_up = the initial values are in);
 * jb_client_object_store + jb_object_store_writer + jb_object_writer_write
 * (64 KiB pieces) + jb_object_writer_finish; jb_object_store_get +
 * jb_object_reader_read. Contract: see common.h.
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

/* `each`: jb_subscription_recv and jb_message_ack one message at a time,
 * else jb_subscription_recv_many and jb_messages_ack per batch. */
static void consume(jb_client *c, const bench_args *a, int each) {
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
    while (each && received < a->count) {
        jb_message *m = NULL;
        check(jb_subscription_recv(sub, 10000, &m), "receive");
        check(jb_message_ack(m), "ack");
        check(jb_message_free(m), "free");
        received++;
    }
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

static jb_kv *open_kv(jb_client *c, const bench_args *a) {
    jb_kv *kv = NULL;
    check(jb_client_kv(c, a->stream, &kv), "open bucket");
    return kv;
}

/* Sequential puts, each awaited. */
static void kv_put(jb_client *c, const bench_args *a) {
    jb_kv *kv = open_kv(c, a);
    char key[32];
    size_t acked = 0;
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++) {
        bench_kv_key(i, key, sizeof key);
        uint64_t rev = 0;
        check(jb_kv_put(kv, key, a->data, a->payload, &rev), "put");
        acked++;
    }
    double secs = bench_now() - t;
    jb_kv_free(kv);
    bench_begin(ENTRY, a, secs);
    printf(",\"acked\":%zu", acked);
    bench_end();
}

/* Sequential gets, each value's length checked. */
static void kv_get(jb_client *c, const bench_args *a) {
    jb_kv *kv = open_kv(c, a);
    char key[32];
    size_t received = 0;
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++) {
        bench_kv_key(i, key, sizeof key);
        jb_kv_entry *e = NULL;
        check(jb_kv_get(kv, key, 0, &e), "get");
        received += e->value_len == a->payload;
        jb_kv_entry_free(e);
    }
    double secs = bench_now() - t;
    jb_kv_free(kv);
    bench_begin(ENTRY, a, secs);
    printf(",\"received\":%zu", received);
    bench_end();
}

/* Watch every key (latest value each) until the caught-up marker. */
static void kv_watch(jb_client *c, const bench_args *a) {
    jb_kv *kv = open_kv(c, a);
    size_t received = 0;
    double t = bench_now();
    jb_kv_watcher *w = NULL;
    check(jb_kv_watch(kv, NULL, NULL, &w), "watch");
    for (size_t i = 0; i <= a->count; i++) { /* one per key, then the marker */
        jb_kv_entry *e = NULL;
        bool caught_up = false;
        check(jb_kv_watcher_next(w, 30000, &e, &caught_up), "watch next");
        if (caught_up) break;
        received++;
        jb_kv_entry_free(e);
    }
    double secs = bench_now() - t;
    jb_kv_watcher_free(w);
    jb_kv_free(kv);
    bench_begin(ENTRY, a, secs);
    printf(",\"received\":%zu", received);
    bench_end();
}

static jb_object_store *open_store(jb_client *c, const bench_args *a) {
    jb_object_store *store = NULL;
    check(jb_client_object_store(c, a->stream, &store), "open store");
    return store;
}

/* One object of `count` MiB, written in 64 KiB pieces of the pattern. */
static void obj_put(jb_client *c, const bench_args *a) {
    jb_object_store *store = open_store(c, a);
    uint64_t size = (uint64_t)a->count * BENCH_MIB;
    double t = bench_now();
    jb_object_writer *w = NULL;
    check(jb_object_store_writer(store, OBJECT_NAME, NULL, &w), "writer");
    for (uint64_t off = 0; off < size; off += BENCH_PIECE) {
        size_t n = size - off < BENCH_PIECE ? (size_t)(size - off) : BENCH_PIECE;
        check(jb_object_writer_write(w, bench_pattern_at(off, n), n), "write");
    }
    jb_object_info *info = NULL;
    check(jb_object_writer_finish(w, &info), "finish");
    double secs = bench_now() - t;
    uint64_t bytes = info->size_bytes;
    jb_object_info_free(info);
    jb_object_writer_free(w);
    jb_object_store_free(store);
    bench_begin(ENTRY, a, secs);
    printf(",\"bytes\":%llu", (unsigned long long)bytes);
    bench_end();
}

/* The object read in 64 KiB reads, every byte checked and discarded. */
static void obj_get(jb_client *c, const bench_args *a) {
    jb_object_store *store = open_store(c, a);
    unsigned char *buf = malloc(BENCH_PIECE);
    if (!buf) bench_fail(ENTRY, "out of memory");
    uint64_t bytes = 0;
    double t = bench_now();
    jb_object_reader *r = NULL;
    check(jb_object_store_get(store, OBJECT_NAME, &r), "get");
    for (;;) {
        size_t n = 0;
        check(jb_object_reader_read(r, buf, BENCH_PIECE, &n), "read");
        if (n == 0) break;
        if (!bench_pattern_matches(bytes, buf, n)) bench_fail(ENTRY, "wrong bytes in the object");
        bytes += n;
    }
    double secs = bench_now() - t;
    jb_object_reader_free(r);
    jb_object_store_free(store);
    free(buf);
    bench_begin(ENTRY, a, secs);
    printf(",\"bytes\":%llu", (unsigned long long)bytes);
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
    else if (!strcmp(a.op, "consume")) consume(c, &a, 0);
    else if (!strcmp(a.op, "consume-each")) consume(c, &a, 1);
    else if (!strcmp(a.op, "replay")) replay(c, &a);
    else if (!strcmp(a.op, "kv-put")) kv_put(c, &a);
    else if (!strcmp(a.op, "kv-get")) kv_get(c, &a);
    else if (!strcmp(a.op, "kv-watch")) kv_watch(c, &a);
    else if (!strcmp(a.op, "obj-put")) obj_put(c, &a);
    else if (!strcmp(a.op, "obj-get")) obj_get(c, &a);
    else bench_fail(ENTRY, "unknown op");
    jb_client_close(c);
    jb_client_free(c);
    free(a.data);
    return 0;
}
