// Key-value against a real server, the streamed key listing and mirrors:
// listKeys() yields each key with a value once (deleted ones left out, a
// filter honoured), ends early when the loop is left or close() is called;
// a mirror bucket reads its origin's keys (and writes through it land in
// the origin), a sourced bucket gathers them.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { KvKeys } from '../index.mjs'
import { eventually, rejectsWith, uniq, useServerAndClient } from './helpers.mjs'

let client
useServerAndClient((_h, c) => {
  client = c
})

/** Every key of a listing, through `for await`. */
async function all(keys) {
  const out = []
  for await (const k of keys) out.push(k)
  return out
}

describe('streamed keys', () => {
  test('each key with a value once, in the order of their latest revisions; a filter; an empty bucket', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('lk'), history: 3 })
    for (const k of ['k.1', 'k.2', 'k.3', 'other.x']) await kv.put(k, 'v')
    await kv.put('k.1', 'again')
    await kv.delete('k.3')

    const keys = await kv.listKeys()
    assert.ok(keys instanceof KvKeys)
    assert.deepEqual(await all(keys), ['k.2', 'other.x', 'k.1'])
    assert.equal(await keys.next(), null, 'null again after the last')
    assert.deepEqual(await all(await kv.listKeys({ filter: 'k.*' })), ['k.2', 'k.1'])
    assert.deepEqual(await all(await kv.listKeys({ filter: 'none.>' })), [])

    const empty = await client.createKeyValue({ bucket: uniq('lk') })
    assert.deepEqual(await all(await empty.listKeys()), [])
  })

  test('leaving the loop or close() ends the listing early; next() then gives null', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('lk') })
    for (let i = 0; i < 20; i++) await kv.put(`k${i}`, 'v')

    const keys = await kv.listKeys()
    const got = []
    for await (const k of keys) {
      got.push(k)
      if (got.length === 2) break
    }
    assert.deepEqual(got, ['k0', 'k1'])
    assert.equal(await keys.next(), null, 'ended by leaving the loop')

    const manual = await kv.listKeys()
    assert.equal(await manual.next(), 'k0')
    manual.close()
    manual.close()
    assert.equal(await manual.next(), null)
  })

  test('bad arguments: a TypeError for a wrong type, INVALID_ARGUMENT for a filter the core refuses', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('lk') })
    await assert.rejects(kv.listKeys({ filter: 3 }), TypeError)
    await assert.rejects(kv.listKeys({ fitler: 'a' }), TypeError)
    await rejectsWith(assert, kv.listKeys({ filter: 'a..b' }), 'INVALID_ARGUMENT')
  })
})

describe('mirrors and sources', () => {
  test('a mirror bucket reads its origin; a write through it lands in the origin; a source gathers keys', async () => {
    const name = uniq('origin')
    const origin = await client.createKeyValue({ bucket: name })
    await origin.put('a', '1')
    const copy = await client.createKeyValue({ bucket: uniq('copy'), mirror: { name } })
    const gathered = await client.createKeyValue({ bucket: uniq('gath'), sources: [{ name: `KV_${name}` }] })

    // Mirrors and sources copy in the background: bounded wait for 'a'.
    const found = (kv) => eventually(() => kv.get('a').then((e) => e, () => null))
    const a = await found(copy)
    assert.ok(a, 'the mirror has the origin key')
    assert.equal(a.string(), '1')
    assert.equal(a.bucket, copy.bucket)
    assert.equal((await found(gathered))?.string(), '1')

    await copy.put('b', '2')
    // The mirror also answers the origin's reads (the server's mirror_direct):
    // a read from the origin may lag the write briefly.
    assert.ok(await eventually(() => origin.get('b').then((e) => e.string() === '2', () => false)))
    const reopened = await client.keyValue(copy.bucket)
    assert.ok(await eventually(() => reopened.get('b').then((e) => e.string() === '2', () => false)))
    assert.deepEqual((await reopened.keys()).sort(), ['a', 'b'])
    assert.equal((await reopened.status()).config.mirror.name, name)
  })
})
