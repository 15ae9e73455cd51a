/* What one step ended with, the stderr log, and the transcript lines
 * (SPEC.md §2). A step function returns its result object, or NULL after
 * one of the fail_* calls recorded why. */
#ifndef JBC_OUTCOME_H
#define JBC_OUTCOME_H

#include <jetbridge.h>
#include <stdbool.h>

#include "json.h"

/** A diagnostic line on stderr (saved next to the transcript). */
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** RUNNER: the scenario is malformed or names something that does not exist. */
json *fail_runner(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** UNSUPPORTED: the C binding cannot do what the scenario asks. */
json *fail_unsupported(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** The binding's error rc: prints its jb_result name, its API code
 *  (jb_last_error_api_code) and, on show_text steps, its message
 *  (jb_last_error_message); logs the message and the code (secret hygiene:
 *  the driver checks the log shows no secret). Call it on the thread of the
 *  failed call, before any other jb_ call. */
json *fail_binding(jb_result rc);

/** fail_binding for an error received on another thread (an async
 *  callback): its rc, text and API code as the callback saw them. */
json *fail_recorded(jb_result rc, const char *text, uint32_t api_code);

/** Clears the recorded error before a step. */
void outcome_reset(void);
/** The recorded error kind of the step (NULL when none was recorded). */
const char *outcome_kind(void);

/** The transcript line of step n: {"ok": result} or {"error": kind}, with
 *  the recorded binding error's "api_code" when it has one, its "text"
 *  when show_text, and when catch "caught_as": the JB_RESULT_* constant its
 *  jb_result equals, as a C program tests it (SPEC.md §2). */
char *outcome_line(arena *a, size_t step, const char *op, const json *result, const char *kind, bool show_text,
                   bool catch);

#endif
