/* Reading a step's arguments: typed getters, ${JB_*} substitution, and a
 * check that every argument given was understood (a typo in a scenario is a
 * RUNNER error). Absent and null mean the same: "not given".
 *
 * Every getter returns false after recording a RUNNER error (fail_runner);
 * on true, optional outputs say whether the key was given (has / NULL);
 * an absent number or bool reads as 0 / false.
 * Everything returned lives in the step arena (g_step). */
#ifndef JBC_ARGS_H
#define JBC_ARGS_H

#include <jetbridge.h>
#include <stdbool.h>
#include <stdint.h>

#include "json.h"

typedef struct args_seen args_seen;

/** The arguments of one step, or one nested object of them (sharing the
 *  record of read keys, so args_finish on the root checks them all). */
typedef struct args {
    const json *map;
    const char *path;
    args_seen *seen;
} args;

/** The root arguments of a step (map: an object, or NULL for none). */
args *args_root(const json *map);

/** Replaces every ${JB_NAME} in s with that environment variable. */
bool substitute(const char *s, const char **out);

/** The raw value (NULL when absent or null), marked as read. */
const json *args_raw(args *a, const char *key);

bool args_string(args *a, const char *key, const char **out);
bool args_required_string(args *a, const char *key, const char **out);
/** A non-negative integer. */
bool args_u64(args *a, const char *key, bool *has, uint64_t *out);
bool args_required_u64(args *a, const char *key, uint64_t *out);
/** An integer that may be negative. */
bool args_i64(args *a, const char *key, bool *has, int64_t *out);
bool args_bool(args *a, const char *key, bool *has, bool *out);
/** A list of non-negative integers (`..._ms` lists). */
bool args_u64_list(args *a, const char *key, bool *has, uint64_t **out, size_t *len);
/** A list of strings, substituted. */
bool args_strings(args *a, const char *key, bool *has, const char ***out, size_t *len);
/** A list of [name, value] string pairs, as headers. */
bool args_pairs(args *a, const char *key, bool *has, jb_header **out, size_t *len);
/** An object of strings, as key/value pairs (values substituted). */
bool args_string_map(args *a, const char *key, bool *has, jb_string_pair **out, size_t *len);
/** A nested object (*out NULL when absent). */
bool args_object(args *a, const char *key, args **out);
/** A list of objects. */
bool args_objects(args *a, const char *key, bool *has, args ***out, size_t *len);

/** RUNNER when an argument was given that no getter read. */
bool args_finish(args *a);

#endif
