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

typedef struct state {
    jb_client *client;       /* last successful connect; a closed client stays */
    jb_publisher *publisher; /* last publisher_open */
    consumer_entry *consumers;
    size_t consumers_len, consumers_cap;
    stream_entry *streams;
    size_t streams_len, streams_cap;
    message_entry *messages;
    size_t messages_len, messages_cap;
} state;

/* Getters: NULL after recording a RUNNER error. */
jb_client *state_client(state *st);
jb_publisher *state_publisher(state *st);
consumer_entry *state_consumer(state *st, const char *alias);
jb_subscription *state_stream(state *st, const char *alias);
jb_message *state_message(state *st, const char *alias, uint64_t seq);

/* Setters take ownership of the handle; a replaced one is freed. */
void state_set_client(state *st, jb_client *client);
void state_set_publisher(state *st, jb_publisher *publisher);
void state_put_consumer(state *st, const char *alias, jb_consumer *consumer, const char *stream, const char *name);
void state_put_stream(state *st, const char *alias, jb_subscription *sub);
/** Remembers a delivery as the latest of (alias, its stream sequence). */
void state_remember(state *st, const char *alias, jb_message *message);

/** Frees the subscriptions, consumers, messages, publisher; closes and frees the client. */
void state_shutdown(state *st);

#endif
