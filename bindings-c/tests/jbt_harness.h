/*
 * A test's own nats-server, started with the project's harness CLI
 * (`$JB_HARNESS_BIN start --auth <mode>`, protocol: one JSON line per
 * command on stdout), for tests that restart a server. The server stops
 * with jbt_harness_stop (and with this process: the CLI exits on EOF).
 */
#ifndef JBT_HARNESS_H
#define JBT_HARNESS_H

#include <stdio.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    FILE *in;   /* commands to the CLI */
    FILE *out;  /* its replies */
    char url[128];   /* servers[0], without credentials */
    char token[128]; /* auth.token with --auth token, else empty */
} jbt_harness;

/* Starts one server with auth `mode` ("none", "token"); 1 on success. */
int jbt_harness_start(jbt_harness *h, const char *mode);
/* Sends `restart <i>` and waits for the reply; 1 when it says ok. */
int jbt_harness_restart(jbt_harness *h, int i);
/* Sends `stop`, closes the pipes and waits for the CLI. */
void jbt_harness_stop(jbt_harness *h);

#endif
