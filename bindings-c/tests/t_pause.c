/*
 * Pausing, resuming and unpinning a consumer (nats-server 2.11+):
 * jb_client_pause_consumer, _resume_consumer, _unpin_consumer and their
 * _async forms, the library-owned jb_consumer_pause_state they return, and
 * their typed errors. On a server older than 2.11 each is
 * JB_RESULT_SERVER_TOO_OLD, which the tests check instead.
 */
#include "jbtest.h"

#define HOUR_NS 3600000000000LL

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static size_t fetch_n(jb_consumer *cons, uint64_t wait_ms) {
    jb_fetch_options fo;
    jb_fetch_options_default(&fo);
    fo.max_messages = 1;
    fo.max_wait_ms = wait_ms;
    jb_message *msgs[1];
    size_t n = 0;
    if (jb_consumer_fetch(cons, &fo, msgs, 1, &n) != JB_RESULT_OK) {
        jbt_fail(__FILE__, __LINE__, "fetch", jb_last_error_message());
        return (size_t)-1;
    }
    jb_messages_free(msgs, n);
    return n;
}

/* 1 when the server is older than 2.11: every pause call is SERVER_TOO_OLD
 * naming the feature and the version (checked here), and the caller stops. */
static int server_too_old(jb_client *c, const char *stream, const char *name) {
    jb_consumer_pause_state *ps = NULL;
    jb_result r = jb_client_pause_consumer(c, stream, name, now_ns() + HOUR_NS, &ps);
    if (r != JB_RESULT_SERVER_TOO_OLD) {
        if (r == JB_RESULT_OK) jb_consumer_pause_state_free(ps);
        return 0;
    }
    fprintf(stderr, "    server older than 2.11: %s\n", jb_last_error_message());
    if (strstr(jb_last_error_message(), "2.11") == NULL) jbt_fail(__FILE__, __LINE__, "names 2.11", NULL);
    if (jb_client_resume_consumer(c, stream, name, &ps) != JB_RESULT_SERVER_TOO_OLD ||
        jb_client_unpin_consumer(c, stream, name, "jobs") != JB_RESULT_SERVER_TOO_OLD)
        jbt_fail(__FILE__, __LINE__, "resume and unpin are SERVER_TOO_OLD", jb_last_error_message());
    return 1;
}

