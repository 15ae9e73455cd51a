/* Result codes, names, messages, last error, version. No server needed. */
#include "jbtest.h"

/* The core's numbers, pinned: a change here is an ABI break. */
_Static_assert(JB_RESULT_OK == 0, "OK");
_Static_assert(JB_RESULT_INVALID_ARGUMENT == 1, "INVALID_ARGUMENT");
_Static_assert(JB_RESULT_NULL_PARAMETER == 2, "NULL_PARAMETER");
_Static_assert(JB_RESULT_INVALID_HANDLE == 3, "INVALID_HANDLE");
_Static_assert(JB_RESULT_TIMEOUT == 7, "TIMEOUT");
_Static_assert(JB_RESULT_NOT_FOUND == 8, "NOT_FOUND");
_Static_assert(JB_RESULT_WRONG_LAST_SEQUENCE == 10, "WRONG_LAST_SEQUENCE");
_Static_assert(JB_RESULT_PUBLISH_OUTCOME_UNKNOWN == 12, "PUBLISH_OUTCOME_UNKNOWN");
_Static_assert(JB_RESULT_ALREADY_ACKED == 18, "ALREADY_ACKED");
_Static_assert(JB_RESULT_CLOSED == 21, "CLOSED");
_Static_assert(JB_RESULT_PANIC == 24, "PANIC");
_Static_assert(JB_RESULT_INTERNAL == 25, "INTERNAL");
_Static_assert(JB_RESULT_SERVER_TOO_OLD == 26, "SERVER_TOO_OLD");
_Static_assert(sizeof(jb_result) == 4, "jb_result is 32 bits");

static void test_result_names(void) {
    static const char *names[] = {
        "OK", "INVALID_ARGUMENT", "NULL_PARAMETER", "INVALID_HANDLE", "CONNECTION", "AUTH", "TLS",
        "TIMEOUT", "NOT_FOUND", "ALREADY_EXISTS", "WRONG_LAST_SEQUENCE", "STREAM_MISMATCH",
        "PUBLISH_OUTCOME_UNKNOWN", "NO_RESPONDERS", "JETSTREAM_UNAVAILABLE",
        "JETSTREAM_NOT_ENABLED", "HEARTBEAT_MISSED", "CONFIG_MISMATCH", "ALREADY_ACKED",
        "LIMIT_EXCEEDED", "PERMISSION_DENIED", "CLOSED", "FORKED", "SERVER", "PANIC", "INTERNAL",
        "SERVER_TOO_OLD",
    };
    _Static_assert(sizeof names / sizeof names[0] == JB_RESULT_SERVER_TOO_OLD + 1, "every kind is listed");
    for (uint32_t code = 0; code < sizeof names / sizeof names[0]; code++) {
        CHECK(strcmp(jb_result_name(code), names[code]) == 0);
        const char *msg = jb_result_message(code);
        CHECK(msg && *msg && strcmp(msg, "unknown result code") != 0);
    }
    CHECK(strcmp(jb_result_name(JB_RESULT_SERVER_TOO_OLD + 1), "UNKNOWN") == 0);
    CHECK(strcmp(jb_result_name(UINT32_MAX), "UNKNOWN") == 0);
    CHECK(strcmp(jb_result_message(999), "unknown result code") == 0);
}

static void test_retryable(void) {
    CHECK(jb_result_is_retryable(JB_RESULT_TIMEOUT));
    CHECK(jb_result_is_retryable(JB_RESULT_PUBLISH_OUTCOME_UNKNOWN));
    CHECK(jb_result_is_retryable(JB_RESULT_NO_RESPONDERS));
    CHECK(!jb_result_is_retryable(JB_RESULT_OK));
    CHECK(!jb_result_is_retryable(JB_RESULT_INVALID_ARGUMENT));
    CHECK(!jb_result_is_retryable(JB_RESULT_WRONG_LAST_SEQUENCE));
    CHECK(!jb_result_is_retryable(JB_RESULT_SERVER_TOO_OLD));
    CHECK(!jb_result_is_retryable(12345));
}

