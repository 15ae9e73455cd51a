/*
 * The bad-input suite (reliability.md test 22): NULL for each pointer, bad
 * UTF-8, embedded NUL, CR/LF, invalid subjects, oversized lengths, enum
 * values out of range, use after free, double free, wrong handle types,
 * calls after close. Every call must return its documented code.
 */
#include "jbtest.h"

static void on_done(void *ud, jb_result r, const char *e) {
    (void)ud; (void)r; (void)e;
}

static void on_client(void *ud, jb_result r, const char *e, jb_client *c) {
    (void)ud; (void)r; (void)e;
    jb_client_free(c);
}

static void test_null_parameters_without_server(void) {
    jb_connect_options o;
    jb_client *c = NULL;
    CHECK_OK(jb_connect_options_default(&o));
    CHECK_RES(jb_client_connect(NULL, &c), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_connect(&o, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_connect_async(NULL, on_client, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_connect_async(&o, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_close(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_close_async(NULL, on_done, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_drain(NULL, 0), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_drain_async(NULL, 0, on_done, NULL), JB_RESULT_NULL_PARAMETER);
    jb_counters counters;
    CHECK_RES(jb_client_counters(NULL, &counters), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_stream_config_default(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_consumer_config_default(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_fetch_options_default(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_messages_options_default(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_replay_options_default(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_options_default(NULL), JB_RESULT_NULL_PARAMETER);
    /* NULL servers with a length. */
    o.servers = NULL;
    o.servers_len = 2;
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_NULL_PARAMETER);
    const char *servers[] = {"nats://127.0.0.1:1", NULL};
    o.servers = servers;
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_NULL_PARAMETER);
    CHECK(strstr(jb_last_error_message(), "servers[1]") != NULL);
    /* Dapr metadata. */
    jb_dapr_config *cfg = NULL;
    CHECK_RES(jb_dapr_config_from_metadata(NULL, 1, &cfg), JB_RESULT_NULL_PARAMETER);
    jb_string_pair kv = {NULL, "x"};
    CHECK_RES(jb_dapr_config_from_metadata(&kv, 1, &cfg), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_dapr_config_from_file(NULL, &cfg), JB_RESULT_NULL_PARAMETER);
    /* Freeing NULL is a no-op everywhere. */
    CHECK_OK(jb_client_free(NULL));
    CHECK_OK(jb_publisher_free(NULL));
    CHECK_OK(jb_consumer_free(NULL));
    CHECK_OK(jb_message_free(NULL));
    CHECK_OK(jb_subscription_free(NULL));
    CHECK_OK(jb_dapr_config_free(NULL));
    CHECK_OK(jb_pub_ack_free(NULL));
    CHECK_OK(jb_publish_results_free(NULL));
    CHECK_OK(jb_flush_report_free(NULL));
    CHECK_OK(jb_stream_info_free(NULL));
    CHECK_OK(jb_consumer_info_free(NULL));
    CHECK_OK(jb_stored_message_free(NULL));
    CHECK_OK(jb_string_free(NULL));
    CHECK_OK(jb_messages_free(NULL, 0));
}

static void test_bad_options_without_server(void) {
    jb_connect_options o;
    jb_client *c = NULL;
    CHECK_OK(jb_connect_options_default(&o));
    o.token = "t";
    o.user = "u";
    o.password = "p";
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_INVALID_ARGUMENT); /* two auth modes */
    CHECK_OK(jb_connect_options_default(&o));
    o.user = "u";
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_INVALID_ARGUMENT); /* user w/o password */
    CHECK_OK(jb_connect_options_default(&o));
    o.name = "\xc3\x28";
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_INVALID_ARGUMENT); /* bad UTF-8 */
    CHECK(strstr(jb_last_error_message(), "UTF-8") != NULL);
    CHECK_OK(jb_connect_options_default(&o));
    o.connect_timeout_ms = 0;
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_INVALID_ARGUMENT);
    CHECK_OK(jb_connect_options_default(&o));
    o.max_reconnects = -7;
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_INVALID_ARGUMENT);
    CHECK_OK(jb_connect_options_default(&o));
    o.nkey_seed = "SUNOTASEED";
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "SUNOTASEED") == NULL); /* secrets stay out */
    /* Dapr: unknown key, bad value. */
    jb_dapr_config *cfg = NULL;
    jb_string_pair unknown = {"natsUrlz", "nats://127.0.0.1:4222"};
    CHECK_RES(jb_dapr_config_from_metadata(&unknown, 1, &cfg), JB_RESULT_INVALID_ARGUMENT);
    jb_string_pair bad_value[] = {{"natsURL", "nats://127.0.0.1:4222"}, {"maxDeliver", "many"}};
    CHECK_RES(jb_dapr_config_from_metadata(bad_value, 2, &cfg), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "maxDeliver") != NULL);
    CHECK_RES(jb_dapr_config_from_file("/nonexistent/component.yaml", &cfg),
              JB_RESULT_INVALID_ARGUMENT);
    CHECK(cfg == NULL);
}

