// The process side: nothing keeps Node alive after close(), the event loop
// is never blocked, heartbeats flow while JavaScript is busy, and the package
// loads from CommonJS and ESM.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

import { connect } from '../index.mjs'
import { freshStream, rejectsWith, useServerAndClient } from './helpers.mjs'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
})

/** Runs a Node child with `args`; resolves with { code, stdout, stderr, ms }; kills it after `timeoutMs`. */
function runNode(args, { timeoutMs = 30_000, env = {} } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now()
    const child = spawn(process.execPath, args, { cwd: pkg, env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 })
    })
  })
}

const SCRIPT = `
const { connect } = require(process.argv[1]);
(async () => {
  const client = await connect(process.env.NATS_URL);
  const s = 'EXIT' + process.pid;
  await client.createStream({ name: s, subjects: [s + '.>'] });
  const pub = client.publisher();
  for (let i = 0; i < 100; i++) if (pub.tryPublish(s + '.a', 'x' + i) === null) await pub.publish(s + '.a', 'x');
  await pub.flush();
  const c = await client.createConsumer(s, { durableName: 'd' });
  let n = 0;
  for await (const m of c.messages({ batch: 10 })) { m.ack(); if (++n === 50) break; }
  const replay = client.replay(s);
  await replay.next();
  ${'${CLOSE}'}
  console.log('done');
})().catch((e) => { console.error(e); process.exit(2); });
`

test('the process exits on its own after close()', { timeout: 60_000 }, async () => {
  const script = SCRIPT.replace('${CLOSE}', 'replay.stop(); await client.close();')
  const r = await runNode(['-e', script, pkg], { env: { NATS_URL: h.urls[0] } })
  assert.equal(r.signal, null, `the child hung and was killed; stderr: ${r.stderr}`)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /done/)
})

test('an open stream left behind does not keep the process alive once the client is closed', { timeout: 60_000 }, async () => {
  // The replay stream is not stopped: closing the client ends it.
  const script = SCRIPT.replace('${CLOSE}', 'await client.close();')
  const r = await runNode(['-e', script, pkg], { env: { NATS_URL: h.urls[0] } })
  assert.equal(r.signal, null, `the child hung and was killed; stderr: ${r.stderr}`)
  assert.equal(r.code, 0, r.stderr)
})

test('a pending iteration rejects with CLOSED when the client is closed', async () => {
  const s = await freshStream(client)
  const other = await connect(h.urls[0])
  const c = await other.createConsumer(s, { durableName: 'pending' })
  const stream = c.messages()
  const loop = (async () => {
    for await (const m of stream) m.ack()
  })()
  await new Promise((r) => setTimeout(r, 300))
  // Handle the loop's rejection before closing: it may reject while close() is awaited.
  const ended = assert.rejects(loop, (e) => e.code === 'CLOSED', 'the loop rejected instead of hanging')
  await other.close()
  await ended
  await assert.rejects(stream.nextBatch(10, 100), (e) => e.code === 'CLOSED')
})

test('a stopped stream ends quietly', async () => {
  const s = await freshStream(client)
  const c = await client.createConsumer(s, { durableName: 'stopped' })
  const stream = c.messages()
  const loop = (async () => {
    let n = 0
    for await (const m of stream) n += m ? 1 : 0
    return n
  })()
  await new Promise((r) => setTimeout(r, 300))
  stream.stop()
  assert.equal(await loop, 0, 'the loop ended (done) instead of hanging')
  await rejectsWith(assert, stream.nextBatch(10, 100), 'CLOSED')
})

test('the event loop keeps running while calls wait on the network', async () => {
  const s = await freshStream(client)
  const c = await client.createConsumer(s, { durableName: 'loop' })
  let ticks = 0
  const timer = setInterval(() => ticks++, 50)
  const empty = await c.fetch({ maxMessages: 10, maxWaitMs: 1000 })
  clearInterval(timer)
  assert.deepEqual(empty, [])
  assert.ok(ticks >= 5, `timers fired ${ticks} times during a 1 s wait`)
})

