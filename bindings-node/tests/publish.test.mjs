// Publishing: single publish with ack, dedup, headers, expectations,
// payload types, publishMany, and the pipelined publisher.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { connect, JetBridgeError } from '../index.mjs'
import { eventually, freshStream, rejectsWith, throwsWith, useServerAndClient } from './helpers.mjs'

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
})

describe('publish', () => {
  test('resolves with the ack; every payload type arrives as bytes', async () => {
    const s = await freshStream(client)
    const a1 = await client.publish(`${s}.a`, 'text é')
    assert.deepEqual([a1.stream, a1.sequence, a1.duplicate], [s, 1, false])
    assert.match(a1.msgId, /^jb-/, 'a message id is generated')
    const a2 = await client.publish(`${s}.a`, Buffer.from([1, 2, 3]))
    const a3 = await client.publish(`${s}.a`, new Uint8Array([4, 5]))
    assert.deepEqual([a2.sequence, a3.sequence], [2, 3])
    const m1 = await client.getMessage(s, 1)
    assert.ok(Buffer.isBuffer(m1.data))
    assert.equal(m1.data.toString('utf8'), 'text é')
    assert.deepEqual([...(await client.getMessage(s, 2)).data], [1, 2, 3])
    assert.deepEqual([...(await client.getMessage(s, 3)).data], [4, 5])
  })

  test('the same msgId inside the duplicate window is a duplicate of the first', async () => {
    const s = await freshStream(client)
    const first = await client.publish(`${s}.a`, 'x', { msgId: 'order-1' })
    const again = await client.publish(`${s}.a`, 'x', { msgId: 'order-1' })
    assert.equal(first.duplicate, false)
    assert.equal(again.duplicate, true)
    assert.equal(again.sequence, first.sequence)
    assert.equal((await client.streamInfo(s)).state.messages, 1)
  })

  test('headers as an object or as pairs reach the stream in order', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, 'x', { headers: { 'X-One': '1', 'X-Two': '2' } })
    await client.publish(`${s}.a`, 'y', { headers: [['X-Three', '3']], msgId: 'hid' })
    const m1 = await client.getMessage(s, 1)
    const names = m1.headers.map(([k]) => k)
    assert.ok(names.includes('X-One') && names.includes('X-Two') && names.includes('Nats-Msg-Id'))
    const m2 = await client.getLastMessage(s, `${s}.a`)
    assert.deepEqual(
      m2.headers.find(([k]) => k === 'X-Three'),
      ['X-Three', '3'],
    )
    assert.deepEqual(
      m2.headers.find(([k]) => k === 'Nats-Msg-Id'),
      ['Nats-Msg-Id', 'hid'],
    )
  })

  test('expectations: last sequence, last subject sequence, last msg id, stream', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, '1', { msgId: 'm1', expect: { lastSequence: 0, stream: s } })
    await client.publish(`${s}.a`, '2', { expect: { lastMsgId: 'm1', lastSubjectSequence: 1 } })
    await rejectsWith(assert, client.publish(`${s}.a`, '3', { expect: { lastSequence: 1 } }), 'WRONG_LAST_SEQUENCE')
    await rejectsWith(assert, client.publish(`${s}.a`, '3', { expect: { lastSubjectSequence: 5 } }), 'WRONG_LAST_SEQUENCE')
    await rejectsWith(assert, client.publish(`${s}.a`, '3', { expect: { lastMsgId: 'nope' } }), 'WRONG_LAST_SEQUENCE')
    await rejectsWith(assert, client.publish(`${s}.a`, '3', { expect: { stream: 'OTHER' } }), 'STREAM_MISMATCH')
    assert.equal((await client.streamInfo(s)).state.messages, 2, 'rejected publishes store nothing')
  })

  test('no stream for the subject is NOT_FOUND; bad input is INVALID_ARGUMENT', async () => {
    await rejectsWith(assert, client.publish('nowhere.at.all', 'x'), 'NOT_FOUND')
    await rejectsWith(assert, client.publish('bad subject', 'x'), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.publish('a.*', 'x'), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.publish('a.b', ''), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.publish('a.b', 'x', { headers: { 'X-Bad': 'a\r\nb' } }), 'INVALID_ARGUMENT')
    const big = Buffer.alloc(client.maxPayload + 1)
    const e = await rejectsWith(assert, client.publish('a.b', big), 'INVALID_ARGUMENT')
    assert.match(e.message, /max_payload/)
    assert.equal(e.retryable, false)
  })
})

