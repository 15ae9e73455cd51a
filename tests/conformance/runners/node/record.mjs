// The binding's config and options objects, read from a scenario option by option
// from the binding's generated declarations (OPTIONS in binding.mjs), so
// that a new option needs no edit in this runner: each under its name in snake case
// (`ack_wait_ms` for `ackWaitMs`; SPEC.md §4.4), converted by its kind.

import { snakeCase } from './binding.mjs'

/** Unix nanoseconds (a bigint) as a Date: whole milliseconds, rounded down. */
export function date(nanos) {
  const ms = nanos / 1_000_000n - (nanos % 1_000_000n < 0n ? 1n : 0n)
  return new Date(Number(ms))
}

/**
 * A scenario value as the binding takes it, checked for its JSON type (a wrong
 * one is RUNNER): a time (kind `time`) is integer Unix nanoseconds, passed as a
 * Date; a map (kind `stringMap`) an object of strings; a `…_ms` key is a duration
 * (or a list of them) in integer milliseconds, other numbers are integers, strings
 * (and lists of them) are substituted. The binding refuses what remains wrong (its
 * TypeError: RUNNER) and the core judges the values (an unknown enum name:
 * INVALID_ARGUMENT).
 */
function value(a, key, kind) {
  if (kind === 'time') {
    const nanos = a.nanos(key)
    return nanos === undefined ? undefined : date(nanos)
  }
  if (kind === 'stringMap') return a.stringMap(key)
  if (typeof kind === 'object' && kind.many) return a.objects(key)?.map((x) => read(kind.options, x))
  if (typeof kind === 'object') {
    const nested = a.object(key)
    return nested === undefined ? undefined : read(kind.options, nested)
  }
  const v = a.raw(key)
  if (key.endsWith('_ms')) return Array.isArray(v) ? a.millisList(key) : a.millis(key)
  if (typeof v === 'string') return a.string(key)
  if (typeof v === 'number') return a.i64(key)
  if (Array.isArray(v)) return a.strings(key)
  return v
}

/**
 * The options of `options` (a declared type's JavaScript names and kinds, OPTIONS)
 * that the scenario gives, as a config object of the binding; the options in `skip`
 * are not read (given, they are unknown arguments unless the caller reads them).
 */
export function read(options, a, skip = []) {
  const c = {}
  for (const [name, kind] of Object.entries(options)) {
    if (skip.includes(name)) continue
    const v = value(a, snakeCase(name), kind)
    if (v !== undefined) c[name] = v
  }
  return c
}
