/* `jb-conformance-c SCENARIO.json`: runs one conformance scenario through the
 * public C API of JetBridge (jetbridge.h, libjetbridge) and prints its
 * transcript, one canonical JSON line per step (tests/conformance/SPEC.md).
 *
 * Exit code 0 when every step was executed (whatever its outcome), 2 when
 * the scenario cannot be read, 3 when stdout cannot be written. Diagnostics
 * go to stderr: each step's op, for every error its message, and every log
 * record of the library at debug (`jetbridge <level> <topic>: <message>`),
 * which the suite's secret scan reads. Never to stdout (the transcript). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json.h"
#include "ops.h"
#include "outcome.h"
#include "state.h"

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 65536, n = 0;
    char *data = malloc(cap);
    for (;;) {
        if (data == NULL) break;
        n += fread(data + n, 1, cap - n, f);
        if (n < cap) break;
        char *grown = realloc(data, cap *= 2);
        if (grown == NULL) {
            free(data);
            data = NULL;
        } else {
            data = grown;
        }
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

/* The steps of the scenario (op and args of each, checked), or NULL. */
static const json *load(arena *a, const char *path) {
    size_t len;
    char *text = read_file(path, &len);
    if (text == NULL) {
        log_line("jb-conformance-c: cannot read %s", path);
        return NULL;
    }
    char err[256];
    json *doc = json_parse(a, text, len, err, sizeof err);
    free(text);
    if (doc == NULL) {
        log_line("jb-conformance-c: %s: %s", path, err);
        return NULL;
    }
    const json *steps = json_get(doc, "steps");
    if (steps == NULL || steps->kind != JSON_ARRAY) {
        log_line("jb-conformance-c: %s: \"steps\" must be a list", path);
        return NULL;
    }
    for (size_t i = 0; i < steps->len; i++) {
        const json *op = json_get(steps->items[i], "op");
        const json *args = json_get(steps->items[i], "args");
        if (op == NULL || op->kind != JSON_STRING) {
            log_line("jb-conformance-c: %s: step %zu has no \"op\"", path, i + 1);
            return NULL;
        }
        if (args != NULL && args->kind != JSON_OBJECT && args->kind != JSON_NULL) {
            log_line("jb-conformance-c: %s: step %zu \"args\" must be an object", path, i + 1);
            return NULL;
        }
    }
    return steps;
}

/* The library's log records, one line each on stderr (one fprintf: whole
 * lines even from several library threads). */
static void log_to_stderr(void *user, jb_log_level level, const char *topic, const char *message) {
    (void)user;
    fprintf(stderr, "jetbridge %s %s: %s\n", jb_log_level_name(level), topic, message);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        log_line("usage: jb-conformance-c SCENARIO.json");
        return 2;
    }
    arena scenario = {0};
    const json *steps = load(&scenario, argv[1]);
    if (steps == NULL) {
        arena_reset(&scenario);
        return 2;
    }
    log_line("libjetbridge %s (header %s)", jb_version(), JB_VERSION);
    if (jb_log_set_callback(JB_LOG_LEVEL_DEBUG, log_to_stderr, NULL) != JB_RESULT_OK)
        log_line("jb-conformance-c: cannot set the log callback: %s", jb_last_error_message());
    state st = {0};
    int code = 0;
    for (size_t i = 0; i < steps->len && code == 0; i++) {
        const char *op = json_get(steps->items[i], "op")->str;
        const json *args = json_get(steps->items[i], "args");
        if (args != NULL && args->kind == JSON_NULL) args = NULL;
        const json *show = json_get(steps->items[i], "show_text");
        bool show_text = show != NULL && show->kind == JSON_BOOL && show->boolean;
        const json *caught = json_get(steps->items[i], "catch");
        bool catch = caught != NULL && caught->kind == JSON_BOOL && caught->boolean;
        log_line("step %zu %s", i + 1, op);
        outcome_reset();
        json *result = ops_run(&st, op, args);
        const char *kind = result == NULL ? outcome_kind() : NULL;
        if (result == NULL && kind == NULL) kind = "RUNNER"; /* a step failed without saying why: a runner bug */
        char *line = outcome_line(&g_step, i + 1, op, result, kind, show_text, catch);
        if (line == NULL) {
            log_line("  runner error: the result holds a value canonical JSON cannot");
            line = outcome_line(&g_step, i + 1, op, NULL, "RUNNER", false, false);
        }
        if (printf("%s\n", line) < 0 || fflush(stdout) != 0) code = 3;
        arena_reset(&g_step);
    }
    state_shutdown(&st);
    jb_log_set_callback(0, NULL, NULL);
    arena_reset(&scenario);
    return code;
}