describe('publishMany', () => {
  test('one entry per message, in order; an invalid message fails alone', async () => {
    const s = await freshStream(client)
    const out = await client.publishMany([
      { subject: `${s}.a`, data: 'one' },
      { subject: `${s}.a`, data: Buffer.from('two'), msgId: 'two', headers: { H: 'v' } },
      { subject: 'bad subject', data: 'x' },
      { subject: `${s}.b`, data: new Uint8Array([3]) },
      { subject: `${s}.a`, data: 'dup', msgId: 'two' },
    ])
    assert.equal(out.length, 5)
    assert.deepEqual(
      out.map((r) => (r instanceof JetBridgeError ? r.code : r.sequence)),
      [1, 2, 'INVALID_ARGUMENT', 3, 2],
    )
    assert.equal(out[4].duplicate, true)
    assert.equal((await client.getMessage(s, 2)).data.toString(), 'two')
    assert.equal((await client.getMessage(s, 3)).data[0], 3)
    assert.deepEqual(await client.publishMany([]), [])
  })
})

describe('per-message TTL (ttlMs, server 2.11+)', () => {
  const ttlHeader = (m) => m.headers.find(([k]) => k.toLowerCase() === 'nats-ttl')?.[1]

  test('a message with a 1 s TTL expires; publish, publishMany and the publisher carry it', async () => {
    const s = await freshStream(client, { allowMsgTtl: true })
    await client.publish(`${s}.a`, 'short', { ttlMs: 1000 })
    await client.publish(`${s}.a`, 'kept')
    const many = await client.publishMany([{ subject: `${s}.b`, data: 'many', ttlMs: 1000 }])
    assert.equal(many[0].sequence, 3)
    const pub = client.publisher()
    assert.equal(typeof pub.tryPublish(`${s}.c`, 'try', { ttlMs: 1000 }), 'number')
    await pub.publish(`${s}.c`, 'queued', { ttlMs: 1000 })
    await pub.publishMany([{ subject: `${s}.c`, data: 'batch', ttlMs: 60_000 }])
    const report = await pub.flush()
    assert.deepEqual([report.acked, report.failures.length], [3, 0])
    assert.equal(ttlHeader(await client.getMessage(s, 2)), undefined)
    assert.equal(ttlHeader(await client.getMessage(s, 6)), '60s')
    const expired = await eventually(async () => (await client.streamInfo(s)).state.messages === 2, {
      timeoutMs: 10_000,
      intervalMs: 100,
    })
    assert.ok(expired, 'the four messages with a 1 s TTL expire, the others stay')
    assert.equal((await client.getMessage(s, 2)).data.toString(), 'kept')
    assert.equal((await client.getMessage(s, 6)).data.toString(), 'batch')
  })

  test('a TTL under 1 s or not whole seconds is INVALID_ARGUMENT; a stream without allowMsgTtl refuses it', async () => {
    const s = await freshStream(client, { allowMsgTtl: true })
    for (const ttlMs of [500, 1500, 0]) {
      const e = await rejectsWith(assert, client.publish(`${s}.a`, 'x', { ttlMs }), 'INVALID_ARGUMENT')
      assert.match(e.message, /ttl/, `${ttlMs}: ${e.message}`)
    }
    const both = { ttlMs: 5000, headers: { 'Nats-TTL': '5s' } }
    await rejectsWith(assert, client.publish(`${s}.a`, 'x', both), 'INVALID_ARGUMENT')
    const [bad] = await client.publishMany([{ subject: `${s}.a`, data: 'x', ttlMs: 500 }])
    assert.equal(bad.code, 'INVALID_ARGUMENT')
    throwsWith(assert, () => client.publisher().tryPublish(`${s}.a`, 'x', { ttlMs: 500 }), 'INVALID_ARGUMENT')
    await assert.rejects(client.publish(`${s}.a`, 'x', { ttlMs: '5s' }), TypeError)
    assert.equal((await client.streamInfo(s)).state.messages, 0)

    const plain = await freshStream(client)
    await rejectsWith(assert, client.publish(`${plain}.a`, 'x', { ttlMs: 5000 }), 'INVALID_ARGUMENT')
    assert.equal((await client.streamInfo(plain)).state.messages, 0)
  })
})

