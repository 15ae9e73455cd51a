// Declarations of the C shims in shim.c (see there).
#ifndef JETBRIDGE_GO_SHIM_H
#define JETBRIDGE_GO_SHIM_H
#include <jetbridge.h>
#include <stdint.h>
#include <stdlib.h>

jb_result go_connect(const jb_connect_options *o, uintptr_t h);
jb_result go_connect_dapr(const jb_dapr_config *c, uintptr_t h);
jb_result go_connect_dapr_state(const jb_dapr_state_config *c, uintptr_t h);
jb_result go_close(const jb_client *c, uintptr_t h);
jb_result go_drain(const jb_client *c, uint64_t ms, uintptr_t h);
jb_result go_flush_acks(const jb_client *c, bool confirm, uintptr_t h);
jb_result go_create_stream(const jb_client *c, const jb_stream_config *s, uintptr_t h);
jb_result go_update_stream(const jb_client *c, const jb_stream_config *s, uintptr_t h);
jb_result go_stream_info(const jb_client *c, const char *n, uintptr_t h);
jb_result go_delete_stream(const jb_client *c, const char *n, uintptr_t h);
jb_result go_purge_stream(const jb_client *c, const char *n, const jb_purge_options *o, uintptr_t h);
jb_result go_get_message(const jb_client *c, const char *s, uint64_t q, uintptr_t h);
jb_result go_get_last_message(const jb_client *c, const char *s, const char *subj, uintptr_t h);
jb_result go_get_next_message(const jb_client *c, const char *s, const char *subj, uint64_t q, uintptr_t h);
jb_result go_get_messages(const jb_client *c, const char *s, const jb_get_messages_options *o, uintptr_t h);
jb_result go_stream_by_subject(const jb_client *c, const char *s, uintptr_t h);
jb_result go_list_streams(const jb_client *c, const char *subj, uintptr_t h);
jb_result go_delete_message(const jb_client *c, const char *s, uint64_t q, bool erase, uintptr_t h);
jb_result go_account_info(const jb_client *c, uintptr_t h);
jb_result go_publish(const jb_client *c, const jb_publish_message *m, uintptr_t h);
jb_result go_publish_many(const jb_client *c, const jb_publish_message *m, size_t n, uintptr_t h);
jb_result go_publisher_publish_many(const jb_publisher *p, const jb_publish_message *m, size_t n, uintptr_t h);
jb_result go_publisher_flush(const jb_publisher *p, uintptr_t h);
jb_result go_create_consumer(const jb_client *c, const char *s, const jb_consumer_config *cc, uintptr_t h);
jb_result go_update_consumer(const jb_client *c, const char *s, const jb_consumer_config *cc, uintptr_t h);
jb_result go_get_or_create_consumer(const jb_client *c, const char *s, const jb_consumer_config *cc, uintptr_t h);
jb_result go_bind_consumer(const jb_client *c, const char *s, const char *n, const jb_consumer_config *cc, uintptr_t h);
jb_result go_client_consumer_info(const jb_client *c, const char *s, const char *n, uintptr_t h);
jb_result go_delete_consumer(const jb_client *c, const char *s, const char *n, uintptr_t h);
jb_result go_list_consumers(const jb_client *c, const char *s, uintptr_t h);
jb_result go_pause_consumer(const jb_client *c, const char *s, const char *n, int64_t until, uintptr_t h);
jb_result go_resume_consumer(const jb_client *c, const char *s, const char *n, uintptr_t h);
jb_result go_unpin_consumer(const jb_client *c, const char *s, const char *n, const char *g, uintptr_t h);
jb_result go_consumer_info(const jb_consumer *c, uintptr_t h);
jb_result go_consumer_delete(const jb_consumer *c, uintptr_t h);
jb_result go_fetch(const jb_consumer *c, const jb_fetch_options *o, const jb_cancel *cancel, uintptr_t h);
jb_result go_ack_sync(const jb_message *m, uintptr_t h);
jb_result go_messages(const jb_consumer *c, const jb_messages_options *o, uintptr_t h);
jb_result go_replay(const jb_client *c, const char *s, const jb_replay_options *o, uintptr_t h);
jb_result go_push_subscribe(const jb_client *c, const char *s, const jb_consumer_config *cc, uintptr_t h);
jb_result go_dapr_subscribe(const jb_client *c, const char *t, const jb_dapr_config *d, uintptr_t h);
jb_result go_set_callback(const jb_subscription *s, uintptr_t h);

// Core NATS, connection events, tracked publish (core_nats.go, events.go, tracked.go).
jb_result go_core_publish(const jb_client *c, const char *s, const uint8_t *p, size_t n, const jb_header *hd, size_t hn, const char *reply, uintptr_t h);
jb_result go_core_subscribe(const jb_client *c, const char *s, const char *q, uintptr_t h);
jb_result go_core_request(const jb_client *c, const char *s, const uint8_t *p, size_t n, const jb_header *hd, size_t hn, uint64_t ms, uintptr_t h);
jb_result go_core_respond(const jb_client *c, const jb_core_message *m, const uint8_t *p, size_t n, const jb_header *hd, size_t hn, uintptr_t h);
jb_result go_core_unsubscribe(const jb_core_subscription *s, uintptr_t h);
jb_result go_on_event(const jb_client *c, uintptr_t h, jb_event_listener **out);
jb_result go_publish_tracked(const jb_publisher *p, const jb_publish_message *m, uint64_t *ticket, uintptr_t h);

