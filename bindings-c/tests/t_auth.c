/*
 * Every auth mode against its own harness server (scripts/test.sh passes the
 * URLs and material in JB_* variables): the right credentials connect and
 * use JetStream; wrong ones fail with AUTH / TLS, and no secret appears in
 * the error text.
 */
#include "jbtest.h"

static const char *need(const char *name) {
    const char *v = jbt_env(name);
    if (!v) fprintf(stderr, "    %s is not set (scripts/test.sh sets it)\n", name);
    return v;
}

static jb_result try_connect(jb_connect_options *o, const char *url, jb_client **out) {
    o->servers = &url;
    o->servers_len = 1;
    o->connect_timeout_ms = 3000;
    o->max_reconnects = 0;
    return jb_client_connect(o, out);
}

/* Connects with `o`, creates a stream and publishes once. */
static int works(jb_connect_options *o, const char *url) {
    jb_client *c = NULL;
    jb_result r = try_connect(o, url, &c);
    if (r != JB_RESULT_OK) {
        fprintf(stderr, "    connect: %s\n", jb_last_error_message());
        return 0;
    }
    int ok = jbt_fresh_stream(c, "AUTH", "auth.>") && jbt_publish(c, "auth.x", "hi", NULL) == 1;
    jb_client_delete_stream(c, "AUTH");
    jb_client_close(c);
    jb_client_free(c);
    return ok;
}

static void test_token(void) {
    const char *url = need("JB_TOKEN_URL"), *token = need("JB_TOKEN"), *wrong = need("JB_WRONG_TOKEN");
    CHECK(url && token && wrong);
    jb_connect_options o;
    jb_connect_options_default(&o);
    o.token = token;
    CHECK(works(&o, url));
    jb_connect_options_default(&o);
    o.token = wrong;
    jb_client *c = NULL;
    CHECK_RES(try_connect(&o, url, &c), JB_RESULT_AUTH);
    CHECK(strstr(jb_last_error_message(), wrong) == NULL);
}

static void test_user_password(void) {
    const char *url = need("JB_USER_URL"), *user = need("JB_USER"), *pass = need("JB_PASSWORD");
    CHECK(url && user && pass);
    jb_connect_options o;
    jb_connect_options_default(&o);
    o.user = user;
    o.password = pass;
    CHECK(works(&o, url));
    o.password = "not-the-password";
    jb_client *c = NULL;
    CHECK_RES(try_connect(&o, url, &c), JB_RESULT_AUTH);
    CHECK(strstr(jb_last_error_message(), "not-the-password") == NULL);
}

static void test_nkey(void) {
    const char *url = need("JB_NKEY_URL"), *seed = need("JB_NKEY_SEED"),
               *other = need("JB_NKEY_OTHER_SEED");
    CHECK(url && seed && other);
    jb_connect_options o;
    jb_connect_options_default(&o);
    o.nkey_seed = seed;
    CHECK(works(&o, url));
    o.nkey_seed = other;
    jb_client *c = NULL;
    CHECK_RES(try_connect(&o, url, &c), JB_RESULT_AUTH);
    CHECK(strstr(jb_last_error_message(), other) == NULL);
}

static void test_jwt_and_creds(void) {
    const char *url = need("JB_JWT_URL"), *jwt = need("JB_JWT"), *seed = need("JB_JWT_SEED"),
               *creds = need("JB_CREDS");
    CHECK(url && jwt && seed && creds);
    jb_connect_options o;
    jb_connect_options_default(&o);
    o.jwt = jwt;
    o.jwt_seed = seed;
    CHECK(works(&o, url));
    jb_connect_options_default(&o);
    o.creds_file = creds;
    CHECK(works(&o, url));
    /* Dapr's jwt + seedKey. */
    jb_string_pair md[] = {{"natsURL", url}, {"jwt", jwt}, {"seedKey", seed}};
    jb_dapr_config *cfg = NULL;
    CHECK_OK(jb_dapr_config_from_metadata(md, 3, &cfg));
    jb_client *c = NULL;
    CHECK_OK(jb_client_connect_dapr(cfg, &c));
    CHECK_OK(jb_client_close(c));
    CHECK_OK(jb_client_free(c));
    CHECK_OK(jb_dapr_config_free(cfg));
    /* No credentials. */
    jb_connect_options_default(&o);
    CHECK_RES(try_connect(&o, url, &c), JB_RESULT_AUTH);
}

static void test_tls(void) {
    const char *url = need("JB_TLS_URL"), *ca = need("JB_TLS_CA"), *other = need("JB_TLS_OTHER_CA");
    CHECK(url && ca && other);
    jb_connect_options o;
    jb_connect_options_default(&o);
    o.tls_ca_file = ca;
    CHECK(works(&o, url));
    jb_connect_options_default(&o);
    o.tls_ca_file = other;
    jb_client *c = NULL;
    CHECK_RES(try_connect(&o, url, &c), JB_RESULT_TLS);
}

static void test_mtls(void) {
    const char *url = need("JB_MTLS_URL"), *ca = need("JB_MTLS_CA"), *cert = need("JB_MTLS_CERT"),
               *key = need("JB_MTLS_KEY");
    CHECK(url && ca && cert && key);
    jb_connect_options o;
    jb_connect_options_default(&o);
    o.tls_ca_file = ca;
    o.tls_client_cert = cert;
    o.tls_client_key = key;
    CHECK(works(&o, url));
    o.tls_client_key = NULL; /* half a client identity */
    jb_client *c = NULL;
    CHECK_RES(try_connect(&o, url, &c), JB_RESULT_INVALID_ARGUMENT);
}

const jbt_case jbt_auth_cases[] = {
    {"auth/token", test_token},
    {"auth/user_password", test_user_password},
    {"auth/nkey", test_nkey},
    {"auth/jwt_and_creds", test_jwt_and_creds},
    {"auth/tls", test_tls},
    {"auth/mtls", test_mtls},
    {NULL, NULL},
};
