/*
 * Dapr state.jetstream metadata: metadata -> config -> connect to a real
 * server -> open the bucket (opened, never created) -> a Dapr key escaped;
 * the same from a component YAML file; errors naming the key; no secret in
 * the info; bad arguments.
 */
#include "jbtest.h"

#define STATE_BUCKET "TDAPRSTATE"

/* The error of the last call names `word`. */
static int last_error_names(const char *word) { return strstr(jb_last_error_message(), word) != NULL; }

static void test_state_connect_open(void) {
    const char *url = jbt_url();
    const jb_string_pair md[] = {{"natsURL", url}, {"bucket", STATE_BUCKET}};
    jb_dapr_state_config *cfg = NULL;
    CHECK_OK(jb_dapr_state_config_from_metadata(md, sizeof md / sizeof md[0], &cfg));
    jb_dapr_state_config_info *info = NULL;
    CHECK_OK(jb_dapr_state_config_get_info(cfg, &info));
    CHECK(info->servers_len == 1 && strcmp(info->auth, "none") == 0 && !info->tls_client_cert);
    CHECK(info->name != NULL && strcmp(info->js_api_prefix, "$JS.API") == 0);
    CHECK(strcmp(info->bucket, STATE_BUCKET) == 0);

    jb_client *c = NULL;
    CHECK_OK(jb_client_connect_dapr_state(cfg, &c));
    jb_client_delete_kv(c, info->bucket); /* NOT_FOUND is fine */
    /* The component opens the bucket, never creates it. */
    jb_kv *kv = NULL;
    CHECK_RES(jb_client_kv(c, info->bucket, &kv), JB_RESULT_NOT_FOUND);
    jb_kv_config kc;
    jb_kv_config_default(&kc);
    kc.bucket = info->bucket;
    kc.storage = JB_STORAGE_TYPE_MEMORY;
    jb_kv *created = NULL;
    CHECK_OK(jb_client_create_kv(c, &kc, &created));
    CHECK_OK(jb_kv_free(created));
    CHECK_OK(jb_client_kv(c, info->bucket, &kv));

    /* A Dapr key, stored as the component stores it. */
    char *key = NULL;
    CHECK_OK(jb_dapr_state_key("myapp||order-1", &key));
    CHECK(strcmp(key, "myapp.order-1") == 0);
    uint64_t rev = 0;
    CHECK_OK(jb_kv_put(kv, key, (const uint8_t *)"{}", 2, &rev));
    jb_kv_entry *e = NULL;
    CHECK_OK(jb_kv_get(kv, "myapp.order-1", 0, &e));
    CHECK(e->revision == rev && e->value_len == 2);
    CHECK_OK(jb_kv_entry_free(e));
    CHECK_OK(jb_string_free(key));

    CHECK_OK(jb_kv_free(kv));
    CHECK_OK(jb_client_delete_kv(c, info->bucket));
    CHECK_OK(jb_client_close(c));
    CHECK_OK(jb_client_free(c));
    CHECK_OK(jb_dapr_state_config_info_free(info));
    CHECK_OK(jb_dapr_state_config_free(cfg));
    /* A freed config connects nothing. */
    CHECK_RES(jb_client_connect_dapr_state(cfg, &c), JB_RESULT_INVALID_HANDLE);
}

static void test_state_from_file(void) {
    char path[] = "/tmp/jb-dapr-state-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CHECK(f != NULL);
    fprintf(f, "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\n"
               "spec:\n  type: state.jetstream\n  version: v1\n  metadata:\n"
               "  - name: natsURL\n    value: \"nats://127.0.0.1:4222\"\n"
               "  - name: name\n    value: orders-state\n"
               "  - name: bucket\n    value: state\n");
    fclose(f);
    jb_dapr_state_config *cfg = NULL;
    jb_result r = jb_dapr_state_config_from_file(path, &cfg);
    remove(path);
    CHECK_OK(r);
    jb_dapr_state_config_info *info = NULL;
    CHECK_OK(jb_dapr_state_config_get_info(cfg, &info));
    CHECK(strcmp(info->bucket, "state") == 0 && strcmp(info->name, "orders-state") == 0);
    CHECK_OK(jb_dapr_state_config_info_free(info));
    CHECK_OK(jb_dapr_state_config_free(cfg));
    CHECK_RES(jb_dapr_state_config_from_file("/nonexistent/statestore.yaml", &cfg), JB_RESULT_INVALID_ARGUMENT);
}

static void test_state_errors_name_the_key(void) {
    jb_dapr_state_config *cfg = NULL;
    const jb_string_pair no_bucket[] = {{"natsURL", "nats://127.0.0.1:4222"}};
    CHECK_RES(jb_dapr_state_config_from_metadata(no_bucket, 1, &cfg), JB_RESULT_INVALID_ARGUMENT);
    CHECK(last_error_names("bucket"));
    const jb_string_pair unknown[] = {
        {"natsURL", "nats://127.0.0.1:4222"}, {"bucket", "state"}, {"durableName", "x"}};
    CHECK_RES(jb_dapr_state_config_from_metadata(unknown, 3, &cfg), JB_RESULT_INVALID_ARGUMENT);
    CHECK(last_error_names("durableName"));
    CHECK(cfg == NULL);
}

static void test_state_info_holds_no_secret(void) {
    const char *seed = "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY";
    const char *jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5In0.state-jwt";
    const jb_string_pair md[] = {
        {"natsURL", "nats://127.0.0.1:4222"}, {"bucket", "state"}, {"jwt", jwt}, {"seedKey", seed}};
    jb_dapr_state_config *cfg = NULL;
    CHECK_OK(jb_dapr_state_config_from_metadata(md, sizeof md / sizeof md[0], &cfg));
    jb_dapr_state_config_info *info = NULL;
    CHECK_OK(jb_dapr_state_config_get_info(cfg, &info));
    CHECK(strcmp(info->auth, "jwt") == 0);
    CHECK(strstr(info->description, seed) == NULL && strstr(info->description, jwt) == NULL);
    CHECK_OK(jb_dapr_state_config_info_free(info));
    CHECK_RES(jb_dapr_state_config_info_free(info), JB_RESULT_INVALID_HANDLE);
    CHECK_OK(jb_dapr_state_config_free(cfg));
    CHECK_RES(jb_dapr_state_config_get_info(cfg, &info), JB_RESULT_INVALID_HANDLE);
}

static void test_state_bad_input(void) {
    jb_dapr_state_config *cfg = NULL;
    CHECK_RES(jb_dapr_state_config_from_metadata(NULL, 0, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_dapr_state_config_from_file(NULL, &cfg), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_dapr_state_config_get_info(NULL, NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_OK(jb_dapr_state_config_free(NULL));
    CHECK_OK(jb_dapr_state_config_info_free(NULL));
    char *key = NULL;
    CHECK_RES(jb_dapr_state_key(NULL, &key), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_dapr_state_key("a||b", NULL), JB_RESULT_NULL_PARAMETER);
    CHECK(key == NULL);
}

const jbt_case jbt_dapr_state_cases[] = {
    {"dapr_state/connect_open", test_state_connect_open},
    {"dapr_state/from_file", test_state_from_file},
    {"dapr_state/errors_name_the_key", test_state_errors_name_the_key},
    {"dapr_state/info_holds_no_secret", test_state_info_holds_no_secret},
    {"dapr_state/bad_input", test_state_bad_input},
    {NULL, NULL},
};