// Atomic batch publish (batch_publish.go).
jb_result go_publish_batch(const jb_client *c, const jb_publish_message *m, size_t n, uintptr_t h);

// Key-value buckets and object stores (kv.go, kv_watch.go, object_store.go).
jb_result go_create_kv(const jb_client *c, const jb_kv_config *k, uintptr_t h);
jb_result go_kv(const jb_client *c, const char *b, uintptr_t h);
jb_result go_delete_kv(const jb_client *c, const char *b, uintptr_t h);
jb_result go_kv_put(const jb_kv *kv, const char *k, const uint8_t *v, size_t n, uintptr_t h);
jb_result go_kv_create(const jb_kv *kv, const char *k, const uint8_t *v, size_t n, uintptr_t h);
jb_result go_kv_update(const jb_kv *kv, const char *k, const uint8_t *v, size_t n, uint64_t rev, uintptr_t h);
jb_result go_kv_delete(const jb_kv *kv, const char *k, uint64_t rev, uintptr_t h);
jb_result go_kv_purge(const jb_kv *kv, const char *k, uint64_t rev, uintptr_t h);
jb_result go_kv_get(const jb_kv *kv, const char *k, uint64_t rev, uintptr_t h);
jb_result go_kv_get_entry(const jb_kv *kv, const char *k, uintptr_t h);
jb_result go_kv_history(const jb_kv *kv, const char *k, uintptr_t h);
jb_result go_kv_keys(const jb_kv *kv, uintptr_t h);
jb_result go_kv_watch(const jb_kv *kv, const char *f, const jb_kv_watch_options *o, uintptr_t h);
jb_result go_kv_watcher_next(const jb_kv_watcher *w, uint64_t ms, uintptr_t h);
jb_result go_create_object_store(const jb_client *c, const jb_object_store_config *o, uintptr_t h);
jb_result go_object_store(const jb_client *c, const char *b, uintptr_t h);
jb_result go_delete_object_store(const jb_client *c, const char *b, uintptr_t h);
jb_result go_object_store_info(const jb_object_store *o, const char *n, uintptr_t h);
jb_result go_object_store_delete(const jb_object_store *o, const char *n, uintptr_t h);
jb_result go_object_store_list(const jb_object_store *o, uintptr_t h);
jb_result go_object_store_get(const jb_object_store *o, const char *n, uintptr_t h);
jb_result go_object_writer_write(const jb_object_writer *w, const uint8_t *d, size_t n, uintptr_t h);
jb_result go_object_writer_finish(const jb_object_writer *w, uintptr_t h);
jb_result go_object_reader_read(const jb_object_reader *r, uintptr_t h);
// Streamed keys, links, meta and the object-store watch (kv_keys.go, object_meta.go, object_watch.go).
jb_result go_kv_list_keys(const jb_kv *kv, const char *f, uintptr_t h);
jb_result go_kv_key_lister_next(const jb_kv_key_lister *l, uint64_t ms, uintptr_t h);
jb_result go_object_store_add_link(const jb_object_store *o, const char *n, const jb_object_info *t, uintptr_t h);
jb_result go_object_store_add_bucket_link(const jb_object_store *o, const char *n, const char *b, uintptr_t h);
jb_result go_object_store_update_meta(const jb_object_store *o, const char *n, const jb_object_meta *m, uintptr_t h);
jb_result go_object_store_watch(const jb_object_store *o, const jb_object_watch_options *w, uintptr_t h);
jb_result go_object_watcher_next(const jb_object_watcher *w, uint64_t ms, uintptr_t h);
// Bucket and store administration (kv_admin.go).
jb_result go_create_or_update_kv(const jb_client *c, const jb_kv_config *k, uintptr_t h);
jb_result go_client_kv_status(const jb_client *c, const char *b, uintptr_t h);
jb_result go_kv_names(const jb_client *c, uintptr_t h);
jb_result go_kv_status(const jb_kv *kv, uintptr_t h);
jb_result go_kv_create_with_ttl(const jb_kv *kv, const char *k, const uint8_t *v, size_t n, uint64_t ttl_ms, uintptr_t h);
jb_result go_kv_keys_matching(const jb_kv *kv, const char *f, uintptr_t h);
jb_result go_client_object_store_status(const jb_client *c, const char *b, uintptr_t h);
jb_result go_object_store_names(const jb_client *c, uintptr_t h);
jb_result go_object_store_status(const jb_object_store *o, uintptr_t h);
jb_result go_object_store_seal(const jb_object_store *o, uintptr_t h);

// The core's logs into slog (log.go).
jb_result go_log_set_callback(uint32_t max_level);

#endif
