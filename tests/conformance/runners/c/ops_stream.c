/* Stream administration: create, update, info, delete, purge, list, get (by
 * sequence, last or next on a subject, a batch) and delete a message; the
 * account's usage and limits. */
#include <string.h>

#include "arena.h"
#include "ops.h"
#include "outcome.h"
#include "printing.h"
#include "record.h"

#define A (&g_step)

/* The configuration of the previous call (see consumer_config). */
static jb_stream_config *g_config;

/* A stream configuration from create_stream / update_stream arguments, read
 * by the core (record.h: this lists no field). */
static const jb_stream_config *config(args *a) {
    const char *wire = record_wire_arg(a, jb_stream_config_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_stream_config_free(g_config);
    g_config = NULL;
    jb_result rc = jb_stream_config_from_json(wire, &g_config);
    if (rc != JB_RESULT_OK) fail_binding(rc);
    return g_config;
}

static json *stream_info_result(jb_result rc, jb_stream_info *info) {
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *printed = print_stream_info(info);
    jb_stream_info_free(info);
    return printed;
}

json *op_create_stream(state *st, args *a) {
    const jb_stream_config *c = config(a);
    if (c == NULL) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stream_info *info = NULL;
    jb_result rc = jb_client_create_stream(client, c, &info);
    return stream_info_result(rc, info);
}

json *op_update_stream(state *st, args *a) {
    const jb_stream_config *c = config(a);
    if (c == NULL) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stream_info *info = NULL;
    jb_result rc = jb_client_update_stream(client, c, &info);
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
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    const char *wire = record_wire_arg(a, jb_purge_options_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_purge_options *o = NULL;
    jb_result rc = jb_purge_options_from_json(wire, &o);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    uint64_t purged;
    rc = jb_client_purge_stream(client, name, o, &purged);
    jb_purge_options_free(o);
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

json *op_get_next_message(state *st, args *a) {
    const char *stream, *subject;
    uint64_t seq;
    if (!args_required_string(a, "stream", &stream) || !args_required_string(a, "subject", &subject) ||
        !args_required_u64(a, "seq", &seq))
        return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stored_message *m = NULL;
    jb_result rc = jb_client_get_next_message(client, stream, subject, seq, &m);
    return stored_result(rc, m);
}

/* get_messages: a batch read, its options the declared
 * jb_get_messages_options read by the core (record.h) -> STORED_LIST. */
json *op_get_messages(state *st, args *a) {
    const char *stream;
    if (!args_required_string(a, "stream", &stream)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    const char *wire = record_wire_arg(a, jb_get_messages_options_schema(), NULL);
    if (wire == NULL) return NULL;
    jb_get_messages_options *o = NULL;
    jb_result rc = jb_get_messages_options_from_json(wire, &o);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    jb_stored_message_list *list = NULL;
    rc = jb_client_get_messages(client, stream, o, &list);
    jb_get_messages_options_free(o);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *messages = json_array(A);
    for (size_t i = 0; i < list->len; i++) json_push(A, messages, print_stored(&list->items[i]));
    json *out = json_object(A);
    json_set(A, out, "count", json_uint(A, list->len));
    json_set(A, out, "messages", messages);
    jb_stored_message_list_free(list);
    return out;
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

/* {"names": [...]}: the stream names of jb_client_list_streams, in its
 * order; `subject` (optional) is the filter, NULL without it. */
json *op_list_streams(state *st, args *a) {
    const char *subject = NULL;
    if (!args_string(a, "subject", &subject)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_stream_info_list *l = NULL;
    jb_result rc = jb_client_list_streams(client, subject, &l);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *names = json_array(A);
    for (size_t i = 0; i < l->len; i++) json_push(A, names, json_str(A, l->items[i].config->name));
    jb_stream_info_list_free(l);
    json *out = json_object(A);
    json_set(A, out, "names", names);
    return out;
}

/* {"names": [...]}: the consumer names of jb_client_list_consumers, in its order. */
json *op_list_consumers(state *st, args *a) {
    const char *stream;
    if (!args_required_string(a, "stream", &stream)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_consumer_info_list *l = NULL;
    jb_result rc = jb_client_list_consumers(client, stream, &l);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    json *names = json_array(A);
    for (size_t i = 0; i < l->len; i++) json_push(A, names, json_str(A, l->items[i].name));
    jb_consumer_info_list_free(l);
    json *out = json_object(A);
    json_set(A, out, "names", names);
    return out;
}

json *op_delete_message(state *st, args *a) {
    const char *stream;
    uint64_t seq;
    if (!args_required_string(a, "stream", &stream) || !args_required_u64(a, "seq", &seq)) return NULL;
    bool has, erase = false;
    if (!args_bool(a, "erase", &has, &erase)) return NULL;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_result rc = jb_client_delete_message(client, stream, seq, has && erase);
    return rc == JB_RESULT_OK ? json_object(A) : fail_binding(rc);
}

/* ACCOUNT_INFO: the declared jb_account_info printed as any declared type
 * (record.h), without api_total and api_errors (each language makes its own
 * number of requests). */
json *op_account_info(state *st, args *a) {
    (void)a;
    jb_client *client = state_client(st);
    if (client == NULL) return NULL;
    jb_account_info *info = NULL;
    jb_result rc = jb_client_account_info(client, &info);
    if (rc != JB_RESULT_OK) return fail_binding(rc);
    static const char *const skip[] = {"api_total", "api_errors", NULL};
    char *text = NULL;
    jb_result trc = jb_account_info_to_json(info, &text);
    jb_account_info_free(info);
    return record_print(trc, text, jb_account_info_schema(), skip);
}
