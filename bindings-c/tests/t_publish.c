/* Publish, dedup, expectations, batch and pipelined publishing, stream admin. */
#include "jbtest.h"

static void test_publish_and_read_back(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "PUB", "pub.>"));
    jb_header headers[] = {{JB_STR("X-Trace"), JB_STR("abc")}, {JB_STR("X-Two"), JB_STR("2")}};
    static const uint8_t payload[] = {'a', 0, 'b', 0xff};
    jb_publish_message m;
    memset(&m, 0, sizeof m);
    m.subject = JB_STR("pub.created");
    m.payload = payload;
    m.payload_len = sizeof payload;
    m.headers = headers;
    m.headers_len = 2;
    jb_pub_ack *ack = NULL;
    CHECK_OK(jb_client_publish(c, &m, &ack));
    CHECK(strcmp(ack->stream, "PUB") == 0);
    CHECK(ack->sequence == 1 && !ack->duplicate);
    CHECK(strncmp(ack->msg_id, "jb-", 3) == 0); /* generated id */
    CHECK(ack->domain == NULL);
    CHECK_OK(jb_pub_ack_free(ack));

    jb_stored_message *sm = NULL;
    CHECK_OK(jb_client_get_message(c, "PUB", 1, &sm));
    CHECK(strcmp(sm->subject, "pub.created") == 0 && sm->sequence == 1);
    CHECK(sm->payload_len == sizeof payload && memcmp(sm->payload, payload, sizeof payload) == 0);
    int saw_trace = 0, saw_id = 0;
    for (size_t i = 0; i < sm->headers_len; i++) {
        if (STR_EQ(sm->headers[i].name, "X-Trace") && STR_EQ(sm->headers[i].value, "abc"))
            saw_trace = 1;
        if (STR_EQ(sm->headers[i].name, "Nats-Msg-Id")) saw_id = 1;
    }
    CHECK(saw_trace && saw_id);
    CHECK(sm->timestamp_ns > 0);
    CHECK_OK(jb_stored_message_free(sm));
    CHECK_RES(jb_client_get_message(c, "PUB", 99, &sm), JB_RESULT_NOT_FOUND);

    CHECK(jbt_publish(c, "pub.updated", "u", NULL) == 2);
    CHECK_OK(jb_client_get_last_message(c, "PUB", "pub.updated", &sm));
    CHECK(sm->sequence == 2);
    CHECK_OK(jb_stored_message_free(sm));

    jb_stream_info *info = NULL;
    CHECK_OK(jb_client_stream_info(c, "PUB", &info));
    CHECK(info->messages == 2 && info->last_sequence == 2 && info->first_sequence == 1);
    CHECK(strcmp(info->config->name, "PUB") == 0 && info->config->subjects_len == 1);
    CHECK(strcmp(info->config->subjects[0], "pub.>") == 0);
    CHECK(info->config->storage == JB_STORAGE_TYPE_MEMORY);
    CHECK_OK(jb_stream_info_free(info));

    uint64_t purged = 0;
    jb_purge_options po;
    CHECK_OK(jb_purge_options_default(&po));
    CHECK(po.size == sizeof po && po.subject == NULL && po.up_to_sequence == 0 && po.keep == 0);
    po.subject = "pub.created";
    CHECK_OK(jb_client_purge_stream(c, "PUB", &po, &purged));
    CHECK(purged == 1);
    CHECK_OK(jb_client_purge_stream(c, "PUB", NULL, &purged));
    CHECK(purged == 1);

    /* Update: a new limit; creating again with another config is rejected. */
    jb_stream_config cfg;
    jb_stream_config_default(&cfg);
    const char *subject = "pub.>";
    cfg.name = "PUB";
    cfg.subjects = &subject;
    cfg.subjects_len = 1;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    cfg.max_msgs = 100;
    CHECK_OK(jb_client_update_stream(c, &cfg, &info));
    CHECK(info->config->max_msgs == 100);
    CHECK_OK(jb_stream_info_free(info));
    cfg.max_msgs = 5;
    CHECK_RES(jb_client_create_stream(c, &cfg, &info), JB_RESULT_ALREADY_EXISTS);
    CHECK(jb_last_error_api_code() != 0);

    CHECK_OK(jb_client_delete_stream(c, "PUB"));
    CHECK_RES(jb_client_stream_info(c, "PUB", &info), JB_RESULT_NOT_FOUND);
    CHECK_OK(jb_client_close(c));
    CHECK_OK(jb_client_free(c));
}

