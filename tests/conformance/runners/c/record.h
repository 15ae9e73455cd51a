/* Declared types (the core's record! types: jb_consumer_config,
 * jb_stream_config, jb_fetch_options, …) read from a scenario and printed without listing a field:
 * each walks the type's jb_<type>_schema() and crosses as the core's wire JSON
 * (jb_<type>_from_json / _to_json). A field's key in scenarios and
 * transcripts is its name, a duration (or a list of them) as <name>_ms in
 * milliseconds; a point in time is integer Unix nanoseconds (the core reads
 * them as given and writes RFC 3339, turned back into nanoseconds here), a
 * map an object of strings (as the core's JSON has it). */
#ifndef JBC_RECORD_H
#define JBC_RECORD_H

#include <jetbridge.h>

#include "args.h"
#include "json.h"

/** The wire JSON text of the fields a's keys give, strings
 *  ${JB_*}-substituted; NULL after a fail_* call. A key that is no field's
 *  key, and `skip` (NULL: none), are the caller's to read (args_finish
 *  reports one nobody read). */
const char *record_wire_arg(args *a, const char *schema, const char *skip);

/** SPEC's print of a declared type from jb_<type>_to_json's result (rc, and
 *  text, which this frees): every field under its key, unset as null, except
 *  those named in `skip` (NULL-terminated; NULL: none), which the caller
 *  prints. NULL after a fail_* call. */
json *record_print(jb_result rc, char *text, const char *schema, const char *const *skip);

#endif
