// Core NATS on the JetBridge client against a real server: publish and
// subscribe with headers and a reply subject, queue groups, request-reply
// with a responder in the same process, NO_RESPONDERS and TIMEOUT,
// unsubscribe ending a waiting receive; connection events (disconnected and
// reconnected across a server restart, closed at the end); tracked publishes.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'

import { connect, CoreMessage, CoreSubscription, EVENT_KINDS } from '../index.mjs'
import { freshStream, Harness, rejectsWith, uniq } from './helpers.mjs'

let h
let client

before(async () => {
  h = await Harness.start()
  client = await connect({ servers: h.urls[0], name: 'core-nats-test' })
})

after(async () => {
  await client?.close()
  await h?.stop()
})

test('a subscription receives what is published, with headers and reply subject', async () => {
  const s = uniq('core')
  const sub = await client.coreSubscribe(`${s}.*`)
  assert.ok(sub instanceof CoreSubscription)
  await client.corePublish(`${s}.a`, 'hi', { headers: [['X-Kind', 'hello']] })
  await client.corePublish(`${s}.b`, Buffer.from('yo'), { reply: `${s}.answers` })
  const a = await sub.next({ timeoutMs: 2000 })
  assert.ok(a instanceof CoreMessage)
  assert.equal(a.subject, `${s}.a`)
  assert.ok(Buffer.isBuffer(a.data))
  assert.equal(a.text(), 'hi')
  assert.deepEqual(a.headers, [['X-Kind', 'hello']])
  assert.equal(a.header('x-kind'), 'hello')
  assert.equal(a.reply, null)
  const b = await sub.next({ timeoutMs: 2000 })
  assert.equal(b.text(), 'yo')
  assert.equal(b.reply, `${s}.answers`)
  assert.equal(await sub.next({ timeoutMs: 50 }), null, 'nothing more in time')
  await rejectsWith(assert, a.respond('no'), 'INVALID_ARGUMENT')
  await sub.unsubscribe()
})

test('a queue group shares messages: each reaches one member', async () => {
  const s = uniq('queue')
  const w1 = await client.coreSubscribe(s, { queue: 'workers' })
  const w2 = await client.coreSubscribe(s, { queue: 'workers' })
  for (let i = 0; i < 20; i++) await client.corePublish(s, String(i))
  const got = []
  for (const w of [w1, w2]) {
    for (;;) {
      const m = await w.next({ timeoutMs: 300 })
      if (m === null) break
      got.push(Number(m.text()))
    }
  }
  assert.deepEqual(got.sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i))
  await w1.unsubscribe()
  await w2.unsubscribe()
})

test('request-reply through a responder in the same process', async () => {
  const s = uniq('svc')
  const sub = await client.coreSubscribe(s, { queue: 'svc' })
  const served = (async () => {
    let n = 0
    for await (const req of sub) {
      await req.respond(Buffer.concat([Buffer.from('echo: '), req.data]), { headers: req.headers })
      n += 1
    }
    return n
  })()
  const reply = await client.coreRequest(s, 'ping', { headers: { 'X-Trace': 't1' }, timeoutMs: 2000 })
  assert.ok(reply instanceof CoreMessage)
  assert.equal(reply.text(), 'echo: ping')
  assert.deepEqual(reply.headers, [['X-Trace', 't1']])
  // Without timeoutMs: the client's request timeout.
  assert.equal((await client.coreRequest(s, '')).text(), 'echo: ')
  await sub.unsubscribe()
  assert.equal(await served, 2, 'the loop ended after unsubscribe')
  await rejectsWith(assert, client.coreRequest(s, 'ping'), 'NO_RESPONDERS')
})

test('NO_RESPONDERS when nobody listens, TIMEOUT when nobody answers', async () => {
  const s = uniq('quiet')
  await rejectsWith(assert, client.coreRequest(`${s}.nobody`, 'x'), 'NO_RESPONDERS')
  const silent = await client.coreSubscribe(`${s}.silent`)
  await rejectsWith(assert, client.coreRequest(`${s}.silent`, 'q', { timeoutMs: 200 }), 'TIMEOUT')
  const q = await silent.next({ timeoutMs: 2000 })
  assert.ok(q.reply !== null)
  await q.respond('late') // nobody waits any more; still fine
  await silent.unsubscribe()
})

test('unsubscribe ends a waiting receive at once, and a for-await loop', async () => {
  const sub = await client.coreSubscribe(uniq('idle'))
  const started = Date.now()
  const waiting = sub.next() // no timeout: would wait for ever
  const looping = (async () => {
    for await (const _ of sub) assert.fail('no message was sent')
    return 'ended'
  })()
  await new Promise((r) => setTimeout(r, 100))
  await sub.unsubscribe()
  await rejectsWith(assert, waiting, 'CLOSED')
  assert.equal(await looping, 'ended')
  assert.ok(Date.now() - started < 10_000, 'ended at once, not after the 60 s native wait')
  await sub.unsubscribe() // twice is fine
  await rejectsWith(assert, sub.next({ timeoutMs: 10 }), 'CLOSED')
})

