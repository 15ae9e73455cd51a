/* See jbt_harness.h. */
#include "jbt_harness.h"

#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jbtest.h"

extern char **environ;

/* Copies the JSON string value after `key` (e.g. "\"token\":\"") in `line`
 * into `out`; 1 when found. The harness's values hold no escapes. */
static int json_text(const char *line, const char *key, char *out, size_t cap) {
    const char *p = strstr(line, key);
    if (!p) return 0;
    p += strlen(key);
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= cap) return 0;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return 1;
}

static int reply_ok(jbt_harness *h) {
    char line[4096];
    return fgets(line, sizeof line, h->out) != NULL && strstr(line, "\"ok\":true") != NULL;
}

int jbt_harness_start(jbt_harness *h, const char *mode) {
    memset(h, 0, sizeof *h);
    const char *bin = jbt_env("JB_HARNESS_BIN");
    if (!bin) {
        fprintf(stderr, "    JB_HARNESS_BIN is not set (scripts/test.sh sets it)\n");
        return 0;
    }
    int to_cli[2], from_cli[2];
    if (pipe(to_cli) != 0) return 0;
    if (pipe(from_cli) != 0) {
        close(to_cli[0]);
        close(to_cli[1]);
        return 0;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to_cli[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from_cli[1], 1);
    posix_spawn_file_actions_addclose(&fa, to_cli[1]);
    posix_spawn_file_actions_addclose(&fa, from_cli[0]);
    char *argv[] = {(char *)bin, "start", "--auth", (char *)mode, NULL};
    int rc = posix_spawn(&h->pid, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(to_cli[0]);
    close(from_cli[1]);
    h->in = fdopen(to_cli[1], "w");
    h->out = fdopen(from_cli[0], "r");
    if (rc != 0 || !h->in || !h->out) {
        jbt_harness_stop(h);
        return 0;
    }
    char line[4096];
    if (!fgets(line, sizeof line, h->out) || !strstr(line, "\"ok\":true") ||
        !json_text(line, "\"urls\":[\"", h->url, sizeof h->url)) {
        jbt_harness_stop(h);
        return 0;
    }
    json_text(line, "\"token\":\"", h->token, sizeof h->token);
    return 1;
}

int jbt_harness_restart(jbt_harness *h, int i) {
    if (!h->in) return 0;
    fprintf(h->in, "restart %d\n", i);
    fflush(h->in);
    return reply_ok(h);
}

void jbt_harness_stop(jbt_harness *h) {
    if (h->in) {
        fputs("stop\n", h->in);
        fflush(h->in);
        if (h->out) reply_ok(h);
        fclose(h->in);
    }
    if (h->out) fclose(h->out);
    if (h->pid > 0) waitpid(h->pid, NULL, 0);
    h->in = h->out = NULL;
    h->pid = 0;
}