static void test_handles_are_checked(void) {
    /* Never-issued values, wrong types, stack addresses: detected, not used. */
    CHECK_RES(jb_client_close((const jb_client *)(uintptr_t)0x1234), JB_RESULT_INVALID_HANDLE);
    CHECK_RES(jb_client_free((jb_client *)(uintptr_t)0xdeadbeef), JB_RESULT_INVALID_HANDLE);
    CHECK_RES(jb_message_ack((const jb_message *)(uintptr_t)UINTPTR_MAX), JB_RESULT_INVALID_HANDLE);
    int local = 0;
    CHECK_RES(jb_pub_ack_free((jb_pub_ack *)&local), JB_RESULT_INVALID_HANDLE);
    CHECK_RES(jb_string_free((char *)&local), JB_RESULT_INVALID_HANDLE);
    CHECK(local == 0);
    /* A Dapr config used as a client, then freed twice. */
    jb_string_pair url = {"natsURL", "nats://127.0.0.1:4222"};
    jb_dapr_config *cfg = NULL;
    CHECK_OK(jb_dapr_config_from_metadata(&url, 1, &cfg));
    CHECK_RES(jb_client_close((const jb_client *)cfg), JB_RESULT_INVALID_HANDLE);
    CHECK(strstr(jb_last_error_message(), "not a jb_client handle") != NULL);
    CHECK_RES(jb_client_drain((const jb_client *)cfg, 0), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_dapr_config_free(cfg));
    CHECK_RES(jb_dapr_config_free(cfg), JB_RESULT_INVALID_HANDLE);
    CHECK(strstr(jb_last_error_message(), "already freed") != NULL);
    jb_client *c = NULL;
    CHECK_RES(jb_client_connect_dapr(cfg, &c), JB_RESULT_INVALID_HANDLE);
}

/* A fixture: client + stream BAD on bad.> + a consumer + a message. */
typedef struct {
    jb_client *c;
    jb_consumer *cons;
    jb_message *msg;
} fixture;

static int fixture_open(fixture *f) {
    memset(f, 0, sizeof *f);
    f->c = jbt_connect(jbt_url());
    if (!f->c || !jbt_fresh_stream(f->c, "BAD", "bad.>")) return 0;
    if (!jbt_publish(f->c, "bad.one", "payload", NULL)) return 0;
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "bad-durable";
    if (jb_client_create_consumer(f->c, "BAD", &cc, &f->cons) != JB_RESULT_OK) return 0;
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    size_t n = 0;
    if (jb_consumer_fetch(f->cons, &fo, &f->msg, 1, &n) != JB_RESULT_OK || n != 1) return 0;
    return 1;
}

static void fixture_close(fixture *f) {
    jb_message_free(f->msg);
    jb_consumer_free(f->cons);
    if (f->c) jb_client_delete_stream(f->c, "BAD");
    jb_client_close(f->c);
    jb_client_free(f->c);
}

