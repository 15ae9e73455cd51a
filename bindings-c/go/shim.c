// C shims of the Go binding: each passes a cgo.Handle value as user_data
// with the callback that forwards to the matching //export trampoline.
#include <stdint.h>
#include <stdlib.h>
#include "shim.h"
#include "_cgo_export.h"
// Callbacks with the exact C signatures, forwarding to the Go exports.
static void cb_done(void *u, jb_result r, const char *e) { goDone(u, r, (char *)e); }
static void cb_client(void *u, jb_result r, const char *e, jb_client *h) { goHandle(u, r, (char *)e, h); }
static void cb_consumer(void *u, jb_result r, const char *e, jb_consumer *h) { goHandle(u, r, (char *)e, h); }
static void cb_subscription(void *u, jb_result r, const char *e, jb_subscription *h) { goHandle(u, r, (char *)e, h); }
static void cb_pub_ack(void *u, jb_result r, const char *e, const jb_pub_ack *v) { goPubAck(u, r, (char *)e, (jb_pub_ack *)v); }
static void cb_results(void *u, jb_result r, const char *e, const jb_publish_results *v) { goPublishResults(u, r, (char *)e, (jb_publish_results *)v); }
static void cb_tickets(void *u, jb_result r, const char *e, const uint64_t *t, size_t n) { goTickets(u, r, (char *)e, (uint64_t *)t, n); }
static void cb_report(void *u, jb_result r, const char *e, const jb_flush_report *v) { goFlushReport(u, r, (char *)e, (jb_flush_report *)v); }
static void cb_stream_info(void *u, jb_result r, const char *e, const jb_stream_info *v) { goStreamInfo(u, r, (char *)e, (jb_stream_info *)v); }
static void cb_stream_infos(void *u, jb_result r, const char *e, const jb_stream_info_list *v) { goStreamInfoList(u, r, (char *)e, (jb_stream_info_list *)v); }
static void cb_account_info(void *u, jb_result r, const char *e, const jb_account_info *v) { goAccountInfo(u, r, (char *)e, (jb_account_info *)v); }
static void cb_stored(void *u, jb_result r, const char *e, const jb_stored_message *v) { goStoredMessage(u, r, (char *)e, (jb_stored_message *)v); }
static void cb_stored_list(void *u, jb_result r, const char *e, const jb_stored_message_list *v) { goStoredMessageList(u, r, (char *)e, (jb_stored_message_list *)v); }
static void cb_consumer_info(void *u, jb_result r, const char *e, const jb_consumer_info *v) { goConsumerInfo(u, r, (char *)e, (jb_consumer_info *)v); }
static void cb_consumer_infos(void *u, jb_result r, const char *e, const jb_consumer_info_list *v) { goConsumerInfoList(u, r, (char *)e, (jb_consumer_info_list *)v); }
static void cb_pause_state(void *u, jb_result r, const char *e, const jb_consumer_pause_state *v) { goConsumerPauseState(u, r, (char *)e, (jb_consumer_pause_state *)v); }
static void cb_count(void *u, jb_result r, const char *e, uint64_t v) { goCount(u, r, (char *)e, v); }
static void cb_string(void *u, jb_result r, const char *e, const char *v) { goString(u, r, (char *)e, (char *)v); }
static void cb_messages(void *u, jb_result r, const char *e, jb_message *const *m, size_t n) { goMessages(u, r, (char *)e, (jb_message **)m, n); }
static void cb_sub_many(void *c, jb_result r, const char *e, jb_message *const *m, size_t n) { goSubMany(c, r, (char *)e, (jb_message **)m, n); }

#define UD(h) ((void *)(h))

