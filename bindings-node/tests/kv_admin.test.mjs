// Administration of key-value buckets and object stores against a real
// server (2.11+): a bucket's status with its configuration read back,
// create-or-update changing it, the account's buckets and stores by name,
// keys matching a filter, a key created with its own TTL that the server
// removes, an object store's status and sealing it (writes refused with the
// server's api code, objects kept).
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { KV_CAUGHT_UP, KeyValue } from '../index.mjs'
import { eventually, rejectsWith, sleep, uniq, useServerAndClient } from './helpers.mjs'

let client
useServerAndClient((_, c) => {
  client = c
})

describe('key-value administration', () => {
  test('status reads the configuration back; createOrUpdateKeyValue changes it; names are sorted', async () => {
    const bucket = uniq('adm')
    const kv = await client.createKeyValue({
      bucket,
      history: 3,
      description: 'app settings',
      compression: true,
      metadata: { team: 'core' },
    })
    await kv.put('a.x', '1')
    await kv.put('a.y', '2')
    await kv.delete('a.y')

    const s = await kv.status()
    assert.equal(s.bucket, bucket)
    assert.equal(s.values, 3, 'every kept revision, the delete marker included')
    assert.ok(s.bytes > 0)
    assert.equal(s.config.bucket, bucket)
    assert.equal(s.config.history, 3)
    assert.equal(s.config.description, 'app settings')
    assert.equal(s.config.compression, true)
    assert.deepEqual(s.config.metadata, { team: 'core' })
    assert.deepEqual(await client.keyValueStatus(bucket), s)

    // The same bucket with another configuration: create refuses, create-or-update changes it.
    await rejectsWith(assert, client.createKeyValue({ bucket, history: 10 }), 'ALREADY_EXISTS')
    const same = await client.createOrUpdateKeyValue({ bucket, history: 10, ttlMs: 3_600_000, metadata: { team: 'core' } })
    assert.ok(same instanceof KeyValue)
    assert.equal((await same.get('a.x')).string(), '1', 'the values stay')
    const updated = await client.keyValueStatus(bucket)
    assert.equal(updated.config.history, 10)
    assert.equal(updated.config.ttlMs, 3_600_000)
    assert.equal(updated.values, 3)

    // Create-or-update of a missing bucket creates it.
    const fresh = uniq('adm')
    assert.equal(await (await client.createOrUpdateKeyValue({ bucket: fresh })).put('k', 'v'), 1)

    const names = await client.keyValueNames()
    assert.ok(names.includes(bucket) && names.includes(fresh), `${names}`)
    assert.deepEqual(names, [...names].sort())

    await rejectsWith(assert, client.keyValueStatus(uniq('missing')), 'NOT_FOUND')
  })

  test('keys with a filter; watch() without one sees every key', async () => {
    const kv = await client.createKeyValue({ bucket: uniq('keys') })
    await kv.put('a.x', '1')
    await kv.put('a.y', '2')
    await kv.put('b.z', '3')
    await kv.delete('a.y')
    assert.deepEqual((await kv.keys({ filter: 'a.*' })).sort(), ['a.x'])
    assert.deepEqual(await kv.keys({ filter: 'b.>' }), ['b.z'])
    assert.deepEqual((await kv.keys()).sort(), ['a.x', 'b.z'])
    await rejectsWith(assert, kv.keys({ filter: 'a..b' }), 'INVALID_ARGUMENT')
    await assert.rejects(kv.keys({ filter: 1 }), TypeError)

    const watch = await kv.watch({ ignoreDeletes: true })
    const keys = []
    for await (const e of watch) {
      if (e === KV_CAUGHT_UP) break
      keys.push(e.key)
    }
    assert.deepEqual(keys.sort(), ['a.x', 'b.z'])
  })

  test('create with ttlMs: the key is taken until the server removes it', async () => {
    const bucket = uniq('ttl')
    const kv = await client.createKeyValue({ bucket, limitMarkerTtlMs: 1000 })
    assert.equal((await kv.status()).config.limitMarkerTtlMs, 1000)
    assert.equal(await kv.create('leader', 'node-1', { ttlMs: 1000 }), 1)
    await rejectsWith(assert, kv.create('leader', 'node-2'), 'WRONG_LAST_SEQUENCE')
    assert.equal((await kv.get('leader')).string(), 'node-1')
    await sleep(1000)
    await eventually(async () => (await kv.entry('leader'))?.operation !== 'put')
    await rejectsWith(assert, kv.get('leader'), 'NOT_FOUND')
    await kv.create('leader', 'node-2')
    assert.equal((await kv.get('leader')).string(), 'node-2')

    // A key TTL needs a bucket with a limit marker TTL: the server refuses.
    const plain = await client.createKeyValue({ bucket: uniq('plain') })
    await rejectsWith(assert, plain.create('k', 'v', { ttlMs: 1000 }), 'INVALID_ARGUMENT')
    // A limit marker TTL under 1 s is the core's refusal.
    await rejectsWith(assert, client.createKeyValue({ bucket: uniq('x'), limitMarkerTtlMs: 10 }), 'INVALID_ARGUMENT')
    await assert.rejects(kv.create('k', 'v', { ttl: 1 }), TypeError)
  })
})

describe('object store administration', () => {
  test('status, names, seal: writes and deletes refused, objects kept', async () => {
    const bucket = uniq('files')
    const store = await client.createObjectStore({ bucket, description: 'docs', metadata: { k: 'v' } })
    await store.put('a', 'kept')

    const s = await store.status()
    assert.equal(s.bucket, bucket)
    assert.equal(s.sealed, false)
    assert.ok(s.bytes > 0)
    assert.equal(s.config.bucket, bucket)
    assert.equal(s.config.description, 'docs')
    assert.deepEqual(s.config.metadata, { k: 'v' })
    assert.equal((await client.objectStoreStatus(bucket)).sealed, false)

    const names = await client.objectStoreNames()
    assert.ok(names.includes(bucket), `${names}`)
    assert.deepEqual(names, [...names].sort())
    assert.ok(!(await client.keyValueNames()).includes(bucket), 'an object store is no bucket')

    const sealed = await store.seal()
    assert.equal(sealed.sealed, true)
    assert.equal(sealed.config.description, 'docs')
    assert.equal((await client.objectStoreStatus(bucket)).sealed, true)

    const e = await rejectsWith(assert, store.put('b', 'new'), 'INVALID_ARGUMENT')
    assert.equal(e.apiCode, 10109)
    await rejectsWith(assert, store.delete('a'), 'INVALID_ARGUMENT')
    assert.equal((await store.getBytes('a')).toString(), 'kept')
    assert.deepEqual((await store.list()).map((i) => i.name), ['a'])

    await rejectsWith(assert, client.objectStoreStatus(uniq('missing')), 'NOT_FOUND')
  })
})
