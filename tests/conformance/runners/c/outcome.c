#include "outcome.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "canonical.h"

static const char *g_kind;
static uint32_t g_api_code; /* of the recorded binding error, 0 when none */
static char *g_text;        /* its message (jb_last_error_message), in g_step */
static bool g_has_rc;       /* a binding error was recorded: g_rc is its jb_result */
static jb_result g_rc;

void log_line(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

static json *fail_with(const char *kind, const char *label, const char *fmt, va_list ap) {
    char why[1024];
    vsnprintf(why, sizeof why, fmt, ap);
    log_line("  %s: %s", label, why);
    g_kind = kind;
    return NULL;
}

json *fail_runner(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fail_with("RUNNER", "runner error", fmt, ap);
    va_end(ap);
    return NULL;
}

json *fail_unsupported(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fail_with("UNSUPPORTED", "unsupported", fmt, ap);
    va_end(ap);
    return NULL;
}

json *fail_binding(jb_result rc) {
    log_line("  core error: %s\n  core error code: %u %s (%s)", jb_last_error_message(), (unsigned)rc,
             jb_result_name(rc), jb_result_message(rc));
    g_kind = jb_result_name(rc);
    g_has_rc = true;
    g_rc = rc;
    g_api_code = jb_last_error_api_code();
    g_text = arena_strdup(&g_step, jb_last_error_message());
    return NULL;
}

json *fail_recorded(jb_result rc, const char *text, uint32_t api_code) {
    log_line("  core error: %s\n  core error code: %u %s (%s)", text ? text : "", (unsigned)rc,
             jb_result_name(rc), jb_result_message(rc));
    g_kind = jb_result_name(rc);
    g_has_rc = true;
    g_rc = rc;
    g_api_code = api_code;
    g_text = arena_strdup(&g_step, text ? text : "");
    return NULL;
}

void outcome_reset(void) {
    g_kind = NULL;
    g_api_code = 0;
    g_text = NULL;
    g_has_rc = false;
    g_rc = JB_RESULT_OK;
}

const char *outcome_kind(void) { return g_kind; }

/* The kind a C program catches: it compares the call's jb_result with the
 * header's JB_RESULT_* constants (`if (rc == JB_RESULT_TIMEOUT)`, a switch);
 * the first constant, in the core's order, equal to rc, named as the header
 * spells it (not through jb_result_name, so the two are checked against each
 * other); NULL when none is. */
#define CAUGHT(kind) {JB_RESULT_##kind, #kind}
static const struct {
    jb_result rc;
    const char *name;
} g_caught[] = {
    CAUGHT(INVALID_ARGUMENT), CAUGHT(NULL_PARAMETER), CAUGHT(INVALID_HANDLE), CAUGHT(CONNECTION),
    CAUGHT(AUTH), CAUGHT(TLS), CAUGHT(TIMEOUT), CAUGHT(NOT_FOUND),
    CAUGHT(ALREADY_EXISTS), CAUGHT(WRONG_LAST_SEQUENCE), CAUGHT(STREAM_MISMATCH), CAUGHT(PUBLISH_OUTCOME_UNKNOWN),
    CAUGHT(NO_RESPONDERS), CAUGHT(JETSTREAM_UNAVAILABLE), CAUGHT(JETSTREAM_NOT_ENABLED), CAUGHT(HEARTBEAT_MISSED),
    CAUGHT(CONFIG_MISMATCH), CAUGHT(ALREADY_ACKED), CAUGHT(LIMIT_EXCEEDED), CAUGHT(PERMISSION_DENIED),
    CAUGHT(CLOSED), CAUGHT(FORKED), CAUGHT(SERVER), CAUGHT(PANIC),
    CAUGHT(INTERNAL), CAUGHT(SERVER_TOO_OLD),
};
#undef CAUGHT

static const char *caught_as(jb_result rc) {
    for (size_t i = 0; i < sizeof g_caught / sizeof g_caught[0]; i++)
        if (rc == g_caught[i].rc) return g_caught[i].name;
    return NULL;
}

char *outcome_line(arena *a, size_t step, const char *op, const json *result, const char *kind, bool show_text,
                   bool catch) {
    json *line = json_object(a);
    json_set(a, line, "step", json_uint(a, step));
    json_set(a, line, "op", json_str(a, op));
    if (kind == NULL) {
        json_set(a, line, "ok", (json *)result);
    } else {
        json_set(a, line, "error", json_str(a, kind));
        if (g_api_code != 0) json_set(a, line, "api_code", json_uint(a, g_api_code));
        if (show_text && g_text != NULL) json_set(a, line, "text", json_str(a, g_text));
        if (catch && g_has_rc) {
            const char *caught = caught_as(g_rc);
            json_set(a, line, "caught_as", caught != NULL ? json_str(a, caught) : json_null(a));
        }
    }
    return canonical_encode(a, line);
}
