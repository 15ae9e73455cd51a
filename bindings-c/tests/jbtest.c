/* The runner and helpers of the C tests (see jbtest.h). */
#include "jbtest.h"

#include <errno.h>

int jbt_failed = 0;

void jbt_fail(const char *file, int line, const char *expr, const char *detail) {
    jbt_failed = 1;
    fprintf(stderr, "    FAIL %s:%d: %s%s%s\n", file, line, expr, detail ? ": " : "",
            detail ? detail : "");
}

void jbt_fail_result(const char *file, int line, const char *expr, jb_result got, jb_result want) {
    jbt_failed = 1;
    fprintf(stderr, "    FAIL %s:%d: %s\n         returned %s, wanted %s; last error: %s\n", file,
            line, expr, jb_result_name(got), jb_result_name(want), jb_last_error_message());
}

const char *jbt_env(const char *name) {
    const char *v = getenv(name);
    return (v && *v) ? v : NULL;
}

const char *jbt_url(void) {
    const char *url = jbt_env("NATS_URL");
    if (!url) {
        fprintf(stderr, "NATS_URL is not set (scripts/test.sh starts a server)\n");
        exit(2);
    }
    return url;
}

jb_client *jbt_connect(const char *url) {
    jb_connect_options o;
    if (jb_connect_options_default(&o) != JB_RESULT_OK) return NULL;
    o.servers = &url;
    o.servers_len = 1;
    o.name = "jetbridge-c-tests";
    jb_client *c = NULL;
    jb_result r = jb_client_connect(&o, &c);
    if (r != JB_RESULT_OK) {
        fprintf(stderr, "    connect %s: %s\n", jb_result_name(r), jb_last_error_message());
        jbt_failed = 1;
        return NULL;
    }
    return c;
}

int jbt_fresh_stream(jb_client *c, const char *name, const char *subject) {
    jb_client_delete_stream(c, name); /* NOT_FOUND is fine */
    jb_stream_config cfg;
    jb_stream_config_default(&cfg);
    cfg.name = name;
    cfg.subjects = &subject;
    cfg.subjects_len = 1;
    cfg.storage = JB_STORAGE_TYPE_MEMORY;
    jb_stream_info *info = NULL;
    jb_result r = jb_client_create_stream(c, &cfg, &info);
    if (r != JB_RESULT_OK) {
        fprintf(stderr, "    create stream %s: %s\n", name, jb_last_error_message());
        jbt_failed = 1;
        return 0;
    }
    jb_stream_info_free(info);
    return 1;
}

jb_publish_message jbt_message(const char *subject, const char *payload) {
    jb_publish_message m;
    memset(&m, 0, sizeof m);
    m.subject = JB_STR(subject);
    m.payload = (const uint8_t *)payload;
    m.payload_len = strlen(payload);
    return m;
}

uint64_t jbt_publish(jb_client *c, const char *subject, const char *payload, const char *msg_id) {
    jb_publish_message m = jbt_message(subject, payload);
    if (msg_id) m.msg_id = JB_STR(msg_id);
    jb_pub_ack *ack = NULL;
    jb_result r = jb_client_publish(c, &m, &ack);
    if (r != JB_RESULT_OK) {
        fprintf(stderr, "    publish: %s\n", jb_last_error_message());
        jbt_failed = 1;
        return 0;
    }
    uint64_t seq = ack->sequence;
    jb_pub_ack_free(ack);
    return seq;
}

void jbt_latch_init(jbt_latch *l) {
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    l->count = 0;
}

void jbt_latch_destroy(jbt_latch *l) {
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
}

void jbt_latch_add(jbt_latch *l) {
    pthread_mutex_lock(&l->mu);
    l->count++;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

int jbt_latch_count(jbt_latch *l) {
    pthread_mutex_lock(&l->mu);
    int n = l->count;
    pthread_mutex_unlock(&l->mu);
    return n;
}

int jbt_latch_wait(jbt_latch *l, int n) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += JBT_WAIT_MS / 1000;
    pthread_mutex_lock(&l->mu);
    int rc = 0;
    while (l->count < n && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&l->cv, &l->mu, &deadline);
    int ok = l->count >= n;
    pthread_mutex_unlock(&l->mu);
    return ok;
}

