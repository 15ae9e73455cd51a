/* How results are printed: the normalisation rules of SPEC.md §3 and the
 * shapes of §4.9, from the C binding's structs. Everything is built in the
 * step arena (g_step).
 *
 * - Timestamps are never printed, only whether they are present.
 * - A generated message id (`jb-…`) prints as "<generated>".
 * - Ports, URLs, inboxes and ephemeral consumer names are never printed.
 * - Headers whose name starts with `Nats-` are left out; the msg id has its own field.
 * - Durations print as integer milliseconds. The C structs say "unset" with
 *   0 for optional durations and limits (ack wait, max deliver, …): those
 *   print as null, as the core's None does. */
#ifndef JBC_PRINTING_H
#define JBC_PRINTING_H

#include <jetbridge.h>

#include "json.h"

/** Payloads longer than this print as "<N bytes>". */
#define MAX_PRINTED_DATA 200

json *print_msg_id(const char *id, size_t len);
json *print_data(const uint8_t *payload, size_t len);
json *print_headers(const jb_header *headers, size_t len);
json *print_pub_ack(const jb_pub_ack *ack);
/** MESSAGE; msg_id is the message's Nats-Msg-Id header (NULL if none). */
json *print_message(const jb_message_view *m, const jb_str *msg_id);
json *print_stored(const jb_stored_message *m);
json *print_stream_info(const jb_stream_info *info);
json *print_consumer_config(const jb_consumer_config *c);
json *print_consumer_name(const jb_consumer_config *c, const char *name);
json *print_consumer_state(const jb_consumer_info *info);
json *print_consumer_info(const jb_consumer_info *info);
json *print_flush_report(const jb_flush_report *r);
json *print_counters(const jb_counters *c);

#endif
