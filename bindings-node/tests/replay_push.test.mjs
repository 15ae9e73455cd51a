// Ordered replay from every start position, push consumers with a deliver
// group, and Dapr-style subscribe.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { connect, DaprConfig } from '../index.mjs'
import { freshStream, rejectsWith, sleep, throwsWith, uniq, useServerAndClient } from './helpers.mjs'

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
})

/** Takes stream sequences from `stream` until `last` (bounded by time). */
async function sequencesUntil(stream, last, timeoutMs = 10_000) {
  const seqs = []
  const deadline = Date.now() + timeoutMs
  for await (const m of stream) {
    seqs.push(m.streamSequence)
    if (m.streamSequence >= last || Date.now() > deadline) break
  }
  return seqs
}

describe('replay', () => {
  test('from every start position, in order, each message once', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, '1')
    await client.publish(`${s}.b`, '2')
    await client.publish(`${s}.a`, '3')
    await sleep(20)
    const mid = new Date()
    await sleep(20)
    await client.publish(`${s}.b`, '4')
    await client.publish(`${s}.a`, '5')
    const cases = [
      [undefined, [1, 2, 3, 4, 5]],
      ['all', [1, 2, 3, 4, 5]],
      [{ sequence: 2 }, [2, 3, 4, 5]],
      [{ time: mid }, [4, 5]],
      [{ time: BigInt(mid.getTime()) * 1_000_000n }, [4, 5]],
      ['last', [5]],
    ]
    for (const [start, expected] of cases) {
      const opts = start === undefined ? undefined : { start }
      assert.deepEqual(await sequencesUntil(client.replay(s, opts), 5), expected, JSON.stringify(start, (k, v) => (typeof v === 'bigint' ? String(v) : v)))
    }
    const perSubject = await sequencesUntil(client.replay(s, { start: 'lastPerSubject', filterSubjects: [`${s}.a`, `${s}.b`] }), 5)
    assert.deepEqual(perSubject, [4, 5])
    const filtered = await sequencesUntil(client.replay(s, { filterSubjects: [`${s}.b`] }), 4)
    assert.deepEqual(filtered, [2, 4])
  })

  test("'new' sees only later messages; replayed messages take no acks", async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, 'old')
    const stream = await client.replay(s, { start: 'new', messages: { batch: 10 } }).open()
    await client.publish(`${s}.a`, 'new')
    const { value: m } = await stream.next()
    assert.equal(m.text(), 'new')
    assert.equal(m.streamSequence, 2)
    throwsWith(assert, () => m.ack(), 'INVALID_ARGUMENT')
    stream.stop()
  })

  test('original speed keeps the gaps; a missing stream is NOT_FOUND', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, '1')
    await sleep(400)
    await client.publish(`${s}.a`, '2')
    const t0 = Date.now()
    const seqs = await sequencesUntil(client.replay(s, { speed: 'original' }), 2)
    assert.deepEqual(seqs, [1, 2])
    assert.ok(Date.now() - t0 >= 300, 'replayed with the original gap')
    await rejectsWith(assert, client.replay(uniq('NOPE')).next(), 'NOT_FOUND')
    await rejectsWith(assert, client.replay(s, { start: { sequence: 0 } }).next(), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.replay(s, { speed: 'fast' }).next(), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.replay(s, { messages: { batch: 0 } }).next(), 'INVALID_ARGUMENT')
    assert.throws(() => client.replay(s, { messages: { batch: '1' } }), (e) => e instanceof TypeError && /options.messages.batch must be a number/.test(e.message))
  })
})

describe('push consumers', () => {
  test('a deliver group shares the messages: each goes to one member', async () => {
    const s = await freshStream(client)
    for (let i = 0; i < 40; i++) await client.publish(`${s}.a`, `m${i}`)
    const config = { durableName: 'pusher', deliverGroup: 'workers', ackWaitMs: 30_000 }
    const a = await client.pushSubscribe(s, config).open()
    const b = await client.pushSubscribe(s, config).open()
    const seen = new Map()
    const take = async (stream, who) => {
      for (;;) {
        const batch = await stream.nextBatch(100, 300)
        if (batch.length === 0) return
        for (const m of batch) {
          assert.ok(!seen.has(m.streamSequence), `message ${m.streamSequence} delivered twice`)
          seen.set(m.streamSequence, who)
          m.ack()
        }
      }
    }
    await Promise.all([take(a, 'a'), take(b, 'b')])
    assert.equal(seen.size, 40)
    const info = await client.consumerInfo(s, 'pusher')
    assert.equal(info.config.deliverGroup, 'workers')
    assert.ok(info.config.deliverSubject)
    a.stop()
    b.stop()
    await rejectsWith(assert, client.pushSubscribe(s, { ...config, ackWaitMs: 1000 }).next(), 'CONFIG_MISMATCH')
  })

  test('flow control and idle heartbeat keep a push consumer active', async () => {
    const s = await freshStream(client)
    for (let i = 0; i < 5; i++) await client.publish(`${s}.a`, `m${i}`)
    const stream = client.pushSubscribe(s, { durableName: 'fc', flowControl: true, idleHeartbeatMs: 500 })
    const seqs = await sequencesUntil(stream, 5)
    assert.deepEqual(seqs, [1, 2, 3, 4, 5])
    await sleep(1500)
    assert.equal(stream.health, 'stopped', 'leaving the loop stopped it')
  })
})

describe('Dapr subscribe', () => {
  test('metadata configures a queue-group push subscription on the topic', async () => {
    const s = await freshStream(client)
    const dapr = DaprConfig.fromMetadata({
      natsURL: h.urls[0],
      name: 'dapr-app',
      streamName: s,
      durableName: 'dapr-durable',
      queueGroupName: 'dapr-group',
      deliverPolicy: 'all',
      ackWait: '30s',
      maxDeliver: 5,
    })
    const daprClient = await connect(dapr)
    try {
      await client.publish(`${s}.orders`, 'wanted')
      await client.publish(`${s}.other`, 'not for this topic')
      const sub = daprClient.subscribeDapr(`${s}.orders`, dapr)
      const { value: m } = await sub.next()
      assert.equal(m.subject, `${s}.orders`)
      assert.equal(m.text(), 'wanted')
      m.ack()
      sub.stop()
      const info = await client.consumerInfo(s, 'dapr-durable')
      assert.equal(info.config.deliverGroup, 'dapr-group')
      assert.deepEqual(info.config.filterSubjects, [`${s}.orders`])
      assert.equal(info.config.maxDeliver, 5)
      assert.equal(info.config.ackWaitMs, 30_000)
    } finally {
      await daprClient.close()
    }
  })

  test('without streamName the stream that captures the topic is used', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.t`, 'x')
    const dapr = DaprConfig.fromMetadata({ natsURL: h.urls[0], durableName: 'auto' })
    const sub = client.subscribe(`${s}.t`, dapr)
    const { value: m } = await sub.next()
    assert.equal(m.stream, s)
    m.ack()
    sub.stop()
    await rejectsWith(assert, client.subscribe('no.stream.here', dapr).next(), 'NOT_FOUND')
  })
})