void jbt_call_init(jbt_call *c) {
    memset(c, 0, sizeof *c);
    jbt_latch_init(&c->done);
    c->result = (jb_result)999;
}

void jbt_call_destroy(jbt_call *c) { jbt_latch_destroy(&c->done); }

void jbt_call_record(jbt_call *c, jb_result r, const char *err) {
    c->calls++;
    c->result = r;
    if (err) snprintf(c->error, sizeof c->error, "%s", err);
    jbt_latch_add(&c->done);
}

void jbt_call_on_done(void *ud, jb_result r, const char *err) { jbt_call_record(ud, r, err); }

int jbt_call_wait_once(jbt_call *c) {
    if (!jbt_latch_wait(&c->done, 1)) return 0;
    jbt_sleep_ms(50);
    return jbt_latch_count(&c->done) == 1 && c->calls == 1;
}

void jbt_sleep_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Defined by the test files. */
extern const jbt_case jbt_errors_cases[];
extern const jbt_case jbt_bad_input_cases[];
extern const jbt_case jbt_publish_cases[];
extern const jbt_case jbt_consume_cases[];
extern const jbt_case jbt_async_cases[];
extern const jbt_case jbt_auth_cases[];
extern const jbt_case jbt_sequences_cases[];
extern const jbt_case jbt_dapr_cases[];
extern const jbt_case jbt_dapr_state_cases[];
extern const jbt_case jbt_abi_cases[];
extern const jbt_case jbt_types_cases[];
extern const jbt_case jbt_nested_cases[];
extern const jbt_case jbt_drain_cases[];
extern const jbt_case jbt_pause_cases[];
extern const jbt_case jbt_stream_admin_cases[];
extern const jbt_case jbt_message_get_cases[];
extern const jbt_case jbt_core_nats_cases[];
extern const jbt_case jbt_batch_publish_cases[];
extern const jbt_case jbt_kv_cases[];
extern const jbt_case jbt_object_cases[];
extern const jbt_case jbt_kv_admin_cases[];
extern const jbt_case jbt_kv_keys_cases[];
extern const jbt_case jbt_object_meta_cases[];
extern const jbt_case jbt_trace_cases[];
extern const jbt_case jbt_log_cases[];
extern const jbt_case jbt_client_free_cases[];

static const jbt_case *const suites[] = {
    jbt_errors_cases, jbt_bad_input_cases, jbt_publish_cases,
    jbt_consume_cases, jbt_async_cases,    jbt_auth_cases,
    jbt_sequences_cases, jbt_dapr_cases,
    jbt_dapr_state_cases,
    jbt_abi_cases,       jbt_types_cases,
    jbt_nested_cases,
    jbt_drain_cases,
    jbt_pause_cases,
    jbt_stream_admin_cases,
    jbt_message_get_cases,
    jbt_core_nats_cases,
    jbt_batch_publish_cases,
    jbt_kv_cases,
    jbt_object_cases,
    jbt_kv_admin_cases,
    jbt_kv_keys_cases,
    jbt_object_meta_cases,
    jbt_trace_cases,
    jbt_log_cases,
    jbt_client_free_cases,
};

/* Runs every test whose name contains argv[1] (all without an argument). */
int main(int argc, char **argv) {
    const char *filter = argc > 1 ? argv[1] : NULL;
    int run = 0, failed = 0;
    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        for (const jbt_case *t = suites[s]; t->name; t++) {
            if (filter && !strstr(t->name, filter)) continue;
            jbt_failed = 0;
            fprintf(stderr, "  %s ...\n", t->name);
            t->fn();
            run++;
            if (jbt_failed) {
                failed++;
                fprintf(stderr, "  %s FAILED\n", t->name);
            }
        }
    }
    fprintf(stderr, "%d tests, %d failed\n", run, failed);
    return failed ? 1 : (run ? 0 : 3);
}

jb_consumer *jbt_durable(jb_client *c, const char *stream, const char *name, int64_t max_deliver) {
    jb_consumer_config cc;
    jb_consumer_config_default(&cc);
    cc.durable_name = name;
    cc.max_deliver = max_deliver;
    cc.ack_wait_ms = 30000;
    jb_consumer *cons = NULL;
    if (jb_client_create_consumer(c, stream, &cc, &cons) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "create consumer", jb_last_error_message());
        return NULL;
    }
    return cons;
}
