#include "outcome.h"

#include <stdarg.h>
#include <stdio.h>

#include "canonical.h"

static const char *g_kind;

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
    return NULL;
}

void outcome_reset(void) { g_kind = NULL; }

const char *outcome_kind(void) { return g_kind; }

char *outcome_line(arena *a, size_t step, const char *op, const json *result, const char *kind) {
    json *line = json_object(a);
    json_set(a, line, "step", json_uint(a, step));
    json_set(a, line, "op", json_str(a, op));
    if (kind != NULL) json_set(a, line, "error", json_str(a, kind));
    else json_set(a, line, "ok", (json *)result);
    return canonical_encode(a, line);
}
