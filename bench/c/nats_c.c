/*
 * Bench entry `nats.c`: the NATS C client (Debian libnats-dev) used as its
 * docs show: js_PublishAsync with PublishAsync.MaxPending and an AckHandler,
 * js_PublishAsyncComplete; js_PullSubscribe + natsSubscription_Fetch +
 * natsMsg_Ack; an ordered push consumer (jsSubOptions.Ordered) for replay;
 * natsConnection_Publish + flush for core NATS; js_KeyValue + kvStore_Put /
 * kvStore_Get / kvStore_WatchAll + kvWatcher_Next (a NULL entry = the initial
 * values are in). nats.c has no object store: obj-* exit 3. Contract: see
 * common.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <nats/nats.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define ENTRY "nats.c"

static void check(natsStatus s, const char *what) {
    if (s != NATS_OK) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s: %s (%s)", what, natsStatus_GetText(s), nats_GetLastError(NULL));
        bench_fail(ENTRY, buf);
    }
}

/* Ack outcomes, counted on the library's callback thread. */
static size_t acked, duplicates, failed;

static void on_ack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure) {
    (void)js;
    (void)closure;
    if (pa != NULL) {
        __atomic_fetch_add(&acked, 1, __ATOMIC_RELAXED);
        if (pa->Duplicate) __atomic_fetch_add(&duplicates, 1, __ATOMIC_RELAXED);
    } else {
        if (pae != NULL && __atomic_load_n(&failed, __ATOMIC_RELAXED) == 0)
            fprintf(stderr, "%s: publish failed: %s\n", ENTRY, pae->ErrText ? pae->ErrText : "?");
        __atomic_fetch_add(&failed, 1, __ATOMIC_RELAXED);
    }
    natsMsg_Destroy(msg);
}

/* mode: 0 no msg id, 1 unique ids, 2 dedup ids */
static void publish(jsCtx *js, const bench_args *a, int mode) {
    jsPubOptions po;
    jsPubOptions_Init(&po);
    char id[32];
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++) {
        if (mode == 1) bench_unique_msg_id(i, id, sizeof id);
        if (mode == 2) bench_dedup_msg_id(i, id, sizeof id);
        po.MsgId = mode ? id : NULL;
        check(js_PublishAsync(js, a->subject, a->data, (int)a->payload, mode ? &po : NULL), "publish");
    }
    jsPubOptions done;
    jsPubOptions_Init(&done);
    done.MaxWait = 60000;
    check(js_PublishAsyncComplete(js, &done), "publish complete");
    /* The last handlers may still be running once Complete returns. */
    for (int i = 0; i < 10000 && __atomic_load_n(&acked, __ATOMIC_RELAXED) +
                                         __atomic_load_n(&failed, __ATOMIC_RELAXED) < a->count; i++)
        bench_sleep_ms(1);
    double secs = bench_now() - t;
    if (failed) bench_fail(ENTRY, "some publishes failed");
    bench_begin(ENTRY, a, secs);
    printf(",\"acked\":%zu,\"duplicates\":%zu", acked, duplicates);
    bench_end();
}

static void latency(jsCtx *js, const bench_args *a) {
    double *lat = malloc(a->count * sizeof *lat);
    if (!lat) bench_fail(ENTRY, "out of memory");
    jsErrCode jerr = 0;
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++) {
        double one = bench_now();
        jsPubAck *pa = NULL;
        check(js_Publish(&pa, js, a->subject, a->data, (int)a->payload, NULL, &jerr), "publish");
        jsPubAck_Destroy(pa);
        lat[i] = bench_now() - one;
    }
    double secs = bench_now() - t, p50, p99;
    bench_percentiles(lat, a->count, &p50, &p99);
    bench_begin(ENTRY, a, secs);
    printf(",\"acked\":%zu,\"p50_us\":%.3f,\"p99_us\":%.3f", a->count, p50, p99);
    bench_end();
    free(lat);
}

static void consume(jsCtx *js, const bench_args *a) {
    jsErrCode jerr = 0;
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = a->stream;
    char filter[256];
    snprintf(filter, sizeof filter, "%s.>", a->stream);
    natsSubscription *sub = NULL;
    check(js_PullSubscribe(&sub, js, filter, DURABLE, NULL, &so, &jerr), "pull subscribe");
    double t = bench_now();
    size_t received = 0;
    while (received < a->count) {
        natsMsgList list = {0};
        size_t want = a->count - received < a->batch ? a->count - received : a->batch;
        natsStatus s = natsSubscription_Fetch(&list, sub, (int)want, 10000, &jerr);
        if (s == NATS_TIMEOUT) bench_fail(ENTRY, "fetch stalled");
        check(s, "fetch");
        for (int i = 0; i < list.Count; i++) check(natsMsg_Ack(list.Msgs[i], NULL), "ack");
        received += (size_t)list.Count;
        natsMsgList_Destroy(&list);
    }
    double deadline = bench_now() + SETTLE_TIMEOUT_S;
    while (bench_now() < deadline) {
        jsConsumerInfo *ci = NULL;
        check(js_GetConsumerInfo(&ci, js, a->stream, DURABLE, NULL, &jerr), "consumer info");
        int settled = ci->NumAckPending == 0 && ci->NumPending == 0;
        jsConsumerInfo_Destroy(ci);
        if (settled) {
            double secs = bench_now() - t;
            natsSubscription_Destroy(sub);
            bench_begin(ENTRY, a, secs);
            printf(",\"received\":%zu,\"acked\":%zu", received, received);
            bench_end();
            return;
        }
        bench_sleep_ms(2);
    }
    bench_fail(ENTRY, "acks did not settle");
}