describe('publisher', () => {
  test('tryPublish queues synchronously until the window is full; publish waits; flush reports', async () => {
    const s = await freshStream(client)
    const pub = client.publisher({ maxInFlight: 8 })
    assert.deepEqual(pub.options, { maxInFlight: 8, maxInFlightBytes: 32 * 1024 * 1024, fastIngest: false })
    throwsWith(assert, () => client.publisher({ maxInFlight: 1.5 }), 'INVALID_ARGUMENT')
    throwsWith(assert, () => client.publisher({ maxInFlightBytes: 0 }), 'INVALID_ARGUMENT')
    const tickets = []
    let full = 0
    for (let i = 0; i < 500; i++) {
      const t = pub.tryPublish(`${s}.a`, `m${i}`)
      if (t === null) {
        full++
        tickets.push(await pub.publish(`${s}.a`, `m${i}`))
      } else {
        tickets.push(t)
      }
      assert.ok(pub.inFlight().messages <= 8, 'the window bounds what is in flight')
    }
    assert.ok(full > 0, 'a window of 8 fills up')
    assert.deepEqual(tickets, [...Array(500).keys()], 'tickets count up in call order')
    const report = await pub.flush()
    assert.deepEqual(report, { acked: 500, duplicates: 0, failures: [] })
    assert.ok(pub.peakInFlight <= 8 && pub.peakInFlight > 0)
    assert.deepEqual(pub.inFlight(), { messages: 0, bytes: 0 })
    const info = await client.streamInfo(s)
    assert.equal(info.state.messages, 500)
    const last = await client.getMessage(s, 500)
    assert.equal(last.data.toString(), 'm499', 'stored in call order')
  })

  test('a full window is waited for a quarter at a time: one Promise per many messages', async () => {
    const s = await freshStream(client)
    const pub = client.publisher({ maxInFlight: 64 })
    let waits = 0
    for (let i = 0; i < 1000; i++) {
      if (pub.tryPublish(`${s}.a`, `m${i}`) === null) {
        waits++
        await pub.publish(`${s}.a`, `m${i}`)
      }
    }
    assert.equal((await pub.flush()).acked, 1000)
    // After each wait at least 16 (64 / 4) messages fit without waiting.
    assert.ok(waits >= 1 && waits <= Math.ceil(1000 / 16) + 1, `${waits} waits`)
  })

  test('concurrent publish calls keep call order', async () => {
    const s = await freshStream(client)
    const pub = client.publisher({ maxInFlight: 2 })
    const tickets = await Promise.all(Array.from({ length: 50 }, (_, i) => pub.publish(`${s}.a`, `m${i}`)))
    assert.deepEqual(tickets, [...Array(50).keys()])
    await pub.flush()
    for (const seq of [1, 25, 50]) assert.equal((await client.getMessage(s, seq)).data.toString(), `m${seq - 1}`)
  })

  test('publishMany queues in order; duplicates and failures are reported by flush', async () => {
    const s = await freshStream(client)
    const pub = client.publisher()
    const tickets = await pub.publishMany([
      { subject: `${s}.a`, data: 'a', msgId: 'same' },
      { subject: `${s}.a`, data: 'b', msgId: 'same' },
      { subject: `${s}.a`, data: 'c', expect: { lastSequence: 99 } },
    ])
    assert.deepEqual(tickets, [0, 1, 2])
    const report = await pub.flush()
    assert.equal(report.acked, 2)
    assert.equal(report.duplicates, 1)
    assert.equal(report.failures.length, 1)
    const [f] = report.failures
    assert.equal(f.ticket, 2)
    assert.equal(f.subject, `${s}.a`)
    assert.ok(f.error instanceof JetBridgeError)
    assert.equal(f.error.code, 'WRONG_LAST_SEQUENCE')
    assert.deepEqual(await pub.flush(), { acked: 0, duplicates: 0, failures: [] }, 'a flush reports since the previous one')
  })

  test('an invalid message in publishMany queues nothing and names its index', async () => {
    const s = await freshStream(client)
    const pub = client.publisher()
    const e = await rejectsWith(
      assert,
      pub.publishMany([
        { subject: `${s}.a`, data: 'a' },
        { subject: 'bad subject', data: 'b' },
      ]),
      'INVALID_ARGUMENT',
    )
    assert.match(e.message, /message 1/)
    await pub.flush()
    assert.equal((await client.streamInfo(s)).state.messages, 0)
  })

  test('invalid input to tryPublish throws; a closed publisher is CLOSED', async () => {
    const s = await freshStream(client)
    const pub = client.publisher()
    throwsWith(assert, () => pub.tryPublish('bad subject', 'x'), 'INVALID_ARGUMENT')
    assert.equal(typeof pub.tryPublish(`${s}.a`, 'x'), 'number')
    const report = await pub.close()
    assert.equal(report.acked, 1)
    throwsWith(assert, () => pub.tryPublish(`${s}.a`, 'x'), 'CLOSED')
    await rejectsWith(assert, pub.publish(`${s}.a`, 'x'), 'CLOSED')
    throwsWith(assert, () => client.publisher({ maxInFlight: 0 }), 'INVALID_ARGUMENT')
  })
})
