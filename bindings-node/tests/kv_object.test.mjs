// Key-value buckets and object stores against a real server:
// put/get/entry, compare-and-set conflicts, a deleted key told apart from one
// never written, history and keys, a watch with its caught-up marker (as an
// async iterable and with timed next()); an object bigger than one chunk
// streamed in from a Readable and out through stream.pipeline to a file,
// a corrupted object failing the read, a missing one NOT_FOUND.
import assert from 'node:assert/strict'
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, test } from 'node:test'

import { connect, KV_CAUGHT_UP, KeyValue, KvEntry, KvWatch, ObjectStore } from '../index.mjs'
import { rejectsWith, uniq, useServerAndClient } from './helpers.mjs'

let server
let client
useServerAndClient((h, c) => {
  server = h
  client = c
})

/** `n` bytes of a pattern that differs from chunk to chunk. */
const pattern = (n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31) % 251))

describe('key-value', () => {
  test('put, get, entry, history, keys; a deleted key is not a key never written', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('kv'), history: 5 })
    assert.ok(kv instanceof KeyValue)
    const r1 = await kv.put('db.host', 'a')
    const r2 = await kv.put('db.port', Buffer.from('5432'))
    const r3 = await kv.put('db.host', new Uint8Array([98]))
    assert.deepEqual([r1, r2, r3], [1, 2, 3])

    const e = await kv.get('db.host')
    assert.ok(e instanceof KvEntry)
    assert.equal(e.bucket, kv.bucket)
    assert.equal(e.key, 'db.host')
    assert.ok(Buffer.isBuffer(e.value))
    assert.equal(e.string(), 'b')
    assert.equal(e.revision, 3)
    assert.equal(e.operation, 'put')
    assert.ok(e.created instanceof Date)
    assert.ok(Math.abs(e.created.getTime() - Date.now()) < 60_000, `${e.created}`)
    assert.equal((await kv.get('db.host', { revision: 1 })).string(), 'a')
    await rejectsWith(assert, kv.get('db.host', { revision: 2 }), 'NOT_FOUND')

    assert.equal(await kv.delete('db.port'), 4)
    await rejectsWith(assert, kv.get('db.port'), 'NOT_FOUND')
    const marker = await kv.entry('db.port')
    assert.equal(marker.operation, 'delete')
    assert.equal(marker.value.length, 0)
    assert.equal(await kv.entry('never'), null, 'never written: null, not a marker')
    await rejectsWith(assert, kv.get('never'), 'NOT_FOUND')

    await kv.put('cfg', JSON.stringify({ on: true }))
    assert.deepEqual((await kv.get('cfg')).json(), { on: true })
    assert.deepEqual((await kv.history('db.host')).map((x) => [x.revision, x.string()]), [[1, 'a'], [3, 'b']])
    await rejectsWith(assert, kv.history('never'), 'NOT_FOUND')
    assert.deepEqual((await kv.keys()).sort(), ['cfg', 'db.host'])
    await kv.purge('cfg')
    assert.deepEqual(await kv.keys(), ['db.host'])
    assert.equal((await kv.history('cfg')).length, 1, 'a purge keeps only its marker')

    const again = await client.keyValue(kv.bucket)
    assert.equal((await again.get('db.host')).string(), 'b')
    await client.deleteKeyValue(kv.bucket)
    await rejectsWith(assert, client.keyValue(kv.bucket), 'NOT_FOUND')
  })

  test('create and update are compare-and-set: a conflict is WRONG_LAST_SEQUENCE', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('cas') })
    const r1 = await kv.create('k', 'one')
    await rejectsWith(assert, kv.create('k', 'two'), 'WRONG_LAST_SEQUENCE')
    const r2 = await kv.update('k', 'two', r1)
    await rejectsWith(assert, kv.update('k', 'stale', r1), 'WRONG_LAST_SEQUENCE')
    await rejectsWith(assert, kv.delete('k', { revision: r1 }), 'WRONG_LAST_SEQUENCE')
    await kv.delete('k', { revision: r2 })
    assert.ok((await kv.create('k', 'over a delete')) > r2, 'create over a delete marker')
    assert.equal((await kv.get('k')).string(), 'over a delete')
  })

  test('bad arguments: a TypeError for a wrong type, INVALID_ARGUMENT for a value the core refuses', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('args') })
    await assert.rejects(kv.put('k', 42), TypeError)
    await assert.rejects(kv.get('k', { rev: 1 }), /not a known option/)
    await assert.rejects(client.createKeyValue({ bucket: 'b', histroy: 2 }), /not a known option/)
    await rejectsWith(assert, kv.put('a b', 'x'), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.createKeyValue({ bucket: 'bad.name' }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, kv.watch({ filter: 'a..b' }), 'INVALID_ARGUMENT')
  })

  test('a watch yields the current values, KV_CAUGHT_UP once, then changes; leaving the loop stops it', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('w'), history: 3 })
    await kv.put('a', '1')
    await kv.put('b', '2')
    await kv.put('a', '3')
    const w = await kv.watch()
    assert.ok(w instanceof KvWatch)
    const seen = []
    for await (const e of w) {
      if (e === KV_CAUGHT_UP) {
        assert.ok(w.caughtUp)
        seen.push('caught up')
        await kv.put('c', '4')
        await kv.delete('b')
        continue
      }
      seen.push(`${e.key}=${e.string()}@${e.revision}:${e.operation}`)
      if (seen.length === 5) break
    }
    assert.deepEqual(seen, ['b=2@2:put', 'a=3@3:put', 'caught up', 'c=4@4:put', 'b=@5:delete'])
    await rejectsWith(assert, w.next({ timeoutMs: 100 }), 'CLOSED')
  })

  test('timed next(): null when nothing comes; an empty bucket catches up at once; stop() ends a waiting loop', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('e') })
    const w = await kv.watch({ filter: 'x.*', ignoreDeletes: true })
    assert.equal(await w.next({ timeoutMs: 2000 }), KV_CAUGHT_UP, 'the marker also when there was nothing')
    assert.equal(await w.next({ timeoutMs: 100 }), null)
    await kv.put('y', 'not matched')
    await kv.put('x.1', 'one')
    await kv.delete('x.1')
    const got = await w.next({ timeoutMs: 2000 })
    assert.equal(got.key, 'x.1')
    assert.equal(await w.next({ timeoutMs: 200 }), null, 'deletes left out')

    const updates = await kv.watch({ updatesOnly: true })
    const loop = (async () => {
      const out = []
      for await (const e of updates) out.push(e === KV_CAUGHT_UP ? 'caught up' : e.key)
      return out
    })()
    await kv.put('z', 'late')
    // The loop sees the marker and 'z', then waits; stop() ends it quietly.
    for (let i = 0; i < 100 && !updates.caughtUp; i++) await new Promise((r) => setTimeout(r, 20))
    await new Promise((r) => setTimeout(r, 200))
    updates.stop()
    assert.deepEqual(await loop, ['caught up', 'z'])
    w.stop()
  })

  test('closing the client ends a waiting watch loop; later calls are CLOSED', async () => {
    const other = await connect(server.urls[0])
    const kv = await other.createKeyValue({ bucket: uniq('c') })
    await kv.put('k', 'v')
    const w = await kv.watch()
    const loop = (async () => {
      const out = []
      for await (const e of w) out.push(e === KV_CAUGHT_UP ? 'caught up' : e.key)
      return out
    })()
    for (let i = 0; i < 100 && !w.caughtUp; i++) await new Promise((r) => setTimeout(r, 20))
    await other.close()
    assert.deepEqual(await loop, ['k', 'caught up'])
    await rejectsWith(assert, kv.put('k', 'v'), 'CLOSED')
    await rejectsWith(assert, w.next({ timeoutMs: 100 }), 'CLOSED')
  })
})

