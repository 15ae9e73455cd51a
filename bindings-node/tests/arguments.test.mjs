// Wrong argument types throw TypeError naming the parameter (or reject,
// for the async calls); no native code runs with a value of the wrong type.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'

import { connect, DaprConfig } from '../index.mjs'
import { freshStream, Harness } from './helpers.mjs'

let h
let client
let stream

before(async () => {
  h = await Harness.start()
  client = await connect(h.urls[0])
  stream = await freshStream(client)
})

after(async () => {
  await client?.close()
  await h?.stop()
})

const typeError = (pattern) => (e) => e instanceof TypeError && pattern.test(e.message)

test('connect', async () => {
  await assert.rejects(connect(42), typeError(/^options must be an object, got a number/))
  await assert.rejects(connect(), typeError(/^options must be an object, got undefined/))
  await assert.rejects(connect({}), typeError(/options.servers/))
  await assert.rejects(connect({ servers: [1] }), typeError(/options.servers\[0\] must be a string/))
  await assert.rejects(connect({ servers: 'nats://x:1', connectTimeout: 5 }), typeError(/options.connectTimeout is not a known option/))
  await assert.rejects(connect({ servers: 'nats://x:1', auth: { token: 5 } }), typeError(/options.auth.token must be a string/))
  await assert.rejects(connect({ servers: 'nats://x:1', tls: { required: 'yes' } }), typeError(/options.tls.required must be a boolean/))
})

test('publish and publishMany', async () => {
  await assert.rejects(client.publish(1, 'x'), typeError(/^subject must be a string, got a number/))
  await assert.rejects(client.publish('a.b', 42), typeError(/^data must be a Buffer, Uint8Array or string, got a number/))
  await assert.rejects(client.publish('a.b', { x: 1 }), typeError(/^data must be/))
  await assert.rejects(client.publish('a.b', 'x', { msgId: 1 }), typeError(/options.msgId must be a string/))
  await assert.rejects(client.publish('a.b', 'x', { headers: { a: 1 } }), typeError(/options.headers.a must be a string/))
  await assert.rejects(client.publish('a.b', 'x', { headers: [['a']] }), typeError(/options.headers\[0\] must be a \[name, value\] pair/))
  await assert.rejects(client.publish('a.b', 'x', { expect: { lastSequence: '1' } }), typeError(/options.expect.lastSequence must be a number/))
  await assert.rejects(client.publishMany('x'), typeError(/^messages must be an array/))
  await assert.rejects(client.publishMany([{ subject: 'a', data: 1 }]), typeError(/messages\[0\].data must be/))
  await assert.rejects(client.publishMany([{ subject: 'a', data: 'x', extra: 1 }]), typeError(/messages\[0\].extra is not a known option/))
})

test('publisher', async () => {
  assert.throws(() => client.publisher({ window: 5 }), typeError(/options.window is not a known option/))
  const pub = client.publisher()
  assert.throws(() => pub.tryPublish(null, 'x'), typeError(/^subject must be a string, got null/))
  assert.throws(() => pub.tryPublish(`${stream}.a`, 7), typeError(/^data must be/))
  await assert.rejects(pub.publish(`${stream}.a`, [1, 2]), typeError(/^data must be .* got an array/))
  await assert.rejects(pub.publishMany(null), typeError(/^messages must be an array/))
  await pub.close()
})

