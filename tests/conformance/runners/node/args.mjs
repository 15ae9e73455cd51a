// Reading a step's arguments: typed getters, ${JB_*} substitution, and a
// check that every argument given was understood (a typo in a scenario is a
// RUNNER error). Absent and null mean the same: "not given" (undefined here).
import { RunnerError } from './outcome.mjs'

const VAR = /\$\{([^}]*)\}/g

/** Replaces every ${JB_NAME} with that environment variable; unset is RUNNER. */
export function substitute(s) {
  const opened = s.split('${').length - 1
  if (opened !== (s.match(VAR) ?? []).length) throw new RunnerError(`unterminated \${ in ${JSON.stringify(s)}`)
  return s.replace(VAR, (_, name) => {
    if (!name.startsWith('JB_')) throw new RunnerError(`only \${JB_*} variables are substituted, not ${name}`)
    const value = process.env[name]
    if (value === undefined) throw new RunnerError(`environment variable ${name} is not set`)
    return value
  })
}

const isInt = (v) => typeof v === 'number' && Number.isSafeInteger(v)
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The arguments of one step, or one nested object of them. Nested objects
 * share the record of which keys were read, so `finish()` on the root checks
 * them all.
 */
export class Args {
  #map
  #path
  #seen

  constructor(map, path = '', seen = { used: new Set(), objects: [] }) {
    this.#map = map
    this.#path = path
    this.#seen = seen
    seen.objects.push([path, map])
  }

  #full(key) {
    return this.#path ? `${this.#path}.${key}` : key
  }

  #bad(key, want) {
    return new RunnerError(`argument ${this.#full(key)} must be ${want}`)
  }

  #required(key, v) {
    if (v === undefined) throw new RunnerError(`argument ${this.#full(key)} is required`)
    return v
  }

  /** The raw JSON value (undefined when absent or null), marked as read. */
  raw(key) {
    this.#seen.used.add(this.#full(key))
    const v = Object.hasOwn(this.#map, key) ? this.#map[key] : undefined
    return v === null ? undefined : v
  }

  string(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (typeof v !== 'string') throw this.#bad(key, 'a string')
    return substitute(v)
  }

  requiredString(key) {
    return this.#required(key, this.string(key))
  }

  /** A non-negative integer. */
  u64(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (!isInt(v) || v < 0) throw this.#bad(key, 'a non-negative integer')
    return v
  }

  requiredU64(key) {
    return this.#required(key, this.u64(key))
  }

  /** An integer that may be negative. */
  i64(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (!isInt(v)) throw this.#bad(key, 'an integer')
    return v
  }

  bool(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (typeof v !== 'boolean') throw this.#bad(key, 'a boolean')
    return v
  }

  /**
   * A point in time as integer Unix nanoseconds, as a bigint (from the JSON number;
   * beyond 2^53 it holds what JSON.parse read).
   */
  nanos(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (!Number.isInteger(v)) throw this.#bad(key, 'an integer of Unix nanoseconds')
    return BigInt(v)
  }

  /** A `..._ms` duration: the binding takes milliseconds as they are. */
  millis(key) {
    return this.u64(key)
  }

  millisList(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (!Array.isArray(v) || !v.every((x) => isInt(x) && x >= 0)) throw this.#bad(key, 'a list of integers')
    return [...v]
  }

  strings(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw this.#bad(key, 'a list of strings')
    return v.map(substitute)
  }

  /** A list of [name, value] string pairs. */
  pairs(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    const ok =
      Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string'))
    if (!ok) throw this.#bad(key, 'a list of [name, value] pairs')
    return v.map(([k, x]) => [substitute(k), substitute(x)])
  }

  /** An object of strings. */
  stringMap(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) {
      throw this.#bad(key, 'an object of strings')
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]))
  }

  /** A nested object, as Args sharing this step's record of read keys. */
  object(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (!isObject(v)) throw this.#bad(key, 'an object')
    return new Args(v, this.#full(key), this.#seen)
  }

  objects(key) {
    const v = this.raw(key)
    if (v === undefined) return undefined
    if (!Array.isArray(v) || !v.every(isObject)) throw this.#bad(key, 'a list of objects')
    return v.map((x, i) => new Args(x, `${this.#full(key)}.${i}`, this.#seen))
  }

  /** RUNNER when an argument was given that no getter read. */
  finish() {
    for (const [path, map] of this.#seen.objects) {
      for (const key of Object.keys(map)) {
        const full = path ? `${path}.${key}` : key
        if (!this.#seen.used.has(full)) throw new RunnerError(`unknown argument ${full}`)
      }
    }
  }
}