static void test_pause_then_resume(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TPAUSEC", "tpausec.>"));
    jb_consumer *cons = jbt_durable(c, "TPAUSEC", "worker", 0);
    CHECK(cons);
    CHECK(jbt_publish(c, "tpausec.a", "one", NULL) == 1);
    if (server_too_old(c, "TPAUSEC", "worker")) goto done;

    int64_t until = now_ns() + HOUR_NS;
    jb_consumer_pause_state *ps = NULL;
    CHECK_OK(jb_client_pause_consumer(c, "TPAUSEC", "worker", until, &ps));
    CHECK(ps != NULL && ps->size == sizeof *ps);
    CHECK(ps->paused);
    int64_t skew = ps->pause_until_ns - until;
    CHECK(skew > -1000000 && skew < 1000000); /* within 1 ms */
    CHECK(ps->pause_remaining_ms > 3500000 && ps->pause_remaining_ms <= 3600000);
    /* The declared type's JSON: pause_until as RFC 3339. */
    char *json = NULL;
    CHECK_OK(jb_consumer_pause_state_to_json(ps, &json));
    CHECK(strstr(json, "\"paused\":true") != NULL && strstr(json, "\"pause_until\":\"") != NULL);
    CHECK_OK(jb_string_free(json));
    CHECK_OK(jb_consumer_pause_state_free(ps));
    CHECK_RES(jb_consumer_pause_state_free(ps), JB_RESULT_INVALID_HANDLE); /* double free */

    /* The info reports the pause; a paused consumer delivers nothing. */
    jb_consumer_info *info = NULL;
    CHECK_OK(jb_client_consumer_info(c, "TPAUSEC", "worker", &info));
    skew = info->config->pause_until_ns - until;
    CHECK_OK(jb_consumer_info_free(info));
    CHECK(skew > -1000000 && skew < 1000000);
    CHECK(fetch_n(cons, 300) == 0);

    ps = NULL;
    CHECK_OK(jb_client_resume_consumer(c, "TPAUSEC", "worker", &ps));
    CHECK(!ps->paused && ps->pause_until_ns == 0 && ps->pause_remaining_ms == 0);
    CHECK_OK(jb_consumer_pause_state_free(ps));
    CHECK(fetch_n(cons, 3000) == 1);
    /* Resuming a consumer that is not paused leaves it as it is. */
    CHECK_OK(jb_client_resume_consumer(c, "TPAUSEC", "worker", &ps));
    CHECK(!ps->paused);
    CHECK_OK(jb_consumer_pause_state_free(ps));
done:
    CHECK_OK(jb_consumer_free(cons));
    jb_client_delete_stream(c, "TPAUSEC");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_pause_errors(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TPAUSEE", "tpausee.>"));
    jb_consumer *cons = jbt_durable(c, "TPAUSEE", "worker", 0);
    CHECK(cons);
    CHECK_OK(jb_consumer_free(cons));
    /* Bad arguments are refused before the server is asked, on any server. */
    jb_consumer_pause_state *ps = (jb_consumer_pause_state *)0x1;
    CHECK_RES(jb_client_pause_consumer(c, "TPAUSEE", "worker", now_ns() - 1000000000LL, &ps),
              JB_RESULT_INVALID_ARGUMENT);
    CHECK(strstr(jb_last_error_message(), "pause_until") != NULL);
    CHECK(ps == (jb_consumer_pause_state *)0x1); /* out-param untouched on failure */
    CHECK_RES(jb_client_pause_consumer(c, "TPAUSEE", "worker", 0, &ps), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_pause_consumer(c, "TPAUSEE", "worker", now_ns() + HOUR_NS, NULL),
              JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_pause_consumer(c, NULL, "worker", now_ns() + HOUR_NS, &ps), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_resume_consumer(c, "TPAUSEE", NULL, &ps), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_resume_consumer(NULL, "TPAUSEE", "worker", &ps), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_unpin_consumer(c, "TPAUSEE", "worker", NULL), JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_resume_consumer(c, "TPAUSEE", "bad name", &ps), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_unpin_consumer(c, "TPAUSEE", "worker", "bad group"), JB_RESULT_INVALID_ARGUMENT);
    CHECK(ps == (jb_consumer_pause_state *)0x1);
    if (server_too_old(c, "TPAUSEE", "worker")) goto done;

    CHECK_RES(jb_client_pause_consumer(c, "TPAUSEE", "missing", now_ns() + HOUR_NS, &ps), JB_RESULT_NOT_FOUND);
    CHECK_RES(jb_client_resume_consumer(c, "TPAUSEE", "missing", &ps), JB_RESULT_NOT_FOUND);
    CHECK_RES(jb_client_unpin_consumer(c, "TPAUSEE", "missing", "jobs"), JB_RESULT_NOT_FOUND);
    CHECK(ps == (jb_consumer_pause_state *)0x1);
done:
    jb_client_delete_stream(c, "TPAUSEE");
    jb_client_close(c);
    jb_client_free(c);
}

static void test_unpin(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TPIN", "tpin.>"));
    jb_consumer *plain = jbt_durable(c, "TPIN", "plain", 0);
    CHECK(plain);
    CHECK_OK(jb_consumer_free(plain));
    if (server_too_old(c, "TPIN", "plain")) goto done;

    jb_consumer_config cc;
    CHECK_OK(jb_consumer_config_default(&cc));
    const char *groups[] = {"jobs"};
    cc.durable_name = "pinned";
    cc.priority_groups = groups;
    cc.priority_groups_len = 1;
    cc.priority_policy = JB_PRIORITY_POLICY_PINNED_CLIENT;
    jb_consumer *cons = NULL;
    CHECK_OK(jb_client_create_consumer(c, "TPIN", &cc, &cons));
    CHECK_OK(jb_consumer_free(cons));
    CHECK_OK(jb_client_unpin_consumer(c, "TPIN", "pinned", "jobs"));
    CHECK_RES(jb_client_unpin_consumer(c, "TPIN", "pinned", "other"), JB_RESULT_INVALID_ARGUMENT);
    CHECK_RES(jb_client_unpin_consumer(c, "TPIN", "pinned", "bad group"), JB_RESULT_INVALID_ARGUMENT);
    /* A consumer without priority groups has no group to unpin. */
    CHECK_RES(jb_client_unpin_consumer(c, "TPIN", "plain", "jobs"), JB_RESULT_INVALID_ARGUMENT);
done:
    jb_client_delete_stream(c, "TPIN");
    jb_client_close(c);
    jb_client_free(c);
}

typedef struct {
    jbt_call call;
    int got_state;
    bool paused;
    int64_t pause_until_ns;
} pause_probe;

static void probe_init(pause_probe *p) {
    memset(p, 0, sizeof *p);
    jbt_call_init(&p->call);
}

static void on_state(void *ud, jb_result r, const char *err, const jb_consumer_pause_state *s) {
    pause_probe *p = ud;
    if (s) {
        /* Lent for the call: copied, never freed here. */
        p->got_state = 1;
        p->paused = s->paused;
        p->pause_until_ns = s->pause_until_ns;
    }
    jbt_call_record(&p->call, r, err);
}

static void test_pause_async(void) {
    jb_client *c = jbt_connect(jbt_url());
    CHECK(c && jbt_fresh_stream(c, "TPAUSEA", "tpausea.>"));
    jb_consumer *cons = jbt_durable(c, "TPAUSEA", "worker", 0);
    CHECK(cons);
    CHECK_OK(jb_consumer_free(cons));
    /* A missing callback is refused; no callback comes. */
    CHECK_RES(jb_client_pause_consumer_async(c, "TPAUSEA", "worker", now_ns() + HOUR_NS, NULL, NULL),
              JB_RESULT_NULL_PARAMETER);
    CHECK_RES(jb_client_unpin_consumer_async(c, "TPAUSEA", "worker", "jobs", NULL, NULL),
              JB_RESULT_NULL_PARAMETER);
    if (server_too_old(c, "TPAUSEA", "worker")) goto done;

    pause_probe p;
    probe_init(&p);
    int64_t until = now_ns() + HOUR_NS;
    CHECK_OK(jb_client_pause_consumer_async(c, "TPAUSEA", "worker", until, on_state, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.got_state && p.paused);
    CHECK(p.pause_until_ns - until > -1000000 && p.pause_until_ns - until < 1000000);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_resume_consumer_async(c, "TPAUSEA", "worker", on_state, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_OK && p.got_state && !p.paused && p.pause_until_ns == 0);
    jbt_call_destroy(&p.call);

    /* Errors arrive through the callback, with a NULL state. */
    probe_init(&p);
    CHECK_OK(jb_client_resume_consumer_async(c, "TPAUSEA", "missing", on_state, &p));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_NOT_FOUND && !p.got_state && strstr(p.call.error, "NOT_FOUND") != NULL);
    jbt_call_destroy(&p.call);

    probe_init(&p);
    CHECK_OK(jb_client_unpin_consumer_async(c, "TPAUSEA", "worker", "jobs", jbt_call_on_done, &p.call));
    CHECK(jbt_call_wait_once(&p.call));
    CHECK(p.call.result == JB_RESULT_INVALID_ARGUMENT); /* no priority groups */
    jbt_call_destroy(&p.call);
done:
    jb_client_delete_stream(c, "TPAUSEA");
    jb_client_close(c);
    jb_client_free(c);
}

const jbt_case jbt_pause_cases[] = {
    {"pause/pause_then_resume", test_pause_then_resume},
    {"pause/errors", test_pause_errors},
    {"pause/unpin", test_unpin},
    {"pause/async", test_pause_async},
    {NULL, NULL},
};
