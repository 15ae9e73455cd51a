'use strict'
// Object stores (src/object.rs): client.createObjectStore(config) /
// client.objectStore(bucket) resolve with an ObjectStore.
//
//   const store = await client.createObjectStore({ bucket: 'files' })
//   await store.put('backup.tar', fs.createReadStream('backup.tar'))
//   const { info, stream } = await store.get('backup.tar')
//   await pipeline(stream, fs.createWriteStream('copy.tar'))
//   await store.addLink('latest', info) // reading 'latest' reads 'backup.tar'
//   await store.updateMeta('backup.tar', { name: 'backup-1.tar', metadata: { host: 'a' } })
//
// store.watch() (object_watch.js) follows every change, as a KV watch does.
//
// Objects move a piece at a time, never whole: put() hands each piece of its
// source to the core's writer (which cuts it into chunks and sends them
// through a bounded window) and waits while the window is full; get()'s
// Readable asks the core for the next chunk only when its consumer wants
// more (backpressure). The object's size and SHA-256 digest are checked at
// the end of a read: a corrupted or incomplete object makes the Readable
// fail (a JetBridgeError), never end normally.
const { Readable } = require('node:stream')
const { inspect } = require('node:util')
const check = require('./check.js')
const native = require('./native.js')
const schemas = require('./schemas.js')
const { objectWatchOf } = require('./object_watch.js')

/** The core's chunk size: a larger piece crosses in slices of it. */
const CHUNK = native.objectChunkSize()

const token = Symbol('ObjectStore')

/** The public form of a native ObjectInfo. */
const infoOf = (i) => check.fromNative(schemas.objectInfo, i)

/** The public form of a native ObjectStoreStatus. */
const objectStoreStatusOf = (s) => check.fromNative(schemas.objectStoreStatus, s)

/** What put() reads: a Buffer, Uint8Array or string as one piece, else the (async) iterable itself. */
function piecesOf(source) {
  if (typeof source === 'string') return [Buffer.from(source)]
  if (source instanceof Uint8Array) return [source]
  if (source !== null && typeof source === 'object') {
    if (typeof source[Symbol.asyncIterator] === 'function' || typeof source[Symbol.iterator] === 'function') {
      return source
    }
  }
  throw new TypeError(
    `source must be a Buffer, Uint8Array, string, Readable or (async) iterable of them, got ${check.describe(source)}`,
  )
}

function bytesOf(piece) {
  if (typeof piece === 'string') return Buffer.from(piece)
  if (piece instanceof Uint8Array) return piece
  throw new TypeError(`source must yield Buffers, Uint8Arrays or strings, got ${check.describe(piece)}`)
}

/** A Readable of a native reader's chunks: one native call per chunk its consumer asks for. */
function readableOf(reader) {
  return new Readable({
    read() {
      const pull = () =>
        reader.nextChunk().then(
          (chunk) => {
            // An empty push would end this read cycle without asking again.
            if (chunk !== null && chunk.length === 0) return pull()
            this.push(chunk)
          },
          (e) => this.destroy(e),
        )
      pull()
    },
    destroy(error, callback) {
      reader.close()
      callback(error)
    },
  })
}

/** An object store. */
class ObjectStore {
  #native