test('heartbeats keep flowing while JavaScript is busy', async () => {
  const s = await freshStream(client)
  await client.publish(`${s}.a`, 'first')
  const c = await client.createConsumer(s, { durableName: 'busy' })
  const stream = c.messages({ batch: 10, heartbeatMs: 500, expiresMs: 5000 })
  const { value } = await stream.next()
  value.ack()
  stream.takeEvents()
  const misses = client.counters().heartbeatMisses
  const until = Date.now() + 3000 // 6 heartbeat intervals with the JS thread blocked
  while (Date.now() < until) {
    // busy: no event loop turn
  }
  await client.publish(`${s}.a`, 'second')
  const { value: second } = await stream.next()
  assert.equal(second.text(), 'second')
  second.ack()
  const events = stream.takeEvents().map((e) => e.health)
  assert.ok(!events.includes('stalled'), `no stall while JS was busy: ${events}`)
  assert.equal(client.counters().heartbeatMisses, misses)
  stream.stop()
})

test('loads from CommonJS and from ESM', async () => {
  const cjs = await runNode(['-e', `const j = require(${JSON.stringify(pkg)}); console.log(typeof j.connect, typeof j.JetBridgeError, j.ERROR_CODES.length)`])
  assert.equal(cjs.code, 0, cjs.stderr)
  assert.equal(cjs.stdout.trim(), 'function function 26')
  const esm = await runNode([
    '--input-type=module',
    '-e',
    `import j, { connect, JetBridgeError } from ${JSON.stringify(join(pkg, 'index.mjs'))}; console.log(typeof connect, j.JetBridgeError === JetBridgeError)`,
  ])
  assert.equal(esm.code, 0, esm.stderr)
  assert.equal(esm.stdout.trim(), 'function true')
  const err = await runNode([
    '-e',
    `const { connect, JetBridgeError } = require(${JSON.stringify(pkg)}); connect('nats://127.0.0.1:1').catch((e) => console.log(e instanceof JetBridgeError, e.code))`,
  ])
  assert.equal(err.stdout.trim(), 'true CONNECTION', err.stderr)
})

test('configureRuntime sets the worker threads before the first connect, and only then', { timeout: 60_000 }, async () => {
  const script = `
    const { readdirSync, readFileSync } = require('node:fs');
    const { configureRuntime, connect } = require(process.argv[1]);
    const codes = [];
    try { configureRuntime({ workerThreads: '2' }) } catch (e) { codes.push(e.name) }
    configureRuntime({ workerThreads: 1 });
    try { configureRuntime({ workerThreads: 1 }) } catch (e) { codes.push(e.code) }
    (async () => {
      const c = await connect(process.env.NATS_URL);
      const s = 'RT' + process.pid;
      await c.createStream({ name: s, subjects: [s + '.>'] });
      await c.publish(s + '.a', 'x');
      const workers = readdirSync('/proc/self/task')
        .map((t) => readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim())
        .filter((n) => n.startsWith('jetbridge-')).length;
      await c.close();
      console.log(JSON.stringify({ codes, workers }));
    })().catch((e) => { console.error(e); process.exit(2) });
  `
  const r = await runNode(['-e', script, pkg], { env: { NATS_URL: h.urls[0] } })
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout), { codes: ['TypeError', 'INVALID_ARGUMENT'], workers: 1 })
  const late = await runNode(['-e', `const j = require(process.argv[1]); j.connect(process.env.NATS_URL).then(async (c) => { try { j.configureRuntime({ workerThreads: 2 }) } catch (e) { console.log(e.code) } await c.close() })`, pkg], { env: { NATS_URL: h.urls[0] } })
  assert.equal(late.stdout.trim(), 'INVALID_ARGUMENT', late.stderr)
})
