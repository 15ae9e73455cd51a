// Stream administration: create, update, info, delete, purge, get message
// (by sequence, last or next on a subject, a batch), stream by subject.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { connect } from '../index.mjs'
import { ownMetadata, rejectsWith, uniq, useServerAndClient } from './helpers.mjs'

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
}, { connectTo: (urls) => ({ servers: urls }) })

test('createStream: every option reaches the server; the same config again is fine', async () => {
  const name = uniq('S')
  const config = {
    name,
    subjects: [`${name}.a`, `${name}.b.*`],
    retention: 'limits',
    storage: 'memory',
    replicas: 1,
    maxMsgs: 100,
    maxBytes: 1 << 20,
    maxAgeMs: 3_600_000,
    maxMsgSize: 4096,
    maxMsgsPerSubject: 10,
    discard: 'new',
    duplicateWindowMs: 60_000,
    description: 'orders',
  }
  const info = await client.createStream(config)
  // The server reports the options not given too (its defaults: compression, denyDelete, …).
  for (const [k, v] of Object.entries(config)) assert.deepEqual(info.config[k], v, k)
  assert.deepEqual(info.state, { messages: 0, bytes: 0, firstSequence: 0, lastSequence: 0, consumers: 0 })
  assert.equal(typeof info.createdNanos, 'bigint')
  assert.ok(info.createdNanos > 1_600_000_000_000_000_000n)
  const again = await client.createStream(config)
  assert.equal(again.config.name, name)
  const e = await rejectsWith(assert, client.createStream({ ...config, maxMsgs: 5 }), 'ALREADY_EXISTS')
  assert.equal(e.apiCode, 10058)
})

test('defaults: file storage, limits, unlimited, server duplicate window', async () => {
  const name = uniq('S')
  const info = await client.createStream({ name, subjects: [`${name}.>`] })
  assert.equal(info.config.storage, 'file')
  assert.equal(info.config.retention, 'limits')
  assert.equal(info.config.discard, 'old')
  assert.equal(info.config.maxMsgs, -1)
  assert.equal(info.config.maxAgeMs, 0)
  assert.equal(info.config.duplicateWindowMs, 120_000)
  assert.equal(info.config.replicas, 1)
})

test('updateStream changes limits; a missing stream is NOT_FOUND', async () => {
  const name = uniq('S')
  await client.createStream({ name, subjects: [`${name}.>`] })
  const info = await client.updateStream({ name, subjects: [`${name}.>`], maxMsgs: 3, description: 'changed' })
  assert.equal(info.config.maxMsgs, 3)
  assert.equal(info.config.description, 'changed')
  await rejectsWith(assert, client.updateStream({ name: uniq('NOPE'), subjects: ['nope.x'] }), 'NOT_FOUND')
})

test('metadata round-trips through create, info and update', async () => {
  const name = uniq('S')
  const metadata = { owner: 'payments', 'cost.center': '42', empty: '' }
  const created = await client.createStream({ name, subjects: [`${name}.>`], metadata })
  assert.deepEqual(ownMetadata(created.config.metadata), metadata)
  assert.deepEqual(ownMetadata((await client.streamInfo(name)).config.metadata), metadata)
  const updated = await client.updateStream({ name, subjects: [`${name}.>`], metadata: { owner: 'ops' } })
  assert.deepEqual(ownMetadata(updated.config.metadata), { owner: 'ops' })
  assert.deepEqual(ownMetadata((await client.streamInfo(name)).config.metadata), { owner: 'ops' })
})

test('streamInfo counts messages; deleteStream removes it', async () => {
  const name = uniq('S')
  await client.createStream({ name, subjects: [`${name}.>`] })
  for (let i = 0; i < 3; i++) await client.publish(`${name}.x`, `m${i}`)
  const info = await client.streamInfo(name)
  assert.deepEqual([info.state.messages, info.state.firstSequence, info.state.lastSequence], [3, 1, 3])
  assert.ok(info.state.bytes > 0)
  await client.deleteStream(name)
  const e = await rejectsWith(assert, client.streamInfo(name), 'NOT_FOUND')
  assert.equal(e.apiCode, 10059)
  await rejectsWith(assert, client.deleteStream(name), 'NOT_FOUND')
  await rejectsWith(assert, client.streamInfo('bad.name'), 'INVALID_ARGUMENT')
})

test('purgeStream: all, by subject, keep, up to sequence', async () => {
  const name = uniq('S')
  await client.createStream({ name, subjects: [`${name}.>`] })
  for (let i = 0; i < 10; i++) await client.publish(`${name}.${i % 2 ? 'odd' : 'even'}`, `m${i}`)
  assert.equal(await client.purgeStream(name, { subject: `${name}.odd` }), 5)
  assert.equal(await client.purgeStream(name, { keep: 2 }), 3)
  assert.equal((await client.streamInfo(name)).state.messages, 2)
  assert.equal(await client.purgeStream(name, { upToSequence: 9 }), 1)
  assert.equal(await client.purgeStream(name), 1)
  assert.equal((await client.streamInfo(name)).state.messages, 0)
  await rejectsWith(assert, client.purgeStream(name, { keep: 1, upToSequence: 2 }), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.purgeStream(name, { keep: -1 }), 'INVALID_ARGUMENT')
})