describe('object store', () => {
  test('an object of several chunks streams in from a Readable and out to a file through pipeline', async () => {
    const store = await client.createObjectStore({ bucket: uniq('obj') })
    assert.ok(store instanceof ObjectStore)
    const dir = mkdtempSync(join(tmpdir(), 'jb-obj-'))
    try {
      const data = pattern(300_000) // 128 KiB chunks: 3
      const src = join(dir, 'in.bin')
      writeFileSync(src, data)
      const info = await store.put('big.bin', createReadStream(src, { highWaterMark: 10_000 }), { description: 'big' })
      assert.equal(info.name, 'big.bin')
      assert.equal(info.size, 300_000)
      assert.equal(info.chunks, 3)
      assert.equal(info.description, 'big')
      assert.match(info.digest, /^SHA-256=/)
      assert.deepEqual(await store.info('big.bin'), info)

      const got = await store.get('big.bin')
      assert.deepEqual(got.info, info)
      assert.ok(got.stream instanceof Readable)
      const out = join(dir, 'out.bin')
      await pipeline(got.stream, createWriteStream(out))
      assert.ok(readFileSync(out).equals(data))
      assert.ok((await store.getBytes('big.bin')).equals(data))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('any (async) iterable, a Buffer or a string is a source; replacing, listing, deleting', async () => {
    const store = await client.createObjectStore({ bucket: uniq('src') })
    async function* gen() {
      yield 'hello '
      yield Buffer.from('world')
    }
    assert.equal((await store.put('a', gen())).size, 11)
    assert.equal((await store.getBytes('a')).toString(), 'hello world')
    assert.equal((await store.put('b', [Buffer.alloc(200_000, 1), new Uint8Array(5)])).chunks, 2)
    assert.equal((await store.put('empty', '')).chunks, 0)
    assert.equal((await store.getBytes('empty')).length, 0)
    const replaced = await store.put('a', Buffer.from('v2'))
    assert.equal(replaced.size, 2)
    assert.equal((await store.getBytes('a')).toString(), 'v2')
    assert.deepEqual((await store.list()).map((i) => i.name).sort(), ['a', 'b', 'empty'])
    await store.delete('empty')
    await rejectsWith(assert, store.info('empty'), 'NOT_FOUND')
    assert.deepEqual((await store.list()).map((i) => i.name).sort(), ['a', 'b'])
    await assert.rejects(store.put('x', 42), TypeError)
    await assert.rejects(store.put('x', [42]), TypeError)
    await rejectsWith(assert, store.info('x'), 'NOT_FOUND')
  })

  test('a source that fails midway leaves nothing visible and its error is thrown', async () => {
    const store = await client.createObjectStore({ bucket: uniq('fail') })
    await store.put('doc', 'v1')
    async function* broken() {
      yield pattern(200_000)
      throw new Error('disk gone')
    }
    await assert.rejects(store.put('doc', broken()), /disk gone/)
    assert.equal((await store.getBytes('doc')).toString(), 'v1', 'the previous version stays')
  })

  test('a missing object is NOT_FOUND; a corrupted one fails the stream with SERVER, never ending normally', async () => {
    const bucket = uniq('bad')
    const store = await client.createObjectStore({ bucket })
    await rejectsWith(assert, store.get('missing'), 'NOT_FOUND')
    await rejectsWith(assert, store.getBytes('missing'), 'NOT_FOUND')
    await store.put('two', pattern(200_000)) // chunks at stream sequences 1 and 2, info at 3
    await client.deleteMessage(`OBJ_${bucket}`, 2)
    const { stream } = await store.get('two')
    await rejectsWith(assert, pipeline(stream, async function* (chunks) {
      for await (const _ of chunks) yield ''
    }), 'SERVER')
    await rejectsWith(assert, store.getBytes('two'), 'SERVER')
  })

  test('backpressure: an unread stream asks for no more than one chunk; a generator source is read piece by piece', async () => {
    const store = await client.createObjectStore({ bucket: uniq('bp') })
    let yielded = 0
    async function* slow() {
      for (let i = 0; i < 6; i++) {
        yielded += 1
        yield pattern(64 * 1024)
      }
    }
    const info = await store.put('x', slow())
    assert.equal(yielded, 6)
    assert.equal(info.size, 6 * 64 * 1024)
    const { stream } = await store.get('x')
    await new Promise((r) => setTimeout(r, 100))
    assert.equal(stream.readableLength, 0, 'nothing is read before the stream is consumed')
    stream.read(0) // starts filling the stream's buffer, up to its highWaterMark
    await new Promise((r) => setTimeout(r, 300))
    assert.equal(stream.readableLength, 128 * 1024, 'one chunk buffered, the rest left in the store')
    let n = 0
    for await (const chunk of stream) n += chunk.length
    assert.equal(n, info.size)
  })

  test('a destroyed read stops; the store and bucket can be opened and deleted', async () => {
    const bucket = uniq('del')
    await client.createObjectStore({ bucket })
    const store = await client.objectStore(bucket)
    await store.put('big', pattern(400_000))
    const { stream } = await store.get('big')
    for await (const chunk of stream) {
      assert.ok(chunk.length > 0)
      break // destroys the stream: the native reader is closed
    }
    assert.ok(stream.destroyed)
    await client.deleteObjectStore(bucket)
    await rejectsWith(assert, client.objectStore(bucket), 'NOT_FOUND')
  })
})