static void replay(jsCtx *js, const bench_args *a) {
    jsErrCode jerr = 0;
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = a->stream;
    so.Ordered = true;
    so.Config.DeliverPolicy = js_DeliverByStartSequence;
    so.Config.OptStartSeq = 1;
    char filter[256];
    snprintf(filter, sizeof filter, "%s.>", a->stream);
    double t = bench_now();
    natsSubscription *sub = NULL;
    check(js_SubscribeSync(&sub, js, filter, NULL, &so, &jerr), "ordered subscribe");
    bench_seqs seqs = BENCH_SEQS_INIT;
    while (seqs.received < a->count) {
        natsMsg *m = NULL;
        check(natsSubscription_NextMsg(&m, sub, 10000), "next message");
        jsMsgMetaData *meta = NULL;
        check(natsMsg_GetMetaData(&meta, m), "metadata");
        bench_seqs_add(&seqs, meta->Sequence.Stream);
        jsMsgMetaData_Destroy(meta);
        natsMsg_Destroy(m);
    }
    double secs = bench_now() - t;
    natsSubscription_Destroy(sub);
    bench_begin(ENTRY, a, secs);
    bench_seqs_print(&seqs);
    bench_end();
}

static void core(natsConnection *nc, const bench_args *a) {
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++)
        check(natsConnection_Publish(nc, CORE_SUBJECT, a->data, (int)a->payload), "publish");
    check(natsConnection_FlushTimeout(nc, 60000), "flush");
    double secs = bench_now() - t;
    bench_begin(ENTRY, a, secs);
    printf(",\"sent\":%zu", a->count);
    bench_end();
}

static kvStore *open_kv(jsCtx *js, const bench_args *a) {
    kvStore *kv = NULL;
    check(js_KeyValue(&kv, js, a->stream), "open bucket");
    return kv;
}

/* Sequential puts, each awaited. */
static void kv_put(jsCtx *js, const bench_args *a) {
    kvStore *kv = open_kv(js, a);
    char key[32];
    size_t n_acked = 0;
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++) {
        bench_kv_key(i, key, sizeof key);
        uint64_t rev = 0;
        check(kvStore_Put(&rev, kv, key, a->data, (int)a->payload), "put");
        n_acked++;
    }
    double secs = bench_now() - t;
    kvStore_Destroy(kv);
    bench_begin(ENTRY, a, secs);
    printf(",\"acked\":%zu", n_acked);
    bench_end();
}

/* Sequential gets, each value's length checked. */
static void kv_get(jsCtx *js, const bench_args *a) {
    kvStore *kv = open_kv(js, a);
    char key[32];
    size_t received = 0;
    double t = bench_now();
    for (size_t i = 0; i < a->count; i++) {
        bench_kv_key(i, key, sizeof key);
        kvEntry *e = NULL;
        check(kvStore_Get(&e, kv, key), "get");
        received += kvEntry_ValueLen(e) == (int)a->payload;
        kvEntry_Destroy(e);
    }
    double secs = bench_now() - t;
    kvStore_Destroy(kv);
    bench_begin(ENTRY, a, secs);
    printf(",\"received\":%zu", received);
    bench_end();
}

/* kvStore_WatchAll until kvWatcher_Next gives the NULL entry (the initial
 * values are in). */
static void kv_watch(jsCtx *js, const bench_args *a) {
    kvStore *kv = open_kv(js, a);
    size_t received = 0;
    double t = bench_now();
    kvWatcher *w = NULL;
    check(kvStore_WatchAll(&w, kv, NULL), "watch");
    for (size_t i = 0; i <= a->count; i++) { /* one per key, then the NULL entry */
        kvEntry *e = NULL;
        check(kvWatcher_Next(&e, w, 30000), "watch next");
        if (e == NULL) break;
        received++;
        kvEntry_Destroy(e);
    }
    double secs = bench_now() - t;
    kvWatcher_Destroy(w);
    kvStore_Destroy(kv);
    bench_begin(ENTRY, a, secs);
    printf(",\"received\":%zu", received);
    bench_end();
}

int main(int argc, char **argv) {
    bench_args a;
    bench_parse(argc, argv, &a);
    if (!strncmp(a.op, "obj-", 4)) bench_unsupported(ENTRY, &a, "nats.c has no object store");
    natsConnection *nc = NULL;
    check(natsConnection_ConnectTo(&nc, a.url), "connect");
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.PublishAsync.MaxPending = (int64_t)a.window;
    jo.PublishAsync.AckHandler = on_ack;
    jsCtx *js = NULL;
    check(natsConnection_JetStream(&js, nc, &jo), "jetstream");
    if (!strcmp(a.op, "publish")) publish(js, &a, 0);
    else if (!strcmp(a.op, "publish-ids")) publish(js, &a, 1);
    else if (!strcmp(a.op, "dedup")) publish(js, &a, 2);
    else if (!strcmp(a.op, "latency")) latency(js, &a);
    else if (!strcmp(a.op, "consume")) consume(js, &a);
    else if (!strcmp(a.op, "replay")) replay(js, &a);
    else if (!strcmp(a.op, "core")) core(nc, &a);
    else if (!strcmp(a.op, "kv-put")) kv_put(js, &a);
    else if (!strcmp(a.op, "kv-get")) kv_get(js, &a);
    else if (!strcmp(a.op, "kv-watch")) kv_watch(js, &a);
    else bench_fail(ENTRY, "unknown op");
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
    nats_Close();
    free(a.data);
    return 0;
}
