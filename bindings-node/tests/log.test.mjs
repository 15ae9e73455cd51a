// The core's log records through setLogger(): a server restart under a
// token URL shows as a warn "disconnected" and an info "reconnected" record
// (one string each, `jetbridge connection: ...`); no record holds the token,
// even at debug; setLogger(null) turns it off; bad arguments are TypeErrors.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { connect, JetBridgeError, setLogger } from '../index.mjs'
import { Harness } from './helpers.mjs'

/** A logger in the shape of console/pino that keeps every line with its level. */
function recorder() {
  const lines = []
  const logger = {}
  for (const level of ['error', 'warn', 'info', 'debug']) logger[level] = (line) => lines.push({ level, line })
  return { lines, logger }
}

test('a server restart is logged as warn then info, without the token', { timeout: 90_000 }, async () => {
  const h = await Harness.start({ auth: 'token' })
  const { lines, logger } = recorder()
  try {
    const token = h.auth.token
    const url = h.urls[0].replace('nats://', `nats://${token}@`)
    const port = url.split(':').at(-1)
    setLogger(logger, { level: 'debug' })
    const client = await connect({ servers: url, connectTimeoutMs: 2000 })
    try {
      await h.restart(0)
      const has = (level, text) => lines.some((r) => r.level === level && r.line.includes(text) && r.line.includes(port))
      const deadline = Date.now() + 30_000
      while (!has('info', 'reconnected') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      assert.ok(has('warn', 'disconnected'), `a warn "disconnected" record: ${JSON.stringify(lines)}`)
      assert.ok(has('info', 'reconnected'), `an info "reconnected" record: ${JSON.stringify(lines)}`)
      assert.ok(lines.some((r) => r.line.startsWith('jetbridge connection: ')), 'the line names the topic')
    } finally {
      await client.close()
    }
    assert.ok(lines.length > 0)
    for (const r of lines) assert.ok(!r.line.includes(token), `no token in: ${r.line}`)
  } finally {
    setLogger(null)
    await h.stop()
  }
})

test('off by default and after setLogger(null); bad arguments are refused', async () => {
  const { lines, logger } = recorder()
  setLogger(logger, { level: 'debug' })
  setLogger(null)
  // Nothing listens: a failing connect logs nothing anywhere.
  await assert.rejects(connect({ servers: 'nats://127.0.0.1:1', connectTimeoutMs: 200, maxReconnects: 0 }))
  assert.deepEqual(lines, [])
  assert.throws(() => setLogger('console'), TypeError)
  assert.throws(() => setLogger({ error() {} }, { level: 'warn' }), TypeError)
  assert.throws(() => setLogger(logger, { level: 'verbose' }), (e) => e instanceof JetBridgeError && e.code === 'INVALID_ARGUMENT')
  assert.throws(() => setLogger(logger, { level: 3 }), TypeError)
  // A logger that throws does not crash anything.
  setLogger({ error: () => { throw new Error('x') }, warn: () => { throw new Error('x') }, info: () => { throw new Error('x') }, debug: () => { throw new Error('x') } }, { level: 'debug' })
  await assert.rejects(connect({ servers: 'nats://127.0.0.1:1', connectTimeoutMs: 200, maxReconnects: 0 }))
  setLogger(null)
})
