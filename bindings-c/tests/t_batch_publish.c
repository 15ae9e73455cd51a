/*
 * Atomic batch publish (nats-server 2.12+): jb_client_publish_batch and its
 * _async form. A batch is stored whole, in order, acknowledged once with its
 * last sequence and count (jb_batch_ack, one free); a stream without
 * allow_atomic refuses it (INVALID_ARGUMENT, api code 10174) and stores
 * nothing; an empty batch is INVALID_ARGUMENT before anything is sent. On a
 * server older than 2.12 a batch is SERVER_TOO_OLD, which the tests check
 * instead.
 */
#include "jbtest.h"

/* A fresh memory stream `name` on `subject`, allow_atomic as given; 0 and a
 * failed test on error, -1 (no failure) when the server is too old for an
 * atomic stream. */
static int atomic_stream(jb_client *c, const char *name, const char *subject, bool allow_atomic) {
    jb_client_delete_stream(c, name); /* NOT_FOUND is fine */
    jb_stream_config cfg;
    jb_stream_config_default(&cfg);
    cfg.name = name;
    cfg.subjects = &subject;
    cfg.subjects_len = 1;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    cfg.allow_atomic = allow_atomic;
    jb_stream_info *info = NULL;
    jb_result r = jb_client_create_stream(c, &cfg, &info);
    if (r == JB_RESULT_SERVER_TOO_OLD) return -1;
    if (r != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "create stream", jb_last_error_message());
        return 0;
    }
    jb_stream_info_free(info);
    return 1;
}

static uint64_t stored(jb_client *c, const char *stream) {
    jb_stream_info *info = NULL;
    if (jb_client_stream_info(c, stream, &info) != JB_RESULT_OK) return UINT64_MAX;
    uint64_t n = info->messages;
    jb_stream_info_free(info);
    return n;
}

/* 1 when the server is older than 2.12: the batch is SERVER_TOO_OLD naming
 * 2.12, and the test stops there. */
static int too_old(jb_client *c) {
    jb_publish_message m[2] = {jbt_message("tbatch.a", "x"), jbt_message("tbatch.b", "y")};
    jb_batch_ack *ack = NULL;
    jb_result r = jb_client_publish_batch(c, m, 2, &ack);
    if (r != JB_RESULT_SERVER_TOO_OLD) return 0;
    fprintf(stderr, "    server older than 2.12: %s\n", jb_last_error_message());
    if (strstr(jb_last_error_message(), "2.12") == NULL) jbt_fail(__FILE__, __LINE__, "names 2.12", NULL);
    if (ack != NULL) jbt_fail(__FILE__, __LINE__, "no ack written", NULL);
    return 1;
}

typedef struct {
    jbt_call call;
    int got_ack;
    uint64_t sequence, count;
    char stream[32];
} probe;

static void on_batch(void *ud, jb_result r, const char *err, const jb_batch_ack *ack) {
    probe *p = ud;
    if (ack) {
        p->got_ack = 1;
        p->sequence = ack->sequence;
        p->count = ack->count;
        snprintf(p->stream, sizeof p->stream, "%s", ack->stream);
    }
    jbt_call_record(&p->call, r, err);
}

