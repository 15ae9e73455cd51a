/*
 * A very small test framework for the C tests of libjetbridge.
 *
 * A test is `static void test_x(void)`; a failed CHECK prints the location,
 * the expression, the result name and the library's last error, marks the
 * test failed and returns from it. Every wait is bounded (JBT_WAIT_MS).
 */
#ifndef JBTEST_H
#define JBTEST_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jetbridge.h"

#define JBT_WAIT_MS 20000

typedef void (*jbt_fn)(void);

typedef struct {
    const char *name;
    jbt_fn fn;
} jbt_case;

/* Set by a failed check; read by the runner. */
extern int jbt_failed;

void jbt_fail(const char *file, int line, const char *expr, const char *detail);
void jbt_fail_result(const char *file, int line, const char *expr, jb_result got, jb_result want);
/* A durable pull consumer `name` on `stream`, ack wait 30 s, `max_deliver` (0: unset). */
jb_consumer *jbt_durable(jb_client *c, const char *stream, const char *name, int64_t max_deliver);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            jbt_fail(__FILE__, __LINE__, #cond, NULL);                                             \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* `expr` must return `want`. */
#define CHECK_RES(expr, want)                                                                      \
    do {                                                                                           \
        jb_result jbt_r_ = (expr);                                                                 \
        if (jbt_r_ != (want)) {                                                                    \
            jbt_fail_result(__FILE__, __LINE__, #expr, jbt_r_, (want));                            \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_OK(expr) CHECK_RES(expr, JB_RESULT_OK)

/* A jb_str and a C string are equal. */
#define STR_EQ(s, cstr) ((s).len == strlen(cstr) && memcmp((s).ptr, (cstr), (s).len) == 0)

/* The server URL of the test run (NATS_URL), or aborts the test. */
const char *jbt_url(void);
/* An environment variable, or NULL. */
const char *jbt_env(const char *name);

/* Connects to `url` with default options; NULL on failure (test failed). */
jb_client *jbt_connect(const char *url);
/* Deletes and re-creates stream `name` capturing `subject` (memory storage). */
int jbt_fresh_stream(jb_client *c, const char *name, const char *subject);
/* Publishes `payload` on `subject`; returns the sequence or 0 on failure. */
uint64_t jbt_publish(jb_client *c, const char *subject, const char *payload, const char *msg_id);
/* Builds a message with a text payload. */
jb_publish_message jbt_message(const char *subject, const char *payload);

/* A one-shot latch for async callbacks. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int count;
} jbt_latch;

void jbt_latch_init(jbt_latch *l);
void jbt_latch_destroy(jbt_latch *l);
void jbt_latch_add(jbt_latch *l);
/* Waits until count >= n, at most JBT_WAIT_MS; returns 1 when reached. */
int jbt_latch_wait(jbt_latch *l, int n);
int jbt_latch_count(jbt_latch *l);

/* The record of one async call's callback: how often it came, its result, its
 * error text. A test's probe embeds it next to the call's own outputs. */
typedef struct {
    jbt_latch done;
    int calls;
    jb_result result; /* 999 until the callback comes */
    char error[160];  /* the callback's `err`, or empty */
} jbt_call;

/* Zeroes `c` and readies its latch; pair with jbt_call_destroy. */
void jbt_call_init(jbt_call *c);
/* Releases the latch of a jbt_call_init'ed record. */
void jbt_call_destroy(jbt_call *c);
/* Records one callback (calls, result, a copy of `err`) and wakes the waiter:
 * call it last in the callback, after storing the call's outputs. */
void jbt_call_record(jbt_call *c, jb_result r, const char *err);
/* A callback of (ud, result, err) that only records: `ud` is a jbt_call. */
void jbt_call_on_done(void *ud, jb_result r, const char *err);
/* Waits for the callback, then a little longer to catch a second call; returns
 * 1 when it came exactly once. */
int jbt_call_wait_once(jbt_call *c);

void jbt_sleep_ms(int ms);

#endif
