'use strict'
// Key-value buckets (src/kv.rs): client.createKeyValue(config) /
// client.keyValue(bucket) resolve with a KeyValue.
//
//   const kv = await client.createKeyValue({ bucket: 'cfg', history: 5 })
//   const rev = await kv.put('db.host', 'a')
//   await kv.update('db.host', 'b', rev) // compare-and-set: WRONG_LAST_SEQUENCE when stale
//   const w = await kv.watch({ filter: 'db.>' })
//   for await (const e of w) {
//     if (e === KV_CAUGHT_UP) continue // every value up to now was delivered
//     console.log(e.key, e.operation, e.string())
//   }
//   for await (const key of await kv.listKeys({ filter: 'db.>' })) console.log(key)
//
// A watch first yields the current value of each key (with includeHistory:
// every kept revision; with updatesOnly: nothing), then KV_CAUGHT_UP exactly
// once (also when there was nothing), then every change as it happens. It is
// an async iterable that ends when the loop is left, stop() is called or the
// client is closed.
const { inspect } = require('node:util')
const { Carry, takeSignal } = require('./abort.js')
const check = require('./check.js')
const native = require('./native.js')
const schemas = require('./schemas.js')
const { KvKeys, kvKeysOf } = require('./kv_keys.js')
const { watchIterator } = require('./watch_iterator.js')

/** What a watch yields once, after the initial entries: it has caught up. */
const KV_CAUGHT_UP = Symbol('KV_CAUGHT_UP')

const token = Symbol('KeyValue')

/** Unix nanoseconds (a bigint) as a Date: whole milliseconds. */
const dateOf = (nanos) => new Date(Number(nanos / 1_000_000n))

/** One revision of a key. */
class KvEntry {
  /** @internal Entries come from a KeyValue. */
  constructor(key, n) {
    if (key !== token) throw new TypeError('entries come from a KeyValue')
    /** The bucket. */
    this.bucket = n.bucket
    /** The key. */
    this.key = n.key
    /** The value, a Buffer (empty for a delete or purge). */
    this.value = n.value
    /** The revision: the stream sequence of this entry. */
    this.revision = n.revision
    /** When it was written. */
    this.created = dateOf(n.createdNanos)
    /** When it was written, Unix nanoseconds. */
    this.createdNanos = n.createdNanos
    /** 'put', 'delete' or 'purge'. */
    this.operation = n.operation
  }

  /** The value as UTF-8 text. */
  string() {
    return this.value.toString('utf8')
  }

  /** The value parsed as JSON. */
  json() {
    return JSON.parse(this.string())
  }

  [inspect.custom]() {
    const { bucket, key, revision, operation } = this
    return `KvEntry ${inspect({ bucket, key, revision, operation, bytes: this.value.length })}`
  }
}

/** The public form of a native KvStatus (its config's times as Dates). */
const kvStatusOf = (s) => check.fromNative(schemas.kvStatus, s)

const entryOf = (n) => (n === null || n === undefined ? null : new KvEntry(token, n))

/** A key-value bucket. */
class KeyValue {
  #native

