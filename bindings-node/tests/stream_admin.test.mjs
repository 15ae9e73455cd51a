// Listing streams and consumers, deleting one message and the account's
// usage and limits: client.listStreams({ subject }) / listConsumers(stream)
// resolve with the same StreamInfo / ConsumerInfo objects streamInfo and
// consumerInfo give; client.deleteMessage(stream, seq, { erase });
// client.accountInfo() resolves with the declared AccountInfo.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { connect } from '../index.mjs'
import { Harness, freshStream, ownMetadata, rejectsWith, uniq, useServerAndClient } from './helpers.mjs'

let client
useServerAndClient((_, c) => {
  client = c
})

const typeError = (pattern) => (e) => e instanceof TypeError && pattern.test(e.message)

/**
 * An info without what the server reports only for one stream or consumer,
 * not in its lists: the cluster leader and the server's own `_nats.*`
 * metadata (its version and API level).
 */
const listed = ({ cluster: _, ...info }) => ({ ...info, config: { ...info.config, metadata: ownMetadata(info.config.metadata) } })

describe('listStreams', () => {
  test('every stream, by name, each as streamInfo gives it; a subject filter keeps the overlapping ones', async () => {
    const tag = uniq('L')
    const names = [`${tag}_B`, `${tag}_A`, `${tag}_C`]
    for (const name of names) await freshStream(client, { name, subjects: [`${name}.>`] })
    await client.publish(`${tag}_A.x`, 'one')

    const all = await client.listStreams()
    const mine = all.filter((i) => i.config.name.startsWith(`${tag}_`))
    assert.deepEqual(mine.map((i) => i.config.name), [...names].sort(), 'in the order listed: by name')
    const allNames = all.map((i) => i.config.name)
    assert.deepEqual(allNames, [...allNames].sort(), 'the server lists by name')
    assert.deepEqual(listed(mine[0]), listed(await client.streamInfo(`${tag}_A`)), 'the same shape as streamInfo')
    assert.equal(mine[0].state.messages, 1)
    assert.equal(typeof mine[0].createdNanos, 'bigint')
    assert.deepEqual(await client.listStreams({}), all, 'an empty options object is no filter')

    const one = await client.listStreams({ subject: `${tag}_B.new` })
    assert.deepEqual(one.map((i) => i.config.name), [`${tag}_B`])
    const wild = await client.listStreams({ subject: `${tag}_C.*` })
    assert.deepEqual(wild.map((i) => i.config.name), [`${tag}_C`], 'a wildcard filter')
    assert.deepEqual(await client.listStreams({ subject: 'nothing.here.>' }), [])
    assert.deepEqual(await client.listStreams({ subject: undefined }), all, 'an absent subject is no filter')
    await rejectsWith(assert, client.listStreams({ subject: 'bad subject' }), 'INVALID_ARGUMENT')
  })

  test("a listed stream's config times are Dates, as in streamInfo", async () => {
    const origin = await freshStream(client)
    const since = new Date(Date.now() - 60_000)
    const s = await freshStream(client, { metadata: { team: 'a' }, sources: [{ name: origin, optStartTime: since }] })
    const [info] = await client.listStreams({ subject: `${s}.x` })
    assert.equal(info.config.name, s)
    assert.equal(info.config.metadata.team, 'a')
    const [source] = info.config.sources
    assert.ok(source.optStartTime instanceof Date, `${source.optStartTime}`)
    assert.equal(source.optStartTime.getTime(), since.getTime())
    assert.deepEqual(listed(info), listed(await client.streamInfo(s)))
  })

  test('wrong argument types are TypeErrors', async () => {
    await assert.rejects(client.listStreams('orders.>'), typeError(/^options must be an object, got a string/))
    await assert.rejects(client.listStreams({ subject: 5 }), typeError(/^options\.subject must be a string, got a number/))
    await assert.rejects(client.listStreams({ filter: 'x' }), typeError(/^options\.filter is not a known option \(known: subject\)/))
  })
})

describe('listConsumers', () => {
  test("every consumer of a stream, each as consumerInfo gives it; none; a missing stream is NOT_FOUND", async () => {
    const s = await freshStream(client)
    for (const d of ['C', 'A', 'B']) await client.createConsumer(s, { durableName: d, ackWaitMs: 5000 })
    const consumers = await client.listConsumers(s)
    assert.deepEqual(consumers.map((i) => i.name).sort(), ['A', 'B', 'C'])
    for (const i of consumers) {
      assert.equal(i.stream, s)
      assert.equal(i.config.ackWaitMs, 5000)
      assert.deepEqual(listed(i), listed(await client.consumerInfo(s, i.name)), 'the same shape as consumerInfo')
    }

    const empty = await freshStream(client)
    assert.deepEqual(await client.listConsumers(empty), [])
    await rejectsWith(assert, client.listConsumers(uniq('MISSING')), 'NOT_FOUND')
    await rejectsWith(assert, client.listConsumers('bad name'), 'INVALID_ARGUMENT')
    await assert.rejects(client.listConsumers(), typeError(/^stream must be a string, got undefined/))
  })

  test("a listed consumer's pauseUntil is a Date, as in consumerInfo", async () => {
    const s = await freshStream(client)
    const until = new Date(Date.now() + 3_600_000)
    await client.createConsumer(s, { durableName: 'P', pauseUntil: until })
    const [info] = await client.listConsumers(s)
    assert.ok(info.config.pauseUntil instanceof Date, `${info.config.pauseUntil}`)
    assert.equal(info.config.pauseUntil.getTime(), until.getTime())
  })
})

