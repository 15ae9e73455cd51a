/*
 * The core's log records through jb_log_set_callback: levels are the core's
 * (jb_log_level_name), records arrive on library threads up to the chosen
 * level, a NULL callback removes the sink, a bad level is refused; a server
 * restart gives a WARN disconnect and an INFO reconnect record, none holding
 * the token of the URL.
 */
#include "t_log.h"

#include "jbt_harness.h"

void jbt_log_init(jbt_log *log) {
    memset(log, 0, sizeof *log);
    pthread_mutex_init(&log->mu, NULL);
}

void jbt_log_destroy(jbt_log *log) { pthread_mutex_destroy(&log->mu); }

void jbt_log_on_record(void *user, jb_log_level level, const char *topic, const char *message) {
    jbt_log *log = user;
    pthread_mutex_lock(&log->mu);
    if (log->len < JBT_LOG_MAX) {
        jbt_log_record *r = &log->records[log->len++];
        r->level = level;
        snprintf(r->topic, sizeof r->topic, "%s", topic);
        snprintf(r->message, sizeof r->message, "%s", message);
    }
    pthread_mutex_unlock(&log->mu);
}

int jbt_log_find(jbt_log *log, jb_log_level level, const char *topic, const char *needle) {
    pthread_mutex_lock(&log->mu);
    int found = 0;
    for (size_t i = 0; i < log->len && !found; i++) {
        const jbt_log_record *r = &log->records[i];
        found = r->level == level && strcmp(r->topic, topic) == 0 && strstr(r->message, needle);
    }
    pthread_mutex_unlock(&log->mu);
    return found;
}

int jbt_log_wait(jbt_log *log, jb_log_level level, const char *topic, const char *needle) {
    for (int waited = 0; waited < JBT_WAIT_MS; waited += 20) {
        if (jbt_log_find(log, level, topic, needle)) return 1;
        jbt_sleep_ms(20);
    }
    return 0;
}

static void test_log_levels_are_the_cores(void) {
    CHECK(strcmp(jb_log_level_name(JB_LOG_LEVEL_ERROR), "error") == 0);
    CHECK(strcmp(jb_log_level_name(JB_LOG_LEVEL_WARN), "warn") == 0);
    CHECK(strcmp(jb_log_level_name(JB_LOG_LEVEL_INFO), "info") == 0);
    CHECK(strcmp(jb_log_level_name(JB_LOG_LEVEL_DEBUG), "debug") == 0);
    CHECK(strcmp(jb_log_level_name(0), "unknown") == 0);
    CHECK(strcmp(jb_log_level_name(5), "unknown") == 0);
    CHECK_RES(jb_log_set_callback(0, jbt_log_on_record, NULL), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_log_set_callback(5, jbt_log_on_record, NULL), JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "max_level") != NULL);
    /* Removing when none is set is fine, whatever the level. */
    CHECK_OK(jb_log_set_callback(99, NULL, NULL));
}

/* A client without a name, so records name it by its (redacted) URL. */
static jb_client *connect_unnamed(const char *url) {
    jb_connect_options o;
    if (jb_connect_options_default(&o) != JB_RESULT_OK) return NULL;
    o.servers = &url;
    o.servers_len = 1;
    jb_client *c = NULL;
    return jb_client_connect(&o, &c) == JB_RESULT_OK ? c : NULL;
}

/* A client named `name`: its connection records carry the name, so a test
 * counts its own records apart from those of other tests' clients (the
 * callback is process-wide). */
static jb_client *connect_named(const char *url, const char *name) {
    jb_connect_options o;
    if (jb_connect_options_default(&o) != JB_RESULT_OK) return NULL;
    o.servers = &url;
    o.servers_len = 1;
    o.name = name;
    jb_client *c = NULL;
    return jb_client_connect(&o, &c) == JB_RESULT_OK ? c : NULL;
}

/* How many captured records contain `needle`. */
static size_t count_records(jbt_log *log, const char *needle) {
    pthread_mutex_lock(&log->mu);
    size_t n = 0;
    for (size_t i = 0; i < log->len; i++) n += strstr(log->records[i].message, needle) != NULL;
    pthread_mutex_unlock(&log->mu);
    return n;
}

