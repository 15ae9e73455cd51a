/* connect, close, drain, client_info, counters, sleep. */
#include <errno.h>
#include <time.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"

#define A (&g_step)

/* The connect options without a value of a secret (C options are a plain
 * struct owned by the caller; the library has no description of them). */
static void log_options(const jb_connect_options *o) {
    const char *auth = o->token ? "token"
                       : o->user ? "user+password"
                       : o->nkey_seed ? "nkey"
                       : o->jwt ? "jwt+seed"
                       : o->creds_file ? "creds_file"
                                       : "none";
    log_line("  options: jb_connect_options{servers: %zu server(s), name: %s, auth: %s, tls_required: %d, "
             "tls_ca_file: %s, tls_client_cert: %s, tls_client_key: %s, tls_handshake_first: %d, "
             "connect_timeout_ms: %llu}",
             o->servers_len, o->name ? o->name : "(none)", auth, o->tls_required,
             o->tls_ca_file ? o->tls_ca_file : "(none)", o->tls_client_cert ? o->tls_client_cert : "(none)",
             o->tls_client_key ? o->tls_client_key : "(none)", o->tls_handshake_first,
             (unsigned long long)o->connect_timeout_ms);
}

static void log_client(const jb_client *c) {
    jb_connection_state s = {0};
    size_t max_payload = 0;
    jb_client_connection_state(c, &s);
    jb_client_max_payload(c, &max_payload);
    log_line("  client: jb_client{connected: %d, generation: %llu, closed: %d, max_payload: %zu}", s.connected,
             (unsigned long long)s.generation, s.closed, max_payload);
}

/* Replaces the client on success; a failed connect keeps the old one. */
json *op_connect(state *st, args *a) {
    jb_string_pair *metadata;
    size_t metadata_len;
    bool has;
    if (!args_string_map(a, "dapr", &has, &metadata, &metadata_len)) return NULL;
    jb_client *client = NULL;
    jb_result rc;
    if (has) {
        jb_dapr_config *cfg = dapr_parse(metadata, metadata_len);
        if (cfg == NULL) return NULL;
        rc = jb_client_connect_dapr(cfg, &client);
        jb_dapr_config_free(cfg);
    } else {
        jb_connect_options o;
        jb_connect_options_default(&o);
        const char **servers;
        size_t servers_len;
        if (!args_strings(a, "servers", &has, &servers, &servers_len)) return NULL;
        if (!has) {
            servers = arena_alloc(A, sizeof *servers);
            servers_len = 1;
            if (!substitute("${JB_URL}", &servers[0])) return NULL;
        }
        o.servers = servers;
        o.servers_len = servers_len;
        if (!args_string(a, "name", &o.name)) return NULL;
        if (!credentials_auth(a, &o) || !credentials_tls(a, &o)) return NULL;
        uint64_t timeout;
        if (!args_u64(a, "connect_timeout_ms", &has, &timeout)) return NULL;
        if (has) o.connect_timeout_ms = timeout;
        log_options(&o);
        rc = jb_client_connect(&o, &client);
    }
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    log_client(client);
    state_set_client(st, client);
    return json_object(A);
}

/* The client stays in place so that later steps see CLOSED. */
json *op_close(state *st, args *a) {
    (void)a;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    jb_result rc = jb_client_close(c);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

/* Graceful shutdown within timeout_ms when given, else the core's default
 * (jb_client_drain's 0); the client stays in place so that later steps see
 * CLOSED. An explicit 0 cannot be given: 0 is the default in C. */
json *op_drain(state *st, args *a) {
    bool has;
    uint64_t timeout_ms = 0;
    if (!args_u64(a, "timeout_ms", &has, &timeout_ms)) return NULL;
    if (has && timeout_ms == 0)
        return fail_unsupported("drain timeout_ms 0: jb_client_drain's 0 means the core's default");
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    jb_result rc = jb_client_drain(c, timeout_ms);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

json *op_flush_acks(state *st, args *a) {
    bool has, confirm = false;
    if (!args_bool(a, "confirm", &has, &confirm)) return NULL;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    jb_result rc = jb_client_flush_acks(c, confirm);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

json *op_client_info(state *st, args *a) {
    (void)a;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    jb_connection_state s;
    size_t max_payload;
    jb_result rc = jb_client_connection_state(c, &s);
    if (rc == JB_RESULT_OK) rc = jb_client_max_payload(c, &max_payload);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *o = json_object(A);
    json_set(A, o, "connected", json_bool(A, s.connected));
    json_set(A, o, "closed", json_bool(A, s.closed));
    json_set(A, o, "max_payload", json_uint(A, max_payload));
    return o;
}

json *op_counters(state *st, args *a) {
    (void)a;
    jb_client *c = state_client(st);
    if (c == NULL) return NULL;
    jb_counters counters;
    jb_result rc = jb_client_counters(c, &counters);
    return rc == JB_RESULT_OK ? print_counters(&counters) : fail_binding(rc);
}

json *op_sleep(state *st, args *a) {
    (void)st;
    bool has;
    uint64_t ms = 0;
    if (!args_u64(a, "ms", &has, &ms)) return NULL;
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
    return json_object(A);
}
