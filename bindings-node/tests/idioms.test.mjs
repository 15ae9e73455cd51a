// Issue 22's Node idioms: MessageStream and Publisher are AsyncDisposable;
// calls that wait take { signal } and reject with an AbortError without
// breaking later calls; msg.headerMap (get/has/values, case-insensitive);
// subscribeDapr with subscribe as a deprecated alias.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { DaprConfig, MessageHeaders } from '../index.mjs'
import { eventually, freshStream, uniq, useServerAndClient } from './helpers.mjs'

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
})

const isAbort = (e) => e instanceof DOMException && e.name === 'AbortError'
const aborted = () => AbortSignal.abort(new Error('my reason'))

test('MessageStream and Publisher are AsyncDisposable', async () => {
  const stream = await freshStream(client)
  const consumer = await client.createConsumer(stream, { durableName: uniq('D') })
  const pub = client.publisher()
  await pub.publish(`${stream}.a`, 'one')
  await pub[Symbol.asyncDispose]()
  await assert.rejects(pub.publish(`${stream}.a`, 'two'), (e) => e.code === 'CLOSED')
  const messages = consumer.messages()
  const { value } = await messages.next()
  assert.equal(value.text(), 'one')
  value.ack()
  await messages[Symbol.asyncDispose]()
  assert.equal(messages.health, 'stopped')
})

test('fetch: an aborted signal rejects at once; taken messages come back after the ack wait', { timeout: 60_000 }, async () => {
  const stream = await freshStream(client)
  const consumer = await client.createConsumer(stream, { durableName: uniq('D'), ackWaitMs: 1000 })
  await assert.rejects(consumer.fetch({ maxMessages: 1, signal: aborted() }), (e) => isAbort(e) && e.cause.message === 'my reason')
  // Aborted while waiting: rejects before the pull's own wait ends.
  const ac = new AbortController()
  const pending = consumer.fetch({ maxMessages: 2, maxWaitMs: 30_000, signal: ac.signal })
  await client.publish(`${stream}.a`, 'taken')
  // Wait (bounded) until the pull has taken it: one message pending its ack.
  await eventually(async () => (await consumer.info()).numAckPending === 1)
  ac.abort()
  await assert.rejects(pending, isAbort)
  // The message the cancelled fetch took is not acked: redelivered after the ack wait.
  let got = []
  for (let i = 0; i < 20 && got.length === 0; i++) got = await consumer.fetch({ maxMessages: 1, maxWaitMs: 1000 })
  assert.equal(got.length, 1)
  assert.equal(got[0].text(), 'taken')
  assert.equal(got[0].delivered, 2)
  got[0].ack()
  await assert.rejects(consumer.fetch({ signal: 'no' }), TypeError)
})

test('stream next({ signal }): the pull goes on and the next call gets its message', async () => {
  const stream = await freshStream(client)
  const consumer = await client.createConsumer(stream, { durableName: uniq('D') })
  const messages = consumer.messages()
  await messages.open()
  const ac = new AbortController()
  const waiting = messages.next({ signal: ac.signal })
  ac.abort()
  await assert.rejects(waiting, isAbort)
  await client.publish(`${stream}.a`, 'kept')
  const { value } = await messages.next()
  assert.equal(value.text(), 'kept')
  value.ack()
  messages.stop()
  // The stream's own signal stops it: next() rejects with an AbortError.
  const own = new AbortController()
  const s2 = consumer.messages({ signal: own.signal })
  const w2 = s2.next()
  own.abort()
  await assert.rejects(w2, isAbort)
  await assert.rejects(s2.next(), isAbort)
  assert.equal(s2.health, 'stopped')
})