static void test_dedup_and_expectations(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "DEDUP", "dedup.>"));
    jb_publish_message m = jbt_message("dedup.x", "{\"id\":1}");
    m.msg_id = JB_STR("order-1");
    jb_pub_ack *first = NULL, *second = NULL;
    CHECK_OK(jb_client_publish(c, &m, &first));
    CHECK_OK(jb_client_publish(c, &m, &second));
    CHECK(!first->duplicate && second->duplicate);
    CHECK(first->sequence == second->sequence);
    CHECK(strcmp(second->msg_id, "order-1") == 0);
    jb_pub_ack_free(first);
    jb_pub_ack_free(second);

    /* A Nats-Msg-Id header counts as the id. */
    jb_header h = {JB_STR("Nats-Msg-Id"), JB_STR("order-1")};
    m = jbt_message("dedup.x", "again");
    m.headers = &h;
    m.headers_len = 1;
    CHECK_OK(jb_client_publish(c, &m, &first));
    CHECK(first->duplicate);
    jb_pub_ack_free(first);

    /* Expectations. */
    m = jbt_message("dedup.x", "e");
    m.expect.has_last_sequence = true;
    m.expect.last_sequence = 99;
    jb_pub_ack *ack = NULL;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_WRONG_LAST_SEQUENCE);
    m.expect.last_sequence = 1;
    CHECK_OK(jb_client_publish(c, &m, &ack));
    CHECK(ack->sequence == 2);
    jb_pub_ack_free(ack);
    m = jbt_message("dedup.x", "e");
    m.expect.stream = JB_STR("OTHER");
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_STREAM_MISMATCH);
    m = jbt_message("dedup.x", "e");
    m.expect.last_msg_id = JB_STR("nope");
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_WRONG_LAST_SEQUENCE);
    m = jbt_message("dedup.y", "e");
    m.expect.has_last_subject_sequence = true;
    m.expect.last_subject_sequence = 0; /* no message on dedup.y yet */
    CHECK_OK(jb_client_publish(c, &m, &ack));
    jb_pub_ack_free(ack);
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_WRONG_LAST_SEQUENCE);

    /* No stream captures the subject. */
    m = jbt_message("nostream.here", "x");
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_NOT_FOUND);

    jb_counters k;
    CHECK_OK(jb_client_counters(c, &k));
    CHECK(k.duplicates == 2 && k.acked == 5 && k.published >= 9);
    jb_client_delete_stream(c, "DEDUP");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_publish_many(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "MANY", "many.>"));
    enum { N = 50 };
    jb_publish_message msgs[N];
    char ids[N][16];
    for (int i = 0; i < N; i++) {
        msgs[i] = jbt_message("many.x", "payload");
        snprintf(ids[i], sizeof ids[i], "m-%d", i % 40); /* 10 duplicates */
        msgs[i].msg_id = JB_STR(ids[i]);
    }
    msgs[7].subject = JB_STR("nostream.x"); /* fails alone */
    jb_publish_results *res = NULL;
    CHECK_OK(jb_client_publish_many(c, msgs, N, &res));
    CHECK(res->len == N && res->acked == N - 1);
    CHECK(res->items[7].result == JB_RESULT_NOT_FOUND && res->items[7].error != NULL);
    CHECK(res->items[7].ack.stream == NULL);
    int dups = 0;
    for (int i = 0; i < N; i++)
        if (i != 7 && res->items[i].ack.duplicate) dups++;
    CHECK(dups == 9); /* m-7's first copy failed, so index 47 is new */
    CHECK(res->items[0].result == JB_RESULT_OK && res->items[0].error == NULL);
    CHECK(strcmp(res->items[0].ack.msg_id, "m-0") == 0);
    CHECK_OK(jb_publish_results_free(res));
    /* A bad message in the batch names its index; nothing is sent. */
    msgs[3].subject = (jb_str){"many.\xff", 6};
    CHECK_RES(jb_client_publish_many(c, msgs, N, &res), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "message 3") != NULL);
    jb_client_delete_stream(c, "MANY");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_pipelined_publisher(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "PIPE", "pipe.>"));
    jb_publisher_options po;
    CHECK_OK(jb_publisher_options_default(&po));
    po.max_in_flight = 64;
    po.max_in_flight_bytes = 1 << 20;
    jb_publisher *p = NULL;
    CHECK_OK(jb_publisher_new(c, &po, &p));
    enum { N = 1000 };
    jb_publish_message m = jbt_message("pipe.x", "0123456789abcdef");
    for (uint64_t i = 0; i < N; i++) {
        uint64_t ticket = 0;
        CHECK_OK(jb_publisher_publish(p, &m, &ticket));
        CHECK(ticket == i);
    }
    /* A batch through one call. */
    jb_publish_message batch[10];
    uint64_t tickets[10];
    for (int i = 0; i < 10; i++) batch[i] = m;
    batch[9].subject = JB_STR("nostream.x"); /* settles as a failure */
    CHECK_OK(jb_publisher_publish_many(p, batch, 10, tickets));
    CHECK(tickets[0] == N && tickets[9] == N + 9);
    bool queued = false;
    uint64_t ticket = 0;
    CHECK_OK(jb_publisher_try_publish(p, &m, &queued, &ticket));
    CHECK(!queued || ticket == N + 10);
    jb_flush_report *rep = NULL;
    CHECK_OK(jb_publisher_flush(p, &rep));
    CHECK(rep->acked == N + 9 + (queued ? 1 : 0));
    CHECK(rep->failures_len == 1);
    CHECK(rep->failures[0].ticket == N + 9 && rep->failures[0].result == JB_RESULT_NOT_FOUND);
    CHECK(strcmp(rep->failures[0].subject, "nostream.x") == 0);
    CHECK_OK(jb_flush_report_free(rep));
    size_t peak = 0, in_msgs = 9, in_bytes = 9;
    CHECK_OK(jb_publisher_peak_in_flight(p, &peak));
    CHECK(peak >= 1 && peak <= 64);
    CHECK_OK(jb_publisher_in_flight(p, &in_msgs, &in_bytes));
    CHECK(in_msgs == 0 && in_bytes == 0);
    CHECK_OK(jb_publisher_close(p, &rep));
    CHECK(rep->acked == 0 && rep->failures_len == 0);
    CHECK_OK(jb_flush_report_free(rep));
    CHECK_OK(jb_publisher_free(p));
    jb_stream_info *info = NULL;
    CHECK_OK(jb_client_stream_info(c, "PIPE", &info));
    CHECK(info->messages == N + 9 + (queued ? 1 : 0));
    jb_stream_info_free(info);
    jb_client_delete_stream(c, "PIPE");
    jb_client_close(c);
    jb_client_free(c);
}

