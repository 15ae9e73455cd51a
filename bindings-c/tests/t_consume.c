/* Durable pull (fetch, acks, ack_sync), continuous pull, replay, push, Dapr. */
#include "jbtest.h"


static size_t fetch(jb_consumer *cons, size_t max, uint64_t wait_ms, jb_message **out) {
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = max;
    fo.max_wait_ms = wait_ms;
    size_t n = 0;
    if (jb_consumer_fetch(cons, &fo, out, max, &n) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "fetch", jb_last_error_message());
        return 0;
    }
    return n;
}

static void test_fetch_ack_nak(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "PULL", "pull.>"));
    CHECK(jbt_publish(c, "pull.a", "one", "id-1") == 1);
    CHECK(jbt_publish(c, "pull.b", "two", NULL) == 2);
    CHECK(jbt_publish(c, "pull.a", "three", NULL) == 3);
    jb_consumer *cons = jbt_durable(c, "PULL", "worker", 5);
    CHECK(cons);

    jb_message *msgs[10];
    size_t n = fetch(cons, 3, 5000, msgs);
    CHECK(n == 3);
    jb_message_view v;
    CHECK_OK(jb_message_read(msgs[0], &v));
    CHECK(STR_EQ(v.subject, "pull.a") && v.payload_len == 3 && memcmp(v.payload, "one", 3) == 0);
    CHECK(STR_EQ(v.stream, "PULL") && STR_EQ(v.consumer, "worker"));
    CHECK(v.stream_sequence == 1 && v.consumer_sequence == 1 && v.delivered == 1);
    CHECK(v.pending == 2 && v.timestamp_ns > 0);
    jb_str id;
    CHECK_OK(jb_message_header(msgs[0], "nats-msg-id", &id)); /* case-insensitive */
    CHECK(STR_EQ(id, "id-1"));
    CHECK_RES(jb_message_header(msgs[0], "X-Missing", &id), JB_RESULT_NOT_FOUND);

    CHECK_OK(jb_message_ack(msgs[0]));
    CHECK_RES(jb_message_ack(msgs[0]), JB_RESULT_ALREADY_ACKED);
    CHECK_RES(jb_message_nak(msgs[0], 0), JB_RESULT_ALREADY_ACKED);
    CHECK_OK(jb_message_in_progress(msgs[1]));
    CHECK_OK(jb_message_in_progress(msgs[1])); /* repeatable */
    CHECK_OK(jb_message_nak(msgs[1], 0));
    CHECK_RES(jb_message_in_progress(msgs[1]), JB_RESULT_ALREADY_ACKED);
    CHECK_OK(jb_message_term(msgs[2], "poison"));
    bool acked = false;
    CHECK_OK(jb_message_is_acked(msgs[2], &acked));
    CHECK(acked);
    CHECK_OK(jb_messages_free(msgs, n));

    /* The nak'd message comes back with delivered = 2; ack_sync confirms. */
    n = fetch(cons, 1, 5000, msgs);
    CHECK(n == 1);
    CHECK_OK(jb_message_read(msgs[0], &v));
    CHECK(v.stream_sequence == 2 && v.delivered == 2);
    CHECK_OK(jb_message_ack_sync(msgs[0]));
    CHECK_RES(jb_message_ack_sync(msgs[0]), JB_RESULT_ALREADY_ACKED);
    CHECK_OK(jb_message_free(msgs[0]));

    /* Nothing left: an empty fetch is not an error. */
    n = fetch(cons, 10, 300, msgs);
    CHECK(n == 0);

    /* Batch ack. */
    for (int i = 0; i < 5; i++) CHECK(jbt_publish(c, "pull.c", "batch", NULL));
    n = fetch(cons, 10, 2000, msgs);
    CHECK(n >= 1);
    while (n < 5) { /* the server may split the batch */
        size_t more = fetch(cons, 5 - n, 2000, msgs + n);
        CHECK(more > 0);
        n += more;
    }
    jb_message_view views[5];
    CHECK_OK(jb_messages_read((const jb_message *const *)msgs, n, views));
    for (size_t i = 0; i < n; i++) CHECK(views[i].stream_sequence == 4 + i && STR_EQ(views[i].subject, "pull.c"));
    const jb_message *holes[2] = {msgs[0], NULL};
    CHECK_RES(jb_messages_read(holes, 2, views), JB_RESULT_NULL_PARAMETER);
    jb_result results[5];
    CHECK_OK(jb_messages_ack((const jb_message *const *)msgs, n, results));
    for (size_t i = 0; i < n; i++) CHECK(results[i] == JB_RESULT_OK);
    CHECK_RES(jb_messages_ack((const jb_message *const *)msgs, n, results), JB_RESULT_ALREADY_ACKED);
    CHECK(results[4] == JB_RESULT_ALREADY_ACKED);
    CHECK_OK(jb_messages_free(msgs, n));

    /* Lag. */
    jb_consumer_info *info = NULL;
    for (int tries = 0; tries < 50; tries++) { /* acks are batched: wait for them */
        CHECK_OK(jb_consumer_get_info(cons, &info));
        int settled = info->num_ack_pending == 0;
        if (settled) break;
        jb_consumer_info_free(info);
        info = NULL;
        jbt_sleep_ms(100);
    }
    CHECK(info != NULL);
    CHECK(info->num_pending == 0 && info->num_ack_pending == 0);
    CHECK(strcmp(info->name, "worker") == 0 && strcmp(info->stream, "PULL") == 0);
    CHECK(strcmp(info->config->durable_name, "worker") == 0 && info->config->max_deliver == 5);
    CHECK(info->ack_floor.stream_sequence == 8);
    CHECK_OK(jb_consumer_info_free(info));

    jb_counters k;
    CHECK_OK(jb_client_counters(c, &k));
    CHECK(k.redelivered >= 1 && k.delivered >= 9);

    CHECK_OK(jb_consumer_free(cons));
    jb_client_delete_stream(c, "PULL");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_consumer_admin(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "ADMIN", "admin.>"));
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "d1";
    const char *filter = "admin.x";
    cc.filter_subjects = &filter;
    cc.filter_subjects_len = 1;
    uint64_t backoff[] = {1000, 2000};
    cc.backoff_ms = backoff;
    cc.backoff_len = 2;
    cc.max_deliver = 3;
    jb_consumer *a = NULL, *b = NULL;
    CHECK_OK(jb_client_create_consumer(c, "ADMIN", &cc, &a));
    CHECK_OK(jb_client_get_or_create_consumer(c, "ADMIN", &cc, &b)); /* binds */
    CHECK_OK(jb_consumer_free(b));
    CHECK_OK(jb_client_bind_consumer(c, "ADMIN", "d1", NULL, &b));
    CHECK_OK(jb_consumer_free(b));
    jb_consumer_config other = cc;
    other.max_deliver = 4;
    CHECK_RES(jb_client_bind_consumer(c, "ADMIN", "d1", &other, &b), JB_RESULT_CONFIG_MISMATCH);
    CHECK(strstr(jb_last_error_message(), "max_deliver") != NULL);
    CHECK_RES(jb_client_get_or_create_consumer(c, "ADMIN", &other, &b), JB_RESULT_CONFIG_MISMATCH);
    jb_consumer_info *info = NULL;
    CHECK_OK(jb_client_consumer_info(c, "ADMIN", "d1", &info));
    CHECK(info->config->backoff_len == 2 && info->config->backoff_ms[1] == 2000);
    CHECK(info->config->filter_subjects_len == 1);
    CHECK(strcmp(info->config->filter_subjects[0], "admin.x") == 0);
    CHECK_OK(jb_consumer_info_free(info));
    other.max_deliver = 5;
    CHECK_OK(jb_client_update_consumer(c, "ADMIN", &other, &b));
    CHECK_OK(jb_consumer_get_info(b, &info));
    CHECK(info->config->max_deliver == 5);
    CHECK_OK(jb_consumer_info_free(info));
    CHECK_OK(jb_consumer_free(b));
    CHECK_OK(jb_consumer_delete(a));
    CHECK_RES(jb_client_consumer_info(c, "ADMIN", "d1", &info), JB_RESULT_NOT_FOUND);
    CHECK_RES(jb_client_delete_consumer(c, "ADMIN", "d1"), JB_RESULT_NOT_FOUND);
    CHECK_RES(jb_client_bind_consumer(c, "ADMIN", "d1", NULL, &b), JB_RESULT_NOT_FOUND);
    CHECK_OK(jb_consumer_free(a));
    jb_client_delete_stream(c, "ADMIN");
    jb_client_close(c);
    jb_client_free(c);
}

