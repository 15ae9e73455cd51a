/* jb_dapr_config_get_info: what a parsed Dapr configuration holds, without
 * its secrets. No server needed. */
#include "jbtest.h"

static void test_info_fields(void) {
    const jb_string_pair md[] = {
        {"natsURL", "nats://127.0.0.1:4222, nats://127.0.0.1:4223"},
        {"name", "orders-service"},
        {"token", "s3cret-token"},
        {"streamName", "ORDERS"},
        {"durableName", "orders-sub"},
        {"queueGroupName", "workers"},
        {"deliverPolicy", "time"},
        {"startTime", "1630349391"},
        {"ackWait", "10s"},
        {"maxDeliver", "5"},
        {"backOff", "500ms, 2s"},
        {"ackPolicy", "all"},
        {"domain", "hub"},
        {"concurrencyMode", "parallel"},
    };
    jb_dapr_config *cfg = NULL;
    CHECK_OK(jb_dapr_config_from_metadata(md, sizeof md / sizeof md[0], &cfg));
    jb_dapr_config_info *info = NULL;
    CHECK_OK(jb_dapr_config_get_info(cfg, &info));
    CHECK(info->servers_len == 2);
    CHECK(strcmp(info->name, "orders-service") == 0);
    CHECK(strcmp(info->auth, "token") == 0);
    CHECK(!info->tls_client_cert);
    CHECK(strcmp(info->js_api_prefix, "$JS.hub.API") == 0);
    CHECK(strcmp(info->stream_name, "ORDERS") == 0);
    CHECK(strcmp(info->concurrency, "parallel") == 0);
    const jb_consumer_config *c = info->consumer;
    CHECK(strcmp(c->durable_name, "orders-sub") == 0);
    CHECK(strcmp(c->deliver_group, "workers") == 0);
    CHECK(c->start == JB_START_TIME && c->start_time_ns == 1630349391000000000LL);
    CHECK(c->ack_policy == JB_ACK_POLICY_ALL && c->ack_wait_ms == 10000 && c->max_deliver == 5);
    CHECK(c->backoff_len == 2 && c->backoff_ms[0] == 500 && c->backoff_ms[1] == 2000);
    /* the description is for logs: it never shows the token */
    CHECK(info->description != NULL && strstr(info->description, "s3cret-token") == NULL);
    CHECK_OK(jb_dapr_config_info_free(info));
    CHECK_RES(jb_dapr_config_info_free(info), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_dapr_config_free(cfg));
    /* a freed config has no info */
    CHECK_RES(jb_dapr_config_get_info(cfg, &info), JB_RESULT_INVALID_HANDLE);
}

static void test_info_defaults(void) {
    const jb_string_pair md[] = {{"natsURL", "nats://127.0.0.1:4222"}};
    jb_dapr_config *cfg = NULL;
    CHECK_OK(jb_dapr_config_from_metadata(md, 1, &cfg));
    jb_dapr_config_info *info = NULL;
    CHECK_OK(jb_dapr_config_get_info(cfg, &info));
    CHECK(info->servers_len == 1 && info->stream_name == NULL);
    CHECK(strcmp(info->auth, "none") == 0 && strcmp(info->concurrency, "single") == 0);
    CHECK(strcmp(info->js_api_prefix, "$JS.API") == 0);
    CHECK(info->consumer->start != JB_START_TIME);
    CHECK_OK(jb_dapr_config_info_free(info));
    CHECK_OK(jb_dapr_config_free(cfg));
}

static void test_info_bad_input(void) {
    jb_dapr_config_info *info = NULL;
    CHECK_RES(jb_dapr_config_get_info(NULL, &info), JB_RESULT_NULL_PARAMETER);
    const jb_string_pair md[] = {{"natsURL", "nats://127.0.0.1:4222"}};
    jb_dapr_config *cfg = NULL;
    CHECK_OK(jb_dapr_config_from_metadata(md, 1, &cfg));
    CHECK_RES(jb_dapr_config_get_info(cfg, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_dapr_config_info_free(NULL));
    CHECK_OK(jb_dapr_config_free(cfg));
}

const jbt_case jbt_dapr_cases[] = {
    {"dapr/info_fields", test_info_fields},
    {"dapr/info_defaults", test_info_defaults},
    {"dapr/info_bad_input", test_info_bad_input},
    {NULL, NULL},
};