jb_result go_connect(const jb_connect_options *o, uintptr_t h) { return jb_client_connect_async(o, cb_client, UD(h)); }
jb_result go_connect_dapr(const jb_dapr_config *c, uintptr_t h) { return jb_client_connect_dapr_async(c, cb_client, UD(h)); }
jb_result go_connect_dapr_state(const jb_dapr_state_config *c, uintptr_t h) { return jb_client_connect_dapr_state_async(c, cb_client, UD(h)); }
jb_result go_close(const jb_client *c, uintptr_t h) { return jb_client_close_async(c, cb_done, UD(h)); }
jb_result go_drain(const jb_client *c, uint64_t ms, uintptr_t h) { return jb_client_drain_async(c, ms, cb_done, UD(h)); }
jb_result go_flush_acks(const jb_client *c, bool confirm, uintptr_t h) { return jb_client_flush_acks_async(c, confirm, cb_done, UD(h)); }
jb_result go_create_stream(const jb_client *c, const jb_stream_config *s, uintptr_t h) { return jb_client_create_stream_async(c, s, cb_stream_info, UD(h)); }
jb_result go_update_stream(const jb_client *c, const jb_stream_config *s, uintptr_t h) { return jb_client_update_stream_async(c, s, cb_stream_info, UD(h)); }
jb_result go_stream_info(const jb_client *c, const char *n, uintptr_t h) { return jb_client_stream_info_async(c, n, cb_stream_info, UD(h)); }
jb_result go_delete_stream(const jb_client *c, const char *n, uintptr_t h) { return jb_client_delete_stream_async(c, n, cb_done, UD(h)); }
jb_result go_purge_stream(const jb_client *c, const char *n, const jb_purge_options *o, uintptr_t h) { return jb_client_purge_stream_async(c, n, o, cb_count, UD(h)); }
jb_result go_get_message(const jb_client *c, const char *s, uint64_t q, uintptr_t h) { return jb_client_get_message_async(c, s, q, cb_stored, UD(h)); }
jb_result go_get_last_message(const jb_client *c, const char *s, const char *subj, uintptr_t h) { return jb_client_get_last_message_async(c, s, subj, cb_stored, UD(h)); }
jb_result go_get_next_message(const jb_client *c, const char *s, const char *subj, uint64_t q, uintptr_t h) { return jb_client_get_next_message_async(c, s, subj, q, cb_stored, UD(h)); }
jb_result go_get_messages(const jb_client *c, const char *s, const jb_get_messages_options *o, uintptr_t h) { return jb_client_get_messages_async(c, s, o, cb_stored_list, UD(h)); }
jb_result go_stream_by_subject(const jb_client *c, const char *s, uintptr_t h) { return jb_client_stream_by_subject_async(c, s, cb_string, UD(h)); }
jb_result go_list_streams(const jb_client *c, const char *subj, uintptr_t h) { return jb_client_list_streams_async(c, subj, cb_stream_infos, UD(h)); }
jb_result go_delete_message(const jb_client *c, const char *s, uint64_t q, bool erase, uintptr_t h) { return jb_client_delete_message_async(c, s, q, erase, cb_done, UD(h)); }
jb_result go_account_info(const jb_client *c, uintptr_t h) { return jb_client_account_info_async(c, cb_account_info, UD(h)); }
jb_result go_publish(const jb_client *c, const jb_publish_message *m, uintptr_t h) { return jb_client_publish_async(c, m, cb_pub_ack, UD(h)); }
jb_result go_publish_many(const jb_client *c, const jb_publish_message *m, size_t n, uintptr_t h) { return jb_client_publish_many_async(c, m, n, cb_results, UD(h)); }
jb_result go_publisher_publish_many(const jb_publisher *p, const jb_publish_message *m, size_t n, uintptr_t h) { return jb_publisher_publish_many_async(p, m, n, cb_tickets, UD(h)); }
jb_result go_publisher_flush(const jb_publisher *p, uintptr_t h) { return jb_publisher_flush_async(p, cb_report, UD(h)); }
jb_result go_create_consumer(const jb_client *c, const char *s, const jb_consumer_config *cc, uintptr_t h) { return jb_client_create_consumer_async(c, s, cc, cb_consumer, UD(h)); }
jb_result go_update_consumer(const jb_client *c, const char *s, const jb_consumer_config *cc, uintptr_t h) { return jb_client_update_consumer_async(c, s, cc, cb_consumer, UD(h)); }
jb_result go_get_or_create_consumer(const jb_client *c, const char *s, const jb_consumer_config *cc, uintptr_t h) { return jb_client_get_or_create_consumer_async(c, s, cc, cb_consumer, UD(h)); }
jb_result go_bind_consumer(const jb_client *c, const char *s, const char *n, const jb_consumer_config *cc, uintptr_t h) { return jb_client_bind_consumer_async(c, s, n, cc, cb_consumer, UD(h)); }
jb_result go_client_consumer_info(const jb_client *c, const char *s, const char *n, uintptr_t h) { return jb_client_consumer_info_async(c, s, n, cb_consumer_info, UD(h)); }
jb_result go_delete_consumer(const jb_client *c, const char *s, const char *n, uintptr_t h) { return jb_client_delete_consumer_async(c, s, n, cb_done, UD(h)); }
jb_result go_list_consumers(const jb_client *c, const char *s, uintptr_t h) { return jb_client_list_consumers_async(c, s, cb_consumer_infos, UD(h)); }
jb_result go_pause_consumer(const jb_client *c, const char *s, const char *n, int64_t until, uintptr_t h) { return jb_client_pause_consumer_async(c, s, n, until, cb_pause_state, UD(h)); }
jb_result go_resume_consumer(const jb_client *c, const char *s, const char *n, uintptr_t h) { return jb_client_resume_consumer_async(c, s, n, cb_pause_state, UD(h)); }
jb_result go_unpin_consumer(const jb_client *c, const char *s, const char *n, const char *g, uintptr_t h) { return jb_client_unpin_consumer_async(c, s, n, g, cb_done, UD(h)); }
jb_result go_consumer_info(const jb_consumer *c, uintptr_t h) { return jb_consumer_get_info_async(c, cb_consumer_info, UD(h)); }
jb_result go_consumer_delete(const jb_consumer *c, uintptr_t h) { return jb_consumer_delete_async(c, cb_done, UD(h)); }
jb_result go_fetch(const jb_consumer *c, const jb_fetch_options *o, const jb_cancel *cancel, uintptr_t h) { return jb_consumer_fetch_cancellable_async(c, o, cancel, cb_messages, UD(h)); }
jb_result go_ack_sync(const jb_message *m, uintptr_t h) { return jb_message_ack_sync_async(m, cb_done, UD(h)); }
jb_result go_messages(const jb_consumer *c, const jb_messages_options *o, uintptr_t h) { return jb_consumer_messages_async(c, o, cb_subscription, UD(h)); }
jb_result go_replay(const jb_client *c, const char *s, const jb_replay_options *o, uintptr_t h) { return jb_client_replay_async(c, s, o, cb_subscription, UD(h)); }
jb_result go_push_subscribe(const jb_client *c, const char *s, const jb_consumer_config *cc, uintptr_t h) { return jb_client_push_subscribe_async(c, s, cc, cb_subscription, UD(h)); }
jb_result go_dapr_subscribe(const jb_client *c, const char *t, const jb_dapr_config *d, uintptr_t h) { return jb_client_dapr_subscribe_async(c, t, d, cb_subscription, UD(h)); }
jb_result go_set_callback(const jb_subscription *s, uintptr_t h) {
	jb_messages_closure c = { UD(h), cb_sub_many, goSubDrop };
	return jb_subscription_set_batch_callback(s, c);
}

