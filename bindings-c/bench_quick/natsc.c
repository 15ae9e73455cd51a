/*
 * nats.c (Debian libnats-dev) JetStream throughput, the same two workloads:
 * PublishAsync with 1,024 pending, then PublishAsyncComplete; a durable pull
 * consumer fetching batches of 500 and acking each message.
 * `natsc <publish|consume> [messages]`; prints `nats.c <mode> <n> <s> <msgs/s>`.
 * BENCH_MSG_ID=1 adds a Nats-Msg-Id to every message (as JetBridge always does).
 */
#define _POSIX_C_SOURCE 200809L
#include <nats/nats.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SUBJECT "bench.natsc.x"

static void check(natsStatus s, const char *what) {
    if (s != NATS_OK) {
        fprintf(stderr, "%s: %s\n", what, natsStatus_GetText(s));
        exit(1);
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int publish_errors = 0;

static void on_publish_error(jsCtx *js, jsPubAckErr *pae, void *closure) {
    (void)js;
    (void)pae;
    (void)closure;
    publish_errors++;
}

/* With BENCH_MSG_ID=1 every message carries a Nats-Msg-Id, as JetBridge's do. */
static void publish_all(jsCtx *js, size_t n) {
    static char payload[128];
    memset(payload, 'x', sizeof payload);
    int with_id = getenv("BENCH_MSG_ID") && strcmp(getenv("BENCH_MSG_ID"), "1") == 0;
    jsPubOptions id_opts;
    jsPubOptions_Init(&id_opts);
    char id[32];
    for (size_t i = 0; i < n; i++) {
        if (with_id) {
            snprintf(id, sizeof id, "natsc-%zu", i);
            id_opts.MsgId = id;
        }
        check(js_PublishAsync(js, SUBJECT, payload, sizeof payload, with_id ? &id_opts : NULL), "publish");
    }
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 60000;
    check(js_PublishAsyncComplete(js, &po), "complete");
    if (publish_errors) {
        fprintf(stderr, "%d publishes failed\n", publish_errors);
        exit(1);
    }
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "publish";
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 200000;
    const char *url = getenv("NATS_URL");
    if (!url) url = "nats://127.0.0.1:4222";
    natsConnection *nc = NULL;
    check(natsConnection_ConnectTo(&nc, url), "connect");
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.PublishAsync.MaxPending = 1024;
    jo.PublishAsync.ErrHandler = on_publish_error;
    jsCtx *js = NULL;
    check(natsConnection_JetStream(&js, nc, &jo), "jetstream");
    js_DeleteStream(js, "BENCH_NATSC", NULL, NULL);
    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    const char *subjects[] = {"bench.natsc.>"};
    sc.Name = "BENCH_NATSC";
    sc.Subjects = subjects;
    sc.SubjectsLen = 1;
    sc.Storage = js_MemoryStorage;
    jsErrCode jerr = 0;
    check(js_AddStream(NULL, js, &sc, NULL, &jerr), "stream");
    double start, secs;
    if (strcmp(mode, "publish") == 0) {
        start = now();
        publish_all(js, n);
        secs = now() - start;
    } else {
        publish_all(js, n);
        jsSubOptions so;
        jsSubOptions_Init(&so);
        so.Stream = "BENCH_NATSC";
        natsSubscription *sub = NULL;
        check(js_PullSubscribe(&sub, js, "bench.natsc.>", "bench", NULL, &so, &jerr), "pull subscribe");
        size_t acked = 0;
        start = now();
        while (acked < n) {
            natsMsgList list = {0};
            natsStatus s = natsSubscription_Fetch(&list, sub, 500, 5000, &jerr);
            if (s != NATS_OK && s != NATS_TIMEOUT) check(s, "fetch");
            for (int i = 0; i < list.Count; i++) check(natsMsg_Ack(list.Msgs[i], NULL), "ack");
            acked += (size_t)list.Count;
            natsMsgList_Destroy(&list);
        }
        secs = now() - start;
        natsSubscription_Destroy(sub);
    }
    printf("nats.c%s %s %zu %.3f %.0f\n", (getenv("BENCH_MSG_ID") && strcmp(getenv("BENCH_MSG_ID"), "1") == 0) ? "+id" : "", mode, n, secs,
           (double)n / secs);
    js_DeleteStream(js, "BENCH_NATSC", NULL, NULL);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
    nats_Close();
    return 0;
}
