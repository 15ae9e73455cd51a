/* One function per operation of SPEC.md §4: json *op(state, args) returns
 * the step's result object (in g_step), or NULL after a fail_* call. */
#ifndef JBC_OPS_H
#define JBC_OPS_H

#include <jetbridge.h>

#include "args.h"
#include "json.h"
#include "state.h"

typedef json *(*op_fn)(state *st, args *a);

/** Runs one step: unknown op -> UNSUPPORTED; unknown arguments -> RUNNER
 *  (checked after the operation ran, as in the Rust runner). */
json *ops_run(state *st, const char *op, const json *raw_args);

/* ops_client.c */
json *op_connect(state *st, args *a);
json *op_close(state *st, args *a);
json *op_drain(state *st, args *a);
json *op_flush_acks(state *st, args *a);
json *op_client_info(state *st, args *a);
json *op_counters(state *st, args *a);
json *op_sleep(state *st, args *a);

/* ops_credentials.c: the `credentials` and `tls` arguments of connect
 * (SPEC.md §4.1.1) into o; secrets come from the environment only. */
bool credentials_auth(args *a, jb_connect_options *o);
bool credentials_tls(args *a, jb_connect_options *o);

/* ops_stream.c */
json *op_create_stream(state *st, args *a);
json *op_update_stream(state *st, args *a);
json *op_stream_info(state *st, args *a);
json *op_delete_stream(state *st, args *a);
json *op_purge_stream(state *st, args *a);
json *op_get_message(state *st, args *a);
json *op_get_last_message(state *st, args *a);
json *op_get_next_message(state *st, args *a);
json *op_get_messages(state *st, args *a);
json *op_stream_by_subject(state *st, args *a);
json *op_list_streams(state *st, args *a);
json *op_list_consumers(state *st, args *a);
json *op_delete_message(state *st, args *a);
json *op_account_info(state *st, args *a);

/* ops_publish.c */
json *op_publish(state *st, args *a);
json *op_publish_many(state *st, args *a);
json *op_publish_batch(state *st, args *a);
json *op_publisher_open(state *st, args *a);
json *op_publisher_publish(state *st, args *a);
json *op_publisher_publish_many(state *st, args *a);
json *op_publisher_flush(state *st, args *a);
json *op_publisher_close(state *st, args *a);

/* ops_start.c: a START object into (start, sequence, time_ns); `time` with
 * `after_seq` reads that stored message and starts 1 ns after it. */
bool start_position(jb_client *client, const char *stream, args *a, uint32_t *start, uint64_t *seq, int64_t *time_ns);

/* ops_consumer.c */
/** A consumer configuration from a scenario's `config` object (a may be NULL: defaults). */
bool consumer_config(state *st, const char *stream, args *a, jb_consumer_config *c);
json *op_create_consumer(state *st, args *a);
json *op_update_consumer(state *st, args *a);
json *op_get_or_create_consumer(state *st, args *a);
json *op_bind_consumer(state *st, args *a);
json *op_consumer_info(state *st, args *a);
json *op_delete_consumer(state *st, args *a);
json *op_fetch(state *st, args *a);
json *op_pause_consumer(state *st, args *a);
json *op_resume_consumer(state *st, args *a);
json *op_unpin_consumer(state *st, args *a);

/* ops_message.c */
json *op_ack(state *st, args *a);
json *op_nak(state *st, args *a);
json *op_term(state *st, args *a);
json *op_in_progress(state *st, args *a);
json *op_ack_sync(state *st, args *a);
json *op_read_headers(state *st, args *a);
json *op_trace_context(state *st, args *a);

/* ops_subscription.c */
json *op_messages(state *st, args *a);
json *op_replay(state *st, args *a);
json *op_push_subscribe(state *st, args *a);
json *op_next(state *st, args *a);
json *op_next_group(state *st, args *a);
json *op_stop(state *st, args *a);

/* ops_core.c: core NATS, connection events, tracked publishes (SPEC.md §4.3, §4.8) */
json *op_publisher_publish_tracked(state *st, args *a);
json *op_publisher_ack(state *st, args *a);
json *op_core_subscribe(state *st, args *a);
json *op_core_publish(state *st, args *a);
json *op_core_next(state *st, args *a);
json *op_core_next_group(state *st, args *a);
json *op_core_unsubscribe(state *st, args *a);
json *op_core_reply_service(state *st, args *a);
json *op_core_respond(state *st, args *a);
json *op_core_request(state *st, args *a);
json *op_events_listen(state *st, args *a);
json *op_events_next(state *st, args *a);
/** Ends the reply services, frees the core subscriptions, listeners and tracked acks. */
void core_shutdown(void);
/** A message of §4.3 from its scenario keys (ops_publish.c). */
bool publish_message_arg(args *a, jb_publish_message *m);

/* ops_dapr.c */
/** Parses Dapr metadata into a config (caller frees) and logs its description. */
jb_dapr_config *dapr_parse(const jb_string_pair *metadata, size_t len);
json *op_dapr_config(state *st, args *a);
json *op_dapr_subscribe(state *st, args *a);
json *op_dapr_state_config(state *st, args *a);
json *op_dapr_state_open(state *st, args *a);
json *op_dapr_state_key(state *st, args *a);

/* ops_kv.c: key-value buckets and watches (SPEC.md §4.11) */
json *op_kv_create(state *st, args *a);
json *op_kv_create_or_update(state *st, args *a);
json *op_kv_status(state *st, args *a);
json *op_kv_names(state *st, args *a);
/** {"names": [...]} of a name list (kv_names, obj_names), in its order. */
json *names_result(const jb_kv_key_list *l);
json *op_kv_open(state *st, args *a);
json *op_kv_delete_bucket(state *st, args *a);
json *op_kv_put(state *st, args *a);
json *op_kv_create_key(state *st, args *a);
json *op_kv_update(state *st, args *a);
json *op_kv_delete(state *st, args *a);
json *op_kv_purge(state *st, args *a);
json *op_kv_get(state *st, args *a);
json *op_kv_entry(state *st, args *a);
json *op_kv_history(state *st, args *a);
json *op_kv_keys(state *st, args *a);
json *op_kv_list_keys(state *st, args *a);
json *op_kv_watch(state *st, args *a);
json *op_kv_watch_next(state *st, args *a);
json *op_kv_watch_stop(state *st, args *a);

/* ops_object.c: object stores (SPEC.md §4.11) */
json *op_obj_create(state *st, args *a);
json *op_obj_open(state *st, args *a);
json *op_obj_delete_store(state *st, args *a);
json *op_obj_status(state *st, args *a);
json *op_obj_seal(state *st, args *a);
json *op_obj_names(state *st, args *a);
json *op_obj_put(state *st, args *a);
json *op_obj_get(state *st, args *a);
json *op_obj_info(state *st, args *a);
json *op_obj_delete(state *st, args *a);
json *op_obj_list(state *st, args *a);

/* ops_object_meta.c: object links, meta updates and watches (SPEC.md §4.11) */
/** OBJECT_INFO of a jb_object_info (ops_object.c); NULL after a fail_* call. */
json *print_object_info(const jb_object_info *info);
/** Milliseconds of a monotonic clock (ops_kv.c). */
int64_t kv_now_ms(void);
json *op_obj_add_link(state *st, args *a);
json *op_obj_add_bucket_link(state *st, args *a);
json *op_obj_update_meta(state *st, args *a);
json *op_obj_watch(state *st, args *a);
json *op_obj_watch_next(state *st, args *a);
json *op_obj_watch_stop(state *st, args *a);

#endif
