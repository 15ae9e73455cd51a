// Atomic batch publish (publishBatch; nats-server 2.12+, which the test
// server is): a batch is stored whole with one BatchAck, a stream without
// allowAtomic refuses it and stores nothing, the core checks the batch
// before sending.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { freshStream, rejectsWith, useServerAndClient } from './helpers.mjs'

let client
useServerAndClient((_server, c) => {
  client = c
})

const messages = async (s) => (await client.streamInfo(s)).state.messages

test('a batch is stored whole, in order, with one ack', async () => {
  const s = await freshStream(client, { allowAtomic: true })
  await client.publish(`${s}.before`, '0')
  const ack = await client.publishBatch([
    { subject: `${s}.created`, data: 'o-1', headers: [['X-Order', '1']], expect: { lastSequence: 1 } },
    { subject: `${s}.paid`, data: Buffer.from('o-1 paid'), msgId: 'paid-1' },
    { subject: `${s}.shipped`, data: new Uint8Array([1, 2]) },
  ])
  assert.deepEqual([ack.stream, ack.sequence, ack.count], [s, 4, 3])
  assert.equal(typeof ack.batchId, 'string')
  assert.ok(ack.batchId.length > 0)
  assert.equal(await messages(s), 4)
  const first = await client.getMessage(s, 2)
  assert.deepEqual([first.subject, first.data.toString()], [`${s}.created`, 'o-1'])
  assert.deepEqual(first.headers.find(([k]) => k === 'X-Order'), ['X-Order', '1'])
  const paid = await client.getMessage(s, 3)
  assert.deepEqual(paid.headers.find(([k]) => k === 'Nats-Msg-Id'), ['Nats-Msg-Id', 'paid-1'])
  assert.deepEqual([...(await client.getMessage(s, 4)).data], [1, 2])
  // A batch whose message fails its expectation stores nothing.
  await rejectsWith(
    assert,
    client.publishBatch([
      { subject: `${s}.a`, data: 'x' },
      { subject: `${s}.b`, data: 'y', expect: { lastSubjectSequence: 99 } },
    ]),
    'WRONG_LAST_SEQUENCE',
  )
  assert.equal(await messages(s), 4)
})

test('a stream without allowAtomic refuses a batch (10174) and stores nothing', async () => {
  const s = await freshStream(client)
  for (const n of [1, 3]) {
    const batch = Array.from({ length: n }, (_, i) => ({ subject: `${s}.a`, data: `${i}` }))
    const e = await rejectsWith(assert, client.publishBatch(batch), 'INVALID_ARGUMENT')
    assert.equal(e.apiCode, 10174)
  }
  assert.equal(await messages(s), 0)
})

test('bad batches are refused before sending', async () => {
  const s = await freshStream(client, { allowAtomic: true })
  const empty = await rejectsWith(assert, client.publishBatch([]), 'INVALID_ARGUMENT')
  assert.match(empty.message, /at least one/)
  const byId = await rejectsWith(
    assert,
    client.publishBatch([{ subject: `${s}.a`, data: 'x', expect: { lastMsgId: 'm' } }]),
    'INVALID_ARGUMENT',
  )
  assert.match(byId.message, /last_msg_id/)
  await assert.rejects(client.publishBatch('x'), (e) => e instanceof TypeError && /^messages must be an array/.test(e.message))
  assert.equal(await messages(s), 0)
})
