/* Dapr metadata: `dapr_config` prints what a metadata map configures
 * (jb_dapr_config_get_info); `dapr_subscribe` subscribes the way the Dapr
 * component does; `dapr_state_config`, `dapr_state_open` and
 * `dapr_state_key` do the same for the state.jetstream component. */
#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"

#define A (&g_step)

jb_dapr_config *dapr_parse(const jb_string_pair *metadata, size_t len) {
    jb_dapr_config *cfg = NULL;
    jb_result rc = jb_dapr_config_from_metadata(metadata, len, &cfg);
    if (rc != JB_RESULT_OK) return (jb_dapr_config *)fail_binding(rc);
    /* secret hygiene (SPEC.md §7): the library's description, secrets redacted */
    jb_dapr_config_info *info = NULL;
    rc = jb_dapr_config_get_info(cfg, &info);
    if (rc != JB_RESULT_OK) {
        jb_dapr_config_free(cfg);
        return (jb_dapr_config *)fail_binding(rc);
    }
    log_line("  dapr config: %s", info->description);
    jb_dapr_config_info_free(info);
    return cfg;
}

static jb_dapr_config *parse_arg(args *a) {
    jb_string_pair *metadata;
    size_t len;
    bool has;
    if (!args_string_map(a, "metadata", &has, &metadata, &len)) return NULL;
    if (!has) return (jb_dapr_config *)fail_runner("argument metadata is required");
    return dapr_parse(metadata, len);
}

/* DAPR's `connect`: server URLs counted, never printed; secrets never printed. */
static json *connect_summary(size_t servers, const char *name, const char *auth,
                             bool tls_client_cert, const char *js_api_prefix) {
    json *connect = json_object(A);
    json_set(A, connect, "servers", json_uint(A, servers));
    json_set(A, connect, "name", json_str(A, name));
    json_set(A, connect, "auth", json_str(A, auth));
    json_set(A, connect, "tls_client_cert", json_bool(A, tls_client_cert));
    json_set(A, connect, "js_api_prefix", json_str(A, js_api_prefix));
    return connect;
}

/* The connect and subscription options, normalised (servers counted, secrets never printed). */
json *op_dapr_config(state *st, args *a) {
    (void)st;
    jb_dapr_config *cfg = parse_arg(a);
    if (cfg == NULL) return NULL;
    jb_dapr_config_info *info = NULL;
    jb_result rc = jb_dapr_config_get_info(cfg, &info);
    jb_dapr_config_free(cfg);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *connect = connect_summary(info->servers_len, info->name, info->auth,
                                    info->tls_client_cert, info->js_api_prefix);
    json *sub = json_object(A);
    json_set(A, sub, "stream_name", json_str(A, info->stream_name));
    json_set(A, sub, "concurrency", json_str(A, info->concurrency));
    json_set(A, sub, "start_time_ns",
             info->consumer->start == JB_START_TIME ? json_int(A, info->consumer->start_time_ns) : json_null(A));
    json_set(A, sub, "consumer", print_consumer_config(info->consumer));
    json *out = json_object(A);
    json_set(A, out, "connect", connect);
    json_set(A, out, "subscription", sub);
    jb_dapr_config_info_free(info);
    return out;
}

/* `metadata` and `topic`, on the current client, stored as `as`. */
json *op_dapr_subscribe(state *st, args *a) {
    jb_dapr_config *cfg = parse_arg(a);
    if (cfg == NULL) return NULL;
    const char *topic, *alias;
    jb_client *client = NULL;
    json *result = NULL;
    if (args_required_string(a, "topic", &topic) && args_required_string(a, "as", &alias) &&
        (client = state_client(st)) != NULL) {
        jb_subscription *sub = NULL;
        jb_result rc = jb_client_dapr_subscribe(client, topic, cfg, &sub);
        if (rc != JB_RESULT_OK) {
            fail_binding(rc);
        } else {
            state_put_stream(st, alias, sub);
            result = json_object(A);
        }
    }
    jb_dapr_config_free(cfg);
    return result;
}

/* The `metadata` argument as a state.jetstream config, with its info (the
 * caller frees both); logs the info's description (secret hygiene, SPEC.md §7). */
static jb_dapr_state_config *parse_state(args *a, jb_dapr_state_config_info **info) {
    jb_string_pair *metadata;
    size_t len;
    bool has;
    if (!args_string_map(a, "metadata", &has, &metadata, &len)) return NULL;
    if (!has) return (jb_dapr_state_config *)fail_runner("argument metadata is required");
    jb_dapr_state_config *cfg = NULL;
    jb_result rc = jb_dapr_state_config_from_metadata(metadata, len, &cfg);
    if (rc != JB_RESULT_OK) return (jb_dapr_state_config *)fail_binding(rc);
    rc = jb_dapr_state_config_get_info(cfg, info);
    if (rc != JB_RESULT_OK) {
        jb_dapr_state_config_free(cfg);
        return (jb_dapr_state_config *)fail_binding(rc);
    }
    log_line("  dapr state config: %s", (*info)->description);
    return cfg;
}

/* DAPR_STATE. */
json *op_dapr_state_config(state *st, args *a) {
    (void)st;
    jb_dapr_state_config_info *info = NULL;
    jb_dapr_state_config *cfg = parse_state(a, &info);
    if (cfg == NULL) return NULL;
    json *out = json_object(A);
    json_set(A, out, "connect", connect_summary(info->servers_len, info->name, info->auth,
                                                info->tls_client_cert, info->js_api_prefix));
    json_set(A, out, "bucket", json_str(A, info->bucket));
    jb_dapr_state_config_info_free(info);
    jb_dapr_state_config_free(cfg);
    return out;
}

/* The metadata's bucket on the current client (opened, never created), as
 * `as` (default: the bucket's name). */
json *op_dapr_state_open(state *st, args *a) {
    jb_dapr_state_config_info *info = NULL;
    jb_dapr_state_config *cfg = parse_state(a, &info);
    if (cfg == NULL) return NULL;
    const char *alias;
    jb_client *client = NULL;
    json *result = NULL;
    if (args_string(a, "as", &alias) && (client = state_client(st)) != NULL) {
        jb_kv *kv = NULL;
        jb_result rc = jb_client_kv(client, info->bucket, &kv);
        if (rc != JB_RESULT_OK) {
            fail_binding(rc);
        } else {
            state_put_bucket(st, alias != NULL ? alias : info->bucket, kv);
            result = json_object(A);
            json_set(A, result, "bucket", json_str(A, info->bucket));
        }
    }
    jb_dapr_state_config_info_free(info);
    jb_dapr_state_config_free(cfg);
    return result;
}

/* The bucket key the component stores a Dapr state `key` under. */
json *op_dapr_state_key(state *st, args *a) {
    (void)st;
    const char *key;
    if (!args_required_string(a, "key", &key)) return NULL;
    char *escaped = NULL;
    jb_result rc = jb_dapr_state_key(key, &escaped);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = json_object(A);
    json_set(A, out, "key", json_str(A, escaped));
    jb_string_free(escaped);
    return out;
}