static void test_version(void) {
    CHECK(strcmp(jb_version(), JB_VERSION) == 0);
}

static void test_last_error_is_per_failure(void) {
    jb_connect_options o;
    CHECK_OK(jb_connect_options_default(&o));
    const char *bad = "nats://has space:4222";
    o.servers = &bad;
    o.servers_len = 1;
    jb_client *c = (jb_client *)0x1;
    CHECK_RES(jb_client_connect(&o, &c), JB_RESULT_INVALID_ARGUMENT);
    CHECK(c == (jb_client *)0x1); /* out-param untouched on failure */
    CHECK(strstr(jb_last_error_message(), "INVALID_ARGUMENT") != NULL);
    CHECK(strstr(jb_last_error_message(), "servers") != NULL);
    /* A success leaves it alone; the next failure replaces it. */
    CHECK_OK(jb_connect_options_default(&o));
    CHECK(strstr(jb_last_error_message(), "servers") != NULL);
    CHECK_RES(jb_connect_options_default(NULL), JB_RESULT_NULL_PARAMETER);
    CHECK(strstr(jb_last_error_message(), "out must not be NULL") != NULL);
    CHECK(jb_last_error_api_code() == 0);
}

static void test_runtime_configure_validates(void) {
    CHECK_RES(jb_runtime_configure(0), JB_RESULT_INVALID_ARGUMENT);
}

static void test_defaults_come_from_the_core(void) {
    jb_connect_options o;
    CHECK_OK(jb_connect_options_default(&o));
    CHECK(o.connect_timeout_ms == 5000 && o.request_timeout_ms == 5000);
    CHECK(o.publish_retry_budget_ms == 25000 && o.max_reconnects == -1);
    jb_fetch_options f;
    CHECK_OK(jb_fetch_options_default(&f));
    CHECK(f.size == sizeof f && f.max_messages == 1 && f.max_wait_ms == 5000 && f.max_bytes == 0);
    jb_messages_options m;
    CHECK_OK(jb_messages_options_default(&m));
    CHECK(m.size == sizeof m && m.batch == 500 && m.heartbeat_ms == 5000 && m.max_bytes == 0);
    CHECK(m.expires_ms == 30000 && m.threshold_percent == 50);
    jb_replay_options r;
    CHECK_OK(jb_replay_options_default(&r));
    CHECK(r.start == JB_START_ALL && r.speed == JB_REPLAY_SPEED_INSTANT && r.messages == NULL);
    jb_publisher_options p;
    CHECK_OK(jb_publisher_options_default(&p));
    CHECK(p.size == sizeof p && p.max_in_flight == 1024 && p.max_in_flight_bytes == 32 << 20);
    jb_stream_config s;
    CHECK_OK(jb_stream_config_default(&s));
    CHECK(s.size == sizeof s && s.name == NULL && s.subjects == NULL && s.subjects_len == 0);
    CHECK(s.replicas == 1 && s.max_msgs == -1 && s.max_bytes == -1 && s.max_msg_size == -1 &&
          s.max_msgs_per_subject == -1 && s.max_age_ms == 0 && s.duplicate_window_ms == 0);
    CHECK(s.retention == JB_RETENTION_POLICY_LIMITS && s.storage == JB_STORAGE_TYPE_FILE &&
          s.discard == JB_DISCARD_POLICY_OLD && s.description == NULL);
    jb_consumer_config cc;
    CHECK_OK(jb_consumer_config_default(&cc));
    CHECK(cc.ack_policy == JB_ACK_POLICY_EXPLICIT && cc.start == JB_START_ALL && cc.max_deliver == 0);
}

const jbt_case jbt_errors_cases[] = {
    {"errors/result_names", test_result_names},
    {"errors/retryable", test_retryable},
    {"errors/version", test_version},
    {"errors/last_error", test_last_error_is_per_failure},
    {"errors/runtime_configure", test_runtime_configure_validates},
    {"errors/defaults", test_defaults_come_from_the_core},
    {NULL, NULL},
};
