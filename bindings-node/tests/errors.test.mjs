// Every error code a Node program can meet, each reached by a real failure
// against a real server; and the shape of JetBridgeError.
//
// PANIC is reached through the core's fault points in panic.test.mjs;
// SERVER_TOO_OLD through the oldest supported nats-server (scripts/setup.sh
// puts it in .tools/nats-server-oldest; without it that test is skipped).
// Not reachable from Node, by design: NULL_PARAMETER and INVALID_HANDLE (C
// only), FORKED (Node cannot fork a running process), INTERNAL (a broken
// invariant). PERMISSION_DENIED is not produced by any failure the harness
// can stage today (see the README).
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'

import { connect, ERROR_CODES, ErrorCode, JetBridgeError } from '../index.mjs'
import { Harness, freshStream, rejectsWith, throwsWith, uniq, useServerAndClient } from './helpers.mjs'

const native = createRequire(import.meta.url)('../lib/native.js')
const oldestServer = fileURLToPath(new URL('../../.tools/nats-server-oldest/bin/nats-server', import.meta.url))

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
})

describe('JetBridgeError', () => {
  test('the JS list of codes is the core list, in number order', () => {
    assert.deepEqual([...ERROR_CODES], native.errorCodes())
    assert.equal(ErrorCode.TIMEOUT, 'TIMEOUT')
    assert.ok(Object.isFrozen(ERROR_CODES))
  })

  test('is an Error with code, retryable and apiCode', async () => {
    const e = await rejectsWith(assert, client.streamInfo('NOPE'), 'NOT_FOUND')
    assert.ok(e instanceof JetBridgeError)
    assert.ok(e instanceof Error)
    assert.equal(e.retryable, false)
    assert.equal(e.apiCode, 10059)
    assert.match(e.message, /^NOT_FOUND: stream not found/, "the core's text, starting with the kind")
    assert.match(String(e), /^JetBridgeError: /)
  })
})