// Core NATS, connection events, tracked publish.
static void cb_core_sub(void *u, jb_result r, const char *e, jb_core_subscription *h) { goHandle(u, r, (char *)e, h); }
static void cb_core_msg(void *u, jb_result r, const char *e, jb_core_message *h) { goHandle(u, r, (char *)e, h); }
static void cb_event(void *u, jb_event_kind k, const char *d) { goEvent(u, (uint32_t)k, (char *)d); }
static void cb_tracked(void *u, jb_result r, const char *e, const jb_pub_ack *v) { goTrackedAck(u, r, (char *)e, (jb_pub_ack *)v); }
jb_result go_core_publish(const jb_client *c, const char *s, const uint8_t *p, size_t n, const jb_header *hd, size_t hn, const char *reply, uintptr_t h) { return jb_client_core_publish_async(c, s, p, n, hd, hn, reply, cb_done, UD(h)); }
jb_result go_core_subscribe(const jb_client *c, const char *s, const char *q, uintptr_t h) { return jb_client_core_subscribe_async(c, s, q, cb_core_sub, UD(h)); }
jb_result go_core_request(const jb_client *c, const char *s, const uint8_t *p, size_t n, const jb_header *hd, size_t hn, uint64_t ms, uintptr_t h) { return jb_client_core_request_async(c, s, p, n, hd, hn, ms, cb_core_msg, UD(h)); }
jb_result go_core_respond(const jb_client *c, const jb_core_message *m, const uint8_t *p, size_t n, const jb_header *hd, size_t hn, uintptr_t h) { return jb_client_core_respond_async(c, m, p, n, hd, hn, cb_done, UD(h)); }
jb_result go_core_unsubscribe(const jb_core_subscription *s, uintptr_t h) { return jb_core_subscription_unsubscribe_async(s, cb_done, UD(h)); }
jb_result go_on_event(const jb_client *c, uintptr_t h, jb_event_listener **out) { return jb_client_on_event(c, cb_event, UD(h), out); }
jb_result go_publish_tracked(const jb_publisher *p, const jb_publish_message *m, uint64_t *ticket, uintptr_t h) { return jb_publisher_publish_tracked(p, m, ticket, cb_tracked, UD(h)); }