static void test_batch_stored_whole(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    if (too_old(c)) {
        jb_client_close(c);
        jb_client_free(c);
        return;
    }
    CHECK(atomic_stream(c, "TBATCH", "tbatch.>", true) == 1);
    CHECK(jbt_publish(c, "tbatch.before", "0", NULL) == 1);

    jb_header headers[] = {{JB_STR("X-Order"), JB_STR("7")}};
    jb_publish_message m[3] = {jbt_message("tbatch.created", "o-1"), jbt_message("tbatch.paid", "paid"),
                               jbt_message("tbatch.shipped", "shipped")};
    m[0].headers = headers;
    m[0].headers_len = 1;
    m[0].expect.has_last_sequence = true; /* only the first message may */
    m[0].expect.last_sequence = 1;
    m[1].msg_id = JB_STR("paid-1");
    jb_batch_ack *ack = NULL;
    CHECK_OK(jb_client_publish_batch(c, m, 3, &ack));
    CHECK(strcmp(ack->stream, "TBATCH") == 0);
    CHECK(ack->sequence == 4 && ack->count == 3); /* sequences 2, 3, 4 */
    CHECK(ack->batch_id != NULL && ack->batch_id[0] != '\0');
    CHECK_OK(jb_batch_ack_free(ack));
    CHECK_RES(jb_batch_ack_free(ack), JB_RESULT_INVALID_HANDLE); /* double free */
    CHECK_OK(jb_batch_ack_free(NULL));

    /* Stored in order, with the caller's header and msg id. */
    jb_stored_message *sm = NULL;
    CHECK_OK(jb_client_get_message(c, "TBATCH", 2, &sm));
    CHECK(strcmp(sm->subject, "tbatch.created") == 0);
    int saw_order = 0;
    for (size_t i = 0; i < sm->headers_len; i++)
        if (STR_EQ(sm->headers[i].name, "X-Order") && STR_EQ(sm->headers[i].value, "7")) saw_order = 1;
    CHECK(saw_order);
    CHECK_OK(jb_stored_message_free(sm));
    CHECK_OK(jb_client_get_message(c, "TBATCH", 3, &sm));
    CHECK(strcmp(sm->subject, "tbatch.paid") == 0);
    int saw_id = 0;
    for (size_t i = 0; i < sm->headers_len; i++)
        if (STR_EQ(sm->headers[i].name, "Nats-Msg-Id") && STR_EQ(sm->headers[i].value, "paid-1")) saw_id = 1;
    CHECK(saw_id);
    CHECK_OK(jb_stored_message_free(sm));
    CHECK_OK(jb_client_get_message(c, "TBATCH", 4, &sm));
    CHECK(strcmp(sm->subject, "tbatch.shipped") == 0 && sm->payload_len == 7);
    CHECK_OK(jb_stored_message_free(sm));
    CHECK(stored(c, "TBATCH") == 4);

    /* A failed expectation anywhere in the batch stores none of it. */
    jb_publish_message bad[2] = {jbt_message("tbatch.a", "1"), jbt_message("tbatch.b", "2")};
    bad[1].expect.has_last_subject_sequence = true;
    bad[1].expect.last_subject_sequence = 99;
    ack = NULL;
    CHECK_RES(jb_client_publish_batch(c, bad, 2, &ack), JB_RESULT_WRONG_LAST_SEQUENCE);
    CHECK(ack == NULL);
    CHECK(stored(c, "TBATCH") == 4);

    /* _async: the ack lent to the callback, once. */
    probe p;
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    jb_publish_message two[2] = {jbt_message("tbatch.x", "x"), jbt_message("tbatch.y", "y")};
    CHECK_OK(jb_client_publish_batch_async(c, two, 2, on_batch, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.got_ack);
    CHECK(strcmp(p.stream, "TBATCH") == 0 && p.sequence == 6 && p.count == 2);
    jbt_call_destroy(&p.call);

    /* _async failure: the callback gets the error and no ack. */
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_publish_batch_async(c, bad, 2, on_batch, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_WRONG_LAST_SEQUENCE && !p.got_ack);
    jbt_call_destroy(&p.call);
    CHECK(stored(c, "TBATCH") == 6);

    jb_client_delete_stream(c, "TBATCH");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_batch_refused(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_batch_ack *ack = NULL;
    /* An empty batch: refused by the core before anything is sent (and
     * before the server version matters). */
    jb_publish_message none[1] = {jbt_message("tbplain.a", "x")};
    CHECK_RES(jb_client_publish_batch(c, none, 0, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK(ack == NULL);
    CHECK_RES(jb_client_publish_batch(c, NULL, 0, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_publish_batch(c, NULL, 2, &ack), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_publish_batch(c, none, 1, NULL), JB_RESULT_NULL_PARAMETER);
    /* An argument error of the async form: refused at once, no callback. */
    probe p;
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_RES(jb_client_publish_batch_async(c, NULL, 2, on_batch, &p), JB_RESULT_NULL_PARAMETER);
    jbt_call_destroy(&p.call);
    if (too_old(c)) {
        jb_client_close(c);
        jb_client_free(c);
        return;
    }

    /* A stream without allow_atomic refuses the batch; nothing is stored. */
    CHECK(atomic_stream(c, "TBPLAIN", "tbplain.>", false) == 1);
    jb_publish_message m[2] = {jbt_message("tbplain.a", "p1"), jbt_message("tbplain.b", "p2")};
    CHECK_RES(jb_client_publish_batch(c, m, 2, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK(jb_last_error_api_code() == 10174);
    CHECK(ack == NULL);
    CHECK_RES(jb_client_publish_batch(c, m, 1, &ack), JB_RESULT_INVALID_ARGUMENT);
    CHECK(jb_last_error_api_code() == 10174);
    CHECK(stored(c, "TBPLAIN") == 0);

    /* The _async form reports the api code to its callback's thread too. */
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_publish_batch_async(c, m, 2, on_batch, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_INVALID_ARGUMENT && !p.got_ack);
    jbt_call_destroy(&p.call);
    CHECK(stored(c, "TBPLAIN") == 0);

    jb_client_delete_stream(c, "TBPLAIN");
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_batch_publish_cases[] = {
    {"batch_publish/stored_whole", test_batch_stored_whole},
    {"batch_publish/refused", test_batch_refused},
    {NULL, NULL},
};
