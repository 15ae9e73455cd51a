/*
 * libjetbridge (C ABI) throughput: pipelined publish and durable
 * consume-and-ack. `jb_c <publish|consume> [messages]`, NATS_URL from the env.
 * Prints one line: `c-abi <mode> <messages> <seconds> <msgs/s>`.
 */
#define _POSIX_C_SOURCE 200809L
#include <jetbridge.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SUBJECT "bench.c.x"

static void check(jb_result r, const char *what) {
    if (r != JB_RESULT_OK) {
        fprintf(stderr, "%s: %s\n", what, jb_last_error_message());
        exit(1);
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void publish_all(jb_client *c, size_t n) {
    jb_publisher_options po;
    check(jb_publisher_options_default(&po), "options");
    po.max_in_flight = 1024;
    jb_publisher *p = NULL;
    check(jb_publisher_new(c, &po, &p), "publisher");
    static uint8_t payload[128];
    memset(payload, 'x', sizeof payload);
    jb_publish_message m = {0};
    m.subject = JB_STR(SUBJECT);
    m.payload = payload;
    m.payload_len = sizeof payload;
    for (size_t i = 0; i < n; i++) {
        uint64_t ticket;
        check(jb_publisher_publish(p, &m, &ticket), "publish");
    }
    jb_flush_report *rep = NULL;
    check(jb_publisher_flush(p, &rep), "flush");
    if (rep->failures_len) {
        fprintf(stderr, "%zu publishes failed\n", rep->failures_len);
        exit(1);
    }
    jb_flush_report_free(rep);
    jb_publisher_free(p);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "publish";
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 200000;
    const char *url = getenv("NATS_URL");
    if (!url) url = "nats://127.0.0.1:4222";
    jb_connect_options o;
    check(jb_connect_options_default(&o), "options");
    o.servers = &url;
    o.servers_len = 1;
    jb_client *c = NULL;
    check(jb_client_connect(&o, &c), "connect");
    jb_client_delete_stream(c, "BENCH_C");
    const char *subjects[] = {"bench.c.>"};
    jb_stream_config sc;
    jb_stream_config_default(&sc);
    sc.name = "BENCH_C";
    sc.subjects = subjects;
    sc.subjects_len = 1;
    sc.storage = JB_STORAGE_MEMORY;
    jb_stream_info *info = NULL;
    check(jb_client_create_stream(c, &sc, &info), "stream");
    jb_stream_info_free(info);
    double start, secs;
    if (strcmp(mode, "publish") == 0) {
        start = now();
        publish_all(c, n);
        secs = now() - start;
    } else {
        publish_all(c, n);
        jb_consumer_config cc;
        jb_consumer_config_default(&cc);
        cc.durable_name = "bench";
        jb_consumer *cons = NULL;
        check(jb_client_create_consumer(c, "BENCH_C", &cc, &cons), "consumer");
        jb_fetch_options fo;
        jb_fetch_options_default(&fo);
        fo.max_messages = 500;
        fo.max_wait_ms = 5000;
        jb_message *batch[500];
        size_t acked = 0;
        start = now();
        while (acked < n) {
            size_t got = 0;
            check(jb_consumer_fetch(cons, &fo, batch, 500, &got), "fetch");
            check(jb_messages_ack((const jb_message *const *)batch, got, NULL), "ack");
            check(jb_messages_free(batch, got), "free");
            acked += got;
        }
        secs = now() - start;
        jb_consumer_free(cons);
    }
    printf("c-abi %s %zu %.3f %.0f\n", mode, n, secs, (double)n / secs);
    jb_client_delete_stream(c, "BENCH_C");
    jb_client_close(c);
    jb_client_free(c);
    return 0;
}