test('streams and consumers', async () => {
  await assert.rejects(client.createStream('ORDERS'), typeError(/^config must be an object, got a string/))
  await assert.rejects(client.createStream({ name: 'X', subjects: 'x.>' }), typeError(/config.subjects must be an array of strings/))
  await assert.rejects(client.createStream({ name: 'X', maxAge: 5 }), typeError(/config.maxAge is not a known option/))
  await assert.rejects(client.streamInfo(5), typeError(/^name must be a string/))
  await assert.rejects(client.getMessage(stream, '1'), typeError(/^sequence must be a number/))
  await assert.rejects(client.getNextMessage(stream, 5, 1), typeError(/^subject must be a string/))
  await assert.rejects(client.getNextMessage(stream, 'x', '1'), typeError(/^fromSequence must be a number/))
  await assert.rejects(client.getMessages(stream, 5), typeError(/^options must be an object/))
  await assert.rejects(client.getMessages(stream, { max: 5 }), typeError(/options.max is not a known option/))
  await assert.rejects(client.getMessages(stream, { startTime: 0 }), typeError(/^options.startTime must be a valid Date, got a number/))
  await assert.rejects(client.purgeStream(stream, 5), typeError(/^options must be an object/))
  await assert.rejects(client.createConsumer(stream, { ackWait: 5 }), typeError(/config.ackWait is not a known option/))
  await assert.rejects(client.createConsumer(stream, { start: 5 }), typeError(/config.start must be/))
  await assert.rejects(client.createConsumer(stream, { start: { time: 5 } }), typeError(/config.start.time must be a Date or a bigint/))
  await assert.rejects(client.createConsumer(stream, { backoffMs: ['1s'] }), typeError(/config.backoffMs\[0\] must be a number/))
  await assert.rejects(client.createStream({ name: 'X', metadata: { owner: 1 } }), typeError(/^config.metadata.owner must be a string, got a number/))
  await assert.rejects(client.createStream({ name: 'X', metadata: 'owner=me' }), typeError(/^config.metadata must be a plain object of strings, got a string/))
  await assert.rejects(client.createStream({ name: 'X', metadata: new Map([['a', 'b']]) }), typeError(/^config.metadata must be a plain object of strings, got a Map/))
  await assert.rejects(client.createConsumer(stream, { metadata: ['a'] }), typeError(/^config.metadata must be a plain object of strings, got an array/))
  await assert.rejects(client.createConsumer(stream, { metadata: { a: null } }), typeError(/^config.metadata.a must be a string, got null/))
  await assert.rejects(client.createConsumer(stream, { pauseUntil: 4102444800000 }), typeError(/^config.pauseUntil must be a valid Date, got a number/))
  await assert.rejects(client.createConsumer(stream, { pauseUntil: '2100-01-01T00:00:00Z' }), typeError(/^config.pauseUntil must be a valid Date, got a string/))
  await assert.rejects(client.createConsumer(stream, { pauseUntil: 4102444800000000000n }), typeError(/^config.pauseUntil must be a valid Date, got a bigint/))
  await assert.rejects(client.createConsumer(stream, { pauseUntil: new Date('soon') }), typeError(/^config.pauseUntil must be a valid Date, got an invalid Date/))
  await assert.rejects(client.bindConsumer(stream, 'x', { pauseUntil: {} }), typeError(/^config.pauseUntil must be a valid Date, got an object/))
  const c = await client.createConsumer(stream, { durableName: 'args' })
  await assert.rejects(c.fetch(10), typeError(/^options must be an object, got a number/))
  await assert.rejects(c.fetch({ max: 10 }), typeError(/options.max is not a known option/))
  assert.throws(() => c.messages({ batchSize: 10 }), typeError(/options.batchSize is not a known option/))
  assert.throws(() => client.replay(stream, { start: [] }), typeError(/options.start must be/))
  assert.throws(() => client.subscribeDapr('a.b', { natsURL: 'x' }), typeError(/^config must be a DaprConfig/))
})

test('messages', async () => {
  await client.publish(`${stream}.a`, 'x')
  const c = await client.createConsumer(stream, { durableName: 'margs' })
  const [m] = await c.fetch({ maxWaitMs: 2000 })
  assert.throws(() => m.nak('1s'), typeError(/^delayMs must be a number/))
  assert.throws(() => m.term(5), typeError(/^reason must be a string/))
  assert.throws(() => m.header(1), typeError(/^name must be a string/))
  const s = c.messages()
  await assert.rejects(s.nextBatch('5', 100), typeError(/^max must be a number/))
  await assert.rejects(s.waitHealthChange(1, 100), typeError(/^current must be a string/))
  s.stop()
  m.ack()
})

test('Dapr configuration', () => {
  assert.throws(() => DaprConfig.fromMetadata('natsURL=x'), typeError(/^metadata must be an object/))
  assert.throws(() => DaprConfig.fromYaml(5), typeError(/^text must be a string/))
  assert.throws(() => DaprConfig.fromYamlFile(undefined), typeError(/^path must be a string/))
})

test('classes cannot be built by hand', async () => {
  const { Client } = await import('../index.mjs')
  assert.throws(() => new Client(), typeError(/use connect\(\)/))
  assert.throws(() => new DaprConfig(), typeError(/use DaprConfig.fromMetadata/))
})