// Atomic batch publish (batch_publish.go).
static void cb_batch_ack(void *u, jb_result r, const char *e, const jb_batch_ack *v) { goBatchAck(u, r, (char *)e, (jb_batch_ack *)v); }
jb_result go_publish_batch(const jb_client *c, const jb_publish_message *m, size_t n, uintptr_t h) { return jb_client_publish_batch_async(c, m, n, cb_batch_ack, UD(h)); }

// Key-value buckets and object stores (kv.go, kv_watch.go, object_store.go).
static void cb_kv(void *u, jb_result r, const char *e, jb_kv *h) { goHandle(u, r, (char *)e, h); }
static void cb_kv_watcher(void *u, jb_result r, const char *e, jb_kv_watcher *h) { goHandle(u, r, (char *)e, h); }
static void cb_revision(void *u, jb_result r, const char *e, uint64_t v) { goCount(u, r, (char *)e, v); }
static void cb_kv_entry(void *u, jb_result r, const char *e, const jb_kv_entry *v) { goKvEntry(u, r, (char *)e, (jb_kv_entry *)v); }
static void cb_kv_entries(void *u, jb_result r, const char *e, const jb_kv_entry_list *v) { goKvEntryList(u, r, (char *)e, (jb_kv_entry_list *)v); }
static void cb_kv_keys(void *u, jb_result r, const char *e, const jb_kv_key_list *v) { goKvKeyList(u, r, (char *)e, (jb_kv_key_list *)v); }
static void cb_kv_watch_event(void *u, jb_result r, const char *e, const jb_kv_entry *v, bool caught_up) { goKvWatchEvent(u, r, (char *)e, (jb_kv_entry *)v, caught_up); }
static void cb_object_store(void *u, jb_result r, const char *e, jb_object_store *h) { goHandle(u, r, (char *)e, h); }
static void cb_object_reader(void *u, jb_result r, const char *e, jb_object_reader *h) { goHandle(u, r, (char *)e, h); }
static void cb_object_info(void *u, jb_result r, const char *e, const jb_object_info *v) { goObjectInfo(u, r, (char *)e, (jb_object_info *)v); }
static void cb_object_infos(void *u, jb_result r, const char *e, const jb_object_info_list *v) { goObjectInfoList(u, r, (char *)e, (jb_object_info_list *)v); }
static void cb_object_chunk(void *u, jb_result r, const char *e, const uint8_t *d, size_t n) { goObjectChunk(u, r, (char *)e, (uint8_t *)d, n); }
jb_result go_create_kv(const jb_client *c, const jb_kv_config *k, uintptr_t h) { return jb_client_create_kv_async(c, k, cb_kv, UD(h)); }
jb_result go_kv(const jb_client *c, const char *b, uintptr_t h) { return jb_client_kv_async(c, b, cb_kv, UD(h)); }
jb_result go_delete_kv(const jb_client *c, const char *b, uintptr_t h) { return jb_client_delete_kv_async(c, b, cb_done, UD(h)); }
jb_result go_kv_put(const jb_kv *kv, const char *k, const uint8_t *v, size_t n, uintptr_t h) { return jb_kv_put_async(kv, k, v, n, cb_revision, UD(h)); }
jb_result go_kv_create(const jb_kv *kv, const char *k, const uint8_t *v, size_t n, uintptr_t h) { return jb_kv_create_async(kv, k, v, n, cb_revision, UD(h)); }
jb_result go_kv_update(const jb_kv *kv, const char *k, const uint8_t *v, size_t n, uint64_t rev, uintptr_t h) { return jb_kv_update_async(kv, k, v, n, rev, cb_revision, UD(h)); }
jb_result go_kv_delete(const jb_kv *kv, const char *k, uint64_t rev, uintptr_t h) { return jb_kv_delete_async(kv, k, rev, cb_revision, UD(h)); }
jb_result go_kv_purge(const jb_kv *kv, const char *k, uint64_t rev, uintptr_t h) { return jb_kv_purge_async(kv, k, rev, cb_revision, UD(h)); }
jb_result go_kv_get(const jb_kv *kv, const char *k, uint64_t rev, uintptr_t h) { return jb_kv_get_async(kv, k, rev, cb_kv_entry, UD(h)); }
jb_result go_kv_get_entry(const jb_kv *kv, const char *k, uintptr_t h) { return jb_kv_get_entry_async(kv, k, cb_kv_entry, UD(h)); }
jb_result go_kv_history(const jb_kv *kv, const char *k, uintptr_t h) { return jb_kv_history_async(kv, k, cb_kv_entries, UD(h)); }
jb_result go_kv_keys(const jb_kv *kv, uintptr_t h) { return jb_kv_keys_async(kv, cb_kv_keys, UD(h)); }
jb_result go_kv_watch(const jb_kv *kv, const char *f, const jb_kv_watch_options *o, uintptr_t h) { return jb_kv_watch_async(kv, f, o, cb_kv_watcher, UD(h)); }
jb_result go_kv_watcher_next(const jb_kv_watcher *w, uint64_t ms, uintptr_t h) { return jb_kv_watcher_next_async(w, ms, cb_kv_watch_event, UD(h)); }
jb_result go_create_object_store(const jb_client *c, const jb_object_store_config *o, uintptr_t h) { return jb_client_create_object_store_async(c, o, cb_object_store, UD(h)); }
jb_result go_object_store(const jb_client *c, const char *b, uintptr_t h) { return jb_client_object_store_async(c, b, cb_object_store, UD(h)); }
jb_result go_delete_object_store(const jb_client *c, const char *b, uintptr_t h) { return jb_client_delete_object_store_async(c, b, cb_done, UD(h)); }
jb_result go_object_store_info(const jb_object_store *o, const char *n, uintptr_t h) { return jb_object_store_info_async(o, n, cb_object_info, UD(h)); }
jb_result go_object_store_delete(const jb_object_store *o, const char *n, uintptr_t h) { return jb_object_store_delete_async(o, n, cb_done, UD(h)); }
jb_result go_object_store_list(const jb_object_store *o, uintptr_t h) { return jb_object_store_list_async(o, cb_object_infos, UD(h)); }
jb_result go_object_store_get(const jb_object_store *o, const char *n, uintptr_t h) { return jb_object_store_get_async(o, n, cb_object_reader, UD(h)); }
jb_result go_object_writer_write(const jb_object_writer *w, const uint8_t *d, size_t n, uintptr_t h) { return jb_object_writer_write_async(w, d, n, cb_done, UD(h)); }
jb_result go_object_writer_finish(const jb_object_writer *w, uintptr_t h) { return jb_object_writer_finish_async(w, cb_object_info, UD(h)); }
jb_result go_object_reader_read(const jb_object_reader *r, uintptr_t h) { return jb_object_reader_read_async(r, cb_object_chunk, UD(h)); }