test('getMessage / getLastMessage / streamBySubject', async () => {
  const name = uniq('S')
  await client.createStream({ name, subjects: [`${name}.>`] })
  await client.publish(`${name}.a`, 'first', { msgId: 'id-1', headers: { 'X-K': 'v' } })
  await client.publish(`${name}.b`, 'second')
  await client.publish(`${name}.a`, 'third')
  const m = await client.getMessage(name, 1)
  assert.equal(m.subject, `${name}.a`)
  assert.equal(m.sequence, 1)
  assert.equal(m.data.toString(), 'first')
  assert.deepEqual(m.headers.find(([k]) => k === 'Nats-Msg-Id'), ['Nats-Msg-Id', 'id-1'])
  assert.deepEqual(m.headers.find(([k]) => k === 'X-K'), ['X-K', 'v'])
  assert.equal(typeof m.timestampNanos, 'bigint')
  const last = await client.getLastMessage(name, `${name}.a`)
  assert.deepEqual([last.sequence, last.data.toString()], [3, 'third'])
  await rejectsWith(assert, client.getMessage(name, 99), 'NOT_FOUND')
  await rejectsWith(assert, client.getLastMessage(name, `${name}.zzz`), 'NOT_FOUND')
  await rejectsWith(assert, client.getMessage(name, 1.5), 'INVALID_ARGUMENT')
  assert.equal(await client.streamBySubject(`${name}.b`), name)
  await rejectsWith(assert, client.streamBySubject('no.such.subject'), 'NOT_FOUND')
})

test('getNextMessage by subject; getMessages in one batch (server 2.11+, allowDirect)', async () => {
  const name = uniq('S')
  await client.createStream({ name, subjects: [`${name}.>`], allowDirect: true })
  for (const [subject, data] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2'], ['b', 'b2'], ['a', 'a3']]) {
    await client.publish(`${name}.${subject}`, data)
  }
  const next = await client.getNextMessage(name, `${name}.b`, 3)
  assert.deepEqual([next.sequence, next.subject, next.data.toString()], [4, `${name}.b`, 'b2'])
  assert.equal(typeof next.timestampNanos, 'bigint')
  assert.equal((await client.getNextMessage(name, `${name}.*`, 2)).sequence, 2)
  await rejectsWith(assert, client.getNextMessage(name, `${name}.b`, 5), 'NOT_FOUND')
  await rejectsWith(assert, client.getNextMessage(name, `${name}.a`, 0), 'INVALID_ARGUMENT')
  await assert.rejects(client.getNextMessage(name, `${name}.a`, '1'), TypeError)

  const batch = await client.getMessages(name, { subject: `${name}.a`, startSequence: 2, maxMessages: 5 })
  assert.deepEqual(
    batch.map((m) => [m.sequence, m.data.toString()]),
    [
      [3, 'a2'],
      [5, 'a3'],
    ],
  )
  // The message's own headers only (the core's Nats-Msg-Id), not direct get's Nats-Stream / Nats-Sequence.
  assert.deepEqual(batch[0].headers.map(([k]) => k), ['Nats-Msg-Id'])
  assert.deepEqual((await client.getMessages(name)).map((m) => m.sequence), [1, 2, 3, 4, 5])
  const limited = await client.getMessages(name, { startTime: new Date(0), maxMessages: 2 })
  assert.deepEqual(limited.map((m) => m.sequence), [1, 2])
  assert.deepEqual(await client.getMessages(name, { startSequence: 50 }), [])
  await rejectsWith(assert, client.getMessages(name, { maxMessages: 0 }), 'INVALID_ARGUMENT')
  await assert.rejects(client.getMessages(name, { startTime: 0 }), TypeError)
  await assert.rejects(client.getMessages(name, { start: 1 }), TypeError)

  const leader = uniq('S')
  await client.createStream({ name: leader, subjects: [`${leader}.>`] })
  await client.publish(`${leader}.a`, 'x')
  await rejectsWith(assert, client.getMessages(leader), 'INVALID_ARGUMENT')
  assert.equal((await client.getNextMessage(leader, `${leader}.a`, 1)).data.toString(), 'x')
})

test('limits: a full stream with discard new is LIMIT_EXCEEDED at once', async () => {
  const name = uniq('S')
  await client.createStream({ name, subjects: [`${name}.>`], maxMsgs: 1, discard: 'new' })
  await client.publish(`${name}.a`, 'one')
  const e = await rejectsWith(assert, client.publish(`${name}.a`, 'two'), 'LIMIT_EXCEEDED')
  assert.equal(e.retryable, false)
  assert.equal(client.counters().retries, 0, 'not retried')
})

test('limits: a message over the stream maxMsgSize is LIMIT_EXCEEDED', async () => {
  const name = uniq('S')
  await client.createStream({ name, subjects: [`${name}.>`], maxMsgSize: 64 })
  await client.publish(`${name}.a`, 'small')
  const e = await rejectsWith(assert, client.publish(`${name}.a`, Buffer.alloc(200)), 'LIMIT_EXCEEDED')
  assert.equal(e.retryable, false)
  assert.equal(e.apiCode, 10054)
})

test('bad stream configs are INVALID_ARGUMENT before anything is sent', async () => {
  await rejectsWith(assert, client.createStream({ name: 'has space' }), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.createStream({ name: uniq('S'), replicas: 7 }), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.createStream({ name: uniq('S'), storage: 'tape' }), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.createStream({ name: uniq('S'), retention: 'forever' }), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.createStream({ name: uniq('S'), maxAgeMs: -1 }), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.createStream({ name: uniq('S'), duplicateWindowMs: 10 }), 'INVALID_ARGUMENT')
})
