/*
 * Maps and points in time in the generated structs: `metadata` (keys,
 * values, len) on jb_stream_config and jb_consumer_config, and
 * jb_consumer_config.pause_until_ns (Unix nanoseconds), into the server and
 * back, through JSON, and bad arrays refused with INVALID_ARGUMENT naming
 * the field; optional enums and flags, unset at 0. The library-owned copies (infos, _from_json) are freed by their
 * _free: the ASan and valgrind runs check that nothing leaks. pause_until
 * needs nats-server 2.11: on an older server creating with it is
 * JB_RESULT_SERVER_TOO_OLD, which the test checks instead.
 */
#include "jbtest.h"

/* 2100-01-01T00:00:00.123456789Z */
#define PAUSE_NS 4102444800123456789LL

/* The value of key in a C map, or NULL. */
static const char *meta_get(const char *const *keys, const char *const *values, size_t len, const char *key) {
    for (size_t i = 0; i < len; i++)
        if (strcmp(keys[i], key) == 0) return values[i];
    return NULL;
}

static int meta_is(const char *const *keys, const char *const *values, size_t len, const char *key,
                   const char *want) {
    const char *got = meta_get(keys, values, len, key);
    return got != NULL && strcmp(got, want) == 0;
}

static void test_stream_metadata(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c != NULL);
    jb_client_delete_stream(c, "TMETA");
    jb_stream_config sc;
    CHECK_OK(jb_stream_config_default(&sc));
    CHECK(sc.metadata_keys == NULL && sc.metadata_values == NULL && sc.metadata_len == 0);
    sc.name = "TMETA";
    const char *subject = "tmeta.>";
    sc.subjects = &subject;
    sc.subjects_len = 1;
    sc.storage = JB_STORAGE_TYPE_MEMORY;
    const char *keys[] = {"owner", "team"};
    const char *values[] = {"payments", "core"};
    sc.metadata_keys = keys;
    sc.metadata_values = values;
    sc.metadata_len = 2;
    jb_stream_info *info = NULL;
    CHECK_OK(jb_client_create_stream(c, &sc, &info));
    const jb_stream_config *got = info->config;
    /* The server may add its own _nats.* keys. */
    CHECK(got->metadata_keys != NULL && got->metadata_values != NULL && got->metadata_len >= 2);
    CHECK(meta_is(got->metadata_keys, got->metadata_values, got->metadata_len, "owner", "payments"));
    CHECK(meta_is(got->metadata_keys, got->metadata_values, got->metadata_len, "team", "core"));
    CHECK_OK(jb_stream_info_free(info));

    /* An update replaces the metadata. */
    const char *keys2[] = {"owner"};
    const char *values2[] = {"billing"};
    sc.metadata_keys = keys2;
    sc.metadata_values = values2;
    sc.metadata_len = 1;
    CHECK_OK(jb_client_update_stream(c, &sc, &info));
    got = info->config;
    CHECK(meta_is(got->metadata_keys, got->metadata_values, got->metadata_len, "owner", "billing"));
    CHECK(meta_get(got->metadata_keys, got->metadata_values, got->metadata_len, "team") == NULL);
    CHECK_OK(jb_stream_info_free(info));

    /* Unset (NULL keys): the stream keeps what it has. */
    sc.metadata_keys = NULL;
    sc.metadata_values = NULL;
    sc.metadata_len = 0;
    CHECK_OK(jb_client_update_stream(c, &sc, &info));
    CHECK_OK(jb_stream_info_free(info));
    CHECK_OK(jb_client_stream_info(c, "TMETA", &info));
    got = info->config;
    CHECK(meta_is(got->metadata_keys, got->metadata_values, got->metadata_len, "owner", "billing"));
    /* The info's config goes back in as it is. */
    jb_stream_info *again = NULL;
    CHECK_OK(jb_client_update_stream(c, info->config, &again));
    CHECK(meta_is(again->config->metadata_keys, again->config->metadata_values, again->config->metadata_len,
                  "owner", "billing"));
    CHECK_OK(jb_stream_info_free(again));
    CHECK_OK(jb_stream_info_free(info));

    /* Bad arrays: INVALID_ARGUMENT naming the field; nothing is created. */
    sc.name = "TMETABAD";
    const char *bad_subject = "tmetabad.>";
    sc.subjects = &bad_subject;
    const char *null_key[] = {"owner", NULL};
    const char *two_values[] = {"a", "b"};
    sc.metadata_keys = null_key;
    sc.metadata_values = two_values;
    sc.metadata_len = 2;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata_keys[1]") != NULL);
    const char *null_value[] = {NULL};
    sc.metadata_keys = keys2;
    sc.metadata_values = null_value;
    sc.metadata_len = 1;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata_values[0]") != NULL);
    sc.metadata_values = NULL;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata_values") != NULL);
    sc.metadata_keys = NULL;
    sc.metadata_values = values2;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata_keys") != NULL);
    const char *twice[] = {"owner", "owner"};
    sc.metadata_keys = twice;
    sc.metadata_values = two_values;
    sc.metadata_len = 2;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata_keys[1]") != NULL);
    const char *bad_utf8[] = {"\xff"};
    sc.metadata_keys = bad_utf8;
    sc.metadata_values = values2;
    sc.metadata_len = 1;
    CHECK_RES(jb_client_create_stream(c, &sc, &info), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata_keys[0]") != NULL);
    CHECK_RES(jb_client_stream_info(c, "TMETABAD", &info), JB_RESULT_NOT_FOUND);

    jb_client_delete_stream(c, "TMETA");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_consumer_metadata_and_pause(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TPAUSE", "tpause.>"));
    jb_consumer_config cc;
    CHECK_OK(jb_consumer_config_default(&cc));
    CHECK(cc.pause_until_ns == 0 && cc.metadata_keys == NULL && cc.metadata_len == 0);
    cc.durable_name = "paused";
    const char *keys[] = {"tier", "team"};
    const char *values[] = {"gold", "payments"};
    cc.metadata_keys = keys;
    cc.metadata_values = values;
    cc.metadata_len = 2;
    cc.pause_until_ns = PAUSE_NS;
    jb_consumer *cons = NULL;
    jb_consumer_info *info = NULL;
    /* pause_until needs nats-server 2.11: on an older server it is
     * SERVER_TOO_OLD naming the field and the version, refused before
     * anything is sent; the rest then runs without it. */
    jb_result r = jb_client_create_consumer(c, "TPAUSE", &cc, &cons);
    int too_old = r == JB_RESULT_SERVER_TOO_OLD;
    if (too_old) {
        fprintf(stderr, "    server older than 2.11: %s\n", jb_last_error_message());
        CHECK(strstr(jb_last_error_message(), "pause_until") != NULL);
        CHECK(strstr(jb_last_error_message(), "2.11") != NULL);
        CHECK_RES(jb_client_consumer_info(c, "TPAUSE", "paused", &info), JB_RESULT_NOT_FOUND);
        cc.pause_until_ns = 0;
        r = jb_client_create_consumer(c, "TPAUSE", &cc, &cons);
    }
    CHECK_OK(r);
    CHECK_OK(jb_consumer_get_info(cons, &info));
    const jb_consumer_config *got = info->config;
    CHECK(got->pause_until_ns == (too_old ? 0 : PAUSE_NS));
    CHECK(got->metadata_len >= 2);
    CHECK(meta_is(got->metadata_keys, got->metadata_values, got->metadata_len, "team", "payments"));
    CHECK(meta_is(got->metadata_keys, got->metadata_values, got->metadata_len, "tier", "gold"));
    /* Binding with the config given, or with the info's, compares equal. */
    jb_consumer *again = NULL;
    CHECK_OK(jb_client_get_or_create_consumer(c, "TPAUSE", &cc, &again));
    CHECK_OK(jb_consumer_free(again));
    CHECK_OK(jb_client_bind_consumer(c, "TPAUSE", "paused", info->config, &again));
    CHECK_OK(jb_consumer_free(again));
    CHECK_OK(jb_consumer_info_free(info));
    CHECK_OK(jb_consumer_free(cons));

    /* Not paused, no metadata of its own: 0 and the server's keys only. */
    jb_consumer_config plain;
    CHECK_OK(jb_consumer_config_default(&plain));
    plain.durable_name = "plain";
    CHECK_OK(jb_client_create_consumer(c, "TPAUSE", &plain, &cons));
    CHECK_OK(jb_client_consumer_info(c, "TPAUSE", "plain", &info));
    CHECK(info->config->pause_until_ns == 0);
    CHECK(meta_get(info->config->metadata_keys, info->config->metadata_values, info->config->metadata_len,
                   "team") == NULL);
    CHECK_OK(jb_consumer_info_free(info));
    CHECK_OK(jb_consumer_free(cons));

    /* A NULL entry is refused before anything is sent. */
    const char *null_value[] = {"gold", NULL};
    cc.durable_name = "bad";
    cc.metadata_values = null_value;
    CHECK_RES(jb_client_create_consumer(c, "TPAUSE", &cc, &cons), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata_values[1]") != NULL);
    CHECK_RES(jb_client_consumer_info(c, "TPAUSE", "bad", &info), JB_RESULT_NOT_FOUND);

    jb_client_delete_stream(c, "TPAUSE");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_json_maps_and_times(void) {
    jb_consumer_config *cc = NULL;
    CHECK_OK(jb_consumer_config_from_json(
        "{\"durable_name\":\"j\",\"metadata\":{\"b\":\"2\",\"a\":\"1\"},"
        "\"pause_until\":\"2100-01-01T01:00:00.5+01:00\"}",
        &cc));
    CHECK(cc->pause_until_ns == 4102444800500000000LL);
    CHECK(cc->metadata_len == 2);
    CHECK(strcmp(cc->metadata_keys[0], "a") == 0 && strcmp(cc->metadata_values[0], "1") == 0);
    CHECK(strcmp(cc->metadata_keys[1], "b") == 0 && strcmp(cc->metadata_values[1], "2") == 0);
    char *json = NULL;
    CHECK_OK(jb_consumer_config_to_json(cc, &json));
    CHECK(strstr(json, "\"metadata\":{\"a\":\"1\",\"b\":\"2\"}") != NULL);
    CHECK(strstr(json, "\"pause_until\":\"2100-01-01T00:00:00.5Z\"") != NULL);
    CHECK_OK(jb_string_free(json));
    CHECK_OK(jb_consumer_config_free(cc));

    /* Integer nanoseconds are read too; an empty map is set (not NULL). */
    CHECK_OK(jb_consumer_config_from_json("{\"pause_until\":4102444800123456789,\"metadata\":{}}", &cc));
    CHECK(cc->pause_until_ns == PAUSE_NS);
    CHECK(cc->metadata_keys != NULL && cc->metadata_values != NULL && cc->metadata_len == 0);
    CHECK_OK(jb_consumer_config_to_json(cc, &json));
    CHECK(strstr(json, "\"metadata\":{}") != NULL);
    CHECK_OK(jb_string_free(json));
    CHECK_OK(jb_consumer_config_free(cc));

    /* Unset: NULL and 0, null in JSON. */
    CHECK_OK(jb_consumer_config_from_json("{\"metadata\":null}", &cc));
    CHECK(cc->metadata_keys == NULL && cc->metadata_len == 0 && cc->pause_until_ns == 0);
    CHECK_OK(jb_consumer_config_to_json(cc, &json));
    CHECK(strstr(json, "\"metadata\":null") != NULL && strstr(json, "\"pause_until\":null") != NULL);
    CHECK_OK(jb_string_free(json));
    CHECK_OK(jb_consumer_config_free(cc));

    /* The epoch is 0: given explicitly, it is set (has_pause_until). */
    CHECK_OK(jb_consumer_config_from_json("{\"pause_until\":\"1970-01-01T00:00:00Z\"}", &cc));
    CHECK(cc->pause_until_ns == 0 && cc->has_pause_until);
    CHECK_OK(jb_consumer_config_to_json(cc, &json));
    CHECK(strstr(json, "\"pause_until\":null") == NULL);
    CHECK_OK(jb_string_free(json));
    CHECK_OK(jb_consumer_config_free(cc));
    /* Wrong JSON types name the field. */
    CHECK_RES(jb_consumer_config_from_json("{\"metadata\":{\"a\":1}}", &cc), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata") != NULL);
    CHECK_RES(jb_consumer_config_from_json("{\"pause_until\":\"tomorrow\"}", &cc), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "pause_until") != NULL);
    CHECK_RES(jb_stream_config_from_json("{\"name\":\"S\",\"metadata\":[\"a\"]}", NULL), JB_RESULT_NULL_PARAMETER);
    jb_stream_config *sc = NULL;
    CHECK_RES(jb_stream_config_from_json("{\"name\":\"S\",\"metadata\":[\"a\"]}", &sc), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata") != NULL);
    CHECK_OK(jb_stream_config_from_json("{\"name\":\"S\",\"metadata\":{\"k\":\"v\"}}", &sc));
    CHECK(sc->metadata_len == 1 && strcmp(sc->metadata_keys[0], "k") == 0 && strcmp(sc->metadata_values[0], "v") == 0);
    CHECK_OK(jb_stream_config_free(sc));

    /* A caller's struct to JSON; a NULL entry is refused, naming it. */
    jb_consumer_config mine;
    CHECK_OK(jb_consumer_config_default(&mine));
    const char *keys[] = {"k"};
    const char *values[] = {"v"};
    mine.metadata_keys = keys;
    mine.metadata_values = values;
    mine.metadata_len = 1;
    mine.pause_until_ns = -1000000000LL; /* before 1970 */
    CHECK_OK(jb_consumer_config_to_json(&mine, &json));
    CHECK(strstr(json, "\"metadata\":{\"k\":\"v\"}") != NULL);
    CHECK(strstr(json, "\"pause_until\":\"1969-12-31T23:59:59Z\"") != NULL);
    CHECK_OK(jb_string_free(json));
    const char *null_key[] = {NULL};
    mine.metadata_keys = null_key;
    CHECK_RES(jb_consumer_config_to_json(&mine, &json), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "metadata_keys[0]") != NULL);
    /* Non-NULL keys with 0 entries: an empty map. */
    mine.metadata_len = 0;
    CHECK_OK(jb_consumer_config_to_json(&mine, &json));
    CHECK(strstr(json, "\"metadata\":{}") != NULL);
    CHECK_OK(jb_string_free(json));
}

/* An optional enum or flag is unset at 0 (its first name, false) unless its
 * has_ flag is set: an update that leaves it so keeps the stream's value; with
 * has_ set, the explicit 0 or false is sent (and JSON that gives it sets has_). */
static void test_optional_enums_and_flags(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c != NULL);
    jb_client_delete_stream(c, "TOPT");
    jb_stream_config sc;
    CHECK_OK(jb_stream_config_default(&sc));
    CHECK(sc.compression == 0 && !sc.allow_direct);
    sc.name = "TOPT";
    const char *subject = "topt.>";
    sc.subjects = &subject;
    sc.subjects_len = 1;
    sc.compression = JB_COMPRESSION_S2;
    sc.allow_direct = true;
    jb_stream_info *info = NULL;
    CHECK_OK(jb_client_create_stream(c, &sc, &info));
    CHECK(info->config->compression == JB_COMPRESSION_S2 && info->config->allow_direct);
    CHECK_OK(jb_stream_info_free(info));
    sc.compression = 0;
    sc.allow_direct = false;
    sc.max_msgs = 10;
    CHECK_OK(jb_client_update_stream(c, &sc, &info));
    CHECK(info->config->max_msgs == 10);
    CHECK(info->config->compression == JB_COMPRESSION_S2 && info->config->allow_direct);
    CHECK_OK(jb_stream_info_free(info));
    /* Explicit: no compression, no direct get. */
    sc.has_compression = true;
    sc.has_allow_direct = true;
    CHECK_OK(jb_client_update_stream(c, &sc, &info));
    CHECK(info->config->compression == JB_COMPRESSION_NONE && !info->config->allow_direct);
    CHECK_OK(jb_stream_info_free(info));
    jb_client_delete_stream(c, "TOPT");
    jb_client_close(c);
    jb_client_free(c);

    jb_stream_config *sj = NULL;
    CHECK_OK(jb_stream_config_from_json("{\"name\":\"S\",\"compression\":\"none\",\"allow_direct\":false}", &sj));
    CHECK(sj->compression == JB_COMPRESSION_NONE && sj->has_compression);
    CHECK(!sj->allow_direct && sj->has_allow_direct && !sj->has_deny_delete);
    char *back = NULL;
    CHECK_OK(jb_stream_config_to_json(sj, &back));
    CHECK(strstr(back, "\"compression\":\"none\"") != NULL && strstr(back, "\"allow_direct\":false") != NULL);
    CHECK(strstr(back, "\"deny_delete\":null") != NULL);
    CHECK_OK(jb_string_free(back));
    CHECK_OK(jb_stream_config_free(sj));
    CHECK_OK(jb_stream_config_from_json("{\"name\":\"S\",\"compression\":\"s2\",\"allow_direct\":true}", &sj));
    CHECK(sj->compression == JB_COMPRESSION_S2 && sj->allow_direct);
    CHECK_OK(jb_stream_config_free(sj));
    jb_consumer_config *cj = NULL;
    CHECK_OK(jb_consumer_config_from_json("{\"priority_policy\":\"none\"}", &cj));
    CHECK(cj->priority_policy == JB_PRIORITY_POLICY_NONE && cj->has_priority_policy);
    CHECK_OK(jb_consumer_config_free(cj));
    CHECK_OK(jb_consumer_config_from_json("{\"priority_policy\":\"pinned_client\"}", &cj));
    CHECK(cj->priority_policy == JB_PRIORITY_POLICY_PINNED_CLIENT);
    CHECK_OK(jb_consumer_config_free(cj));
}

const jbt_case jbt_types_cases[] = {
    {"types/stream_metadata", test_stream_metadata},
    {"types/consumer_metadata_and_pause", test_consumer_metadata_and_pause},
    {"types/json_maps_and_times", test_json_maps_and_times},
    {"types/optional_enums_and_flags", test_optional_enums_and_flags},
    {NULL, NULL},
};
