// The Dapr state.jetstream component's configuration: metadata or a component
// file gives the connection and the bucket, which is opened (never created) on
// a real server; Dapr state keys escaped as the component does.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { after, before, test } from 'node:test'

import { connect, DaprStateConfig, daprStateKey } from '../index.mjs'
import { Harness, rejectsWith, throwsWith, uniq } from './helpers.mjs'

let h
let dir

before(async () => {
  h = await Harness.start()
  dir = mkdtempSync(join(tmpdir(), 'jb-node-dapr-state-'))
})

after(async () => {
  await h?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const component = (url, bucket) => `apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
spec:
  type: state.jetstream
  version: v1
  metadata:
  - name: natsURL
    value: "${url}"
  - name: bucket
    value: "${bucket}"
`

test('a component file connects and opens its bucket, never creating it', async () => {
  const bucket = uniq('state')
  const path = join(dir, 'statestore.yaml')
  writeFileSync(path, component(h.urls[0], bucket))
  const cfg = DaprStateConfig.fromYamlFile(path)
  assert.deepEqual(cfg.servers, [h.urls[0]])
  assert.equal(cfg.bucket, bucket)
  assert.ok(cfg.name, "the component's default connection name")
  assert.equal(cfg.authMode, 'none')
  assert.equal(DaprStateConfig.fromYaml(component(h.urls[0], bucket)).bucket, bucket)
  assert.equal(DaprStateConfig.fromMetadata({ NATSURL: h.urls[0], Bucket: bucket }).bucket, bucket)

  const client = await connect(cfg)
  try {
    assert.equal(client.connectionState().connected, true)
    await rejectsWith(assert, client.keyValue(cfg.bucket), 'NOT_FOUND')
    await client.createKeyValue({ bucket })
    const kv = await client.keyValue(cfg.bucket)
    const key = daprStateKey('myapp||order-1')
    assert.equal(key, 'myapp.order-1')
    const revision = await kv.put(key, '{"total":3}')
    const e = await kv.get(key)
    assert.deepEqual([e.string(), e.revision], ['{"total":3}', revision])
    await client.deleteKeyValue(bucket)
  } finally {
    await client.close()
  }
})

test('missing and unknown keys are INVALID_ARGUMENT naming the key; secrets never show', () => {
  const seed = 'SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY'
  const cfg = DaprStateConfig.fromMetadata({ natsURL: 'nats://h:1', bucket: 'b', jwt: 'eyJ0eXAi.jwt', seedKey: seed, name: 'orders' })
  assert.deepEqual([cfg.authMode, cfg.name], ['jwt', 'orders'])
  assert.ok(!`${cfg} ${inspect(cfg)}`.includes(seed), 'the seed never shows')
  const cases = [
    [{ natsURL: 'nats://h:1' }, /bucket/],
    [{ bucket: 'b' }, /natsURL/],
    [{ natsURL: 'nats://h:1', bucket: 'b', jwt: 'j' }, /seedKey/],
    [{ natsURL: 'nats://h:1', bucket: 'b', durableName: 'd' }, /durableName/],
    [{ natsURL: 'nats://h:1', bucket: 'my.state' }, /bucket/],
  ]
  for (const [metadata, key] of cases) {
    const e = throwsWith(assert, () => DaprStateConfig.fromMetadata(metadata), 'INVALID_ARGUMENT')
    assert.match(e.message, key)
  }
  const e = throwsWith(assert, () => DaprStateConfig.fromYaml('spec:\n  type: pubsub.jetstream\n  metadata: []\n'), 'INVALID_ARGUMENT')
  assert.match(e.message, /state\.jetstream/)
  throwsWith(assert, () => DaprStateConfig.fromYamlFile(join(dir, 'missing.yaml')), 'INVALID_ARGUMENT')
  assert.throws(() => DaprStateConfig.fromMetadata({ natsURL: ['x'], bucket: 'b' }), /TypeError: metadata.natsURL must be a string, number or boolean/)
  assert.throws(() => daprStateKey(1), TypeError)
})
