// The canonical JSON of transcript lines (SPEC.md §2): byte for byte what
// Python prints with json.dumps(obj, sort_keys=True, separators=(",", ":"),
// ensure_ascii=True). JSON.stringify neither sorts keys nor escapes
// non-ASCII, hence this small writer.

/** Object keys in code-point order (Python's sort of str). */
export function compareCodePoints(a, b) {
  const x = Array.from(a)
  const y = Array.from(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0)
    if (d !== 0) return d
  }
  return x.length - y.length
}

const SHORT = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** A JSON string: ASCII only, everything below U+0020 and from U+007F as \uXXXX (UTF-16 units). */
function string(s) {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    const unit = s.charCodeAt(i)
    if (SHORT[ch] !== undefined) out += SHORT[ch]
    else if (unit < 0x20 || unit >= 0x7f) out += '\\u' + unit.toString(16).padStart(4, '0')
    else out += ch
  }
  return out + '"'
}

/**
 * One canonical JSON text (without a newline). Accepts null, booleans,
 * integers (numbers or bigints), strings, arrays and plain objects; anything
 * else (a float, undefined) is a runner bug and throws.
 */
export function encode(value) {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'number':
      if (!Number.isSafeInteger(value)) throw new Error(`canonical JSON holds integers only, got ${value}`)
      return String(value)
    case 'string':
      return string(value)
    case 'object':
      if (Array.isArray(value)) return '[' + value.map(encode).join(',') + ']'
      return (
        '{' +
        Object.keys(value)
          .sort(compareCodePoints)
          .map((k) => string(k) + ':' + encode(value[k]))
          .join(',') +
        '}'
      )
    default:
      throw new Error(`canonical JSON cannot hold a ${typeof value}`)
  }
}
