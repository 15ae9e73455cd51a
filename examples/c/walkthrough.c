/*
 * The seed guide's walkthrough ("How to Deploy NATS JetStream…") in C, step by
 * step: create the ORDERS stream, publish with an ack, publish with dedup,
 * consume with a durable pull consumer (fetch, ack, nak), a push consumer,
 * and replay from the start, a sequence, a time and the last message.
 *
 * Connects to NATS_URL (default nats://127.0.0.1:4222) and prints exactly the
 * lines of examples/rust/src/walkthrough.rs. Build against the installed
 * library:
 *
 *   make -C bindings-c install PREFIX=$HOME/.local
 *   export PKG_CONFIG_PATH=$HOME/.local/lib/pkgconfig
 *   cc walkthrough.c $(pkg-config --cflags --libs jetbridge) -o walkthrough
 *   LD_LIBRARY_PATH=$HOME/.local/lib ./walkthrough
 */
#define _POSIX_C_SOURCE 200809L
#include <jetbridge.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Prints the failed call with the library's message and exits. */
static void check(jb_result r, const char *what) {
    if (r != JB_RESULT_OK) {
        fprintf(stderr, "%s: %s\n", what, jb_last_error_message());
        exit(1);
    }
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static jb_pub_ack *publish(jb_client *c, const char *subject, const char *data, const char *id) {
    jb_publish_message m = {0};
    m.subject = JB_STR(subject);
    m.payload = (const uint8_t *)data;
    m.payload_len = strlen(data);
    if (id) m.msg_id = JB_STR(id);
    jb_pub_ack *ack = NULL;
    check(jb_client_publish(c, &m, &ack), "publish");
    return ack;
}

/* Fetches up to `max` messages (max <= 16), waiting up to `wait_ms`. */
static size_t fetch(jb_consumer *cons, size_t max, uint64_t wait_ms, jb_message **out) {
    jb_fetch_options o;
    check(jb_fetch_options_default(&o), "fetch options");
    o.max_messages = max;
    o.max_wait_ms = wait_ms;
    size_t n = 0;
    check(jb_consumer_fetch(cons, &o, out, 16, &n), "fetch");
    return n;
}

int main(void) {
    const char *url = getenv("NATS_URL");
    if (!url || !*url) url = "nats://127.0.0.1:4222";
    jb_connect_options opts;
    check(jb_connect_options_default(&opts), "options");
    opts.servers = &url;
    opts.servers_len = 1;
    jb_client *client = NULL;
    check(jb_client_connect(&opts, &client), "connect");

    /* Create the stream (the guide uses file storage, 7 days max age). */
    jb_client_delete_stream(client, "ORDERS"); /* NOT_FOUND the first time */
    const char *subjects[] = {"orders.*"};
    jb_stream_config sc;
    check(jb_stream_config_default(&sc), "stream config");
    sc.name = "ORDERS";
    sc.subjects = subjects;
    sc.subjects_len = 1;
    sc.max_age_ms = 7ULL * 24 * 3600 * 1000;
    jb_stream_info *info = NULL;
    check(jb_client_create_stream(client, &sc, &info), "create stream");
    printf("stream %s subjects=", info->config->name);
    for (size_t i = 0; i < info->config->subjects_len; i++)
        printf("%s%s", i ? "," : "", info->config->subjects[i]);
    printf("\n");
    jb_stream_info_free(info);

    /* Publish and wait for the ack. */
    jb_pub_ack *ack = publish(client, "orders.created", "{\"id\": 123, \"total\": 99.99}", NULL);
    printf("published seq=%llu stream=%s duplicate=%s\n", (unsigned long long)ack->sequence,
           ack->stream, ack->duplicate ? "true" : "false");
    jb_pub_ack_free(ack);

    /* Publish with deduplication: the second one is recognised. */
    for (int i = 0; i < 2; i++) {
        ack = publish(client, "orders.updated", "{\"id\": 123, \"status\": \"shipped\"}",
                      "order-123-update-1");
        printf("published msg_id=order-123-update-1 seq=%llu duplicate=%s\n",
               (unsigned long long)ack->sequence, ack->duplicate ? "true" : "false");
        jb_pub_ack_free(ack);
    }
    int64_t mid = now_ns();
    ack = publish(client, "orders.created", "{\"id\": 124, \"total\": 5.00}", NULL);
    printf("published seq=%llu stream=%s duplicate=%s\n", (unsigned long long)ack->sequence,
           ack->stream, ack->duplicate ? "true" : "false");
    jb_pub_ack_free(ack);

    /* Durable pull consumer: fetch a batch, ack, nak, and get the nak'd one back. */
    jb_consumer_config cc;
    check(jb_consumer_config_default(&cc), "consumer config");
    const char *filter = "orders.*";
    cc.durable_name = "order-processor";
    cc.filter_subjects = &filter;
    cc.filter_subjects_len = 1;
    cc.max_deliver = 3;
    jb_consumer *consumer = NULL;
    check(jb_client_create_consumer(client, "ORDERS", &cc, &consumer), "create consumer");
    jb_message *batch[16];
    size_t n = fetch(consumer, 3, 5000, batch);
    for (size_t i = 0; i < n; i++) {
        jb_message_view v;
        check(jb_message_read(batch[i], &v), "read");
        printf("fetched seq=%llu subject=%.*s delivered=%llu data=%.*s\n",
               (unsigned long long)v.stream_sequence, (int)v.subject.len, v.subject.ptr,
               (unsigned long long)v.delivered, (int)v.payload_len, (const char *)v.payload);
        if (v.subject.len == strlen("orders.updated") &&
            memcmp(v.subject.ptr, "orders.updated", v.subject.len) == 0) {
            check(jb_message_nak(batch[i], 0), "nak");
            printf("nakked seq=%llu\n", (unsigned long long)v.stream_sequence);
        } else {
            check(jb_message_ack(batch[i]), "ack");
            printf("acked seq=%llu\n", (unsigned long long)v.stream_sequence);
        }
    }
    jb_messages_free(batch, n);
    n = fetch(consumer, 1, 5000, batch);
    for (size_t i = 0; i < n; i++) {
        jb_message_view v;
        check(jb_message_read(batch[i], &v), "read");
        printf("redelivered seq=%llu delivered=%llu\n", (unsigned long long)v.stream_sequence,
               (unsigned long long)v.delivered);
        check(jb_message_ack_sync(batch[i]), "ack_sync");
        printf("ack_sync confirmed seq=%llu\n", (unsigned long long)v.stream_sequence);
    }
    jb_messages_free(batch, n);
    n = fetch(consumer, 10, 500, batch);
    check(jb_messages_ack((const jb_message *const *)batch, n, NULL), "ack");
    jb_messages_free(batch, n);
    printf("fetched %zu more\n", n);
    n = fetch(consumer, 10, 200, batch);
    printf("empty fetch returned %zu messages\n", n);
    jb_messages_free(batch, n);
    jb_consumer_free(consumer);

    /* Push consumer with a deliver group. */
    jb_consumer_config push;
    check(jb_consumer_config_default(&push), "consumer config");
    push.durable_name = "event-processor";
    push.deliver_group = "processors";
    jb_subscription *sub = NULL;
    check(jb_client_push_subscribe(client, "ORDERS", &push, &sub), "push subscribe");
    for (int i = 0; i < 3; i++) {
        jb_message *m = NULL;
        check(jb_subscription_recv(sub, 10000, &m), "receive");
        jb_message_view v;
        check(jb_message_read(m, &v), "read");
        printf("push received seq=%llu subject=%.*s\n", (unsigned long long)v.stream_sequence,
               (int)v.subject.len, v.subject.ptr);
        check(jb_message_ack(m), "ack");
        jb_message_free(m);
    }
    jb_subscription_free(sub);

    /* Replay from the start, from a sequence, from a time, and the last message. */
    struct {
        const char *label;
        uint32_t start;
        uint64_t sequence;
        int64_t time_ns;
    } replays[] = {
        {"start", JB_START_ALL, 0, 0},
        {"sequence 2", JB_START_SEQUENCE, 2, 0},
        {"time", JB_START_TIME, 0, mid},
        {"last", JB_START_LAST, 0, 0},
    };
    for (size_t r = 0; r < sizeof replays / sizeof replays[0]; r++) {
        jb_replay_options ro;
        check(jb_replay_options_default(&ro), "replay options");
        ro.start = replays[r].start;
        ro.start_sequence = replays[r].sequence;
        ro.start_time_ns = replays[r].time_ns;
        check(jb_client_replay(client, "ORDERS", &ro, &sub), "replay");
        check(jb_client_stream_info(client, "ORDERS", &info), "stream info");
        uint64_t last = info->last_sequence;
        jb_stream_info_free(info);
        printf("replay from %s: ", replays[r].label);
        uint64_t seq = 0;
        for (int first = 1; seq < last; first = 0) {
            jb_message *m = NULL;
            check(jb_subscription_recv(sub, 10000, &m), "replay receive");
            jb_message_view v;
            check(jb_message_read(m, &v), "read");
            seq = v.stream_sequence;
            printf("%s%llu", first ? "" : ",", (unsigned long long)seq);
            jb_message_free(m);
        }
        printf("\n");
        jb_subscription_free(sub);
    }

    jb_counters counters;
    check(jb_client_counters(client, &counters), "counters");
    printf("counters published=%llu acked=%llu duplicates=%llu\n",
           (unsigned long long)counters.published, (unsigned long long)counters.acked,
           (unsigned long long)counters.duplicates);
    check(jb_client_close(client), "close");
    jb_client_free(client);
    return 0;
}