// Streamed keys, links, meta and the object-store watch (kv_keys.go, object_meta.go, object_watch.go).
static void cb_kv_key_lister(void *u, jb_result r, const char *e, jb_kv_key_lister *h) { goHandle(u, r, (char *)e, h); }
static void cb_kv_key(void *u, jb_result r, const char *e, const char *k) { goKvKey(u, r, (char *)e, (char *)k); }
static void cb_object_watcher(void *u, jb_result r, const char *e, jb_object_watcher *h) { goHandle(u, r, (char *)e, h); }
static void cb_object_watch_event(void *u, jb_result r, const char *e, const jb_object_info *v, bool caught_up) { goObjectWatchEvent(u, r, (char *)e, (jb_object_info *)v, caught_up); }
jb_result go_kv_list_keys(const jb_kv *kv, const char *f, uintptr_t h) { return jb_kv_list_keys_async(kv, f, cb_kv_key_lister, UD(h)); }
jb_result go_kv_key_lister_next(const jb_kv_key_lister *l, uint64_t ms, uintptr_t h) { return jb_kv_key_lister_next_async(l, ms, cb_kv_key, UD(h)); }
jb_result go_object_store_add_link(const jb_object_store *o, const char *n, const jb_object_info *t, uintptr_t h) { return jb_object_store_add_link_async(o, n, t, cb_object_info, UD(h)); }
jb_result go_object_store_add_bucket_link(const jb_object_store *o, const char *n, const char *b, uintptr_t h) { return jb_object_store_add_bucket_link_async(o, n, b, cb_object_info, UD(h)); }
jb_result go_object_store_update_meta(const jb_object_store *o, const char *n, const jb_object_meta *m, uintptr_t h) { return jb_object_store_update_meta_async(o, n, m, cb_object_info, UD(h)); }
jb_result go_object_store_watch(const jb_object_store *o, const jb_object_watch_options *w, uintptr_t h) { return jb_object_store_watch_async(o, w, cb_object_watcher, UD(h)); }
jb_result go_object_watcher_next(const jb_object_watcher *w, uint64_t ms, uintptr_t h) { return jb_object_watcher_next_async(w, ms, cb_object_watch_event, UD(h)); }