test('publish, publisher and core request take a signal', async () => {
  const stream = await freshStream(client)
  await assert.rejects(client.publish(`${stream}.a`, 'x', { signal: aborted() }), isAbort)
  await assert.rejects(client.publishMany([{ subject: `${stream}.a`, data: 'x' }], { signal: aborted() }), isAbort)
  const pub = client.publisher({ maxInFlight: 1 })
  await assert.rejects(pub.publish(`${stream}.a`, 'x', { signal: aborted() }), isAbort)
  await assert.rejects(pub.publishTracked(`${stream}.a`, 'x', { signal: aborted() }), isAbort)
  assert.equal((await pub.flush()).acked, 0, 'nothing was queued')
  await pub.publish(`${stream}.a`, 'y', { signal: new AbortController().signal })
  assert.equal((await pub.flush({ signal: new AbortController().signal })).acked, 1)
  await pub.close()
  assert.equal((await client.streamInfo(stream)).state.messages, 1, 'only the unaborted publish was stored')
  const sub = await client.coreSubscribe(`${stream}.svc`)
  const ac = new AbortController()
  const asking = client.coreRequest(`${stream}.svc`, 'q', { timeoutMs: 30_000, signal: ac.signal })
  ac.abort()
  await assert.rejects(asking, isAbort)
  // The subscription's aborted next() leaves its wait to the next call: nothing is lost.
  const ac2 = new AbortController()
  const w = sub.next({ signal: ac2.signal })
  ac2.abort()
  await assert.rejects(w, isAbort)
  const m = await sub.next({ timeoutMs: 5000 })
  assert.equal(m.text(), 'q')
  await sub.unsubscribe()
})

test('a key-value watch next({ signal }) loses nothing', async () => {
  const kv = await client.createKeyValue({ bucket: uniq('B') })
  const watch = await kv.watch()
  const first = await watch.next({ timeoutMs: 5000 })
  assert.ok(first !== null, 'caught up marker')
  const ac = new AbortController()
  const w = watch.next({ signal: ac.signal })
  ac.abort()
  await assert.rejects(w, isAbort)
  await kv.put('k', 'v')
  const e = await watch.next({ timeoutMs: 5000 })
  assert.equal(e.key, 'k')
  watch.stop()
})

test('headerMap: get (first), has, values (all, in order), case-insensitive', async () => {
  const stream = await freshStream(client)
  const consumer = await client.createConsumer(stream, { durableName: uniq('D') })
  await client.publish(`${stream}.a`, 'x', {
    headers: [
      ['X-Multi', 'one'],
      ['x-multi', 'two'],
      ['X-Empty', ''],
    ],
  })
  const [m] = await consumer.fetch({ maxMessages: 1 })
  const hm = m.headerMap
  assert.ok(hm instanceof MessageHeaders)
  assert.equal(hm.get('X-MULTI'), m.header('x-multi'))
  assert.deepEqual(hm.values('x-Multi'), ['one', 'two'])
  assert.equal(hm.has('x-empty'), true)
  assert.equal(hm.get('x-empty'), '')
  assert.equal(hm.has('absent'), false)
  assert.equal(hm.get('absent'), undefined)
  assert.deepEqual(hm.values('absent'), [])
  assert.deepEqual([...hm], m.headers)
  assert.equal(hm.size, m.headers.length)
  assert.throws(() => hm.get(1), TypeError)
  m.ack()
})

test('subscribeDapr, and subscribe as its deprecated alias', async () => {
  const stream = await freshStream(client)
  const cfg = DaprConfig.fromMetadata({ natsURL: h.urls[0] })
  await client.publish(`${stream}.t`, 'hello')
  const warnings = []
  const onWarning = (w) => warnings.push(w)
  process.on('warning', onWarning)
  try {
    for (const sub of [client.subscribeDapr(`${stream}.t`, cfg), client.subscribe(`${stream}.t`, cfg)]) {
      const { value } = await sub.next()
      assert.equal(value.text(), 'hello')
      value.ack()
      sub.stop()
    }
    await new Promise((r) => setImmediate(r))
  } finally {
    process.off('warning', onWarning)
  }
  assert.ok(warnings.some((w) => w.name === 'DeprecationWarning' && /subscribeDapr/.test(w.message)))
})