  /** @internal Use client.createObjectStore() or client.objectStore(). */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use client.createObjectStore() or client.objectStore()')
    this.#native = n
  }

  /** The bucket's name. */
  get bucket() {
    return this.#native.bucket
  }

  /** The store's ObjectStoreStatus: its configuration as the server holds it, sealed, bytes stored. */
  async status() {
    return objectStoreStatusOf(await this.#native.status())
  }

  /**
   * Seals the store: from then on puts and deletes fail (INVALID_ARGUMENT,
   * the server's api code 10109). Cannot be undone. Resolves with the new
   * ObjectStoreStatus.
   */
  async seal() {
    return objectStoreStatusOf(await this.#native.seal())
  }

  /** An object's ObjectInfo (NOT_FOUND for a missing or deleted object). */
  async info(name) {
    return infoOf(await this.#native.info(check.string('name', name)))
  }

  /** Deletes an object (NOT_FOUND for a missing or deleted one). */
  async delete(name) {
    return this.#native.delete(check.string('name', name))
  }

  /** The ObjectInfo of every object, links included (deleted ones left out). */
  async list() {
    return (await this.#native.list()).map(infoOf)
  }

  /**
   * Makes `name` a link to the object `target` describes (its ObjectInfo,
   * from this store or another: info(), list(), put()); reading the link
   * reads the target. INVALID_ARGUMENT for a deleted target or one that is
   * itself a link; ALREADY_EXISTS when `name` is an object (a link of that
   * name is replaced). Resolves with the link's ObjectInfo.
   */
  async addLink(name, target) {
    check.string('name', name)
    return infoOf(await this.#native.addLink(name, check.options('target', target, schemas.objectInfo)))
  }

  /**
   * Makes `name` a link to the whole store `bucket` (it has no content of
   * its own: get() of it is INVALID_ARGUMENT). Resolves with the link's ObjectInfo.
   */
  async addBucketLink(name, bucket) {
    check.string('name', name)
    return infoOf(await this.#native.addBucketLink(name, check.string('bucket', bucket)))
  }

  /**
   * Sets an object's name, description and metadata to `meta`'s (an
   * ObjectMeta: { name, description, metadata }); its content stays.
   * NOT_FOUND for a missing or deleted object, ALREADY_EXISTS when renaming
   * onto another. Resolves with the new ObjectInfo.
   */
  async updateMeta(name, meta) {
    check.string('name', name)
    return infoOf(await this.#native.updateMeta(name, check.options('meta', meta, schemas.objectMeta)))
  }

  /**
   * Watches every object's info ({ includeHistory, updatesOnly,
   * ignoreDeletes }, the declared ObjectWatchOptions). Resolves once the
   * watch runs with an ObjectWatch: an async iterable of ObjectInfo objects
   * and, once, OBJECT_CAUGHT_UP.
   */
  async watch(options) {
    return objectWatchOf(await this.#native.watch(check.optionalOptions('options', options, schemas.objectWatchOptions)))
  }

  /**
   * Stores `source` as `name` ({ description, metadata }): a Buffer, Uint8Array or
   * string, a Node Readable or any (async) iterable of Buffers, Uint8Arrays
   * or strings, read piece by piece as the store takes them. The object
   * (replacing an earlier one of that name) becomes visible only once
   * complete; when the source or the store fails midway, nothing becomes
   * visible and the error is thrown. Resolves with the new ObjectInfo.
   */
  async put(name, source, options) {
    check.string('name', name)
    const pieces = piecesOf(source)
    const o = check.optionalOptions('options', options, schemas.objectPut)
    const writer = this.#native.writer({ ...o, name })
    try {
      for await (const piece of pieces) {
        const bytes = bytesOf(piece)
        for (let at = 0; at < bytes.length; at += CHUNK) {
          await writer.write(bytes.length <= CHUNK ? bytes : bytes.subarray(at, at + CHUNK))
        }
      }
    } catch (e) {
      await writer.abort()
      throw e
    }
    return infoOf(await writer.finish())
  }

  /**
   * Reads an object: resolves with { info, stream }, the ObjectInfo and a
   * Readable of its bytes (NOT_FOUND for a missing or deleted object). A
   * link reads its target (whose info this is); a link to a whole store is
   * INVALID_ARGUMENT.
   * The stream fails with the core's error when the object turns out
   * corrupted or incomplete. Destroying it stops the read.
   */
  async get(name) {
    const reader = await this.#native.get(check.string('name', name))
    return { info: infoOf(reader.info), stream: readableOf(reader) }
  }

  /** A whole object as one Buffer (checked like get()). */
  async getBytes(name) {
    return this.#native.getBytes(check.string('name', name))
  }

  [inspect.custom]() {
    return `ObjectStore { bucket: '${this.bucket}' }`
  }
}

/** @internal An ObjectStore from a native bucket (client.js). */
const objectStoreOf = (n) => new ObjectStore(token, n)

module.exports = { ObjectStore, objectStoreOf, objectStoreStatusOf }
