// Continuous consumption: `for await` over consumer.messages(), leaving the
// loop early, nextBatch, health, and a server restart in the middle.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { connect } from '../index.mjs'
import { eventually, freshStream, rejectsWith, useServerAndClient } from './helpers.mjs'

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
}, { connectTo: (urls) => ({ servers: urls[0], name: 'messages-test' }) })

async function publishN(s, n, from = 0) {
  const out = await client.publishMany(Array.from({ length: n }, (_, i) => ({ subject: `${s}.a`, data: `m${from + i}` })))
  assert.ok(out.every((r) => typeof r.sequence === 'number'), 'every publish acked')
}

test('for await yields every message in order, across many batches', async () => {
  const s = await freshStream(client)
  await publishN(s, 1200)
  const c = await client.createConsumer(s, { durableName: 'all' })
  const seen = []
  for await (const m of c.messages({ batch: 100 })) {
    seen.push(m.streamSequence)
    assert.equal(m.text(), `m${m.streamSequence - 1}`)
    m.ack()
    if (seen.length === 1200) break
  }
  assert.deepEqual(seen, Array.from({ length: 1200 }, (_, i) => i + 1))
  const info = await eventually(async () => {
    const i = await c.info()
    return i.numAckPending === 0 && i.numPending === 0 ? i : false
  })
  assert.ok(info, 'every message acked on the server')
})

test('break stops the native stream: no pull left behind, acks kept, the rest redelivered', async () => {
  const s = await freshStream(client)
  await publishN(s, 300)
  const c = await client.createConsumer(s, { durableName: 'brk', ackWaitMs: 1500 })
  const stream = c.messages({ batch: 100, heartbeatMs: 500, expiresMs: 2000 })
  let n = 0
  for await (const m of stream) {
    m.ack()
    if (++n === 50) break
  }
  assert.equal(stream.health, 'stopped', 'leaving the loop stopped the stream')
  assert.deepEqual(await stream.next(), { value: undefined, done: true })
  // The 50 acks were sent: the ack floor reaches 50.
  const acked = await eventually(async () => {
    const i = await c.info()
    return i.ackFloor.streamSequence >= 50 ? i : false
  })
  assert.ok(acked, 'acks made before the break reached the server')
  // No pull request is left behind: once the pulls already in flight have
  // expired, new messages stay pending instead of going to a dead inbox.
  const before = await eventually(async () => {
    const i = await c.info()
    return i.numWaiting === 0 ? i : false
  })
  assert.ok(before, 'no pull request waiting on the server')
  await publishN(s, 20, 300)
  const after = await eventually(async () => {
    const i = await c.info()
    return i.numPending === before.numPending + 20 ? i : false
  })
  assert.ok(after, 'new messages are not delivered to anyone')
  // Nothing is lost: a new stream gets every message not acked yet
  // (the unyielded ones come back after their ack wait).
  const rest = new Set()
  const deadline = Date.now() + 20_000
  const again = c.messages({ batch: 100 })
  for await (const m of again) {
    assert.ok(m.streamSequence > 50, `message ${m.streamSequence} was acked before the break`)
    rest.add(m.streamSequence)
    m.ack()
    if (rest.size === 270 || Date.now() > deadline) break
  }
  assert.equal(rest.size, 270)
})

test('nextBatch, stop, open and health', async () => {
  const s = await freshStream(client)
  await publishN(s, 30)
  const c = await client.createConsumer(s, { durableName: 'nb' })
  const stream = c.messages({ batch: 10, heartbeatMs: 500, expiresMs: 2000 })
  assert.equal(stream.health, 'recovering', 'nothing pulled before the first call')
  assert.equal(await stream.open(), stream)
  const got = []
  while (got.length < 30) {
    const batch = await stream.nextBatch(25, 2000)
    assert.ok(batch.length <= 25)
    for (const m of batch) {
      got.push(m.streamSequence)
      m.ack()
    }
  }
  assert.deepEqual(got, Array.from({ length: 30 }, (_, i) => i + 1))
  assert.equal(stream.health, 'active')
  const events = stream.takeEvents()
  assert.ok(events.some((e) => e.health === 'active'), JSON.stringify(events, (k, v) => (typeof v === 'bigint' ? String(v) : v)))
  assert.ok(events.every((e) => typeof e.reason === 'string' && typeof e.atNanos === 'bigint'))
  assert.deepEqual(await stream.nextBatch(5, 200), [], 'a timeout gives an empty batch')
  const changed = stream.waitHealthChange('active', 200)
  assert.equal(await changed, 'active', 'no change within the wait')
  const pending = stream.nextBatch(5, 30_000)
  stream.stop()
  assert.deepEqual(await pending, [], 'stop ends a pending wait at once')
  assert.equal(await stream.waitHealthChange('active', 2000), 'stopped')
  await rejectsWith(assert, stream.nextBatch(5, 100), 'CLOSED')
  assert.deepEqual(await stream.next(), { value: undefined, done: true })
})

