// Object stores against a real server, links, meta and watches: a link reads
// its target (also in another store), a link to a whole store is
// INVALID_ARGUMENT to read, updateMeta renames and sets metadata, put takes
// metadata, and a watch yields the current infos, OBJECT_CAUGHT_UP once,
// then changes.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { OBJECT_CAUGHT_UP, ObjectWatch } from '../index.mjs'
import { rejectsWith, uniq, useServerAndClient } from './helpers.mjs'

let client
useServerAndClient((_h, c) => {
  client = c
})

/** `n` bytes of a pattern that differs from chunk to chunk. */
const pattern = (n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31) % 251))

describe('object links and meta', () => {
  test('a link reads its target in another store; a store link is INVALID_ARGUMENT to read', async () => {
    const docs = await client.createObjectStore({ bucket: uniq('docs') })
    const other = await client.createObjectStore({ bucket: uniq('other') })
    const data = pattern(140_000)
    const report = await other.put('report', data)
    assert.equal(report.link, undefined)

    const link = await docs.addLink('latest', report)
    assert.deepEqual(link.link, { bucket: other.bucket, name: 'report' })
    assert.equal(link.bucket, docs.bucket)
    const { info, stream } = await docs.get('latest')
    assert.equal(info.name, 'report', "the target's info")
    assert.equal(info.bucket, other.bucket)
    const chunks = []
    for await (const c of stream) chunks.push(c)
    assert.ok(Buffer.concat(chunks).equals(data))
    assert.ok((await docs.getBytes('latest')).equals(data))

    const whole = await docs.addBucketLink('all', other.bucket)
    assert.deepEqual(whole.link, { bucket: other.bucket })
    await rejectsWith(assert, docs.get('all'), 'INVALID_ARGUMENT')
    assert.deepEqual((await docs.list()).map((i) => i.name).sort(), ['all', 'latest'])

    const plain = await docs.put('plain', 'p')
    await rejectsWith(assert, docs.addLink('plain', report), 'ALREADY_EXISTS')
    await rejectsWith(assert, docs.addLink('x', whole), 'INVALID_ARGUMENT')
    await docs.addLink('latest', plain) // a link of that name is replaced
    assert.equal((await docs.getBytes('latest')).toString(), 'p')
  })

  test('updateMeta renames and sets description and metadata; put takes metadata', async () => {
    const store = await client.createObjectStore({ bucket: uniq('meta') })
    await store.put('plain', 'p', { description: 'old' })
    await store.put('other', 'o')
    const info = await store.updateMeta('plain', { name: 'renamed', description: 'd', metadata: { owner: 'ops' } })
    assert.equal(info.name, 'renamed')
    assert.equal(info.description, 'd')
    assert.deepEqual(info.metadata, { owner: 'ops' })
    await rejectsWith(assert, store.info('plain'), 'NOT_FOUND')
    assert.equal((await store.getBytes('renamed')).toString(), 'p', 'the content stays')
    await rejectsWith(assert, store.updateMeta('renamed', { name: 'other' }), 'ALREADY_EXISTS')
    await rejectsWith(assert, store.updateMeta('missing', { name: 'm' }), 'NOT_FOUND')

    const tagged = await store.put('tagged', 't', { metadata: { k: 'v' } })
    assert.deepEqual(tagged.metadata, { k: 'v' })
    assert.deepEqual((await store.info('tagged')).metadata, { k: 'v' })
  })

  test('bad arguments are TypeErrors naming the parameter', async () => {
    const store = await client.createObjectStore({ bucket: uniq('args') })
    await assert.rejects(store.addLink('x', 'report'), /target must be an object/)
    await assert.rejects(store.addBucketLink('x', 3), /bucket must be a string/)
    await assert.rejects(store.updateMeta('x', { nmae: 'y' }), /meta\.nmae is not a known option/)
    await assert.rejects(store.put('x', 'd', { metadata: { k: 1 } }), /options\.metadata\.k must be a string/)
    await assert.rejects(store.watch({ ignoreDelete: true }), TypeError)
  })
})

describe('object watch', () => {
  test('the current infos, OBJECT_CAUGHT_UP once, then changes; leaving the loop stops it', async () => {
    const store = await client.createObjectStore({ bucket: uniq('watched') })
    await store.put('one', '1')
    await store.put('two', '22')
    await store.delete('two')
    const w = await store.watch()
    assert.ok(w instanceof ObjectWatch)
    const seen = []
    for await (const i of w) {
      if (i === OBJECT_CAUGHT_UP) {
        assert.ok(w.caughtUp)
        seen.push('caught up')
        await store.put('three', '333')
        continue
      }
      seen.push(`${i.name}:${i.deleted ? 'deleted' : i.size}`)
      if (seen.length === 4) break
    }
    assert.deepEqual(seen, ['one:1', 'two:deleted', 'caught up', 'three:3'])
    await rejectsWith(assert, w.next({ timeoutMs: 100 }), 'CLOSED')

    const live = await store.watch({ ignoreDeletes: true })
    const initial = []
    for (let i = 0; i < 10; i++) {
      const got = await live.next({ timeoutMs: 2000 })
      if (got === OBJECT_CAUGHT_UP || got === null) break
      initial.push(got.name)
    }
    assert.deepEqual(initial, ['one', 'three'])
    live.stop()
  })

  test('updatesOnly: the marker first, then changes; timed next() gives null; stop() ends a waiting next', async () => {
    const store = await client.createObjectStore({ bucket: uniq('updates') })
    await store.put('before', 'b')
    const w = await store.watch({ updatesOnly: true })
    assert.equal(await w.next({ timeoutMs: 2000 }), OBJECT_CAUGHT_UP)
    assert.equal(await w.next({ timeoutMs: 100 }), null)
    await store.delete('before')
    const got = await w.next({ timeoutMs: 2000 })
    assert.equal(got.name, 'before')
    assert.equal(got.deleted, true)
    const waiting = w.next()
    w.stop()
    await rejectsWith(assert, waiting, 'CLOSED')
  })
})
