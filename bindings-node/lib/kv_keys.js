'use strict'
// A bucket's keys, streamed (src/kv_keys.rs): kv.listKeys() resolves with a
// KvKeys, an async iterable of the keys that have a value, each once, in
// the order the server holds them (a bucket of any size in bounded memory).
//
//   for await (const key of await kv.listKeys({ filter: 'db.>' })) console.log(key)
const { inspect } = require('node:util')

const token = Symbol('KvKeys')

/** A running listing of a bucket's keys (kv.listKeys()). */
class KvKeys {
  #native
  #closed = false

  /** @internal Use kv.listKeys(). */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use kv.listKeys()')
    this.#native = n
  }

  /** The next key; null after the last one (and once closed). An error ends the listing. */
  async next() {
    return this.#native.next()
  }

  /** Ends the listing early; next() then resolves null. Twice is fine. */
  close() {
    this.#closed = true
    this.#native.close()
  }

  /** Every key, for `for await`; leaving the loop early ends the listing. */
  [Symbol.asyncIterator]() {
    const keys = this
    return {
      async next() {
        const key = await keys.next()
        return key === null ? { value: undefined, done: true } : { value: key, done: false }
      },
      async return(value) {
        keys.close()
        return { value, done: true }
      },
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  [inspect.custom]() {
    return `KvKeys { closed: ${this.#closed} }`
  }
}

if (Symbol.asyncDispose) {
  KvKeys.prototype[Symbol.asyncDispose] = async function asyncDispose() {
    this.close()
  }
}

/** @internal A KvKeys from a native listing (kv.js). */
const kvKeysOf = (n) => new KvKeys(token, n)

module.exports = { KvKeys, kvKeysOf }