test('after stop() what was buffered stays readable and ackable, then CLOSED (as in every language)', async () => {
  const s = await freshStream(client)
  await publishN(s, 3)
  const c = await client.createConsumer(s, { durableName: 'stopbuf' })
  const delivered = client.counters().delivered
  const stream = c.messages({ batch: 10 })
  const first = await stream.next()
  assert.equal(first.value.streamSequence, 1)
  // All three are in the stream's buffer before stop().
  assert.ok(await eventually(async () => client.counters().delivered - delivered === 3), 'three deliveries counted')
  // The client counts a delivery as it builds the message, a moment before
  // the buffer takes it: let the third one land before stopping (one that
  // arrives after stop() is given back to the server instead).
  await new Promise((resolve) => setTimeout(resolve, 200))
  stream.stop()
  const rest = await stream.nextBatch(5, 1000)
  assert.deepEqual(rest.map((m) => m.streamSequence), [2, 3])
  first.value.ack()
  for (const m of rest) await m.ackSync()
  await rejectsWith(assert, stream.nextBatch(1, 1000), 'CLOSED')
  assert.deepEqual(await stream.next(), { value: undefined, done: true })
  assert.ok(await eventually(async () => (await c.info()).numAckPending === 0), 'all three acked')
})

test('concurrent next() calls each get a different message, none is skipped', async () => {
  const s = await freshStream(client)
  await publishN(s, 20)
  const c = await client.createConsumer(s, { durableName: 'conc' })
  const stream = c.messages({ batch: 7 })
  const results = await Promise.all(Array.from({ length: 20 }, () => stream.next()))
  const seqs = results.map((r) => r.value.streamSequence).sort((a, b) => a - b)
  assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => i + 1))
  for (const r of results) r.value.ack()
  const [batchA, batchB] = await Promise.all([stream.nextBatch(5, 300), stream.nextBatch(5, 300)])
  assert.deepEqual([batchA.length, batchB.length], [0, 0])
  stream.stop()
})

test('bad messages() options reject the first next()', async () => {
  const s = await freshStream(client)
  const c = await client.createConsumer(s, { durableName: 'bad' })
  await rejectsWith(assert, c.messages({ batch: 0 }).next(), 'INVALID_ARGUMENT')
  await rejectsWith(assert, c.messages({ heartbeatMs: 1000, expiresMs: 1500 }).next(), 'INVALID_ARGUMENT')
  await rejectsWith(assert, c.messages({ thresholdPercent: 300 }).next(), 'INVALID_ARGUMENT')
  await rejectsWith(assert, c.messages({ expiresMs: Infinity }).next(), 'INVALID_ARGUMENT')
})

test('a deleted stream ends the iteration with NOT_FOUND', async () => {
  const s = await freshStream(client)
  await publishN(s, 1)
  const c = await client.createConsumer(s, { durableName: 'del' })
  const stream = c.messages({ batch: 10, heartbeatMs: 300, expiresMs: 1000 })
  const first = await stream.next()
  first.value.ack()
  await client.deleteStream(s)
  const e = await rejectsWith(assert, (async () => {
    for await (const m of stream) m.ack()
  })(), 'NOT_FOUND')
  assert.equal(e.apiCode, 10059)
})

test('a server restart during consumption loses nothing', { timeout: 120_000 }, async () => {
  const s = await freshStream(client)
  await publishN(s, 300)
  const c = await client.createConsumer(s, { durableName: 'restart', ackWaitMs: 2000 })
  const stream = c.messages({ batch: 50, heartbeatMs: 500, expiresMs: 2000 })
  const seen = new Set()
  let restarted = false
  let publishedAfter = false
  const deadline = Date.now() + 90_000
  for await (const m of stream) {
    seen.add(m.streamSequence)
    m.ack()
    if (!restarted && seen.size >= 100) {
      restarted = true
      await h.restart(0)
    }
    if (restarted && !publishedAfter && seen.size >= 200) {
      publishedAfter = true
      await publishN(s, 50, 300)
    }
    if (seen.size === 350 || Date.now() > deadline) break
  }
  assert.ok(restarted && publishedAfter)
  const missing = Array.from({ length: 350 }, (_, i) => i + 1).filter((q) => !seen.has(q))
  assert.deepEqual(missing, [], 'every message was delivered')
  // The stream noticed the outage (reconnecting/stalled while it lasted, or
  // recovering once the connection was back) and became active again.
  const events = stream.takeEvents().map((e) => e.health)
  const outage = events.findIndex((e, i) => i > 0 && e !== 'active')
  assert.ok(outage > 0 && events.slice(outage).includes('active'), `saw the outage and recovered: ${events}`)
  assert.ok(client.counters().reconnects >= 1)
  const info = await eventually(
    async () => {
      const i = await c.info()
      return i.numPending === 0 && i.numAckPending === 0 ? i : false
    },
    { timeoutMs: 20_000 },
  )
  assert.ok(info, 'all acked on the server after the restart')
})
