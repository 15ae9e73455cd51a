// Durable pull consumers: create/update/getOrCreate/bind/info/delete, fetch,
// every ack, message fields and consumer lag.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { connect, Message } from '../index.mjs'
import { eventually, freshStream, ownMetadata, rejectsWith, sleep, throwsWith, uniq, useServerAndClient } from './helpers.mjs'

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
})

async function filled(n, subject = 'a') {
  const s = await freshStream(client)
  for (let i = 0; i < n; i++) await client.publish(`${s}.${subject}`, `m${i}`, { msgId: `id-${i}` })
  return s
}

describe('consumer administration', () => {
  test('createConsumer: every option reaches the server; same config again is fine, different is ALREADY_EXISTS', async () => {
    const s = await filled(0)
    const config = {
      durableName: 'worker',
      description: 'does work',
      start: { sequence: 1 },
      ackPolicy: 'explicit',
      ackWaitMs: 10_000,
      maxDeliver: 5,
      backoffMs: [10_000, 20_000],
      maxAckPending: 50,
      filterSubjects: [`${s}.a`],
      replay: 'instant',
      inactiveThresholdMs: 3_600_000,
      memoryStorage: true,
      maxWaiting: 16,
    }
    const c = await client.createConsumer(s, config)
    assert.equal(c.stream, s)
    assert.equal(c.name, 'worker')
    const got = c.config
    for (const [k, v] of Object.entries(config)) assert.deepEqual(got[k], v, k)
    const again = await client.createConsumer(s, config)
    assert.equal(again.name, 'worker')
    await rejectsWith(assert, client.createConsumer(s, { ...config, maxDeliver: 9 }), 'ALREADY_EXISTS')
  })

  test('every start position round-trips through the server', async () => {
    const s = await filled(1)
    const t = new Date(Date.now() - 60_000)
    const cases = [
      ['all', 'all'],
      ['last', 'last'],
      ['lastPerSubject', 'lastPerSubject', { filterSubjects: [`${s}.a`] }],
      ['new', 'new'],
      [{ sequence: 7 }, { sequence: 7 }],
      [{ time: t }, { time: BigInt(t.getTime()) * 1_000_000n }],
    ]
    for (const [start, expected, extra] of cases) {
      const c = await client.createConsumer(s, { durableName: uniq('c'), start, ...extra })
      assert.deepEqual(c.config.start, expected)
    }
  })

  test('an ephemeral consumer gets a server-chosen name', async () => {
    const s = await filled(1)
    const c = await client.createConsumer(s, { inactiveThresholdMs: 10_000 })
    assert.ok(c.name.length > 0)
    assert.equal((await c.fetch({ maxMessages: 1, maxWaitMs: 2000 })).length, 1)
  })

  test('updateConsumer, getOrCreateConsumer, bindConsumer, consumerInfo, deleteConsumer', async () => {
    const s = await filled(2)
    await rejectsWith(assert, client.updateConsumer(s, { durableName: 'u', maxDeliver: 3 }), 'NOT_FOUND')
    const created = await client.getOrCreateConsumer(s, { durableName: 'u', maxDeliver: 3 })
    const bound = await client.getOrCreateConsumer(s, { durableName: 'u', maxDeliver: 3 })
    assert.equal(bound.name, created.name)
    await rejectsWith(assert, client.getOrCreateConsumer(s, { durableName: 'u', maxDeliver: 4 }), 'CONFIG_MISMATCH')
    const updated = await client.updateConsumer(s, { durableName: 'u', maxDeliver: 4 })
    assert.equal(updated.config.maxDeliver, 4)
    const b = await client.bindConsumer(s, 'u')
    assert.equal(b.config.maxDeliver, 4)
    await client.bindConsumer(s, 'u', { maxDeliver: 4 })
    const mismatch = await rejectsWith(assert, client.bindConsumer(s, 'u', { ackWaitMs: 1234 }), 'CONFIG_MISMATCH')
    assert.match(mismatch.message, /ack_wait/)
    const info = await client.consumerInfo(s, 'u')
    assert.equal(info.name, 'u')
    assert.equal(info.stream, s)
    assert.equal(info.numPending, 2)
    assert.equal(typeof info.createdNanos, 'bigint')
    await client.deleteConsumer(s, 'u')
    await rejectsWith(assert, client.consumerInfo(s, 'u'), 'NOT_FOUND')
    await rejectsWith(assert, client.bindConsumer(s, 'u'), 'NOT_FOUND')
    await rejectsWith(assert, client.deleteConsumer(s, 'u'), 'NOT_FOUND')
    const d = await client.createConsumer(s, { durableName: 'gone' })
    await d.delete()
    await rejectsWith(assert, d.info(), 'NOT_FOUND')
  })

  test('metadata and pauseUntil (server 2.11+) round-trip; a time comes back as a Date', async () => {
    const s = await filled(1)
    const pauseUntil = new Date('2100-01-01T00:00:00.123Z')
    const metadata = { team: 'payments', tier: 'gold' }
    const c = await client.createConsumer(s, { durableName: 'paused', pauseUntil, metadata })
    const reported = async () => [c.config, (await c.info()).config, (await client.consumerInfo(s, 'paused')).config]
    for (const config of await reported()) {
      assert.ok(config.pauseUntil instanceof Date, `${config.pauseUntil}`)
      assert.equal(config.pauseUntil.toISOString(), '2100-01-01T00:00:00.123Z')
      assert.deepEqual(ownMetadata(config.metadata), metadata)
    }
    // Paused: nothing is delivered.
    assert.equal((await c.fetch({ maxMessages: 1, maxWaitMs: 300 })).length, 0)
    // The same config again is the same consumer.
    assert.equal((await client.createConsumer(s, { durableName: 'paused', pauseUntil, metadata })).name, 'paused')
    // An update changes the metadata; the pause it leaves as it is (nats-server 2.15
    // changes a pause only through its own pause API).
    const later = new Date('2101-06-30T12:34:56.789Z')
    const u = await client.updateConsumer(s, { durableName: 'paused', pauseUntil: later, metadata: { team: 'ops' } })
    assert.deepEqual(ownMetadata(u.config.metadata), { team: 'ops' })
    assert.equal(u.config.pauseUntil.getTime(), pauseUntil.getTime())
    // A consumer never paused has no pauseUntil.
    const plain = await client.createConsumer(s, { durableName: uniq('c') })
    assert.equal(plain.config.pauseUntil, undefined)
  })

  test('bad consumer configs are INVALID_ARGUMENT', async () => {
    const s = await filled(0)
    await rejectsWith(assert, client.createConsumer(s, { durableName: 'a.b' }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.createConsumer(s, { durableName: 'x', maxDeliver: 0 }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.createConsumer(s, { durableName: 'x', maxDeliver: 1, backoffMs: [1, 2] }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.createConsumer(s, { durableName: 'x', start: { sequence: 0 } }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.createConsumer(s, { durableName: 'x', start: 'sometime' }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.createConsumer(s, { durableName: 'x', ackPolicy: 'maybe' }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.createConsumer(s, { durableName: 'x', deliverGroup: 'g' }), 'INVALID_ARGUMENT')
    // A Date beyond what Unix nanoseconds hold (after 2262).
    const e = await rejectsWith(assert, client.createConsumer(s, { durableName: 'x', pauseUntil: new Date('3000-01-01T00:00:00Z') }), 'INVALID_ARGUMENT')
    assert.match(e.message, /pauseUntil/)
  })
})

describe('fetch', () => {
  test('returns up to maxMessages with every field; zero messages is not an error', async () => {
    const s = await filled(3)
    const c = await client.createConsumer(s, { durableName: 'f' })
    const batch = await c.fetch({ maxMessages: 10, maxWaitMs: 1000 })
    assert.equal(batch.length, 3)
    const [m] = batch
    assert.ok(m instanceof Message)
    assert.equal(m.subject, `${s}.a`)
    assert.ok(Buffer.isBuffer(m.data))
    assert.equal(m.text(), 'm0')
    assert.equal(m.msgId, 'id-0')
    assert.equal(m.header('nats-msg-id'), 'id-0', 'header names match case-insensitively')
    assert.equal(m.header('X-None'), undefined)
    assert.deepEqual(m.headers, [['Nats-Msg-Id', 'id-0']])
    assert.equal(m.stream, s)
    assert.equal(m.consumer, 'f')
    assert.deepEqual([m.streamSequence, m.consumerSequence, m.delivered, m.pending], [1, 1, 1, 2])
    assert.equal(typeof m.timestampNanos, 'bigint')
    assert.ok(Math.abs(m.time.getTime() - Date.now()) < 60_000)
    assert.deepEqual(batch.map((x) => x.text()), ['m0', 'm1', 'm2'])
    for (const x of batch) x.ack()
    const t0 = Date.now()
    const empty = await c.fetch({ maxMessages: 5, maxWaitMs: 300 })
    assert.deepEqual(empty, [])
    assert.ok(Date.now() - t0 < 5000, 'an empty fetch ends after about maxWaitMs')
    assert.deepEqual(await c.fetch({ noWait: true }), [])
  })

  test('default fetch takes one message; maxBytes limits the batch', async () => {
    const s = await filled(4)
    const c = await client.createConsumer(s, { durableName: 'f' })
    assert.equal((await c.fetch()).length, 1)
    const small = await c.fetch({ maxMessages: 10, maxBytes: 100, maxWaitMs: 1000 })
    assert.ok(small.length >= 1 && small.length < 3, `got ${small.length}`)
    await rejectsWith(assert, c.fetch({ maxMessages: 10, maxBytes: 1, maxWaitMs: 1000 }), 'LIMIT_EXCEEDED')
  })

  test('json() parses the payload', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, JSON.stringify({ id: 123, total: 9.5 }))
    const c = await client.createConsumer(s, { durableName: 'j' })
    const [m] = await c.fetch({ maxWaitMs: 2000 })
    assert.deepEqual(m.json(), { id: 123, total: 9.5 })
  })

  test('bad fetch options are INVALID_ARGUMENT', async () => {
    const s = await filled(0)
    const c = await client.createConsumer(s, { durableName: 'f' })
    await rejectsWith(assert, c.fetch({ maxMessages: 0 }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, c.fetch({ maxWaitMs: 100, heartbeatMs: 80 }), 'INVALID_ARGUMENT')
    // Values JavaScript can write and the core cannot take, each naming its option.
    for (const [o, name] of [[{ maxMessages: 1.5 }, 'maxMessages'], [{ maxWaitMs: NaN }, 'maxWaitMs'], [{ heartbeatMs: -1 }, 'heartbeatMs']]) {
      const e = await c.fetch(o).catch((e) => e)
      assert.equal(e.code, 'INVALID_ARGUMENT', e.message)
      assert.match(e.message, new RegExp(`options\\.${name}`))
    }
  })
})

describe('acks', () => {
  test('ack settles; a second terminal ack is ALREADY_ACKED; the lag shows it', async () => {
    const s = await filled(3)
    const c = await client.createConsumer(s, { durableName: 'a' })
    const before = await c.info()
    assert.equal(before.numPending, 3)
    const batch = await c.fetch({ maxMessages: 3, maxWaitMs: 1000 })
    const mid = await c.info()
    assert.equal(mid.numPending, 0)
    assert.equal(mid.numAckPending, 3)
    assert.equal(batch[0].isAcked, false)
    batch[0].ack()
    assert.equal(batch[0].isAcked, true)
    throwsWith(assert, () => batch[0].ack(), 'ALREADY_ACKED')
    throwsWith(assert, () => batch[0].nak(), 'ALREADY_ACKED')
    throwsWith(assert, () => batch[0].term(), 'ALREADY_ACKED')
    throwsWith(assert, () => batch[0].inProgress(), 'ALREADY_ACKED')
    await rejectsWith(assert, batch[0].ackSync(), 'ALREADY_ACKED')
    batch[1].term('cannot parse')
    await batch[2].ackSync()
    const after = await eventually(async () => {
      const i = await c.info()
      return i.numAckPending === 0 ? i : false
    })
    assert.ok(after, 'every message settled on the server')
    assert.equal(after.ackFloor.streamSequence, 3)
    assert.ok(client.counters().acksSent >= 3)
  })

  test('nak redelivers (after its delay); the redelivery counts deliveries', async () => {
    const s = await filled(1)
    const c = await client.createConsumer(s, { durableName: 'n' })
    const [first] = await c.fetch({ maxWaitMs: 1000 })
    first.nak()
    const [again] = await c.fetch({ maxWaitMs: 2000 })
    assert.equal(again.streamSequence, first.streamSequence)
    assert.equal(again.delivered, 2)
    const t0 = Date.now()
    again.nak(700)
    const none = await c.fetch({ maxWaitMs: 300 })
    assert.equal(none.length, 0, 'not redelivered before the delay')
    const [third] = await c.fetch({ maxWaitMs: 5000 })
    assert.ok(Date.now() - t0 >= 600, 'redelivered after the delay')
    assert.equal(third.delivered, 3)
    third.ack()
    assert.ok(client.counters().redelivered >= 2)
  })

  test('inProgress extends the ack wait; without it the message is redelivered', async () => {
    const s = await filled(1)
    const c = await client.createConsumer(s, { durableName: 'p', ackWaitMs: 3000 })
    const [m] = await c.fetch({ maxWaitMs: 1000 })
    // Each reset comes 1 s after the last: a third of the ack wait.
    for (let i = 0; i < 4; i++) {
      await sleep(1000)
      m.inProgress()
    }
    assert.equal((await c.fetch({ maxWaitMs: 300 })).length, 0, 'still in progress after 4.3 s > ackWait')
    m.ack()
    const s2 = await filled(1)
    const c2 = await client.createConsumer(s2, { durableName: 'p', ackWaitMs: 500 })
    await c2.fetch({ maxWaitMs: 1000 })
    const [redelivered] = await c2.fetch({ maxWaitMs: 3000 })
    assert.equal(redelivered.delivered, 2)
  })

  test('ackSync on a message whose consumer is gone rejects and leaves it un-acked', async () => {
    const s = await filled(1)
    const c = await client.createConsumer(s, { durableName: 'g' })
    const [m] = await c.fetch({ maxWaitMs: 1000 })
    await c.delete()
    const e = await rejectsWith(assert, m.ackSync(), 'NO_RESPONDERS')
    assert.equal(e.retryable, true)
    assert.equal(m.isAcked, false, 'still un-acked, so it can be acked again')
  })

  test('term reason with CR/LF is INVALID_ARGUMENT', async () => {
    const s = await filled(1)
    const c = await client.createConsumer(s, { durableName: 't' })
    const [m] = await c.fetch({ maxWaitMs: 1000 })
    throwsWith(assert, () => m.term('a\nb'), 'INVALID_ARGUMENT')
    m.term()
  })
})