test('the core validates: bad subjects, queue names, oversized payloads', async () => {
  await rejectsWith(assert, client.corePublish('a.*', 'x'), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.corePublish('a.b', 'x', { reply: 'bad reply' }), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.corePublish('a.b', Buffer.alloc(client.maxPayload + 1)), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.coreSubscribe('bad..subject'), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.coreSubscribe('a.>', { queue: 'bad queue' }), 'INVALID_ARGUMENT')
  await rejectsWith(assert, client.coreRequest('', 'x'), 'INVALID_ARGUMENT')
  await assert.rejects(client.corePublish('a.b', 42), TypeError)
  await assert.rejects(client.coreSubscribe('a.b', { group: 'x' }), TypeError)
})

test('a core publish is stored by a stream like any other', async () => {
  const stream = await freshStream(client)
  await client.corePublish(`${stream}.one`, 'fire-and-forget')
  const ack = await client.publish(`${stream}.two`, 'acked')
  assert.equal(ack.sequence, 2)
  const stored = await client.getMessage(stream, 1)
  assert.equal(Buffer.from(stored.data).toString(), 'fire-and-forget')
})

test('EVENT_KINDS are the core names, and the EventKind type lists them', () => {
  assert.deepEqual(
    [...EVENT_KINDS],
    ['connected', 'disconnected', 'reconnected', 'lame_duck', 'slow_consumer', 'server_error', 'closed', 'missed'],
  )
  assert.ok(Object.isFrozen(EVENT_KINDS))
  const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8')
  const union = dts.match(/export type EventKind =([^]*?)\n\n/)[1]
  assert.deepEqual([...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]), [...EVENT_KINDS])
})

test('events: disconnected and reconnected across a server restart, closed at the end', { timeout: 60_000 }, async () => {
  const c = await connect({ servers: h.urls[0], name: 'events-test' })
  const events = c.events()
  const seen = []
  const reading = (async () => {
    for await (const e of events) seen.push(e)
  })()
  const quiet = c.events()
  assert.equal(await quiet.next({ timeoutMs: 100 }), null, 'nothing while the connection is quiet')
  assert.equal(quiet.ended, false)
  await h.restart(0)
  const deadline = Date.now() + 30_000
  while (!seen.some((e) => e.kind === 'reconnected') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
  }
  await c.close()
  await reading
  const kinds = seen.map((e) => e.kind)
  const d = kinds.indexOf('disconnected')
  assert.ok(d >= 0 && kinds.indexOf('reconnected') > d, `disconnected, then reconnected: ${kinds}`)
  assert.equal(kinds.at(-1), 'closed', 'the iteration ended after closed')
  for (const e of seen) assert.ok(EVENT_KINDS.includes(e.kind))
  assert.deepEqual(seen.at(-1), { kind: 'closed', detail: null })
  // A listener made after close has ended at once.
  const late = c.events()
  assert.equal(await late.next({ timeoutMs: 1000 }), null)
  assert.equal(late.ended, true)
  quiet.stop()
})

test('tracked publish: its own ack, a duplicate, and a typed error', async () => {
  const stream = await freshStream(client)
  const pub = client.publisher({ maxInFlight: 16 })
  const first = await pub.publishTracked(`${stream}.a`, '1', { msgId: 'a-1' })
  const dup = await pub.publishTracked(`${stream}.a`, '1', { msgId: 'a-1' })
  assert.equal(await pub.publish(`${stream}.b`, '2'), 2)
  const wrong = await pub.publishTracked(`${stream}.c`, '3', { expect: { lastSequence: 99 } })
  // Never awaited: no unhandled rejection.
  const unhandled = []
  const onUnhandled = (e) => unhandled.push(e)
  process.on('unhandledRejection', onUnhandled)
  await pub.publishTracked('nowhere.x', '5')
  assert.deepEqual([first.ticket, dup.ticket, wrong.ticket], [0, 1, 3])
  assert.ok(first.ack instanceof Promise)
  const a = await first.ack
  assert.equal(a.stream, stream)
  assert.equal(a.sequence, 1)
  assert.equal(a.duplicate, false)
  assert.equal(a.msgId, 'a-1')
  const d = await dup.ack
  assert.equal(d.sequence, 1)
  assert.equal(d.duplicate, true)
  const e = await rejectsWith(assert, wrong.ack, 'WRONG_LAST_SEQUENCE')
  assert.equal(e.apiCode, 10071)
  const report = await pub.flush()
  assert.equal(report.acked, 3, "duplicates included")
  assert.equal(report.duplicates, 1)
  assert.deepEqual(report.failures.map((f) => f.ticket), [3, 4])
  await new Promise((r) => setTimeout(r, 50))
  process.off('unhandledRejection', onUnhandled)
  assert.deepEqual(unhandled, [], 'an ack nobody awaits rejects unobserved')
  await rejectsWith(assert, pub.publishTracked(`${stream}.*`, 'bad'), 'INVALID_ARGUMENT')
  await pub.close()
  await rejectsWith(assert, pub.publishTracked(`${stream}.a`, 'late'), 'CLOSED')
})
