'use strict'
// Argument type checks. A wrong type is a TypeError naming the parameter;
// values are checked by the core (INVALID_ARGUMENT). Messages describe the
// type received, never the value (it could be a secret).

function describe(v) {
  if (v === null) return 'null'
  if (v === undefined) return 'undefined'
  if (Array.isArray(v)) return 'an array'
  if (v instanceof Uint8Array) return 'a Uint8Array'
  if (isDate(v)) return Number.isNaN(Date.prototype.getTime.call(v)) ? 'an invalid Date' : 'a Date'
  if (v instanceof Map) return 'a Map'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

/** A Date, also one from another realm (a vm context). */
const isDate = (v) => Object.prototype.toString.call(v) === '[object Date]'

function fail(name, want, v) {
  throw new TypeError(`${name} must be ${want}, got ${describe(v)}`)
}

const absent = (v) => v === undefined || v === null

function string(name, v) {
  if (typeof v !== 'string') fail(name, 'a string', v)
  return v
}

function number(name, v) {
  if (typeof v !== 'number') fail(name, 'a number', v)
  return v
}

function boolean(name, v) {
  if (typeof v !== 'boolean') fail(name, 'a boolean', v)
  return v
}

function array(name, v) {
  if (!Array.isArray(v)) fail(name, 'an array', v)
  return v
}

function stringArray(name, v) {
  if (!Array.isArray(v)) fail(name, 'an array of strings', v)
  v.forEach((s, i) => string(`${name}[${i}]`, s))
  return v
}

function numberArray(name, v) {
  if (!Array.isArray(v)) fail(name, 'an array of numbers', v)
  v.forEach((n, i) => number(`${name}[${i}]`, n))
  return v
}

/**
 * Text keys to text values (`metadata`): a plain object whose values are all
 * strings (not a Map: its entries are no properties). Returns a copy.
 */
function stringMap(name, v) {
  const proto = typeof v === 'object' && v !== null ? Object.getPrototypeOf(v) : undefined
  if (proto !== Object.prototype && proto !== null) fail(name, 'a plain object of strings', v)
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, string(`${name}.${k}`, s)]))
}

/**
 * A point in time: a valid Date. It crosses to the core as its RFC 3339 text
 * (`toISOString`, milliseconds), which the core reads for every time field;
 * `fromNative` turns the core's text back into a Date.
 */
function time(name, v) {
  if (!isDate(v) || Number.isNaN(Date.prototype.getTime.call(v))) fail(name, 'a valid Date', v)
  return Date.prototype.toISOString.call(v)
}

/**
 * A declared type's object as the core wrote it (types.js `schema`), in its
 * public form: every time (the core writes RFC 3339 text, nanoseconds
 * truncated to the Date's milliseconds) as a Date. The kind of each field is
 * its checker in `schema`, so no field is listed here.
 */
function fromNative(schema, v) {
  if (absent(v)) return v
  const out = { ...v }
  for (const [key, check] of Object.entries(schema)) {
    // An unset field stays absent (not a key holding undefined).
    if (absent(out[key])) continue
    if (check === time && typeof out[key] === 'string') out[key] = new Date(out[key])
    // A nested declared type (c.nested / c.nestedList): the same, inside.
    else if (check.schema && Array.isArray(out[key])) out[key] = out[key].map((x) => fromNative(check.schema, x))
    else if (check.schema) out[key] = fromNative(check.schema, out[key])
  }
  return out
}

/** A payload: Buffer, Uint8Array or string (sent as UTF-8). */
function payload(name, v) {
  if (typeof v !== 'string' && !(v instanceof Uint8Array)) fail(name, 'a Buffer, Uint8Array or string', v)
  return v
}

function plainObject(name, v) {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) fail(name, 'an object', v)
  return v
}

/**
 * Checks an options object against `schema` ({ key: checker }) and returns a
 * copy holding the present keys (each passed through its checker, which may
 * convert it). Unknown keys are a TypeError: they are almost always typos
 * (`ackWait` for `ackWaitMs`).
 */
function options(name, v, schema) {
  plainObject(name, v)
  const out = {}
  for (const key of Object.keys(v)) {
    const check = schema[key]
    if (check === undefined) {
      throw new TypeError(`${name}.${key} is not a known option (known: ${Object.keys(schema).join(', ')})`)
    }
    if (!absent(v[key])) out[key] = check(`${name}.${key}`, v[key])
  }
  return out
}

/** Like `options`, for an optional argument (undefined/null = none). */
function optionalOptions(name, v, schema) {
  return absent(v) ? undefined : options(name, v, schema)
}

/** A schema checker for a nested options object. */
const nested = (schema) => Object.assign((name, v) => options(name, v, schema), { schema })
/** A schema checker for a list of nested options objects. */
const nestedList = (schema) =>
  Object.assign((name, v) => array(name, v).map((item, i) => options(`${name}[${i}]`, item, schema)), {
    schema,
    many: true,
  })

/** Headers: `{ name: value }` or `[[name, value], ...]`, as pairs. */
function headers(name, v) {
  if (Array.isArray(v)) {
    return v.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) fail(`${name}[${i}]`, 'a [name, value] pair', pair)
      return [string(`${name}[${i}][0]`, pair[0]), string(`${name}[${i}][1]`, pair[1])]
    })
  }
  plainObject(name, v)
  return Object.entries(v).map(([k, value]) => [k, string(`${name}.${k}`, value)])
}

const POLICIES = { all: 'all', last: 'last', lastPerSubject: 'last_per_subject', new: 'new' }

/**
 * A start position: 'all' | 'last' | 'lastPerSubject' | 'new' |
 * { sequence: number } | { time: Date | bigint (Unix nanoseconds) }.
 */
function start(name, v) {
  if (typeof v === 'string') return { policy: POLICIES[v] ?? v }
  plainObject(name, v)
  const keys = Object.keys(v)
  if (keys.length === 1 && keys[0] === 'sequence') {
    return { policy: 'sequence', sequence: number(`${name}.sequence`, v.sequence) }
  }
  if (keys.length === 1 && keys[0] === 'time') {
    const t = v.time
    // Unix nanoseconds cross as a string: they exceed a number's exact range.
    if (t instanceof Date) return { policy: 'time', time: String(BigInt(t.getTime()) * 1_000_000n) }
    if (typeof t === 'bigint') return { policy: 'time', time: String(t) }
    fail(`${name}.time`, 'a Date or a bigint of Unix nanoseconds', t)
  }
  return fail(name, "'all', 'last', 'lastPerSubject', 'new', { sequence } or { time }", v)
}

/** The public form of a native start position. */
function startFromNative(s) {
  switch (s.policy) {
    case 'sequence':
      return { sequence: s.sequence }
    case 'time':
      return { time: BigInt(s.time) }
    case 'last_per_subject':
      return 'lastPerSubject'
    default:
      return s.policy
  }
}

module.exports = {
  absent,
  array,
  boolean,
  describe,
  fromNative,
  headers,
  nested,
  nestedList,
  number,
  numberArray,
  options,
  optionalOptions,
  payload,
  plainObject,
  start,
  startFromNative,
  string,
  stringArray,
  stringMap,
  time,
}
