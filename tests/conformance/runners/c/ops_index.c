/* The op table and the dispatcher. */
#include <string.h>

#include "ops.h"
#include "outcome.h"

static const struct {
    const char *name;
    op_fn fn;
} OPS[] = {
    {"connect", op_connect},
    {"close", op_close},
    {"drain", op_drain},
    {"client_info", op_client_info},
    {"counters", op_counters},
    {"sleep", op_sleep},
    {"create_stream", op_create_stream},
    {"update_stream", op_update_stream},
    {"stream_info", op_stream_info},
    {"delete_stream", op_delete_stream},
    {"purge_stream", op_purge_stream},
    {"get_message", op_get_message},
    {"get_last_message", op_get_last_message},
    {"get_next_message", op_get_next_message},
    {"get_messages", op_get_messages},
    {"stream_by_subject", op_stream_by_subject},
    {"list_streams", op_list_streams},
    {"list_consumers", op_list_consumers},
    {"delete_message", op_delete_message},
    {"account_info", op_account_info},
    {"publish", op_publish},
    {"publish_many", op_publish_many},
    {"publish_batch", op_publish_batch},
    {"publisher_open", op_publisher_open},
    {"publisher_publish", op_publisher_publish},
    {"publisher_publish_many", op_publisher_publish_many},
    {"publisher_flush", op_publisher_flush},
    {"publisher_close", op_publisher_close},
    {"publisher_publish_tracked", op_publisher_publish_tracked},
    {"publisher_ack", op_publisher_ack},
    {"core_subscribe", op_core_subscribe},
    {"core_publish", op_core_publish},
    {"core_next", op_core_next},
    {"core_next_group", op_core_next_group},
    {"core_unsubscribe", op_core_unsubscribe},
    {"core_reply_service", op_core_reply_service},
    {"core_respond", op_core_respond},
    {"core_request", op_core_request},
    {"events_listen", op_events_listen},
    {"events_next", op_events_next},
    {"create_consumer", op_create_consumer},
    {"update_consumer", op_update_consumer},
    {"get_or_create_consumer", op_get_or_create_consumer},
    {"bind_consumer", op_bind_consumer},
    {"consumer_info", op_consumer_info},
    {"delete_consumer", op_delete_consumer},
    {"fetch", op_fetch},
    {"pause_consumer", op_pause_consumer},
    {"resume_consumer", op_resume_consumer},
    {"unpin_consumer", op_unpin_consumer},
    {"ack", op_ack},
    {"nak", op_nak},
    {"term", op_term},
    {"in_progress", op_in_progress},
    {"ack_sync", op_ack_sync},
    {"messages", op_messages},
    {"replay", op_replay},
    {"push_subscribe", op_push_subscribe},
    {"next", op_next},
    {"next_group", op_next_group},
    {"stop", op_stop},
    {"dapr_config", op_dapr_config},
    {"dapr_subscribe", op_dapr_subscribe},
    {"kv_create", op_kv_create},
    {"kv_create_or_update", op_kv_create_or_update},
    {"kv_status", op_kv_status},
    {"kv_names", op_kv_names},
    {"kv_open", op_kv_open},
    {"kv_delete_bucket", op_kv_delete_bucket},
    {"kv_put", op_kv_put},
    {"kv_create_key", op_kv_create_key},
    {"kv_update", op_kv_update},
    {"kv_delete", op_kv_delete},
    {"kv_purge", op_kv_purge},
    {"kv_get", op_kv_get},
    {"kv_entry", op_kv_entry},
    {"kv_history", op_kv_history},
    {"kv_keys", op_kv_keys},
    {"kv_watch", op_kv_watch},
    {"kv_watch_next", op_kv_watch_next},
    {"kv_watch_stop", op_kv_watch_stop},
    {"obj_create", op_obj_create},
    {"obj_open", op_obj_open},
    {"obj_delete_store", op_obj_delete_store},
    {"obj_status", op_obj_status},
    {"obj_seal", op_obj_seal},
    {"obj_names", op_obj_names},
    {"obj_put", op_obj_put},
    {"obj_get", op_obj_get},
    {"obj_info", op_obj_info},
    {"obj_delete", op_obj_delete},
    {"obj_list", op_obj_list},
};

json *ops_run(state *st, const char *op, const json *raw_args) {
    op_fn fn = NULL;
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0] && fn == NULL; i++)
        if (strcmp(OPS[i].name, op) == 0) fn = OPS[i].fn;
    if (fn == NULL) return fail_unsupported("unknown op \"%s\"", op);
    args *a = args_root(raw_args);
    json *result = fn(st, a);
    if (result == NULL) return NULL;
    return args_finish(a) ? result : NULL;
}
