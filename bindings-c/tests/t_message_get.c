/*
 * Reading stored messages back: jb_client_get_next_message (the first
 * message at or after a sequence on a subject) and jb_client_get_messages (a
 * batch read, nats-server 2.11+, a stream with allow_direct: the
 * library-owned jb_stored_message_list, one free), with their _async forms.
 * On a server older than 2.11 a batch read is SERVER_TOO_OLD.
 */
#include "jbtest.h"

/* A fresh memory stream `name` on `subject`, allow_direct as given. */
static int direct_stream(jb_client *c, const char *name, const char *subject, bool allow_direct) {
    jb_client_delete_stream(c, name); /* NOT_FOUND is fine */
    jb_stream_config cfg;
    jb_stream_config_default(&cfg);
    cfg.name = name;
    cfg.subjects = &subject;
    cfg.subjects_len = 1;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    cfg.allow_direct = allow_direct;
    jb_stream_info *info = NULL;
    if (jb_client_create_stream(c, &cfg, &info) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "create stream", jb_last_error_message());
        return 0;
    }
    jb_stream_info_free(info);
    return 1;
}

/* Streams TMGETD (allow_direct) and TMGETL (without), each holding
 * <p>.a "1", <p>.b "2", <p>.a "3", <p>.b "4" at sequences 1-4. */
static jb_client *fixture(void) {
    jb_client *c = jbt_connect(jbt_url());
    if (c == NULL || !direct_stream(c, "TMGETD", "tmgetd.>", true) ||
        !direct_stream(c, "TMGETL", "tmgetl.>", false))
        return c;
    static const char *const subjects[] = {"a", "b", "a", "b"};
    static const char *const payloads[] = {"1", "2", "3", "4"};
    char subject[32];
    for (int i = 0; i < 4; i++) {
        for (int s = 0; s < 2; s++) {
            snprintf(subject, sizeof subject, "%s.%s", s == 0 ? "tmgetd" : "tmgetl", subjects[i]);
            if (jbt_publish(c, subject, payloads[i], NULL) != (uint64_t)i + 1)
                jbt_fail(__FILE__, __LINE__, "publish", jb_last_error_message());
        }
    }
    return c;
}

static void teardown(jb_client *c) {
    jb_client_delete_stream(c, "TMGETD");
    jb_client_delete_stream(c, "TMGETL");
    jb_client_close(c);
    jb_client_free(c);
}

static int payload_is(const jb_stored_message *m, const char *want) {
    return m->payload_len == strlen(want) && memcmp(m->payload, want, m->payload_len) == 0;
}

typedef struct {
    jbt_call call;
    int got_value;
    uint64_t seqs[8];
    size_t n;
} probe;

static void on_stored(void *ud, jb_result r, const char *err, const jb_stored_message *m) {
    probe *p = ud;
    if (m) {
        p->got_value = 1;
        p->seqs[0] = m->sequence;
        p->n = 1;
    }
    jbt_call_record(&p->call, r, err);
}

static void on_list(void *ud, jb_result r, const char *err, const jb_stored_message_list *l) {
    probe *p = ud;
    if (l) {
        p->got_value = 1;
        p->n = l->len;
        for (size_t i = 0; i < l->len && i < 8; i++) p->seqs[i] = l->items[i].sequence;
    }
    jbt_call_record(&p->call, r, err);
}