static void null_parameters_with_server(fixture *f) {
    jb_client *c = f->c;
    jb_stream_config sc;
    jb_stream_config_default(&sc);
    const char *subj = "bad2.>";
    sc.name = "BAD2";
    sc.subjects = &subj;
    sc.subjects_len = 1;
    jb_stream_info *si = NULL;
    CHECK_RES(jb_client_create_stream(NULL, &sc, &si), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_create_stream(c, NULL, &si), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_create_stream(c, &sc, NULL), JB_RESULT_NULL_PARAMETER);
    sc.name = NULL; /* unset: the core's default "", which it refuses */
    CHECK_RES(jb_client_create_stream(c, &sc, &si), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "stream name") != NULL);
    CHECK_RES(jb_client_stream_info(c, NULL, &si), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_delete_stream(c, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_delete_stream_async(c, "BAD2", NULL, NULL), JB_RESULT_NULL_PARAMETER);
    uint64_t purged = 0;
    CHECK_RES(jb_client_purge_stream(c, "BAD", NULL, NULL), JB_RESULT_NULL_PARAMETER);
    (void)purged;
    jb_stored_message *sm = NULL;
    CHECK_RES(jb_client_get_message(c, NULL, 1, &sm), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_get_last_message(c, "BAD", NULL, &sm), JB_RESULT_NULL_PARAMETER);
    char *name = NULL;
    CHECK_RES(jb_client_stream_by_subject(c, "bad.one", NULL), JB_RESULT_NULL_PARAMETER);
    (void)name;

    jb_publish_message m = jbt_message("bad.one", "x");
    jb_pub_ack *ack = NULL;
    CHECK_RES(jb_client_publish(NULL, &m, &ack), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_publish(c, NULL, &ack), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_publish(c, &m, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_publish_async(c, &m, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    m.subject.ptr = NULL; /* with a length */
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_NULL_PARAMETER);
    m = jbt_message("bad.one", "x");
    m.payload = NULL;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_NULL_PARAMETER);
    m = jbt_message("bad.one", "x");
    m.headers_len = 1;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_NULL_PARAMETER);
    m = jbt_message("bad.one", "x");
    m.msg_id.len = 4; /* ptr NULL, len 4 */
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_NULL_PARAMETER);
    jb_publish_results *res = NULL;
    CHECK_RES(jb_client_publish_many(c, NULL, 2, &res), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_publish_many(c, &m, 1, NULL), JB_RESULT_NULL_PARAMETER);

    jb_publisher *p = NULL;
    CHECK_RES(jb_publisher_new(NULL, NULL, &p), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_new(c, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_publisher_new(c, NULL, &p));
    uint64_t ticket = 0;
    bool queued = false;
    m = jbt_message("bad.one", "x");
    CHECK_RES(jb_publisher_publish(p, NULL, &ticket), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_publish(p, &m, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_try_publish(p, &m, NULL, &ticket), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_try_publish(p, &m, &queued, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_publish_many(p, &m, 1, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_flush(p, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_flush_async(p, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    size_t a = 0, b = 0;
    CHECK_RES(jb_publisher_in_flight(p, NULL, &b), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_publisher_in_flight(p, &a, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_publisher_free(p));

    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    jb_consumer *cons = NULL;
    CHECK_RES(jb_client_create_consumer(c, NULL, &cc, &cons), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_create_consumer(c, "BAD", NULL, &cons), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_create_consumer(c, "BAD", &cc, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_bind_consumer(c, "BAD", NULL, NULL, &cons), JB_RESULT_NULL_PARAMETER);
    jb_consumer_info *ci = NULL;
    CHECK_RES(jb_client_consumer_info(c, "BAD", NULL, &ci), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_consumer_get_info(f->cons, NULL), JB_RESULT_NULL_PARAMETER);
    cc.backoff_len = 2; /* NULL backoff array with a length */
    CHECK_RES(jb_client_create_consumer(c, "BAD", &cc, &cons), JB_RESULT_NULL_PARAMETER);

    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    jb_message *msgs[4];
    size_t n = 0;
    CHECK_RES(jb_consumer_fetch(NULL, &fo, msgs, 4, &n), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_consumer_fetch(f->cons, NULL, msgs, 4, &n), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_consumer_fetch(f->cons, &fo, NULL, 4, &n), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_consumer_fetch(f->cons, &fo, msgs, 4, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_consumer_fetch_async(f->cons, &fo, NULL, NULL), JB_RESULT_NULL_PARAMETER);

    jb_message_view v;
    jb_str hv;
    bool acked;
    CHECK_RES(jb_message_read(NULL, &v), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_read(f->msg, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_header(f->msg, NULL, &hv), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_header(f->msg, "Nats-Msg-Id", NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_ack(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_nak(NULL, 0), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_term(NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_in_progress(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_ack_sync(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_ack_sync_async(f->msg, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_message_is_acked(f->msg, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_messages_ack(NULL, 3, NULL), JB_RESULT_NULL_PARAMETER);
    const jb_message *with_null[2] = {f->msg, NULL};
    jb_result results[2];
    CHECK_RES(jb_messages_ack(with_null, 2, results), JB_RESULT_NULL_PARAMETER);
    CHECK(results[0] == JB_RESULT_OK && results[1] == JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_message_is_acked(f->msg, &acked));
    CHECK(acked);

    jb_subscription *sub = NULL;
    CHECK_RES(jb_client_replay(c, NULL, NULL, &sub), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_replay(c, "BAD", NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_push_subscribe(c, "BAD", NULL, &sub), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_consumer_messages(NULL, NULL, &sub), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_dapr_subscribe(c, "bad.one", NULL, &sub), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_client_replay(c, "BAD", NULL, &sub));
    jb_message *got = NULL;
    uint32_t health;
    CHECK_RES(jb_subscription_recv(NULL, 10, &got), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_subscription_recv(sub, 10, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_subscription_try_recv(sub, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_subscription_recv_many(sub, 4, 10, NULL, &n), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_subscription_recv_many(sub, 4, 10, msgs, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_subscription_health(sub, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_subscription_health(sub, &health));
    CHECK_OK(jb_subscription_free(sub));
}

static void invalid_text(fixture *f) {
    jb_client *c = f->c;
    jb_pub_ack *ack = NULL;
    jb_publish_message m;
    /* Invalid UTF-8 in subject, msg id, header name and value. */
    m = jbt_message("bad.one", "x");
    m.subject = (jb_str){"bad.\xff\xfe", 6};
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "UTF-8") != NULL);
    m = jbt_message("bad.one", "x");
    m.msg_id = (jb_str){"id-\xc3\x28", 5};
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    jb_header h = {JB_STR("X-Test"), {"\xe2\x82", 2}};
    m = jbt_message("bad.one", "x");
    m.headers = &h;
    m.headers_len = 1;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    h = (jb_header){{"X-\xff", 3}, JB_STR("v")};
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    /* Embedded NUL. */
    m = jbt_message("bad.one", "x");
    m.subject = (jb_str){"bad.o\0ne", 8};
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "NUL") != NULL);
    m = jbt_message("bad.one", "x");
    m.msg_id = (jb_str){"id\0x", 4};
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    h = (jb_header){JB_STR("X-Test"), {"a\0b", 3}};
    m.msg_id = JB_STR_NULL;
    m.headers = &h;
    m.headers_len = 1;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    /* CR/LF in header values and msg ids (the async-nats assert). */
    h = (jb_header){JB_STR("X-Test"), JB_STR("ok\r\nInjected: 1")};
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "CR or LF") != NULL);
    m = jbt_message("bad.one", "x");
    m.msg_id = JB_STR("id\n2");
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    /* Invalid subjects. */
    const char *subjects[] = {"", "bad one", "bad..one", "bad.*", "bad.>", ".bad", "bad.", "a\tb"};
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
        m = jbt_message(subjects[i], "x");
        CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
        CHECK(strstr(jb_last_error_message(), "subject") != NULL);
    }
    /* Empty payload (the core requires one). */
    m = jbt_message("bad.one", "");
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    /* Bad UTF-8 / bad names in C strings. */
    jb_stream_info *si = NULL;
    CHECK_RES(jb_client_stream_info(c, "BAD\xff", &si), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_stream_info(c, "BA.D", &si), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_stream_info(c, "", &si), JB_RESULT_INVALID_ARGUMENT);
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = "dur\xc3";
    jb_consumer *cons = NULL;
    CHECK_RES(jb_client_create_consumer(c, "BAD", &cc, &cons), JB_RESULT_INVALID_ARGUMENT);
    cc.durable_name = "has space";
    CHECK_RES(jb_client_create_consumer(c, "BAD", &cc, &cons), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_message_term(f->msg, "line\nbreak"), JB_RESULT_INVALID_ARGUMENT);
}

static void invalid_sizes_and_enums(fixture *f) {
    jb_client *c = f->c;
    jb_pub_ack *ack = NULL;
    jb_publish_message m = jbt_message("bad.one", "x");
    m.payload_len = SIZE_MAX;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    m = jbt_message("bad.one", "x");
    m.subject.len = SIZE_MAX;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    jb_header h = {JB_STR("X"), JB_STR("y")};
    m = jbt_message("bad.one", "x");
    m.headers = &h;
    m.headers_len = SIZE_MAX / 2;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_INVALID_ARGUMENT);
    /* Payload over the server's max_payload. */
    size_t max = 0;
    CHECK_OK(jb_client_max_payload(c, &max));
    CHECK(max > 0);
    uint8_t *big = calloc(max + 1, 1);
    CHECK(big != NULL);
    memset(big, 'a', max + 1);
    m = jbt_message("bad.one", "x");
    m.payload = big;
    m.payload_len = max + 1;
    jb_result r = jb_client_publish(c, &m, &ack);
    free(big);
    CHECK_RES(r, JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "max_payload") != NULL);
    /* Enum values outside their constants. */
    jb_stream_config sc;
    jb_stream_config_default(&sc);
    const char *subj = "bad3.>";
    sc.name = "BAD3";
    sc.subjects = &subj;
    sc.subjects_len = 1;
    sc.retention = 99;
    jb_stream_info *si = NULL;
    CHECK_RES(jb_client_create_stream(c, &sc, &si), JB_RESULT_INVALID_ARGUMENT);
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.ack_policy = 7;
    jb_consumer *cons = NULL;
    CHECK_RES(jb_client_create_consumer(c, "BAD", &cc, &cons), JB_RESULT_INVALID_ARGUMENT);
    jb_consumer_config_default(&cc);
    cc.start = 42;
    CHECK_RES(jb_client_create_consumer(c, "BAD", &cc, &cons), JB_RESULT_INVALID_ARGUMENT);
    jb_consumer_config_default(&cc);
    cc.start = JB_START_SEQUENCE; /* sequence 0 */
    CHECK_RES(jb_client_create_consumer(c, "BAD", &cc, &cons), JB_RESULT_INVALID_ARGUMENT);
    /* Fetch: capacity smaller than max_messages; zero messages. */
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = 8;
    jb_message *msgs[4];
    size_t n = 99;
    CHECK_RES(jb_consumer_fetch(f->cons, &fo, msgs, 4, &n), JB_RESULT_INVALID_ARGUMENT);
    CHECK(n == 99);
    fo.max_messages = 0;
    CHECK_RES(jb_consumer_fetch(f->cons, &fo, msgs, 4, &n), JB_RESULT_INVALID_ARGUMENT);
    /* A struct filled with zeros but its size: the core judges the zeros. */
    memset(&fo, 0, sizeof fo);
    fo.size = sizeof fo;
    CHECK_RES(jb_consumer_fetch(f->cons, &fo, msgs, 4, &n), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "max_messages") != NULL);
    /* Publisher with a zero window. */
    jb_publisher_options po;
    jb_publisher_options_default(&po);
    po.max_in_flight = 0;
    po.max_in_flight_bytes = 0;
    jb_publisher *p = NULL;
    CHECK_RES(jb_publisher_new(c, &po, &p), JB_RESULT_INVALID_ARGUMENT);
    /* A threshold a u8 cannot hold is out of range, not cut to 44. */
    jb_messages_options mo;
    jb_messages_options_default(&mo);
    mo.threshold_percent = 300;
    jb_subscription *sub = NULL;
    CHECK_RES(jb_consumer_messages(f->cons, &mo, &sub), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "threshold_percent") != NULL && sub == NULL);
}

/* Option structs never filled by their _default (size 0, as `= {0}` leaves
 * them) are refused, naming the _default to call: the library cannot tell
 * which fields such a struct has, and must not drop the ones set. */
static void unfilled_options(fixture *f) {
    jb_message *msgs[1];
    size_t n = 0;
    jb_fetch_options fo = {0};
    fo.max_messages = 1;
    CHECK_RES(jb_consumer_fetch(f->cons, &fo, msgs, 1, &n), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "jb_fetch_options_default") != NULL);
    jb_messages_options mo = {0};
    jb_subscription *sub = NULL;
    CHECK_RES(jb_consumer_messages(f->cons, &mo, &sub), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "jb_messages_options_default") != NULL);
    jb_replay_options ro = {0};
    ro.messages = &mo;
    CHECK_RES(jb_client_replay(f->c, "BAD", &ro, &sub), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "options.messages") != NULL);
    jb_publisher_options po = {0};
    jb_publisher *p = NULL;
    CHECK_RES(jb_publisher_new(f->c, &po, &p), JB_RESULT_INVALID_ARGUMENT);
    jb_purge_options pu = {0};
    pu.subject = "bad.x";
    uint64_t purged = 0;
    CHECK_RES(jb_client_purge_stream(f->c, "BAD", &pu, &purged), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "jb_purge_options_default") != NULL);
}

static void use_after_free_and_double_free(fixture *f) {
    jb_client *c = f->c;
    /* Message. */
    jb_message *msg = f->msg;
    f->msg = NULL;
    CHECK_OK(jb_message_free(msg));
    CHECK_RES(jb_message_ack(msg), JB_RESULT_INVALID_HANDLE);
    jb_message_view v;
    CHECK_RES(jb_message_read(msg, &v), JB_RESULT_INVALID_HANDLE);
    CHECK_RES(jb_message_free(msg), JB_RESULT_INVALID_HANDLE);
    jb_message *two[2] = {msg, NULL};
    CHECK_RES(jb_messages_free(two, 2), JB_RESULT_INVALID_HANDLE);
    /* Consumer used as a message: wrong type. */
    CHECK_RES(jb_message_ack((const jb_message *)f->cons), JB_RESULT_INVALID_HANDLE);
    CHECK_RES(jb_client_close((const jb_client *)f->cons), JB_RESULT_INVALID_HANDLE);
    /* Publisher. */
    jb_publisher *p = NULL;
    CHECK_OK(jb_publisher_new(c, NULL, &p));
    CHECK_OK(jb_publisher_free(p));
    jb_publish_message m = jbt_message("bad.one", "x");
    uint64_t t;
    CHECK_RES(jb_publisher_publish(p, &m, &t), JB_RESULT_INVALID_HANDLE);
    CHECK_RES(jb_publisher_free(p), JB_RESULT_INVALID_HANDLE);
    /* Subscription. */
    jb_subscription *sub = NULL;
    CHECK_OK(jb_client_replay(c, "BAD", NULL, &sub));
    CHECK_OK(jb_subscription_free(sub));
    jb_message *got = NULL;
    CHECK_RES(jb_subscription_recv(sub, 10, &got), JB_RESULT_INVALID_HANDLE);
    CHECK_RES(jb_subscription_free(sub), JB_RESULT_INVALID_HANDLE);
    /* Owned structs. */
    jb_pub_ack *ack = NULL;
    CHECK_OK(jb_client_publish(c, &m, &ack));
    CHECK_OK(jb_pub_ack_free(ack));
    CHECK_RES(jb_pub_ack_free(ack), JB_RESULT_INVALID_HANDLE);
    jb_stream_info *si = NULL;
    CHECK_OK(jb_client_stream_info(c, "BAD", &si));
    CHECK_RES(jb_pub_ack_free((jb_pub_ack *)si), JB_RESULT_INVALID_HANDLE); /* wrong type */
    CHECK_OK(jb_stream_info_free(si));
    CHECK_RES(jb_stream_info_free(si), JB_RESULT_INVALID_HANDLE);
    char *name = NULL;
    CHECK_OK(jb_client_stream_by_subject(c, "bad.one", &name));
    CHECK(strcmp(name, "BAD") == 0);
    CHECK_OK(jb_string_free(name));
    CHECK_RES(jb_string_free(name), JB_RESULT_INVALID_HANDLE);
    /* Consumer. */
    jb_consumer *cons = f->cons;
    f->cons = NULL;
    CHECK_OK(jb_consumer_free(cons));
    jb_consumer_info *ci = NULL;
    CHECK_RES(jb_consumer_get_info(cons, &ci), JB_RESULT_INVALID_HANDLE);
    CHECK_RES(jb_consumer_free(cons), JB_RESULT_INVALID_HANDLE);
}

static void calls_after_close(fixture *f) {
    jb_client *c = f->c;
    jb_publisher *p = NULL;
    CHECK_OK(jb_publisher_new(c, NULL, &p));
    jb_flush_report *rep = NULL;
    CHECK_OK(jb_publisher_close(p, &rep));
    CHECK_OK(jb_flush_report_free(rep));
    jb_publish_message m = jbt_message("bad.one", "x");
    uint64_t t;
    CHECK_RES(jb_publisher_publish(p, &m, &t), JB_RESULT_CLOSED);
    CHECK_OK(jb_publisher_free(p));

    CHECK_OK(jb_client_close(c));
    CHECK_OK(jb_client_close(c)); /* idempotent */
    CHECK_OK(jb_client_drain(c, 0)); /* draining a closed client is fine */
    jb_pub_ack *ack = NULL;
    CHECK_RES(jb_client_publish(c, &m, &ack), JB_RESULT_CLOSED);
    CHECK_RES(jb_publisher_new(c, NULL, &p), JB_RESULT_CLOSED);
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    jb_message *msgs[1];
    size_t n;
    CHECK_RES(jb_consumer_fetch(f->cons, &fo, msgs, 1, &n), JB_RESULT_CLOSED);
    CHECK_RES(jb_message_ack(f->msg), JB_RESULT_CLOSED);
    jb_counters counters;
    CHECK_OK(jb_client_counters(c, &counters));
    jb_connection_state st;
    CHECK_OK(jb_client_connection_state(c, &st));
    CHECK(st.closed && !st.connected);
}

static void test_bad_input_with_server(void) {
    fixture f;
    if (!fixture_open(&f)) {
        jbt_fail(__FILE__, __LINE__, "fixture_open", jb_last_error_message());
        fixture_close(&f);
        return;
    }
    null_parameters_with_server(&f);
    if (!jbt_failed) invalid_text(&f);
    if (!jbt_failed) invalid_sizes_and_enums(&f);
    if (!jbt_failed) unfilled_options(&f);
    fixture_close(&f);
}

static void test_use_after_free(void) {
    fixture f;
    if (!fixture_open(&f)) {
        jbt_fail(__FILE__, __LINE__, "fixture_open", jb_last_error_message());
        fixture_close(&f);
        return;
    }
    use_after_free_and_double_free(&f);
    fixture_close(&f);
}

static void test_after_close(void) {
    fixture f;
    if (!fixture_open(&f)) {
        jbt_fail(__FILE__, __LINE__, "fixture_open", jb_last_error_message());
        fixture_close(&f);
        return;
    }
    calls_after_close(&f);
    /* The stream is deleted with a fresh client. */
    jb_client *c = jbt_connect(jbt_url());
    if (c) {
        jb_client_delete_stream(c, "BAD");
        jb_client_close(c);
        jb_client_free(c);
    }
    jb_message_free(f.msg);
    jb_consumer_free(f.cons);
    jb_client_free(f.c);
}

const jbt_case jbt_bad_input_cases[] = {
    {"bad_input/null_without_server", test_null_parameters_without_server},
    {"bad_input/options_without_server", test_bad_options_without_server},
    {"bad_input/handles", test_handles_are_checked},
    {"bad_input/with_server", test_bad_input_with_server},
    {"bad_input/use_after_free", test_use_after_free},
    {"bad_input/after_close", test_after_close},
    {NULL, NULL},
};
