'use strict'
// MessageHeaders: a small read-only view of a message's headers, the way
// nats.js users read them (`get`, `has`, `values`). Names are matched
// case-insensitively (ASCII), as the core's `Message::header` does; values
// keep the order the core gives: headers sorted by name, each name's values
// in the order they were sent. `msg.headers` ([name, value] pairs) stays.
const check = require('./check.js')

/** ASCII lowercase (header names are ASCII; as the core's eq_ignore_ascii_case). */
const fold = (s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase())

class MessageHeaders {
  #pairs

  /** @internal Views come from msg.headerMap. */
  constructor(pairs) {
    this.#pairs = pairs
  }

  /** The first value of header `name`, or undefined. */
  get(name) {
    const n = fold(check.string('name', name))
    const pair = this.#pairs.find(([k]) => fold(k) === n)
    return pair === undefined ? undefined : pair[1]
  }

  /** True when the message has header `name` (even with an empty value). */
  has(name) {
    const n = fold(check.string('name', name))
    return this.#pairs.some(([k]) => fold(k) === n)
  }

  /** Every value of header `name`, in the order sent ([] when absent). */
  values(name) {
    const n = fold(check.string('name', name))
    return this.#pairs.filter(([k]) => fold(k) === n).map(([, v]) => v)
  }

  /** The header names, each once, as sent (first spelling), in order. */
  keys() {
    const seen = new Set()
    const out = []
    for (const [k] of this.#pairs) {
      const f = fold(k)
      if (!seen.has(f)) {
        seen.add(f)
        out.push(k)
      }
    }
    return out
  }

  /** How many [name, value] pairs there are. */
  get size() {
    return this.#pairs.length
  }

  /** Every [name, value] pair, in order (a copy). */
  entries() {
    return this.#pairs.map(([k, v]) => [k, v])
  }

  /** Iterates the [name, value] pairs in order. */
  [Symbol.iterator]() {
    return this.entries()[Symbol.iterator]()
  }
}

module.exports = { MessageHeaders }
