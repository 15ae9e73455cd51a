#include "state.h"

#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "outcome.h"

static char *dup(const char *s) {
    char *p = strdup(s == NULL ? "" : s);
    if (p == NULL) abort();
    return p;
}

static void *grow(void *items, size_t len, size_t *cap, size_t size) {
    if (len < *cap) return items;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *n = realloc(items, ncap * size);
    if (n == NULL) abort();
    *cap = ncap;
    return n;
}

jb_client *state_client(state *st) {
    if (st->client == NULL) fail_runner("no client: the scenario must connect first");
    return st->client;
}

jb_publisher *state_publisher(state *st) {
    if (st->publisher == NULL) fail_runner("no publisher: use publisher_open first");
    return st->publisher;
}

consumer_entry *state_consumer(state *st, const char *alias) {
    for (size_t i = 0; i < st->consumers_len; i++)
        if (strcmp(st->consumers[i].alias, alias) == 0) return &st->consumers[i];
    fail_runner("no consumer with alias \"%s\"", alias);
    return NULL;
}

jb_subscription *state_stream(state *st, const char *alias) {
    for (size_t i = 0; i < st->streams_len; i++)
        if (strcmp(st->streams[i].alias, alias) == 0) return st->streams[i].sub;
    fail_runner("no message stream with alias \"%s\"", alias);
    return NULL;
}

jb_message *state_message(state *st, const char *alias, uint64_t seq) {
    for (size_t i = 0; i < st->messages_len; i++)
        if (st->messages[i].seq == seq && strcmp(st->messages[i].alias, alias) == 0) return st->messages[i].message;
    fail_runner("no message with seq %llu received from \"%s\"", (unsigned long long)seq, alias);
    return NULL;
}

static void *alias_get(alias_list *l, const char *alias, const char *what) {
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i].alias, alias) == 0) return l->items[i].handle;
    fail_runner("no %s with alias \"%s\"", what, alias);
    return NULL;
}

/* Stores handle under alias; returns the handle it replaces (NULL if none). */
static void *alias_put(alias_list *l, const char *alias, void *handle) {
    for (size_t i = 0; i < l->len; i++) {
        if (strcmp(l->items[i].alias, alias) == 0) {
            void *old = l->items[i].handle;
            l->items[i].handle = handle;
            return old;
        }
    }
    l->items = grow(l->items, l->len, &l->cap, sizeof *l->items);
    l->items[l->len++] = (alias_entry){dup(alias), handle};
    return NULL;
}

/* Frees the aliases and the list; free_fn frees each handle. */
static void alias_clear(alias_list *l, void (*free_fn)(void *)) {
    for (size_t i = 0; i < l->len; i++) {
        free_fn(l->items[i].handle);
        free(l->items[i].alias);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

static void free_bucket(void *h) { jb_kv_free(h); }
static void free_watcher(void *h) { jb_kv_watcher_free(h); }
static void free_object_store(void *h) { jb_object_store_free(h); }
static void free_object_watcher(void *h) { jb_object_watcher_free(h); }

jb_kv *state_bucket(state *st, const char *alias) { return alias_get(&st->buckets, alias, "bucket"); }
jb_kv_watcher *state_watcher(state *st, const char *alias) { return alias_get(&st->watchers, alias, "watch"); }
jb_object_store *state_object_store(state *st, const char *alias) {
    return alias_get(&st->object_stores, alias, "object store");
}
jb_object_watcher *state_object_watcher(state *st, const char *alias) {
    return alias_get(&st->object_watchers, alias, "object watch");
}

void state_put_bucket(state *st, const char *alias, jb_kv *kv) { jb_kv_free(alias_put(&st->buckets, alias, kv)); }
void state_put_watcher(state *st, const char *alias, jb_kv_watcher *watcher) {
    jb_kv_watcher_free(alias_put(&st->watchers, alias, watcher));
}
void state_put_object_store(state *st, const char *alias, jb_object_store *store) {
    jb_object_store_free(alias_put(&st->object_stores, alias, store));
}
void state_put_object_watcher(state *st, const char *alias, jb_object_watcher *watcher) {
    jb_object_watcher_free(alias_put(&st->object_watchers, alias, watcher));
}

void state_set_client(state *st, jb_client *client) {
    jb_client_free(st->client);
    st->client = client;
}

void state_set_publisher(state *st, jb_publisher *publisher) {
    jb_publisher_free(st->publisher);
    st->publisher = publisher;
}

void state_put_consumer(state *st, const char *alias, jb_consumer *consumer, const char *stream, const char *name) {
    for (size_t i = 0; i < st->consumers_len; i++) {
        consumer_entry *e = &st->consumers[i];
        if (strcmp(e->alias, alias) == 0) {
            jb_consumer_free(e->consumer);
            free(e->stream);
            free(e->name);
            e->consumer = consumer;
            e->stream = dup(stream);
            e->name = dup(name);
            return;
        }
    }
    st->consumers = grow(st->consumers, st->consumers_len, &st->consumers_cap, sizeof *st->consumers);
    st->consumers[st->consumers_len++] = (consumer_entry){dup(alias), consumer, dup(stream), dup(name)};
}

void state_put_stream(state *st, const char *alias, jb_subscription *sub) {
    for (size_t i = 0; i < st->streams_len; i++) {
        if (strcmp(st->streams[i].alias, alias) == 0) {
            jb_subscription_free(st->streams[i].sub);
            st->streams[i].sub = sub;
            return;
        }
    }
    st->streams = grow(st->streams, st->streams_len, &st->streams_cap, sizeof *st->streams);
    st->streams[st->streams_len++] = (stream_entry){dup(alias), sub};
}

void state_remember(state *st, const char *alias, jb_message *message) {
    jb_message_view view;
    if (jb_message_read(message, &view) != JB_RESULT_OK) {
        jb_message_free(message);
        return;
    }
    for (size_t i = 0; i < st->messages_len; i++) {
        message_entry *e = &st->messages[i];
        if (e->seq == view.stream_sequence && strcmp(e->alias, alias) == 0) {
            jb_message_free(e->message);
            e->message = message;
            return;
        }
    }
    st->messages = grow(st->messages, st->messages_len, &st->messages_cap, sizeof *st->messages);
    st->messages[st->messages_len++] = (message_entry){dup(alias), view.stream_sequence, message};
}

void state_shutdown(state *st) {
    core_shutdown();
    alias_clear(&st->watchers, free_watcher);
    alias_clear(&st->object_watchers, free_object_watcher);
    alias_clear(&st->buckets, free_bucket);
    alias_clear(&st->object_stores, free_object_store);
    for (size_t i = 0; i < st->streams_len; i++) {
        jb_subscription_free(st->streams[i].sub);
        free(st->streams[i].alias);
    }
    free(st->streams);
    for (size_t i = 0; i < st->messages_len; i++) {
        jb_message_free(st->messages[i].message);
        free(st->messages[i].alias);
    }
    free(st->messages);
    for (size_t i = 0; i < st->consumers_len; i++) {
        jb_consumer_free(st->consumers[i].consumer);
        free(st->consumers[i].alias);
        free(st->consumers[i].stream);
        free(st->consumers[i].name);
    }
    free(st->consumers);
    jb_publisher_free(st->publisher);
    if (st->client != NULL) {
        jb_client_close(st->client); /* best effort */
        jb_client_free(st->client);
    }
    memset(st, 0, sizeof *st);
}
