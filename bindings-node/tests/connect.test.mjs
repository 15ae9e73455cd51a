// Connecting: every auth mode and TLS mode the options offer, connection
// state, drain, async dispose, and worker threads.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { Worker } from 'node:worker_threads'

import { connect } from '../index.mjs'
import { Harness, rejectsWith, uniq } from './helpers.mjs'

const servers = []
async function server(opts) {
  const h = await Harness.start(opts)
  servers.push(h)
  return h
}

after(async () => {
  for (const h of servers) await h.stop()
})

/** Connects, checks JetStream answers, closes. */
async function works(options) {
  const c = await connect(options)
  try {
    const name = uniq('C')
    const info = await c.createStream({ name, subjects: [`${name}.>`] })
    assert.equal(info.config.name, name)
  } finally {
    await c.close()
  }
}

test('nkey seed', async () => {
  const h = await server({ auth: 'nkey' })
  await works({ servers: h.urls, auth: { nkeySeed: h.auth.nkey.seed } })
  await rejectsWith(assert, connect({ servers: h.urls, auth: { nkeySeed: h.auth.nkey.other_seed } }), 'AUTH')
  await rejectsWith(assert, connect({ servers: h.urls, auth: { nkeySeed: 'not-a-seed' } }), 'INVALID_ARGUMENT')
})

test('JWT and seed, and a creds file', async () => {
  const h = await server({ auth: 'jwt' })
  const { user, revoked } = h.auth.jwt
  await works({ servers: h.urls, auth: { jwt: user.jwt, seed: user.seed } })
  await works({ servers: h.urls, auth: { credsFile: user.creds } })
  await rejectsWith(assert, connect({ servers: h.urls, auth: { jwt: revoked.jwt, seed: revoked.seed } }), 'AUTH')
  await rejectsWith(assert, connect({ servers: h.urls, auth: { credsFile: '/nonexistent.creds' } }), 'INVALID_ARGUMENT')
})

test('mutual TLS, and TLS before INFO', async () => {
  const m = await server({ auth: 'mtls' })
  const tls = m.auth.tls
  await works({ servers: m.info.tls_urls, tls: { caFile: tls.ca, clientCert: tls.client_cert, clientKey: tls.client_key } })
  await rejectsWith(assert, connect({ servers: m.info.tls_urls, tls: { caFile: tls.ca }, connectTimeoutMs: 3000 }), 'TLS')
  await rejectsWith(assert, connect({ servers: m.info.tls_urls, tls: { caFile: tls.ca, clientCert: tls.client_cert } }), 'INVALID_ARGUMENT')
  const f = await server({ auth: 'tls-first' })
  await works({ servers: f.info.tls_urls, tls: { caFile: f.auth.tls.ca, handshakeFirst: true } })
})

test('connection state, drain and async dispose', async () => {
  const h = await server({})
  const c = await connect({ servers: h.urls, name: 'state-test', maxReconnects: 5, pingIntervalMs: 1000 })
  assert.deepEqual(c.connectionState(), { connected: true, generation: 1, closed: false })
  assert.match(String(c), /name: 'state-test'/)
  assert.ok(c.maxPayload >= 1024 * 1024)
  await c.drain()
  assert.equal(c.isClosed, true)
  assert.equal(c.connectionState().closed, true)
  const d = await connect(h.urls[0])
  assert.equal(d.isClosed, false)
  await d[Symbol.asyncDispose]() // what `await using` calls
  assert.equal(d.isClosed, true)
})

test('works in worker threads (one native state per thread)', async () => {
  const h = await server({})
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { connect } = require(workerData.pkg);
    (async () => {
      const c = await connect(workerData.url);
      const name = 'W' + workerData.i + '_' + process.pid;
      await c.createStream({ name, subjects: [name + '.>'] });
      const ack = await c.publish(name + '.a', 'from worker');
      await c.close();
      parentPort.postMessage(ack.sequence);
    })().catch((e) => parentPort.postMessage(String(e)));
  `
  const pkg = new URL('..', import.meta.url).pathname
  const results = await Promise.all(
    [1, 2].map(
      (i) =>
        new Promise((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: { pkg, url: h.urls[0], i } })
          w.once('message', resolve)
          w.once('error', reject)
        }),
    ),
  )
  assert.deepEqual(results, [1, 1])
})