/* max_deliver says "unset" (unlimited) with 0, the default, and -1 is
 * JetStream's own "unlimited": both round-trip as unset. Below -1 is rejected
 * before anything is sent. max_bytes, optional, says "unset" (no limit) with
 * 0 unless has_max_bytes is set: then the explicit 0 reaches the core, which
 * refuses it as in every language. */
static void test_explicit_zeros(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "ZERO", "zero.>"));
    CHECK(jbt_publish(c, "zero.a", "one", NULL) == 1);
    CHECK(jbt_publish(c, "zero.a", "two", NULL) == 2);
    jb_consumer_config cc;
    CHECK_OK(jb_consumer_config_default(&cc));
    CHECK(cc.size == sizeof cc && cc.max_deliver == 0);
    cc.durable_name = "z";
    jb_consumer *cons = NULL;
    cc.max_deliver = -2;
    CHECK_RES(jb_client_create_consumer(c, "ZERO", &cc, &cons), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "max deliver") != NULL);
    jb_consumer_info *info = NULL;
    CHECK_RES(jb_client_consumer_info(c, "ZERO", "z", &info), JB_RESULT_NOT_FOUND);
    /* JetStream's -1: unlimited, reported back as unset (0). */
    cc.max_deliver = -1;
    CHECK_OK(jb_client_create_consumer(c, "ZERO", &cc, &cons));
    CHECK_OK(jb_consumer_get_info(cons, &info));
    CHECK(info->config->max_deliver == 0);
    cc.max_deliver = 0;
    /* Binding again with the defaults, or with the config the info reports,
     * compares equal. */
    jb_consumer *again = NULL;
    CHECK_OK(jb_client_bind_consumer(c, "ZERO", "z", &cc, &again));
    CHECK_OK(jb_consumer_free(again));
    CHECK_OK(jb_client_get_or_create_consumer(c, "ZERO", &cc, &again));
    CHECK_OK(jb_consumer_free(again));
    CHECK_OK(jb_client_bind_consumer(c, "ZERO", "z", info->config, &again));
    CHECK_OK(jb_consumer_free(again));
    CHECK_OK(jb_consumer_info_free(info));
    /* A limit of 1 is a mismatch with the unlimited consumer. */
    cc.max_deliver = 1;
    CHECK_RES(jb_client_bind_consumer(c, "ZERO", "z", &cc, &again), JB_RESULT_CONFIG_MISMATCH);

    /* Fetch: max_bytes 0, the default, has no limit. */
    jb_fetch_options fo;
    CHECK_OK(jb_fetch_options_default(&fo));
    CHECK(fo.max_bytes == 0);
    fo.max_messages = 2;
    fo.max_wait_ms = 2000;
    jb_message *msgs[2];
    size_t n = 99;
    CHECK_OK(jb_consumer_fetch(cons, &fo, msgs, 2, &n));
    CHECK(n == 2);
    CHECK_OK(jb_messages_free(msgs, n));

    /* An explicit 0 (has_max_bytes, or from JSON) reaches the core, which
     * refuses it, naming the field. */
    fo.has_max_bytes = true;
    CHECK_RES(jb_consumer_fetch(cons, &fo, msgs, 2, &n), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "max_bytes") != NULL);
    jb_fetch_options *fj = NULL;
    CHECK_OK(jb_fetch_options_from_json("{\"max_bytes\":0}", &fj));
    CHECK(fj->max_bytes == 0 && fj->has_max_bytes);
    CHECK_RES(jb_consumer_fetch(cons, fj, msgs, 2, &n), JB_RESULT_INVALID_ARGUMENT);
    CHECK_OK(jb_fetch_options_free(fj));
    jb_messages_options *mj = NULL;
    CHECK_OK(jb_messages_options_from_json("{\"max_bytes\":0}", &mj));
    CHECK(mj->has_max_bytes);
    CHECK_OK(jb_messages_options_free(mj));
    /* A non-optional 0 crosses and the core judges it. */
    CHECK_OK(jb_messages_options_from_json("{\"batch\":0,\"threshold_percent\":0}", &mj));
    CHECK(mj->batch == 0 && mj->threshold_percent == 0 && mj->heartbeat_ms == 5000);
    jb_subscription *sub = NULL;
    CHECK_RES(jb_consumer_messages(cons, mj, &sub), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "batch") != NULL && sub == NULL);
    CHECK_OK(jb_messages_options_free(mj));

    CHECK_OK(jb_consumer_delete(cons));
    CHECK_OK(jb_consumer_free(cons));
    jb_client_delete_stream(c, "ZERO");
    jb_client_close(c);
    jb_client_free(c);
}

