/* Stream administration: create, update, info, delete, purge, get message. */
#include <string.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"

#define A (&g_step)

/* value's index in names (n of them), or UNSUPPORTED. */
static bool choice(const char *what, const char *value, const char *const *names, uint32_t n, uint32_t *out) {
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(names[i], value) == 0) {
            *out = i;
            return true;
        }
    fail_unsupported("%s \"%s\"", what, value);
    return false;
}

/* A stream configuration from create_stream / update_stream arguments
 * (JB_RETENTION_*, JB_STORAGE_*, JB_DISCARD_* are the indexes below). */
static bool config(args *a, jb_stream_config *c) {
    static const char *const storage[] = {"file", "memory"};
    static const char *const retention[] = {"limits", "interest", "workqueue"};
    static const char *const discard[] = {"old", "new"};
    jb_stream_config_default(c);
    bool has;
    if (!args_required_string(a, "name", &c->name)) return false;
    const char **subjects;
    if (!args_strings(a, "subjects", &has, &subjects, &c->subjects_len)) return false;
    c->subjects = subjects;
    const char *s;
    if (!args_string(a, "storage", &s)) return false;
    if (s != NULL && !choice("storage", s, storage, 2, &c->storage)) return false;
    if (!args_string(a, "retention", &s)) return false;
    if (s != NULL && !choice("retention", s, retention, 3, &c->retention)) return false;
    if (!args_string(a, "discard", &s)) return false;
    if (s != NULL && !choice("discard", s, discard, 2, &c->discard)) return false;
    uint64_t u;
    int64_t i;
    if (!args_u64(a, "replicas", &has, &u)) return false;
    if (has) c->replicas = u > UINT32_MAX ? UINT32_MAX : (uint32_t)u;
    if (!args_i64(a, "max_msgs", &has, &i)) return false;
    if (has) c->max_msgs = i;
    if (!args_i64(a, "max_bytes", &has, &i)) return false;
    if (has) c->max_bytes = i;
    if (!args_i64(a, "max_msgs_per_subject", &has, &i)) return false;
    if (has) c->max_msgs_per_subject = i;
    if (!args_i64(a, "max_msg_size", &has, &i)) return false;
    if (has) c->max_msg_size = i > INT32_MAX || i < INT32_MIN ? INT32_MAX : (int32_t)i;
    if (!args_u64(a, "max_age_ms", &has, &u)) return false;
    if (has) c->max_age_ms = u;
    if (!args_u64(a, "duplicate_window_ms", &has, &u)) return false;
    if (has) c->duplicate_window_ms = u;
    if (!args_string(a, "description", &c->description)) return false;
    return true;
}

static json *stream_info_result(jb_result rc, jb_stream_info *info) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *printed = print_stream_info(info);
    jb_stream_info_free(info);
    return printed;
}

json *op_create_stream(state *st, args *a) {
    jb_stream_config c;
    if (!config(a, &c)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stream_info *info = NULL;
    jb_result rc = jb_client_create_stream(client, &c, &info);
    return stream_info_result(rc, info);
}

json *op_update_stream(state *st, args *a) {
    jb_stream_config c;
    if (!config(a, &c)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stream_info *info = NULL;
    jb_result rc = jb_client_update_stream(client, &c, &info);
    return stream_info_result(rc, info);
}

json *op_stream_info(state *st, args *a) {
    const char *name;
    if (!args_required_string(a, "name", &name)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stream_info *info = NULL;
    jb_result rc = jb_client_stream_info(client, name, &info);
    return stream_info_result(rc, info);
}

json *op_delete_stream(state *st, args *a) {
    const char *name;
    if (!args_required_string(a, "name", &name)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_result rc = jb_client_delete_stream(client, name);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

json *op_purge_stream(state *st, args *a) {
    const char *name;
    if (!args_required_string(a, "name", &name)) return NULL;
    jb_purge_options o = {0};
    if (!args_string(a, "subject", &o.subject)) return NULL;
    if (!args_u64(a, "up_to_sequence", &o.has_up_to_sequence, &o.up_to_sequence)) return NULL;
    if (!args_u64(a, "keep", &o.has_keep, &o.keep)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    uint64_t purged;
    jb_result rc = jb_client_purge_stream(client, name, &o, &purged);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = json_object(A);
    json_set(A, out, "purged", json_uint(A, purged));
    return out;
}

static json *stored_result(jb_result rc, jb_stored_message *m) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *printed = print_stored(m);
    jb_stored_message_free(m);
    return printed;
}

json *op_get_message(state *st, args *a) {
    const char *stream;
    uint64_t seq;
    if (!args_required_string(a, "stream", &stream) || !args_required_u64(a, "seq", &seq)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stored_message *m = NULL;
    jb_result rc = jb_client_get_message(client, stream, seq, &m);
    return stored_result(rc, m);
}

json *op_get_last_message(state *st, args *a) {
    const char *stream, *subject;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "subject", &subject)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stored_message *m = NULL;
    jb_result rc = jb_client_get_last_message(client, stream, subject, &m);
    return stored_result(rc, m);
}

json *op_stream_by_subject(state *st, args *a) {
    const char *subject;
    if (!args_required_string(a, "subject", &subject)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    char *name = NULL;
    jb_result rc = jb_client_stream_by_subject(client, subject, &name);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *out = json_object(A);
    json_set(A, out, "stream", json_str(A, name));
    jb_string_free(name);
    return out;
}