describe('deleteMessage', () => {
  test('deletes one message (plain and secure erase); then getMessage is NOT_FOUND', async () => {
    const s = await freshStream(client)
    for (const d of ['one', 'two', 'three']) await client.publish(`${s}.a`, d)

    assert.equal(await client.deleteMessage(s, 2), undefined)
    assert.equal(await client.deleteMessage(s, 3, { erase: true }), undefined)
    await rejectsWith(assert, client.getMessage(s, 2), 'NOT_FOUND')
    await rejectsWith(assert, client.getMessage(s, 3), 'NOT_FOUND')
    assert.equal((await client.getMessage(s, 1)).data.toString(), 'one')
    assert.equal((await client.streamInfo(s)).state.messages, 1)

    await rejectsWith(assert, client.deleteMessage(s, 2), 'NOT_FOUND')
    await rejectsWith(assert, client.deleteMessage(s, 99, { erase: false }), 'NOT_FOUND')
    await rejectsWith(assert, client.deleteMessage(uniq('MISSING'), 1), 'NOT_FOUND')
  })

  test('sequence 0 and other values the core refuses are INVALID_ARGUMENT', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, 'kept')
    const e = await rejectsWith(assert, client.deleteMessage(s, 0), 'INVALID_ARGUMENT')
    assert.match(e.message, /sequence/)
    await rejectsWith(assert, client.deleteMessage(s, -1), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.deleteMessage(s, 1.5), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.deleteMessage('bad name', 1), 'INVALID_ARGUMENT')
    assert.equal((await client.streamInfo(s)).state.messages, 1, 'nothing deleted')
  })

  test('a stream with denyDelete refuses with SERVER', async () => {
    const s = await freshStream(client, { denyDelete: true })
    await client.publish(`${s}.a`, 'kept')
    const e = await rejectsWith(assert, client.deleteMessage(s, 1), 'SERVER')
    assert.match(e.message, /not permitted/)
  })

  test('wrong argument types are TypeErrors', async () => {
    await assert.rejects(client.deleteMessage('S', '1'), typeError(/^sequence must be a number, got a string/))
    await assert.rejects(client.deleteMessage(null, 1), typeError(/^stream must be a string, got null/))
    await assert.rejects(client.deleteMessage('S', 1, true), typeError(/^options must be an object, got a boolean/))
    await assert.rejects(client.deleteMessage('S', 1, { erase: 1 }), typeError(/^options\.erase must be a boolean, got a number/))
    await assert.rejects(client.deleteMessage('S', 1, { secure: true }), typeError(/^options\.secure is not a known option \(known: erase\)/))
  })
})

describe('accountInfo', () => {
  // A server of its own: the counts are exact (a sourcing stream elsewhere in
  // this file keeps an internal consumer on the shared server's account).
  test('counts streams and consumers; limits are -1 when unlimited', async () => {
    const h = await Harness.start()
    const c = await connect(h.urls[0])
    try {
      const empty = await c.accountInfo()
      assert.deepEqual(
        Object.keys(empty).sort(),
        ['apiErrors', 'apiTotal', 'consumers', 'maxConsumers', 'maxMemory', 'maxStorage', 'maxStreams', 'memory', 'storage', 'streams'],
        'every field of the declared AccountInfo, camelCase',
      )
      for (const [k, v] of Object.entries(empty)) assert.equal(typeof v, 'number', k)
      assert.equal(empty.streams, 0)
      assert.equal(empty.consumers, 0)
      assert.equal(empty.maxStreams, -1)
      assert.equal(empty.maxConsumers, -1)
      assert.equal(empty.maxMemory, -1)
      assert.equal(empty.maxStorage, -1)

      const a = await freshStream(c)
      const b = await freshStream(c, { storage: 'memory' })
      for (const d of ['X', 'Y']) await c.createConsumer(a, { durableName: d })
      await c.createConsumer(b, { durableName: 'Z' })
      await c.publish(`${b}.m`, 'in memory')
      await rejectsWith(assert, c.streamInfo(uniq('MISSING')), 'NOT_FOUND')

      const used = await c.accountInfo()
      assert.equal(used.streams, 2)
      assert.equal(used.consumers, 3)
      assert.equal(used.streams, (await c.listStreams()).length)
      assert.ok(used.memory > 0, `memory ${used.memory}`)
      assert.ok(used.apiTotal > empty.apiTotal, `apiTotal ${empty.apiTotal} -> ${used.apiTotal}`)
      assert.ok(used.apiErrors > empty.apiErrors, `apiErrors ${empty.apiErrors} -> ${used.apiErrors}`)

      await c.deleteStream(a)
      const after = await c.accountInfo()
      assert.equal(after.streams, 1)
      assert.equal(after.consumers, 1)
    } finally {
      await c.close()
      await h.stop()
    }
  })
})
