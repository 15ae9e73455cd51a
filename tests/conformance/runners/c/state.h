/* What a scenario has built so far: the client, the publisher, consumers and
 * message streams (subscriptions) by alias, and the latest delivery of each
 * stream sequence per alias. The state owns every handle in it (malloc'd
 * names, binding handles) and state_shutdown frees them all. */
#ifndef JBC_STATE_H
#define JBC_STATE_H

#include <jetbridge.h>
#include <stdint.h>

typedef struct consumer_entry {
    char *alias;
    jb_consumer *consumer;
    char *stream; /* the consumer's stream and name, for consumer_info by alias */
    char *name;
} consumer_entry;

typedef struct stream_entry {
    char *alias;
    jb_subscription *sub;
} stream_entry;

typedef struct message_entry {
    char *alias;
    uint64_t seq;
    jb_message *message;
} message_entry;

/* A handle of a key-value or object store op by alias (SPEC.md §4.11). */
typedef struct alias_entry {
    char *alias;
    void *handle;
} alias_entry;

typedef struct alias_list {
    alias_entry *items;
    size_t len, cap;
} alias_list;

typedef struct state {
    jb_client *client;       /* last successful connect; a closed client stays */
    jb_publisher *publisher; /* last publisher_open */
    consumer_entry *consumers;
    size_t consumers_len, consumers_cap;
    stream_entry *streams;
    size_t streams_len, streams_cap;
    message_entry *messages;
    size_t messages_len, messages_cap;
    alias_list buckets;       /* jb_kv */
    alias_list watchers;      /* jb_kv_watcher */
    alias_list object_stores; /* jb_object_store */
    alias_list object_watchers; /* jb_object_watcher */
} state;

/* Getters: NULL after recording a RUNNER error. */
jb_client *state_client(state *st);
jb_publisher *state_publisher(state *st);
consumer_entry *state_consumer(state *st, const char *alias);
jb_subscription *state_stream(state *st, const char *alias);
jb_message *state_message(state *st, const char *alias, uint64_t seq);

jb_kv *state_bucket(state *st, const char *alias);
jb_kv_watcher *state_watcher(state *st, const char *alias);
jb_object_store *state_object_store(state *st, const char *alias);
jb_object_watcher *state_object_watcher(state *st, const char *alias);

/* Setters take ownership of the handle; a replaced one is freed. */
void state_set_client(state *st, jb_client *client);
void state_set_publisher(state *st, jb_publisher *publisher);
void state_put_consumer(state *st, const char *alias, jb_consumer *consumer, const char *stream, const char *name);
void state_put_stream(state *st, const char *alias, jb_subscription *sub);
void state_put_bucket(state *st, const char *alias, jb_kv *kv);
void state_put_watcher(state *st, const char *alias, jb_kv_watcher *watcher);
void state_put_object_store(state *st, const char *alias, jb_object_store *store);
void state_put_object_watcher(state *st, const char *alias, jb_object_watcher *watcher);
/** Remembers a delivery as the latest of (alias, its stream sequence). */
void state_remember(state *st, const char *alias, jb_message *message);

/** Frees the watchers, buckets, object stores, subscriptions, consumers, messages, publisher; closes and frees the client. */
void state_shutdown(state *st);

#endif