/* Several threads publish through one client and one publisher. */
typedef struct {
    jb_client *c;
    jb_publisher *p;
    int id;
    int ok;
} worker_arg;

static void *worker(void *arg) {
    worker_arg *w = arg;
    char id[32];
    for (int i = 0; i < 50; i++) {
        snprintf(id, sizeof id, "t%d-%d", w->id, i);
        jb_publish_message m = jbt_message("threads.x", "p");
        m.msg_id = JB_STR(id);
        jb_pub_ack *ack = NULL;
        if (jb_client_publish(w->c, &m, &ack) != JB_RESULT_OK) return NULL;
        jb_pub_ack_free(ack);
        uint64_t t;
        snprintf(id, sizeof id, "p%d-%d", w->id, i);
        m.msg_id = JB_STR(id);
        if (jb_publisher_publish(w->p, &m, &t) != JB_RESULT_OK) return NULL;
    }
    w->ok = 1;
    return NULL;
}

static void test_threads_share_handles(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "THREADS", "threads.>"));
    jb_publisher *p = NULL;
    CHECK_OK(jb_publisher_new(c, NULL, &p));
    pthread_t th[4];
    worker_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (worker_arg){c, p, i, 0};
        pthread_create(&th[i], NULL, worker, &args[i]);
    }
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) CHECK(args[i].ok);
    jb_flush_report *rep = NULL;
    CHECK_OK(jb_publisher_flush(p, &rep));
    CHECK(rep->failures_len == 0);
    jb_flush_report_free(rep);
    jb_publisher_free(p);
    jb_stream_info *info = NULL;
    CHECK_OK(jb_client_stream_info(c, "THREADS", &info));
    CHECK(info->messages == 400);
    jb_stream_info_free(info);
    jb_client_delete_stream(c, "THREADS");
    jb_client_close(c);
    jb_client_free(c);
}