  /** @internal Use client.createKeyValue() or client.keyValue(). */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use client.createKeyValue() or client.keyValue()')
    this.#native = n
  }

  /** The bucket's name. */
  get bucket() {
    return this.#native.bucket
  }

  /**
   * The key's latest value ({ revision }: the entry at that revision
   * instead). NOT_FOUND for a key never written, deleted or purged, or a
   * revision that is not the key's.
   */
  async get(key, options) {
    check.string('key', key)
    const o = check.optionalOptions('options', options, schemas.kvRevision)
    return entryOf(await this.#native.get(key, o?.revision))
  }

  /** The key's latest entry, delete and purge markers included; null for a key never written. */
  async entry(key) {
    return entryOf(await this.#native.entry(check.string('key', key)))
  }

  /** Writes a value (Buffer, Uint8Array or string); resolves with its revision. */
  async put(key, value) {
    check.string('key', key)
    return this.#native.put(key, check.payload('value', value))
  }

  /** The bucket's KvStatus: its configuration as the server holds it, values and bytes stored. */
  async status() {
    return kvStatusOf(await this.#native.status())
  }

  /**
   * Writes a value only if the key has none (never written, deleted or
   * purged); else WRONG_LAST_SEQUENCE. { ttlMs }: the key lives that long,
   * then the server removes it (the bucket needs limitMarkerTtlMs).
   */
  async create(key, value, options) {
    check.string('key', key)
    check.payload('value', value)
    const o = check.optionalOptions('options', options, schemas.kvCreate)
    return this.#native.create(key, value, o?.ttlMs)
  }

  /** Writes a value only if `revision` is the key's latest (compare-and-set); else WRONG_LAST_SEQUENCE. */
  async update(key, value, revision) {
    check.string('key', key)
    check.payload('value', value)
    return this.#native.update(key, value, check.number('revision', revision))
  }

  /**
   * Deletes a key, keeping its history ({ revision }: only if it is the
   * latest, else WRONG_LAST_SEQUENCE); resolves with the delete marker's revision.
   */
  async delete(key, options) {
    check.string('key', key)
    const o = check.optionalOptions('options', options, schemas.kvRevision)
    return this.#native.delete(key, o?.revision)
  }

  /** Purges a key: its history goes, one purge marker stays ({ revision } as delete). */
  async purge(key, options) {
    check.string('key', key)
    const o = check.optionalOptions('options', options, schemas.kvRevision)
    return this.#native.purge(key, o?.revision)
  }

  /** Every kept entry of a key, oldest first (NOT_FOUND when there is none). */
  async history(key) {
    return (await this.#native.history(check.string('key', key))).map(entryOf)
  }

  /** The keys that have a value ({ filter }: those matching it, `*` for one token and `>` for the rest). */
  async keys(options) {
    const o = check.optionalOptions('options', options, schemas.kvKeys)
    return this.#native.keys(o?.filter)
  }

  /**
   * Streams the keys that have a value ({ filter }: those matching it, `*`
   * for one token and `>` for the rest; absent: every key), one at a time
   * as the server gives them, so a bucket of any size is listed in bounded
   * memory. Resolves once the listing runs with a KvKeys: an async iterable
   * of strings; leaving the loop (or close()) ends it early.
   */
  async listKeys(options) {
    const { filter = native.WATCH_ALL } = check.optionalOptions('options', options, schemas.kvKeys) ?? {}
    return kvKeysOf(await this.#native.listKeys(filter))
  }

  /**
   * Watches the bucket ({ filter, includeHistory, updatesOnly, ignoreDeletes };
   * filter: the keys, `*` for one token and `>` for the rest; absent: every
   * key). Resolves once the watch runs with a KvWatch: an async iterable of
   * KvEntry objects and, once, KV_CAUGHT_UP.
   */
  async watch(options) {
    const { filter = native.WATCH_ALL, ...o } = check.optionalOptions('options', options, schemas.kvWatch) ?? {}
    return new KvWatch(token, await this.#native.watch(filter, o))
  }

  [inspect.custom]() {
    return `KeyValue { bucket: '${this.bucket}' }`
  }
}

/** A running watch of a bucket (kv.watch()). */
class KvWatch {
  #native
  #stopped = false
  #caughtUp = false
  #carry = new Carry()

  /** @internal Use kv.watch(). */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use kv.watch()')
    this.#native = n
  }

  /**
   * The next KvEntry, or KV_CAUGHT_UP (once); with { timeoutMs }, null when
   * nothing came in time (without it, waits until something comes). Rejects
   * with CLOSED once stopped or the client is closed.
   */
  async next(options) {
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.wait)
    // An aborted next() leaves its wait to the next call (nothing is lost).
    const got = await this.#carry.run(signal, () => this.#native.next(o?.timeoutMs))
    if (got.caughtUp) {
      this.#caughtUp = true
      return KV_CAUGHT_UP
    }
    return entryOf(got.entry)
  }

  /** True once KV_CAUGHT_UP was handed out. */
  get caughtUp() {
    return this.#caughtUp
  }

  /** Ends the watch; a waiting iteration ends, a waiting next() rejects with CLOSED. Twice is fine. */
  stop() {
    this.#stopped = true
    this.#native.stop()
  }

  /**
   * Every entry and the marker, for `for await`; ends after stop() and once
   * the client is closed (as a message stream's loop does), and leaving the
   * loop stops the watch. Other errors are thrown (watch_iterator.js).
   */
  [Symbol.asyncIterator]() {
    return watchIterator(this)
  }

  [inspect.custom]() {
    return `KvWatch { caughtUp: ${this.#caughtUp}, stopped: ${this.#stopped} }`
  }
}

if (Symbol.asyncDispose) {
  KvWatch.prototype[Symbol.asyncDispose] = async function asyncDispose() {
    this.stop()
  }
}

/** @internal A KeyValue from a native bucket (client.js). */
const keyValueOf = (n) => new KeyValue(token, n)

module.exports = { KV_CAUGHT_UP, KeyValue, KvEntry, KvKeys, KvWatch, keyValueOf, kvStatusOf }
