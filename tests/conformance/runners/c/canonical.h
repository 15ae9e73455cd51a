/* The canonical JSON of transcript lines (SPEC.md §2): byte for byte what
 * Python prints with json.dumps(obj, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=True). */
#ifndef JBC_CANONICAL_H
#define JBC_CANONICAL_H

#include "json.h"

/** The canonical text of v (no newline), in arena a; NULL when v holds
 *  something canonical JSON cannot (a non-integral number). Object keys are
 *  sorted by code point (= UTF-8 byte order); strings are escaped ASCII. */
char *canonical_encode(arena *a, const json *v);

#endif
