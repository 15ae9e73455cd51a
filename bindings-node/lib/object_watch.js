'use strict'
// Watching an object store (src/object_watch.rs): store.watch() resolves
// with an ObjectWatch, the same form as a KV watch (kv.js):
//
//   const w = await store.watch()
//   for await (const info of w) {
//     if (info === OBJECT_CAUGHT_UP) continue // every current object was delivered
//     console.log(info.name, info.deleted ? 'deleted' : info.size)
//   }
//
// It first yields each object's latest ObjectInfo (with includeHistory:
// every kept version; with updatesOnly: nothing; ignoreDeletes leaves
// deleted objects' markers out), then OBJECT_CAUGHT_UP exactly once (also
// when there was nothing), then every change (a put, a meta update, a link,
// a delete) as it happens. It ends when the loop is left, stop() is called
// or the client is closed.
const { inspect } = require('node:util')
const { Carry, takeSignal } = require('./abort.js')
const check = require('./check.js')
const schemas = require('./schemas.js')
const { watchIterator } = require('./watch_iterator.js')

/** What an object watch yields once, after the initial infos: it has caught up. */
const OBJECT_CAUGHT_UP = Symbol('OBJECT_CAUGHT_UP')

const token = Symbol('ObjectWatch')

/** The public form of a native ObjectInfo. */
const infoOf = (i) => check.fromNative(schemas.objectInfo, i)

/** A running watch of an object store (store.watch()). */
class ObjectWatch {
  #native
  #stopped = false
  #caughtUp = false
  #carry = new Carry()

  /** @internal Use store.watch(). */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use store.watch()')
    this.#native = n
  }

  /**
   * The next ObjectInfo, or OBJECT_CAUGHT_UP (once); with { timeoutMs },
   * null when nothing came in time (without it, waits until something
   * comes). Rejects with CLOSED once stopped or the client is closed.
   */
  async next(options) {
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.wait)
    // An aborted next() leaves its wait to the next call (nothing is lost).
    const got = await this.#carry.run(signal, () => this.#native.next(o?.timeoutMs))
    if (got.caughtUp) {
      this.#caughtUp = true
      return OBJECT_CAUGHT_UP
    }
    return got.info === undefined || got.info === null ? null : infoOf(got.info)
  }

  /** True once OBJECT_CAUGHT_UP was handed out. */
  get caughtUp() {
    return this.#caughtUp
  }

  /** Ends the watch; a waiting iteration ends, a waiting next() rejects with CLOSED. Twice is fine. */
  stop() {
    this.#stopped = true
    this.#native.stop()
  }

  /** Every info and the marker, for `for await` (watch_iterator.js: leaving the loop stops the watch). */
  [Symbol.asyncIterator]() {
    return watchIterator(this)
  }

  [inspect.custom]() {
    return `ObjectWatch { caughtUp: ${this.#caughtUp}, stopped: ${this.#stopped} }`
  }
}

if (Symbol.asyncDispose) {
  ObjectWatch.prototype[Symbol.asyncDispose] = async function asyncDispose() {
    this.stop()
  }
}

/** @internal An ObjectWatch from a native watch (object_store.js). */
const objectWatchOf = (n) => new ObjectWatch(token, n)

module.exports = { OBJECT_CAUGHT_UP, ObjectWatch, objectWatchOf }
