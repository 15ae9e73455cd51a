/* Memory of the runner: one arena per step (arguments, substituted strings,
 * the printed result) and one for the scenario file, each freed at once. */
#ifndef JBC_ARENA_H
#define JBC_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

/** A bump allocator; zero-initialise it ({0}) before use. */
typedef struct arena {
    arena_block *head;
} arena;

/** n zeroed bytes that live until arena_reset; aborts when out of memory. */
void *arena_alloc(arena *a, size_t n);
/** A copy of s (NUL-terminated). NULL gives NULL. */
char *arena_strdup(arena *a, const char *s);
/** A NUL-terminated copy of n bytes of s. */
char *arena_strndup(arena *a, const char *s, size_t n);
/** printf into the arena. */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Frees everything allocated from a. */
void arena_reset(arena *a);

/** The arena of the step being run: reset after each step's line. */
extern arena g_step;

#endif