/* Reads stream sequences from a replay until `last`; returns how many. */
static size_t replay_seqs(jb_client *c, const jb_replay_options *o, uint64_t last, uint64_t *seqs,
                          size_t cap) {
    jb_subscription *sub = NULL;
    if (jb_client_replay(c, "REPLAY", o, &sub) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "replay", jb_last_error_message());
        return 0;
    }
    size_t n = 0;
    while (n < cap && (n == 0 || seqs[n - 1] < last)) {
        jb_message *m = NULL;
        jb_result r = jb_subscription_recv(sub, 5000, &m);
        if (r != JB_RESULT_OK) {
            jbt_fail(__FILE__, __LINE__, "recv", jb_last_error_message());
            break;
        }
        jb_message_view v;
        jb_message_read(m, &v);
        seqs[n++] = v.stream_sequence;
        jb_message_free(m);
    }
    jb_subscription_free(sub);
    return n;
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void test_replay_start_positions(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "REPLAY", "replay.>"));
    CHECK(jbt_publish(c, "replay.a", "1", NULL));
    CHECK(jbt_publish(c, "replay.b", "2", NULL));
    jbt_sleep_ms(50);
    int64_t mid = now_ns();
    jbt_sleep_ms(50);
    CHECK(jbt_publish(c, "replay.a", "3", NULL));
    CHECK(jbt_publish(c, "replay.b", "4", NULL) == 4);

    uint64_t seqs[16];
    jb_replay_options o;
    CHECK_OK(jb_replay_options_default(&o));
    CHECK(replay_seqs(c, &o, 4, seqs, 16) == 4 && seqs[0] == 1 && seqs[3] == 4);
    CHECK(replay_seqs(c, NULL, 4, seqs, 16) == 4);
    o.start = JB_START_SEQUENCE;
    o.start_sequence = 2;
    CHECK(replay_seqs(c, &o, 4, seqs, 16) == 3 && seqs[0] == 2);
    o.start = JB_START_TIME;
    o.start_time_ns = mid;
    CHECK(replay_seqs(c, &o, 4, seqs, 16) == 2 && seqs[0] == 3);
    o.start = JB_START_LAST;
    CHECK(replay_seqs(c, &o, 4, seqs, 16) == 1 && seqs[0] == 4);
    o.start = JB_START_LAST_PER_SUBJECT;
    CHECK(replay_seqs(c, &o, 4, seqs, 16) == 2 && seqs[0] == 3 && seqs[1] == 4);
    const char *filter = "replay.a";
    CHECK_OK(jb_replay_options_default(&o));
    o.filter_subjects = &filter;
    o.filter_subjects_len = 1;
    CHECK(replay_seqs(c, &o, 3, seqs, 16) == 2 && seqs[0] == 1 && seqs[1] == 3);
    /* Pull tuning through a pointer (NULL: the core's). */
    jb_messages_options mo;
    CHECK_OK(jb_messages_options_default(&mo));
    mo.batch = 1;
    o.messages = &mo;
    CHECK(replay_seqs(c, &o, 3, seqs, 16) == 2 && seqs[0] == 1 && seqs[1] == 3);

    /* Replayed messages take no acks; recv_many / try_recv / health. */
    jb_subscription *sub = NULL;
    CHECK_OK(jb_client_replay(c, "REPLAY", NULL, &sub));
    jb_message *msgs[8];
    size_t n = 0, total = 0;
    for (int tries = 0; tries < 50 && total < 4; tries++) {
        CHECK_OK(jb_subscription_recv_many(sub, 8, 2000, msgs, &n));
        for (size_t i = 0; i < n; i++) {
            CHECK_RES(jb_message_ack(msgs[i]), JB_RESULT_INVALID_ARGUMENT);
        }
        jb_messages_free(msgs, n);
        total += n;
    }
    CHECK(total == 4);
    jb_message *m = NULL;
    CHECK_RES(jb_subscription_try_recv(sub, &m), JB_RESULT_TIMEOUT);
    CHECK_RES(jb_subscription_recv(sub, 100, &m), JB_RESULT_TIMEOUT);
    CHECK(m == NULL);
    CHECK_OK(jb_subscription_recv_many(sub, 8, 100, msgs, &n));
    CHECK(n == 0);
    uint32_t health = 99;
    CHECK_OK(jb_subscription_health(sub, &health));
    CHECK(health <= JB_HEALTH_STOPPED);
    CHECK_OK(jb_subscription_stop(sub));
    CHECK_OK(jb_subscription_stop(sub));
    CHECK_OK(jb_subscription_free(sub));

    /* A replay of a missing stream fails. */
    CHECK_RES(jb_client_replay(c, "NOPE", NULL, &sub), JB_RESULT_NOT_FOUND);
    jb_client_delete_stream(c, "REPLAY");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_continuous_messages(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "CONT", "cont.>"));
    jb_consumer *cons = jbt_durable(c, "CONT", "cont-worker", -1);
    CHECK(cons);
    jb_messages_options mo;
    CHECK_OK(jb_messages_options_default(&mo));
    mo.batch = 20;
    mo.heartbeat_ms = 1000;
    mo.expires_ms = 5000;
    jb_subscription *sub = NULL;
    CHECK_OK(jb_consumer_messages(cons, &mo, &sub));
    for (int i = 0; i < 30; i++) CHECK(jbt_publish(c, "cont.x", "m", NULL));
    size_t total = 0;
    jb_message *msgs[16];
    for (int tries = 0; tries < 100 && total < 30; tries++) {
        size_t n = 0;
        CHECK_OK(jb_subscription_recv_many(sub, 16, 1000, msgs, &n));
        CHECK_OK(jb_messages_ack((const jb_message *const *)msgs, n, NULL));
        CHECK_OK(jb_messages_free(msgs, n));
        total += n;
    }
    CHECK(total == 30);
    /* Bad options are rejected before anything starts. */
    mo.heartbeat_ms = 10;
    jb_subscription *bad = NULL;
    CHECK_RES(jb_consumer_messages(cons, &mo, &bad), JB_RESULT_INVALID_ARGUMENT);
    CHECK_OK(jb_subscription_free(sub));
    CHECK_OK(jb_consumer_free(cons));
    jb_client_delete_stream(c, "CONT");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_push_with_deliver_group(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "PUSH", "push.>"));
    for (int i = 0; i < 6; i++) CHECK(jbt_publish(c, "push.x", "p", NULL));
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "pushers";
    cc.deliver_group = "workers";
    jb_subscription *a = NULL, *b = NULL;
    CHECK_OK(jb_client_push_subscribe(c, "PUSH", &cc, &a));
    CHECK_OK(jb_client_push_subscribe(c, "PUSH", &cc, &b)); /* joins */
    int seen[7] = {0};
    size_t total = 0;
    for (int tries = 0; tries < 100 && total < 6; tries++) {
        jb_subscription *subs[2] = {a, b};
        for (int s = 0; s < 2; s++) {
            jb_message *msgs[8];
            size_t n = 0;
            CHECK_OK(jb_subscription_recv_many(subs[s], 8, 200, msgs, &n));
            for (size_t i = 0; i < n; i++) {
                jb_message_view v;
                CHECK_OK(jb_message_read(msgs[i], &v));
                CHECK(v.stream_sequence >= 1 && v.stream_sequence <= 6);
                seen[v.stream_sequence]++;
                CHECK_OK(jb_message_ack(msgs[i]));
            }
            jb_messages_free(msgs, n);
            total += n;
        }
    }
    CHECK(total == 6);
    for (int i = 1; i <= 6; i++) CHECK(seen[i] == 1); /* each to one member */
    /* Joining with another configuration is refused. */
    cc.max_deliver = 2;
    jb_subscription *d = NULL;
    CHECK_RES(jb_client_push_subscribe(c, "PUSH", &cc, &d), JB_RESULT_CONFIG_MISMATCH);
    /* A deliver group with flow control is invalid. */
    jb_consumer_config_default(&cc);
    cc.durable_name = "fc";
    cc.deliver_group = "g";
    cc.flow_control = true;
    CHECK_RES(jb_client_push_subscribe(c, "PUSH", &cc, &d), JB_RESULT_INVALID_ARGUMENT);
    CHECK_OK(jb_subscription_free(a));
    CHECK_OK(jb_subscription_free(b));
    jb_client_delete_stream(c, "PUSH");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_dapr_metadata(void) {
    const char *url = jbt_url();
    jb_string_pair md[] = {
        {"natsURL", url},
        {"name", "dapr-c-test"},
        {"durableName", "dapr-durable"},
        {"queueGroupName", "dapr-group"},
        {"deliverPolicy", "all"},
        {"ackWait", "10s"},
        {"maxDeliver", "3"},
    };
    jb_dapr_config *cfg = NULL;
    CHECK_OK(jb_dapr_config_from_metadata(md, sizeof md / sizeof md[0], &cfg));
    jb_client *c = NULL;
    CHECK_OK(jb_client_connect_dapr(cfg, &c));
    CHECK(jbt_fresh_stream(c, "DAPR", "dapr.>"));
    CHECK(jbt_publish(c, "dapr.orders", "hello", NULL));
    jb_subscription *sub = NULL;
    CHECK_OK(jb_client_dapr_subscribe(c, "dapr.orders", cfg, &sub));
    jb_message *m = NULL;
    CHECK_OK(jb_subscription_recv(sub, 5000, &m));
    jb_message_view v;
    CHECK_OK(jb_message_read(m, &v));
    CHECK(STR_EQ(v.subject, "dapr.orders") && STR_EQ(v.consumer, "dapr-durable"));
    CHECK_OK(jb_message_ack(m));
    CHECK_OK(jb_message_free(m));
    CHECK_OK(jb_subscription_free(sub));
    jb_consumer_info *info = NULL;
    CHECK_OK(jb_client_consumer_info(c, "DAPR", "dapr-durable", &info));
    CHECK(info->config->max_deliver == 3 && info->config->ack_wait_ms == 10000);
    CHECK(strcmp(info->config->deliver_group, "dapr-group") == 0);
    CHECK_OK(jb_consumer_info_free(info));

    /* The same from a component YAML file. */
    char path[] = "/tmp/jb-dapr-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f,
            "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: js\n"
            "spec:\n  type: pubsub.jetstream\n  version: v1\n  metadata:\n"
            "  - name: natsURL\n    value: \"%s\"\n  - name: durableName\n    value: yaml-durable\n",
            url);
    fclose(f);
    jb_dapr_config *ycfg = NULL;
    jb_result r = jb_dapr_config_from_file(path, &ycfg);
    remove(path);
    CHECK_OK(r);
    jb_client *c2 = NULL;
    CHECK_OK(jb_client_connect_dapr(ycfg, &c2));
    CHECK_OK(jb_client_dapr_subscribe(c2, "dapr.orders", ycfg, &sub));
    CHECK_OK(jb_subscription_recv(sub, 5000, &m));
    CHECK_OK(jb_message_ack(m));
    jb_message_free(m);
    jb_subscription_free(sub);
    jb_client_close(c2);
    jb_client_free(c2);
    jb_dapr_config_free(ycfg);

    jb_client_delete_stream(c, "DAPR");
    jb_client_close(c);
    jb_client_free(c);
    jb_dapr_config_free(cfg);
}

const jbt_case jbt_consume_cases[] = {
    {"consume/fetch_ack_nak", test_fetch_ack_nak},
    {"consume/admin", test_consumer_admin},
    {"consume/explicit_zeros", test_explicit_zeros},
    {"consume/replay", test_replay_start_positions},
    {"consume/continuous", test_continuous_messages},
    {"consume/push_deliver_group", test_push_with_deliver_group},
    {"consume/dapr", test_dapr_metadata},
    {NULL, NULL},
};
