// Configuration from a Dapr metadata object and a Dapr component YAML file.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { after, before, test } from 'node:test'

import { connect, DaprConfig } from '../index.mjs'
import { Harness, throwsWith, uniq } from './helpers.mjs'

let h
let dir

before(async () => {
  h = await Harness.start({ auth: 'token' })
  dir = mkdtempSync(join(tmpdir(), 'jb-node-dapr-'))
})

after(async () => {
  await h?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function component(metadata) {
  const items = Object.entries(metadata)
    .map(([name, value]) => `  - name: ${name}\n    value: ${JSON.stringify(value)}`)
    .join('\n')
  return `apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: jetstream-pubsub
spec:
  type: pubsub.jetstream
  version: v1
  metadata:
${items}
`
}

test('a component YAML file configures the client and the subscription', async () => {
  const stream = uniq('DAPR')
  const path = join(dir, 'component.yaml')
  writeFileSync(
    path,
    component({
      natsURL: h.urls[0],
      token: h.auth.token,
      name: 'from-yaml',
      streamName: stream,
      durableName: 'yaml-durable',
      queueGroupName: 'yaml-group',
      startSequence: 1,
      deliverPolicy: 'sequence',
      ackWait: '10s',
      maxDeliver: 3,
      backOff: '1s, 2s',
      maxAckPending: 100,
      concurrencyMode: 'parallel',
    }),
  )
  const cfg = DaprConfig.fromYamlFile(path)
  assert.deepEqual(cfg.servers, [h.urls[0]])
  assert.equal(cfg.name, 'from-yaml')
  assert.equal(cfg.streamName, stream)
  assert.equal(cfg.durableName, 'yaml-durable')
  assert.equal(cfg.queueGroupName, 'yaml-group')
  assert.equal(cfg.concurrencyMode, 'parallel')
  const cc = cfg.consumerConfig
  assert.deepEqual(cc.start, { sequence: 1 })
  assert.equal(cc.ackWaitMs, 10_000)
  assert.equal(cc.maxDeliver, 3)
  assert.deepEqual(cc.backoffMs, [1000, 2000])
  assert.equal(cc.maxAckPending, 100)
  const text = `${cfg} ${inspect(cfg)}`
  assert.ok(!text.includes(h.auth.token), 'the token never shows')
  const client = await connect(cfg)
  try {
    assert.ok(!String(client).includes(h.auth.token))
    assert.equal(client.connectionState().connected, true)
    await client.createStream({ name: stream, subjects: [`${stream}.>`] })
    await client.publish(`${stream}.t`, 'hello')
    const sub = client.subscribeDapr(`${stream}.t`, cfg)
    const { value: m } = await sub.next()
    assert.equal(m.text(), 'hello')
    m.ack()
    sub.stop()
  } finally {
    await client.close()
  }
  assert.equal(DaprConfig.fromYaml(component({ natsURL: h.urls[0] })).name, 'dapr.io - pubsub.jetstream', "Dapr's default name")
})

test('metadata values may be numbers and booleans; keys match case-insensitively', () => {
  const cfg = DaprConfig.fromMetadata({ NATSURL: 'nats://127.0.0.1:4222', maxDeliver: 7, flowControl: true, memoryStorage: false })
  assert.equal(cfg.consumerConfig.maxDeliver, 7)
  assert.equal(cfg.consumerConfig.flowControl, true)
})

test('the credential mode, client certificate and JetStream API prefix the metadata select', () => {
  const url = 'nats://127.0.0.1:4222'
  const plain = DaprConfig.fromMetadata({ natsURL: url })
  assert.equal(plain.authMode, 'none')
  assert.equal(plain.hasClientCert, false)
  assert.equal(plain.jsApiPrefix, '$JS.API')
  const seed = 'SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4'
  const modes = [
    [{ token: 's3cret-token' }, 'token'],
    [{ jwt: 'eyJhbGciOi.x.y', seedKey: seed }, 'jwt'],
  ]
  for (const [metadata, mode] of modes) {
    const cfg = DaprConfig.fromMetadata({ natsURL: url, ...metadata })
    assert.equal(cfg.authMode, mode)
    for (const secret of Object.values(metadata)) assert.ok(!`${cfg} ${inspect(cfg)}`.includes(secret), 'no secret shows')
  }
  const mtls = DaprConfig.fromMetadata({ natsURL: url, tls_client_cert: '/certs/client.pem', tls_client_key: '/certs/client-key.pem' })
  assert.equal(mtls.hasClientCert, true)
  assert.equal(DaprConfig.fromMetadata({ natsURL: url, domain: 'hub' }).jsApiPrefix, '$JS.hub.API')
  assert.equal(DaprConfig.fromMetadata({ natsURL: url, apiPrefix: '$JS.edge.API' }).jsApiPrefix, '$JS.edge.API')
})

test('unknown keys, bad values and bad files are INVALID_ARGUMENT naming the key', () => {
  let e = throwsWith(assert, () => DaprConfig.fromMetadata({ natsURL: 'nats://h:1', bogus: '1' }), 'INVALID_ARGUMENT')
  assert.match(e.message, /bogus/)
  e = throwsWith(assert, () => DaprConfig.fromMetadata({ natsURL: 'nats://h:1', ackWait: 'soon' }), 'INVALID_ARGUMENT')
  assert.match(e.message, /ackWait/)
  e = throwsWith(assert, () => DaprConfig.fromMetadata({ durableName: 'd' }), 'INVALID_ARGUMENT')
  assert.match(e.message, /natsURL/)
  e = throwsWith(assert, () => DaprConfig.fromMetadata({ natsURL: 'nats://h:1', jwt: 'x' }), 'INVALID_ARGUMENT')
  assert.match(e.message, /seedKey/)
  e = throwsWith(assert, () => DaprConfig.fromYamlFile(join(dir, 'missing.yaml')), 'INVALID_ARGUMENT')
  assert.match(e.message, /no such file/)
  e = throwsWith(assert, () => DaprConfig.fromYaml(component({ natsURL: 'nats://h:1' }).replace('pubsub.jetstream', 'pubsub.kafka')), 'INVALID_ARGUMENT')
  assert.match(e.message, /pubsub.kafka/)
  throwsWith(assert, () => DaprConfig.fromYaml('not: [valid'), 'INVALID_ARGUMENT')
  assert.throws(() => DaprConfig.fromMetadata({ natsURL: ['x'] }), /TypeError: metadata.natsURL must be a string, number or boolean/)
})

test('a wrong token in the metadata is AUTH; secrets stay out of the error', async () => {
  const cfg = DaprConfig.fromMetadata({ natsURL: h.urls[0], token: h.auth.wrong_secret })
  let error
  await assert.rejects(connect(cfg), (e) => {
    error = e
    return true
  })
  assert.equal(error.code, 'AUTH')
  assert.ok(!error.message.includes(h.auth.wrong_secret))
})