static void test_next_message(void) {
    jb_client *c = fixture();
    CHECK(c);
    jb_stored_message *m = NULL;
    /* The first at or after the sequence on the subject, with or without
     * direct get; wildcards allowed. */
    CHECK_OK(jb_client_get_next_message(c, "TMGETD", "tmgetd.b", 3, &m));
    CHECK(m->sequence == 4 && strcmp(m->subject, "tmgetd.b") == 0 && payload_is(m, "4"));
    CHECK(m->timestamp_ns > 0);
    CHECK_OK(jb_stored_message_free(m));
    CHECK_OK(jb_client_get_next_message(c, "TMGETL", "tmgetl.*", 2, &m));
    CHECK(m->sequence == 2 && payload_is(m, "2"));
    CHECK_OK(jb_stored_message_free(m));
    CHECK_OK(jb_client_get_next_message(c, "TMGETD", "tmgetd.a", 1, &m));
    CHECK(m->sequence == 1);
    CHECK_OK(jb_stored_message_free(m));

    /* None after it: NOT_FOUND with the server's code; *out untouched. */
    m = NULL;
    CHECK_RES(jb_client_get_next_message(c, "TMGETD", "tmgetd.a", 4, &m), JB_RESULT_NOT_FOUND);
    CHECK(jb_last_error_api_code() == 10037 && m == NULL);
    CHECK_RES(jb_client_get_next_message(c, "TMGETL", "tmgetl.b", 5, &m), JB_RESULT_NOT_FOUND);
    CHECK(jb_last_error_api_code() == 10037 && m == NULL);
    /* Sequence 0 and NULL arguments are refused. */
    CHECK_RES(jb_client_get_next_message(c, "TMGETD", "tmgetd.a", 0, &m), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_get_next_message(c, "TMGETD", NULL, 1, &m), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_get_next_message(c, "TMGETD", "tmgetd.a", 1, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK(m == NULL);

    /* _async: the message lent to the callback, once; errors with NULL. */
    probe p;
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_get_next_message_async(c, "TMGETD", "tmgetd.a", 2, on_stored, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.got_value && p.seqs[0] == 3);
    jbt_call_destroy(&p.call);
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_get_next_message_async(c, "TMGETD", "tmgetd.b", 5, on_stored, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND && !p.got_value);
    jbt_call_destroy(&p.call);

    teardown(c);
}

static void test_get_messages(void) {
    jb_client *c = fixture();
    CHECK(c);
    jb_stored_message_list *l = NULL;
    /* NULL options: the core's defaults, every message in stream order. */
    jb_result r = jb_client_get_messages(c, "TMGETD", NULL, &l);
    if (r == JB_RESULT_SERVER_TOO_OLD) {
        fprintf(stderr, "    server older than 2.11: %s\n", jb_last_error_message());
        if (strstr(jb_last_error_message(), "2.11") == NULL) jbt_fail(__FILE__, __LINE__, "names 2.11", NULL);
        CHECK(l == NULL);
        teardown(c);
        return;
    }
    CHECK_RES(r, JB_RESULT_OK);
    CHECK(l != NULL && l->len == 4 && l->items != NULL);
    for (size_t i = 0; i < l->len; i++) CHECK(l->items[i].sequence == i + 1);
    CHECK(strcmp(l->items[1].subject, "tmgetd.b") == 0 && payload_is(&l->items[1], "2"));
    /* An item is freed with its list only: freeing it alone is refused. */
    CHECK_RES(jb_stored_message_free((jb_stored_message *)&l->items[0]), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_stored_message_list_free(l));
    CHECK_RES(jb_stored_message_list_free(l), JB_RESULT_INVALID_HANDLE); /* double free */
    CHECK_OK(jb_stored_message_list_free(NULL));

    /* A subject filter from a start sequence, up to max_messages. */
    jb_get_messages_options o;
    CHECK_OK(jb_get_messages_options_default(&o));
    CHECK(o.size == sizeof o && o.max_messages == 100 && o.subject == NULL && o.start_sequence == 0);
    o.subject = "tmgetd.b";
    o.start_sequence = 1;
    o.max_messages = 1;
    CHECK_OK(jb_client_get_messages(c, "TMGETD", &o, &l));
    CHECK(l->len == 1 && l->items[0].sequence == 2 && payload_is(&l->items[0], "2"));
    CHECK_OK(jb_stored_message_list_free(l));
    o.subject = "tmgetd.a";
    o.start_sequence = 2;
    o.max_messages = 100;
    CHECK_OK(jb_client_get_messages(c, "TMGETD", &o, &l));
    CHECK(l->len == 1 && l->items[0].sequence == 3);
    CHECK_OK(jb_stored_message_list_free(l));
    /* Nothing after the start: an empty list, still freed. */
    o.subject = NULL;
    o.start_sequence = 50;
    CHECK_OK(jb_client_get_messages(c, "TMGETD", &o, &l));
    CHECK(l->len == 0 && l->items == NULL);
    CHECK_OK(jb_stored_message_list_free(l));

    /* A stream without allow_direct, bad options, a missing stream. */
    l = NULL;
    CHECK_RES(jb_client_get_messages(c, "TMGETL", NULL, &l), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "allow_direct") != NULL);
    o.start_sequence = 0;
    o.max_messages = 0;
    CHECK_RES(jb_client_get_messages(c, "TMGETD", &o, &l), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_get_messages(c, "TMGETMISSING", NULL, &l), JB_RESULT_NOT_FOUND);
    CHECK_RES(jb_client_get_messages(c, NULL, NULL, &l), JB_RESULT_NULL_PARAMETER);
    CHECK(l == NULL);

    /* _async: the list lent to the callback, once; errors with NULL. */
    probe p;
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    o.max_messages = 2;
    o.subject = "tmgetd.>";
    o.start_sequence = 2;
    CHECK_OK(jb_client_get_messages_async(c, "TMGETD", &o, on_list, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.got_value && p.n == 2 && p.seqs[0] == 2 && p.seqs[1] == 3);
    jbt_call_destroy(&p.call);
    memset(&p, 0, sizeof p);
    jbt_call_init(&p.call);
    CHECK_OK(jb_client_get_messages_async(c, "TMGETL", NULL, on_list, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_INVALID_ARGUMENT && !p.got_value);
    jbt_call_destroy(&p.call);

    teardown(c);
}

const jbt_case jbt_message_get_cases[] = {
    {"message_get/next_message", test_next_message},
    {"message_get/get_messages", test_get_messages},
    {NULL, NULL},
};
