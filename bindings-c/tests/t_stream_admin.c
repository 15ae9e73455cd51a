/*
 * Listing streams and consumers, deleting one message and the account's
 * usage and limits: jb_client_list_streams / _list_consumers (the
 * library-owned jb_stream_info_list / jb_consumer_info_list, one free each),
 * jb_client_delete_message, jb_client_account_info (the generated
 * jb_account_info) and their _async forms. Other tests leave streams behind,
 * so counts are checked as differences and lists by the names they hold.
 */
#include "jbtest.h"

/* The index of the stream `name` in a list, or -1. */
static int stream_at(const jb_stream_info_list *l, const char *name) {
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i].config->name, name) == 0) return (int)i;
    return -1;
}

/* The index of the consumer `name` in a list, or -1. */
static int consumer_at(const jb_consumer_info_list *l, const char *name) {
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i].name, name) == 0) return (int)i;
    return -1;
}

static void test_list_streams(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TADMB", "tadm.b.>") && jbt_fresh_stream(c, "TADMA", "tadm.a.>"));
    CHECK(jbt_publish(c, "tadm.b.x", "one", NULL) == 1);
    CHECK(jbt_publish(c, "tadm.b.x", "two", NULL) == 2);

    /* No filter: every stream, in the server's order (by name). */
    jb_stream_info_list *l = NULL;
    CHECK_OK(jb_client_list_streams(c, NULL, &l));
    CHECK(l != NULL && l->len >= 2 && l->items != NULL);
    int a = stream_at(l, "TADMA"), b = stream_at(l, "TADMB");
    CHECK(a >= 0 && b > a);
    /* Each item is a whole info, as jb_client_stream_info gives it. */
    const jb_stream_info *ib = &l->items[b];
    CHECK(ib->messages == 2 && ib->first_sequence == 1 && ib->last_sequence == 2);
    CHECK(ib->config->size == sizeof(jb_stream_config));
    CHECK(ib->config->subjects_len == 1 && strcmp(ib->config->subjects[0], "tadm.b.>") == 0);
    CHECK(ib->config->storage == JB_STORAGE_TYPE_MEMORY && ib->created_ns > 0);
    /* An item is freed with its list only: freeing it alone is refused. */
    CHECK_RES(jb_stream_info_free((jb_stream_info *)&l->items[a]), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_stream_info_list_free(l));
    CHECK_RES(jb_stream_info_list_free(l), JB_RESULT_INVALID_HANDLE); /* double free */

    /* A subject filter (wildcards allowed) keeps the streams it overlaps. */
    CHECK_OK(jb_client_list_streams(c, "tadm.b.x", &l));
    CHECK(l->len == 1 && strcmp(l->items[0].config->name, "TADMB") == 0);
    CHECK_OK(jb_stream_info_list_free(l));
    CHECK_OK(jb_client_list_streams(c, "tadm.*.x", &l));
    CHECK(l->len == 2 && stream_at(l, "TADMA") == 0 && stream_at(l, "TADMB") == 1);
    CHECK_OK(jb_stream_info_list_free(l));
    /* Nothing overlaps: an empty list, still freed. */
    CHECK_OK(jb_client_list_streams(c, "tadm.nothing.>", &l));
    CHECK(l->len == 0 && l->items == NULL);
    CHECK_OK(jb_stream_info_list_free(l));

    /* Bad arguments; the out-parameter is untouched on failure. */
    l = (jb_stream_info_list *)0x1;
    CHECK_RES(jb_client_list_streams(c, "bad subject", &l), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "subject") != NULL);
    CHECK_RES(jb_client_list_streams(c, "", &l), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_list_streams(NULL, NULL, &l), JB_RESULT_NULL_PARAMETER);
    CHECK(l == (jb_stream_info_list *)0x1);
    CHECK_RES(jb_client_list_streams(c, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_stream_info_list_free(NULL));

    jb_client_delete_stream(c, "TADMA");
    jb_client_delete_stream(c, "TADMB");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_list_consumers(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TADMC", "tadmc.>") && jbt_fresh_stream(c, "TADME", "tadme.>"));
    jb_consumer *billing = jbt_durable(c, "TADMC", "billing", 3);
    CHECK(billing);
    jb_consumer *audit = jbt_durable(c, "TADMC", "audit", 0);
    CHECK(audit);
    CHECK(jbt_publish(c, "tadmc.a", "one", NULL) == 1);

    jb_consumer_info_list *l = NULL;
    CHECK_OK(jb_client_list_consumers(c, "TADMC", &l));
    CHECK(l != NULL && l->len == 2 && l->items != NULL);
    int a = consumer_at(l, "audit"), b = consumer_at(l, "billing");
    CHECK(a >= 0 && b >= 0);
    const jb_consumer_info *ib = &l->items[b];
    CHECK(strcmp(ib->stream, "TADMC") == 0 && ib->num_pending == 1);
    CHECK(ib->config->size == sizeof(jb_consumer_config));
    CHECK(strcmp(ib->config->durable_name, "billing") == 0 && ib->config->max_deliver == 3);
    CHECK(strcmp(l->items[a].config->durable_name, "audit") == 0);
    CHECK_RES(jb_consumer_info_free((jb_consumer_info *)&l->items[a]), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_consumer_info_list_free(l));
    CHECK_RES(jb_consumer_info_list_free(l), JB_RESULT_INVALID_HANDLE);

    /* A stream without consumers: an empty list. */
    CHECK_OK(jb_client_list_consumers(c, "TADME", &l));
    CHECK(l->len == 0 && l->items == NULL);
    CHECK_OK(jb_consumer_info_list_free(l));

    l = (jb_consumer_info_list *)0x1;
    CHECK_RES(jb_client_list_consumers(c, "TADMMISSING", &l), JB_RESULT_NOT_FOUND);
    CHECK_RES(jb_client_list_consumers(c, "bad name", &l), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_list_consumers(c, NULL, &l), JB_RESULT_NULL_PARAMETER);
    CHECK(l == (jb_consumer_info_list *)0x1);
    CHECK_RES(jb_client_list_consumers(c, "TADMC", NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_consumer_info_list_free(NULL));

    CHECK_OK(jb_consumer_free(billing));
    CHECK_OK(jb_consumer_free(audit));
    jb_client_delete_stream(c, "TADMC");
    jb_client_delete_stream(c, "TADME");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_delete_message(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TADMD", "tadmd.>"));
    CHECK(jbt_publish(c, "tadmd.x", "m0", NULL) == 1);
    CHECK(jbt_publish(c, "tadmd.x", "m1", NULL) == 2);
    CHECK(jbt_publish(c, "tadmd.x", "m2", NULL) == 3);

    CHECK_OK(jb_client_delete_message(c, "TADMD", 2, false));
    CHECK_OK(jb_client_delete_message(c, "TADMD", 3, true)); /* secure erase */
    jb_stored_message *m = NULL;
    CHECK_RES(jb_client_get_message(c, "TADMD", 2, &m), JB_RESULT_NOT_FOUND);
    CHECK_OK(jb_client_get_message(c, "TADMD", 1, &m));
    CHECK(m->payload_len == 2 && memcmp(m->payload, "m0", 2) == 0);
    CHECK_OK(jb_stored_message_free(m));
    jb_stream_info *info = NULL;
    CHECK_OK(jb_client_stream_info(c, "TADMD", &info));
    CHECK(info->messages == 1);
    CHECK_OK(jb_stream_info_free(info));

    /* Typed errors. */
    CHECK_RES(jb_client_delete_message(c, "TADMD", 2, false), JB_RESULT_NOT_FOUND);
    CHECK_RES(jb_client_delete_message(c, "TADMD", 0, false), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "sequence") != NULL);
    CHECK_RES(jb_client_delete_message(c, "TADMMISSING", 1, false), JB_RESULT_NOT_FOUND);
    CHECK_RES(jb_client_delete_message(c, NULL, 1, false), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_delete_message(NULL, "TADMD", 1, false), JB_RESULT_NULL_PARAMETER);

    /* A stream that denies deletes refuses through the server. */
    jb_client_delete_stream(c, "TADMLOCK");
    jb_stream_config cfg;
    CHECK_OK(jb_stream_config_default(&cfg));
    const char *subject = "tadmlock.>";
    cfg.name = "TADMLOCK";
    cfg.subjects = &subject;
    cfg.subjects_len = 1;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    cfg.deny_delete = true;
    CHECK_OK(jb_client_create_stream(c, &cfg, &info));
    CHECK_OK(jb_stream_info_free(info));
    CHECK(jbt_publish(c, "tadmlock.x", "kept", NULL) == 1);
    CHECK_RES(jb_client_delete_message(c, "TADMLOCK", 1, false), JB_RESULT_SERVER);
    CHECK(strstr(jb_last_error_message(), "not permitted") != NULL);

    jb_client_delete_stream(c, "TADMLOCK");
    jb_client_delete_stream(c, "TADMD");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_account_info(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c);
    jb_client_delete_stream(c, "TADMI");
    jb_account_info *before = NULL;
    CHECK_OK(jb_client_account_info(c, &before));
    CHECK(before != NULL && before->size == sizeof *before);
    CHECK(before->max_streams == -1 && before->max_consumers == -1); /* the test server: unlimited */
    CHECK(before->api_total > 0);

    CHECK(jbt_fresh_stream(c, "TADMI", "tadmi.>"));
    jb_consumer *one = jbt_durable(c, "TADMI", "one", 0);
    CHECK(one);
    jb_consumer *two = jbt_durable(c, "TADMI", "two", 0);
    CHECK(two);
    CHECK(jbt_publish(c, "tadmi.x", "payload", NULL) == 1);
    jb_account_info *after = NULL;
    CHECK_OK(jb_client_account_info(c, &after));
    CHECK(after->streams == before->streams + 1);
    CHECK(after->consumers == before->consumers + 2);
    CHECK(after->api_total > before->api_total);

    /* The generated type's JSON, as every binding reads it. */
    char *json = NULL;
    CHECK_OK(jb_account_info_to_json(after, &json));
    CHECK(strstr(json, "\"max_streams\":-1") != NULL && strstr(json, "\"streams\":") != NULL);
    CHECK_OK(jb_string_free(json));
    CHECK_OK(jb_account_info_free(before));
    CHECK_OK(jb_account_info_free(after));
    CHECK_RES(jb_account_info_free(after), JB_RESULT_INVALID_HANDLE); /* double free */

    /* jb_account_info_default: the core's defaults (all 0). */
    jb_account_info d;
    memset(&d, 0xAB, sizeof d);
    CHECK_OK(jb_account_info_default(&d));
    CHECK(d.size == sizeof d && d.streams == 0 && d.max_streams == 0);

    jb_account_info *out = (jb_account_info *)0x1;
    CHECK_RES(jb_client_account_info(NULL, &out), JB_RESULT_NULL_PARAMETER);
    CHECK(out == (jb_account_info *)0x1);
    CHECK_RES(jb_client_account_info(c, NULL), JB_RESULT_NULL_PARAMETER);

    CHECK_OK(jb_consumer_free(one));
    CHECK_OK(jb_consumer_free(two));
    jb_client_delete_stream(c, "TADMI");
    jb_client_close(c);
    jb_client_free(c);
}

typedef struct {
    jbt_call call;
    int got_value;
    size_t len;
    char first[32];
    uint64_t streams;
} admin_probe;

static void probe_init(admin_probe *p) {
    memset(p, 0, sizeof *p);
    jbt_call_init(&p->call);
}

/* The lists and the info are lent for the call: copied, never freed here. */
static void on_streams(void *ud, jb_result r, const char *err, const jb_stream_info_list *l) {
    admin_probe *p = ud;
    if (l) {
        p->got_value = 1;
        p->len = l->len;
        if (l->len) snprintf(p->first, sizeof p->first, "%s", l->items[0].config->name);
    }
    jbt_call_record(&p->call, r, err);
}

static void on_consumers(void *ud, jb_result r, const char *err, const jb_consumer_info_list *l) {
    admin_probe *p = ud;
    if (l) {
        p->got_value = 1;
        p->len = l->len;
        if (l->len) snprintf(p->first, sizeof p->first, "%s", l->items[0].name);
    }
    jbt_call_record(&p->call, r, err);
}

static void on_account(void *ud, jb_result r, const char *err, const jb_account_info *a) {
    admin_probe *p = ud;
    if (a) {
        p->got_value = 1;
        p->streams = a->streams;
    }
    jbt_call_record(&p->call, r, err);
}

static void test_async(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TADMS", "tadms.>"));
    jb_consumer *cons = jbt_durable(c, "TADMS", "worker", 0);
    CHECK(cons);
    CHECK_OK(jb_consumer_free(cons));
    CHECK(jbt_publish(c, "tadms.x", "one", NULL) == 1);
    /* A missing callback is refused; no callback comes. */
    CHECK_RES(jb_client_list_streams_async(c, NULL, NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_delete_message_async(c, "TADMS", 1, false, NULL, NULL), JB_RESULT_NULL_PARAMETER);

    admin_probe p;
    probe_init(&p);
    CHECK_OK(jb_client_list_streams_async(c, "tadms.>", on_streams, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.got_value && p.len == 1 && strcmp(p.first, "TADMS") == 0);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_list_consumers_async(c, "TADMS", on_consumers, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.got_value && p.len == 1 && strcmp(p.first, "worker") == 0);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_account_info_async(c, on_account, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.got_value && p.streams >= 1);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_delete_message_async(c, "TADMS", 1, true, jbt_call_on_done, &p.call));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK);
    jbt_call_destroy(&p.call);

    /* Errors arrive through the callback, with a NULL value. */
    probe_init(&p);
    CHECK_OK(jb_client_list_consumers_async(c, "TADMMISSING", on_consumers, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND && !p.got_value && strstr(p.call.error, "NOT_FOUND") != NULL);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_delete_message_async(c, "TADMS", 1, false, jbt_call_on_done, &p.call));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND);
    jbt_call_destroy(&p.call);

    jb_client_delete_stream(c, "TADMS");
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_stream_admin_cases[] = {
    {"admin/list_streams", test_list_streams},
    {"admin/list_consumers", test_list_consumers},
    {"admin/delete_message", test_delete_message},
    {"admin/account_info", test_account_info},
    {"admin/async", test_async},
    {NULL, NULL},
};