describe('each code from a real failure', () => {
  test('CONNECTION: nothing listens on the port', async () => {
    const e = await rejectsWith(assert, connect({ servers: 'nats://127.0.0.1:1', connectTimeoutMs: 2000 }), 'CONNECTION')
    assert.equal(e.retryable, true)
  })

  test('INVALID_ARGUMENT: bad subject, bad server URL', async () => {
    await rejectsWith(assert, client.publish('has space', 'x'), 'INVALID_ARGUMENT')
    await rejectsWith(assert, connect({ servers: [] }), 'INVALID_ARGUMENT')
    await rejectsWith(assert, connect({ servers: 'nats://h:1', auth: { token: 't', nkeySeed: 'SU' } }), 'INVALID_ARGUMENT')
  })

  test('AUTH: a wrong token; TLS: an unknown certificate authority', async () => {
    const tokenServer = await Harness.start({ auth: 'token' })
    try {
      const e = await rejectsWith(assert, connect({ servers: tokenServer.urls[0], auth: { token: 'wrong-secret-123' } }), 'AUTH')
      assert.ok(!e.message.includes('wrong-secret-123'), 'the token is not in the message')
      const ok = await connect({ servers: tokenServer.urls[0], auth: { token: tokenServer.auth.token } })
      await ok.close()
    } finally {
      await tokenServer.stop()
    }
    const tlsServer = await Harness.start({ auth: 'tls' })
    try {
      await rejectsWith(assert, connect({ servers: tlsServer.info.tls_urls[0], connectTimeoutMs: 3000 }), 'TLS')
      await rejectsWith(
        assert,
        connect({ servers: tlsServer.info.tls_urls[0], tls: { caFile: tlsServer.auth.tls.other_ca }, connectTimeoutMs: 3000 }),
        'TLS',
      )
      const ok = await connect({ servers: tlsServer.info.tls_urls[0], tls: { caFile: tlsServer.auth.tls.ca } })
      await ok.close()
    } finally {
      await tlsServer.stop()
    }
  })

  test('NOT_FOUND, ALREADY_EXISTS, WRONG_LAST_SEQUENCE, STREAM_MISMATCH, LIMIT_EXCEEDED', async () => {
    const s = await freshStream(client, { maxMsgSize: 256 })
    await rejectsWith(assert, client.consumerInfo(s, 'nobody'), 'NOT_FOUND')
    await rejectsWith(assert, client.createStream({ name: s, subjects: ['other.x'] }), 'ALREADY_EXISTS')
    await rejectsWith(assert, client.publish(`${s}.a`, 'x', { expect: { lastSequence: 7 } }), 'WRONG_LAST_SEQUENCE')
    await rejectsWith(assert, client.publish(`${s}.a`, 'x', { expect: { stream: 'ELSEWHERE' } }), 'STREAM_MISMATCH')
    await rejectsWith(assert, client.publish(`${s}.a`, Buffer.alloc(300)), 'LIMIT_EXCEEDED')
  })

  test('SERVER: deleting a message from a stream that denies deletes', async () => {
    const s = await freshStream(client, { denyDelete: true })
    await client.publish(`${s}.a`, 'kept')
    const e = await rejectsWith(assert, client.deleteMessage(s, 1), 'SERVER')
    assert.equal(e.retryable, false)
    assert.equal(typeof e.apiCode, 'number', 'the server\'s error code')
    assert.match(e.message, /not permitted/)
  })

  test('CONFIG_MISMATCH and ALREADY_ACKED', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, 'x')
    const c = await client.createConsumer(s, { durableName: 'cm', maxDeliver: 2 })
    await rejectsWith(assert, client.bindConsumer(s, 'cm', { maxDeliver: 3 }), 'CONFIG_MISMATCH')
    const [m] = await c.fetch({ maxWaitMs: 2000 })
    m.ack()
    throwsWith(assert, () => m.ack(), 'ALREADY_ACKED')
  })

  test('NO_RESPONDERS: confirming an ack after its consumer was deleted', async () => {
    const s = await freshStream(client)
    await client.publish(`${s}.a`, 'x')
    const c = await client.createConsumer(s, { durableName: 'gone' })
    const [m] = await c.fetch({ maxWaitMs: 2000 })
    await c.delete()
    const e = await rejectsWith(assert, m.ackSync(), 'NO_RESPONDERS')
    assert.equal(e.retryable, true)
  })

  test('JETSTREAM_UNAVAILABLE: nothing answers on the JetStream API prefix', async () => {
    const other = await connect({ servers: h.urls[0], apiPrefix: '$NOBODY.API', requestTimeoutMs: 2000 })
    try {
      const e = await rejectsWith(assert, other.streamInfo('ANY'), 'JETSTREAM_UNAVAILABLE')
      assert.equal(e.retryable, true)
    } finally {
      await other.close()
    }
  })

  test('JETSTREAM_NOT_ENABLED: an account without JetStream', async () => {
    const jwtServer = await Harness.start({ auth: 'jwt' })
    try {
      const user = jwtServer.auth.jwt.no_jetstream
      const c = await connect({ servers: jwtServer.urls[0], auth: { jwt: user.jwt, seed: user.seed } })
      try {
        await rejectsWith(assert, c.streamInfo('ANY'), 'JETSTREAM_NOT_ENABLED')
      } finally {
        await c.close()
      }
      const good = jwtServer.auth.jwt.user
      const ok = await connect({ servers: jwtServer.urls[0], auth: { credsFile: good.creds } })
      await ok.createStream({ name: uniq('J'), subjects: ['j.>'] })
      await ok.close()
    } finally {
      await jwtServer.stop()
    }
  })

  test('TIMEOUT, HEARTBEAT_MISSED and PUBLISH_OUTCOME_UNKNOWN while the server is frozen', { timeout: 60_000 }, async () => {
    const s = await freshStream(client)
    const c = await client.createConsumer(s, { durableName: 'frozen' })
    const slow = await connect({
      servers: h.urls[0],
      requestTimeoutMs: 500,
      publishAckTimeoutMs: 200,
      publishRetryBudgetMs: 1000,
    })
    await slow.streamInfo(s) // learns the stream's duplicate window
    await h.pause(0)
    try {
      const t = await rejectsWith(assert, slow.streamInfo(s), 'TIMEOUT')
      assert.equal(t.retryable, true)
      await rejectsWith(assert, c.fetch({ maxMessages: 1, maxWaitMs: 2000, heartbeatMs: 300 }), 'HEARTBEAT_MISSED')
      const u = await rejectsWith(assert, slow.publish(`${s}.a`, 'x', { msgId: 'maybe-1' }), 'PUBLISH_OUTCOME_UNKNOWN')
      assert.equal(u.retryable, true)
      assert.match(u.message, /maybe-1/, 'names the msg id that is safe to resend')
    } finally {
      await h.resume(0)
    }
    const again = await slow.publish(`${s}.a`, 'x', { msgId: 'maybe-1' })
    assert.equal(again.sequence, 1, 'resending with the same id stores it once')
    await slow.close()
  })

  test('SERVER_TOO_OLD: pause, resume, unpin, priority groups and a message TTL on nats-server 2.10', {
    skip: existsSync(oldestServer) ? false : `no ${oldestServer} (scripts/setup.sh installs it)`,
  }, async () => {
    // The harness CLI starts the nats-server that $NATS_SERVER_BIN names.
    const before = process.env.NATS_SERVER_BIN
    process.env.NATS_SERVER_BIN = oldestServer
    let old
    try {
      old = await Harness.start()
    } finally {
      if (before === undefined) delete process.env.NATS_SERVER_BIN
      else process.env.NATS_SERVER_BIN = before
    }
    try {
      const c = await connect(old.urls[0])
      try {
        const s = await freshStream(c)
        await c.createConsumer(s, { durableName: 'D' })
        const e = await rejectsWith(assert, c.pauseConsumer(s, 'D', new Date(Date.now() + 60_000)), 'SERVER_TOO_OLD')
        assert.equal(e.retryable, false)
        assert.match(e.message, /2\.11/, 'names the version it needs')
        await rejectsWith(assert, c.resumeConsumer(s, 'D'), 'SERVER_TOO_OLD')
        await rejectsWith(assert, c.unpinConsumer(s, 'D', 'jobs'), 'SERVER_TOO_OLD')
        const pinned = { durableName: 'P', priorityGroups: ['jobs'], priorityPolicy: 'pinned_client' }
        await rejectsWith(assert, c.createConsumer(s, pinned), 'SERVER_TOO_OLD')
        await rejectsWith(assert, c.publish(`${s}.a`, 'x', { ttlMs: 5000 }), 'SERVER_TOO_OLD')
      } finally {
        await c.close()
      }
    } finally {
      await old.stop()
    }
  })

  test('CLOSED: any call after close', async () => {
    const c = await connect(h.urls[0])
    const s = await freshStream(c)
    const pub = c.publisher()
    await c.close()
    await c.close() // twice is fine
    assert.equal(c.isClosed, true)
    await rejectsWith(assert, c.publish(`${s}.a`, 'x'), 'CLOSED')
    await rejectsWith(assert, c.streamInfo(s), 'CLOSED')
    throwsWith(assert, () => pub.tryPublish(`${s}.a`, 'x'), 'CLOSED')
    throwsWith(assert, () => c.publisher(), 'CLOSED')
  })
})
