// client.drain({ timeoutMs }) against a real server: graceful shutdown
// settles queued acks and pipelined publishes, then closes; a message handed
// out and never answered makes it reject with TIMEOUT, closed all the same.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'

import { connect } from '../index.mjs'
import { eventually, freshStream, Harness, rejectsWith, sleep, throwsWith } from './helpers.mjs'

let h
/** A client for checking the server's side; each test drains its own. */
let check

/**
 * The consumer's info once its ack floor is `floor` (polled, at most 10 s;
 * the last info read when it never gets there). Plain acks are
 * fire-and-forget: drain returns once the server has read them, and the
 * server applies them a moment later on its own.
 */
async function ackFloor(stream, consumer, floor) {
  let info
  await eventually(async () => {
    info = await check.consumerInfo(stream, consumer)
    return info.ackFloor.streamSequence === floor
  })
  return info
}

before(async () => {
  h = await Harness.start()
  check = await connect(h.urls[0])
})

after(async () => {
  await check?.close()
  await h?.stop()
})

test('drain flushes queued acks and pipelined publishes, then closes', async () => {
  const c = await connect(h.urls[0])
  const stream = await freshStream(c)
  const subject = `${stream}.a`
  for (const data of ['1', '2', '3']) await c.publish(subject, data)
  const consumer = await c.createConsumer(stream, { durableName: 'proc' })
  const batch = await consumer.fetch({ maxMessages: 2, maxWaitMs: 5000 })
  assert.deepEqual(
    batch.map((m) => m.streamSequence),
    [1, 2],
  )
  for (const m of batch) m.ack() // queued, not awaited
  const pub = c.publisher()
  assert.equal(pub.tryPublish(`${stream}.b`, '4'), 0)
  assert.equal(await pub.publish(`${stream}.b`, '5'), 1) // queued, not flushed

  await c.drain()

  assert.equal(c.isClosed, true)
  assert.equal(c.connectionState().connected, false)
  assert.equal(c.connectionState().closed, true)
  await rejectsWith(assert, c.publish(subject, '6'), 'CLOSED')
  await rejectsWith(assert, c.streamInfo(stream), 'CLOSED')
  await rejectsWith(assert, consumer.fetch({ maxMessages: 1, maxWaitMs: 100 }), 'CLOSED')
  throwsWith(assert, () => pub.tryPublish(`${stream}.b`, '7'), 'CLOSED')
  await c.drain() // draining a closed client is fine
  await c.drain({ timeoutMs: 100 })

  const info = await check.streamInfo(stream)
  assert.equal(info.state.messages, 5)
  assert.equal(info.state.lastSequence, 5)
  const ci = await ackFloor(stream, 'proc', 2)
  assert.equal(ci.ackFloor.streamSequence, 2)
  assert.equal(ci.numAckPending, 0)
  const [next] = await (await check.bindConsumer(stream, 'proc')).fetch({ maxMessages: 1, maxWaitMs: 5000 })
  assert.equal(next.streamSequence, 3)
  next.ack()
})

test('a message fetched and never acked: drain rejects with TIMEOUT and closes anyway', async () => {
  const c = await connect(h.urls[0])
  const stream = await freshStream(c)
  await c.publish(`${stream}.a`, 'held')
  const consumer = await c.createConsumer(stream, { durableName: 'held' })
  const [held] = await consumer.fetch({ maxMessages: 1, maxWaitMs: 5000 })
  assert.equal(held.streamSequence, 1)

  const started = Date.now()
  const e = await rejectsWith(assert, c.drain({ timeoutMs: 500 }), 'TIMEOUT')
  const took = Date.now() - started
  assert.ok(took >= 450, `drain gave up after ${took} ms, before its timeout`)
  assert.ok(took < 10_000, `drain took ${took} ms`)
  assert.match(e.message, /1 message/)
  assert.equal(c.isClosed, true)
  assert.equal(c.connectionState().closed, true)
  await rejectsWith(assert, c.publish(`${stream}.a`, 'late'), 'CLOSED')
  await c.drain() // closed already: fine

  const ci = await check.consumerInfo(stream, 'held')
  assert.equal(ci.numAckPending, 1) // redelivered after its ack wait
  assert.equal(ci.ackFloor.streamSequence, 0)
})

test('new work is refused while draining; an ack lets drain finish', async () => {
  const c = await connect(h.urls[0])
  const stream = await freshStream(c)
  await c.publish(`${stream}.a`, 'x')
  const consumer = await c.createConsumer(stream, { durableName: 'late' })
  const [m] = await consumer.fetch({ maxMessages: 1, maxWaitMs: 5000 })

  let finished = false
  const draining = c.drain({ timeoutMs: 30_000 }).finally(() => {
    finished = true
  })
  // Drain starts on a core thread: publish (bounded) until it is refused.
  // A publish accepted before that is settled like any other.
  let refused
  for (let i = 0; i < 500 && !refused; i++) {
    try {
      await c.publish(`${stream}.b`, 'y')
      await sleep(10)
    } catch (e) {
      refused = e
    }
  }
  assert.equal(refused?.code, 'CLOSED', `expected CLOSED, got ${refused}`)
  await rejectsWith(assert, consumer.fetch({ maxMessages: 1, maxWaitMs: 100 }), 'CLOSED')
  assert.equal(finished, false, 'drain did not wait for the message handed out')
  m.ack() // acks are still accepted
  await draining
  assert.equal(c.isClosed, true)

  const ci = await ackFloor(stream, 'late', 1)
  assert.equal(ci.ackFloor.streamSequence, 1)
  assert.equal(ci.numAckPending, 0)
})

test('drain options are checked', async () => {
  const c = await connect(h.urls[0])
  const typeError = (pattern) => (e) => e instanceof TypeError && pattern.test(e.message)
  await assert.rejects(c.drain(500), typeError(/^options must be an object, got a number/))
  await assert.rejects(c.drain({ timeout: 500 }), typeError(/^options.timeout is not a known option \(known: timeoutMs\)/))
  await assert.rejects(c.drain({ timeoutMs: '500' }), typeError(/^options.timeoutMs must be a number, got a string/))
  const e = await rejectsWith(assert, c.drain({ timeoutMs: -1 }), 'INVALID_ARGUMENT')
  assert.match(e.message, /options\.timeoutMs/)
  await rejectsWith(assert, c.drain({ timeoutMs: Number.NaN }), 'INVALID_ARGUMENT')
  assert.equal(c.isClosed, false, 'a refused option must not start draining')
  await c.drain({}) // the core's default
  assert.equal(c.isClosed, true)
})