/* A connect and a close give INFO connection records, at debug and at info;
 * at warn they are not wanted; after removal nothing comes. Only records of
 * this test's clients count (by name): a client another test left behind may
 * still log, e.g. while its server is gone. */
static void test_log_connect_and_close_records(void) {
    jbt_log log;
    jbt_log_init(&log);
    jb_result r = jb_log_set_callback(JB_LOG_LEVEL_DEBUG, jbt_log_on_record, &log);
    jb_client *c = r == JB_RESULT_OK ? connect_named(jbt_url(), "t_log-at-debug") : NULL;
    /* Records name their client (what the counts below rely on). */
    int connected =
        c && jbt_log_wait(&log, JB_LOG_LEVEL_INFO, "connection", "\"t_log-at-debug\": connected");
    if (c) jb_client_close(c);
    int closed =
        c && jbt_log_wait(&log, JB_LOG_LEVEL_INFO, "connection", "\"t_log-at-debug\": closed");
    jb_client_free(c);

    /* At warn: a connect and close log nothing (no failure to report). */
    jb_log_set_callback(JB_LOG_LEVEL_WARN, jbt_log_on_record, &log);
    c = connect_named(jbt_url(), "t_log-at-warn");
    int warn_connected = c != NULL;
    if (c) jb_client_close(c);
    jb_client_free(c);
    jb_log_set_callback(0, NULL, NULL);
    c = connect_named(jbt_url(), "t_log-removed");
    int removed_connected = c != NULL;
    if (c) jb_client_close(c);
    jb_client_free(c);
    /* Give a late record the time to arrive before counting. */
    jbt_sleep_ms(200);
    size_t at_warn = count_records(&log, "t_log-at-warn");
    size_t after_removal = count_records(&log, "t_log-removed");
    jbt_log_destroy(&log);
    CHECK_OK(r);
    CHECK(connected);
    CHECK(closed);
    CHECK(warn_connected && removed_connected);
    CHECK(at_warn == 0);
    CHECK(after_removal == 0);
}

/* 1 when no captured record holds `secret`. */
static int no_record_holds(jbt_log *log, const char *secret) {
    pthread_mutex_lock(&log->mu);
    int clean = 1;
    for (size_t i = 0; i < log->len; i++) clean = clean && !strstr(log->records[i].message, secret);
    pthread_mutex_unlock(&log->mu);
    return clean;
}


static void test_log_restart_under_token_url(void) {
    jbt_harness h;
    CHECK(jbt_harness_start(&h, "token"));
    char url[300];
    const char *host = strstr(h.url, "://");
    const char *port = strrchr(h.url, ':');
    int ok = host && port && h.token[0];
    if (ok) snprintf(url, sizeof url, "nats://%s@%s", h.token, host + 3);
    jbt_log log;
    jbt_log_init(&log);
    jb_result set = jb_log_set_callback(JB_LOG_LEVEL_DEBUG, jbt_log_on_record, &log);
    jb_client *c = ok && set == JB_RESULT_OK ? connect_unnamed(url) : NULL;
    int restarted = c && jbt_harness_restart(&h, 0);
    /* Records name the client by its redacted URL (its port), never the token. */
    int reconnected = restarted && jbt_log_wait(&log, JB_LOG_LEVEL_INFO, "connection", "reconnected");
    int disconnected =
        jbt_log_find(&log, JB_LOG_LEVEL_WARN, "connection", "disconnected; reconnecting");
    int port_named = port && jbt_log_find(&log, JB_LOG_LEVEL_INFO, "connection", port + 1);
    if (c) jb_client_close(c);
    jb_client_free(c);
    jb_log_set_callback(0, NULL, NULL);
    int clean = !h.token[0] || no_record_holds(&log, h.token);
    jbt_harness_stop(&h);
    jbt_log_destroy(&log);
    CHECK(ok);
    CHECK_OK(set);
    CHECK(c != NULL);
    CHECK(restarted);
    CHECK(reconnected);
    CHECK(disconnected);
    CHECK(port_named);
    CHECK(clean);
}

const jbt_case jbt_log_cases[] = {
    {"log_levels_are_the_cores", test_log_levels_are_the_cores},
    {"log_connect_and_close_records", test_log_connect_and_close_records},
    {"log_restart_under_token_url", test_log_restart_under_token_url},
    {NULL, NULL},
};
