/* Capturing the core's log records in C tests (t_log.c). */
#ifndef T_LOG_H
#define T_LOG_H

#include "jbtest.h"

#define JBT_LOG_MAX 256

typedef struct {
    jb_log_level level;
    char topic[32];
    char message[256];
} jbt_log_record;

/* Records in arrival order (the first JBT_LOG_MAX), under `mu`. */
typedef struct {
    pthread_mutex_t mu;
    jbt_log_record records[JBT_LOG_MAX];
    size_t len;
} jbt_log;

void jbt_log_init(jbt_log *log);
void jbt_log_destroy(jbt_log *log);
/* A jb_log_callback whose user data is a jbt_log. */
void jbt_log_on_record(void *user, jb_log_level level, const char *topic, const char *message);
/* 1 when a record of `level` and `topic` whose message contains `needle` came. */
int jbt_log_find(jbt_log *log, jb_log_level level, const char *topic, const char *needle);
/* jbt_log_find, waiting for it at most JBT_WAIT_MS. */
int jbt_log_wait(jbt_log *log, jb_log_level level, const char *topic, const char *needle);

#endif