// Bucket and store administration (kv_admin.go).
static void cb_kv_status(void *u, jb_result r, const char *e, const jb_kv_status *v) { goKvStatus(u, r, (char *)e, (jb_kv_status *)v); }
static void cb_object_store_status(void *u, jb_result r, const char *e, const jb_object_store_status *v) { goObjectStoreStatus(u, r, (char *)e, (jb_object_store_status *)v); }
jb_result go_create_or_update_kv(const jb_client *c, const jb_kv_config *k, uintptr_t h) { return jb_client_create_or_update_kv_async(c, k, cb_kv, UD(h)); }
jb_result go_client_kv_status(const jb_client *c, const char *b, uintptr_t h) { return jb_client_kv_status_async(c, b, cb_kv_status, UD(h)); }
jb_result go_kv_names(const jb_client *c, uintptr_t h) { return jb_client_kv_names_async(c, cb_kv_keys, UD(h)); }
jb_result go_kv_status(const jb_kv *kv, uintptr_t h) { return jb_kv_get_status_async(kv, cb_kv_status, UD(h)); }
jb_result go_kv_create_with_ttl(const jb_kv *kv, const char *k, const uint8_t *v, size_t n, uint64_t ttl_ms, uintptr_t h) { return jb_kv_create_with_ttl_async(kv, k, v, n, ttl_ms, cb_revision, UD(h)); }
jb_result go_kv_keys_matching(const jb_kv *kv, const char *f, uintptr_t h) { return jb_kv_keys_matching_async(kv, f, cb_kv_keys, UD(h)); }
jb_result go_client_object_store_status(const jb_client *c, const char *b, uintptr_t h) { return jb_client_object_store_status_async(c, b, cb_object_store_status, UD(h)); }
jb_result go_object_store_names(const jb_client *c, uintptr_t h) { return jb_client_object_store_names_async(c, cb_kv_keys, UD(h)); }
jb_result go_object_store_status(const jb_object_store *o, uintptr_t h) { return jb_object_store_get_status_async(o, cb_object_store_status, UD(h)); }
jb_result go_object_store_seal(const jb_object_store *o, uintptr_t h) { return jb_object_store_seal_async(o, cb_object_store_status, UD(h)); }

// The core's logs into slog (log.go): every record to goLog; the logger is
// Go's, so no user_data is needed.
static void cb_log(void *u, jb_log_level level, const char *topic, const char *message) {
	(void)u;
	goLog(level, (char *)topic, (char *)message);
}
jb_result go_log_set_callback(uint32_t max_level) { return jb_log_set_callback(max_level, cb_log, NULL); }