/* Messages stored on stream `name`, or UINT64_MAX when stream info fails. */
static uint64_t stream_messages(jb_client *c, const char *name) {
    jb_stream_info *info = NULL;
    if (jb_client_stream_info(c, name, &info) != JB_RESULT_OK) return UINT64_MAX;
    uint64_t n = info->messages;
    jb_stream_info_free(info);
    return n;
}

/* A message's own TTL (`ttl_ms`, sent as Nats-TTL; nats-server 2.11+): on a
 * stream with allow_msg_ttl a 1 s TTL expires, through every publish path;
 * 500 ms (not whole seconds) is INVALID_ARGUMENT naming ttl before sending;
 * a stream without allow_msg_ttl refuses it. Older servers: SERVER_TOO_OLD. */
static void test_publish_ttl(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TTLPLAIN", "ttlplain.>"));
    jb_client_delete_stream(c, "TTLC");
    const char *subject = "ttlc.>";
    jb_stream_config cfg;
    jb_stream_config_default(&cfg);
    cfg.name = "TTLC";
    cfg.subjects = &subject;
    cfg.subjects_len = 1;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    cfg.allow_msg_ttl = true;
    jb_stream_info *info = NULL;
    jb_result r = jb_client_create_stream(c, &cfg, &info);
    jb_publish_message m = jbt_message("ttlc.a", "short-lived");
    m.ttl_ms = 1000;
    jb_pub_ack *ack = NULL;
    if (r == JB_RESULT_SERVER_TOO_OLD) {
        fprintf(stderr, "    server older than 2.11: %s\n", jb_last_error_message());
        m.subject = JB_STR("ttlplain.a");
        CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_SERVER_TOO_OLD);
        goto done;
    }
    CHECK_OK(r);
    CHECK_OK(jb_stream_info_free(info));

    /* One publish, a publish_many and the pipelined publisher: 4 messages. */
    CHECK_OK(jb_client_publish(c, &m, &ack));
    CHECK(ack->sequence == 1);
    CHECK_OK(jb_pub_ack_free(ack));
    jb_publish_message two[2] = {m, m};
    jb_publish_results *res = NULL;
    CHECK_OK(jb_client_publish_many(c, two, 2, &res));
    CHECK(res->acked == 2);
    CHECK_OK(jb_publish_results_free(res));
    jb_publisher *p = NULL;
    CHECK_OK(jb_publisher_new(c, NULL, &p));
    uint64_t ticket = 0;
    CHECK_OK(jb_publisher_publish(p, &m, &ticket));
    jb_flush_report *rep = NULL;
    CHECK_OK(jb_publisher_close(p, &rep));
    CHECK(rep->acked == 1 && rep->failures_len == 0);
    CHECK_OK(jb_flush_report_free(rep));
    CHECK_OK(jb_publisher_free(p));
    CHECK(stream_messages(c, "TTLC") == 4);
    /* They expire: the server removes them about 1 s later (bounded 10 s). */
    uint64_t left = 4;
    for (int i = 0; i < 100 && left != 0; i++) {
        struct timespec t = {0, 100 * 1000000L};
        nanosleep(&t, NULL);
        left = stream_messages(c, "TTLC");
    }
    CHECK(left == 0);

    /* Not whole seconds: refused by the core, naming ttl. */
    m.ttl_ms = 500;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "ttl") != NULL);
    /* A stream without allow_msg_ttl refuses a TTL. */
    m.ttl_ms = 5000;
    m.subject = JB_STR("ttlplain.a");
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK(stream_messages(c, "TTLPLAIN") == 0);
    /* 0 is no TTL. */
    m.ttl_ms = 0;
    CHECK_OK(jb_client_publish(c, &m, &ack));
    CHECK_OK(jb_pub_ack_free(ack));
done:
    jb_client_delete_stream(c, "TTLC");
    jb_client_delete_stream(c, "TTLPLAIN");
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_publish_cases[] = {
    {"publish/read_back_and_admin", test_publish_and_read_back},
    {"publish/dedup_and_expectations", test_dedup_and_expectations},
    {"publish/many", test_publish_many},
    {"publish/pipelined", test_pipelined_publisher},
    {"publish/threads", test_threads_share_handles},
    {"publish/ttl", test_publish_ttl},
    {NULL, NULL},
};
