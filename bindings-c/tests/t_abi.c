/*
 * A C ABI that can grow: a program built against an older header (a smaller
 * jb_consumer_config, as before fields were added at its end) keeps working
 * with this library, and one built against a newer header (fields this
 * library does not know) works as long as it leaves them unset.
 *
 * The older and newer structs are declared here as such headers would have
 * them: the same fields in the same order, cut short or extended.
 */
#include "jbtest.h"

/* jb_consumer_config as an older header declared it: up to
 * filter_subjects_len. */
typedef struct {
    size_t size;
    const char *durable_name;
    const char *description;
    uint32_t start;
    uint64_t start_sequence;
    int64_t start_time_ns;
    uint32_t ack_policy;
    uint64_t ack_wait_ms;
    bool has_ack_wait;
    int64_t max_deliver;
    bool has_max_deliver;
    const uint64_t *backoff_ms;
    size_t backoff_len;
    int64_t max_ack_pending;
    bool has_max_ack_pending;
    const char *const *filter_subjects;
    size_t filter_subjects_len;
} old_consumer_config;

/* jb_consumer_config as a newer header would declare it: one more field. */
typedef struct {
    jb_consumer_config known;
    uint64_t a_future_option;
} new_consumer_config;

static void test_older_header(void) {
    /* The library writes only what the older struct has: the guard after it
     * stays as it was. */
    struct {
        old_consumer_config c;
        unsigned char guard[64];
    } old;
    memset(&old, 0xAB, sizeof old);
    /* What jb_consumer_config_default(&c) expands to with the older header. */
    CHECK_OK(jb_consumer_config_init((jb_consumer_config *)&old.c, sizeof old.c));
    CHECK(old.c.size == sizeof old.c && old.c.durable_name == NULL && old.c.max_deliver == 0);
    for (size_t i = 0; i < sizeof old.guard; i++) CHECK(old.guard[i] == 0xAB);

    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "ABIOLD", "abiold.>"));
    /* What follows the older struct in memory is not read: the fields the
     * older header lacks take the core's defaults. */
    old.c.durable_name = "old";
    old.c.ack_wait_ms = 7000;
    old.c.max_deliver = 4;
    jb_consumer *cons = NULL;
    CHECK_OK(jb_client_create_consumer(c, "ABIOLD", (const jb_consumer_config *)&old.c, &cons));
    jb_consumer_info *info = NULL;
    CHECK_OK(jb_consumer_get_info(cons, &info));
    CHECK(info->config->size == sizeof(jb_consumer_config));
    CHECK(info->config->ack_wait_ms == 7000 && info->config->max_deliver == 4);
    CHECK(info->config->replay == JB_REPLAY_SPEED_INSTANT && !info->config->flow_control);
    CHECK_OK(jb_consumer_info_free(info));
    CHECK_OK(jb_consumer_free(cons));
    jb_client_close(c);
    jb_client_free(c);
}

static void test_newer_header(void) {
    new_consumer_config n;
    memset(&n, 0xCD, sizeof n);
    /* What jb_consumer_config_default(&c) expands to with the newer header. */
    CHECK_OK(jb_consumer_config_init(&n.known, sizeof n));
    /* The library zeroes (unsets) the fields it does not know. */
    CHECK(n.known.size == sizeof n && n.a_future_option == 0);

    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "ABINEW", "abinew.>"));
    n.known.durable_name = "new";
    jb_consumer *cons = NULL;
    CHECK_OK(jb_client_create_consumer(c, "ABINEW", &n.known, &cons));
    CHECK_OK(jb_consumer_free(cons));
    /* A setting this library cannot honour is refused, never dropped. */
    n.a_future_option = 1;
    CHECK_RES(jb_client_create_consumer(c, "ABINEW", &n.known, &cons), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "does not know") != NULL);
    jb_client_close(c);
    jb_client_free(c);
}

static void test_unfilled_struct_is_refused(void) {
    jb_consumer_config cc;
    memset(&cc, 0, sizeof cc);
    cc.durable_name = "x";
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c != NULL);
    jb_consumer *cons = NULL;
    CHECK_RES(jb_client_create_consumer(c, "ANY", &cc, &cons), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "jb_consumer_config_default") != NULL);
    jb_client_close(c);
    jb_client_free(c);
}

static void test_json_round_trip(void) {
    jb_consumer_config *cc = NULL;
    CHECK_OK(jb_consumer_config_from_json(
        "{\"durable_name\":\"j\",\"ack_wait\":2000000000,\"backoff\":[1000000000,3000000000],"
        "\"ack_policy\":\"all\",\"start\":{\"policy\":\"sequence\",\"sequence\":7}}",
        &cc));
    CHECK(strcmp(cc->durable_name, "j") == 0 && cc->ack_wait_ms == 2000);
    CHECK(cc->backoff_len == 2 && cc->backoff_ms[1] == 3000);
    CHECK(cc->ack_policy == JB_ACK_POLICY_ALL);
    CHECK(cc->start == JB_START_SEQUENCE && cc->start_sequence == 7);
    char *json = NULL;
    CHECK_OK(jb_consumer_config_to_json(cc, &json));
    CHECK(strstr(json, "\"durable_name\":\"j\"") != NULL && strstr(json, "\"ack_wait\":2000000000") != NULL);
    CHECK_OK(jb_string_free(json));
    CHECK_OK(jb_consumer_config_free(cc));
    CHECK_RES(jb_consumer_config_free(cc), JB_RESULT_INVALID_HANDLE);
    /* A wrong type names the field. */
    CHECK_RES(jb_consumer_config_from_json("{\"ack_wait\":\"soon\"}", &cc), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "ack_wait") != NULL);
    CHECK_RES(jb_consumer_config_from_json("{\"ack_policy\":\"sometimes\"}", &cc), JB_RESULT_INVALID_ARGUMENT);
}

const jbt_case jbt_abi_cases[] = {
    {"abi/older_header", test_older_header},
    {"abi/newer_header", test_newer_header},
    {"abi/unfilled_struct", test_unfilled_struct_is_refused},
    {"abi/json_round_trip", test_json_round_trip},
    {NULL, NULL},
};
