// A panic inside the core (armed by the core's test hook
// JETBRIDGE_TEST_PANIC=<point>) becomes a JetBridgeError with code PANIC —
// a rejected Promise, or a throw for the synchronous ack — and the process
// keeps running. Each point runs in its own child process.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'

import { Harness } from './helpers.mjs'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')

let h

before(async () => {
  h = await Harness.start()
})

after(async () => {
  await h?.stop()
})

const SCRIPT = `
const { connect, JetBridgeError } = require(process.argv[1]);
const point = process.env.JETBRIDGE_TEST_PANIC;
const report = (e) => (e instanceof JetBridgeError ? e.code : 'not a JetBridgeError: ' + e);
(async () => {
  const out = {};
  if (point === 'connect') {
    out.error = await connect(process.env.NATS_URL).then(() => 'no error', report);
    out.alive = await new Promise((r) => setTimeout(() => r(true), 10));
    return console.log(JSON.stringify(out));
  }
  const c = await connect(process.env.NATS_URL);
  const s = 'P' + point + process.pid;
  await c.createStream({ name: s, subjects: [s + '.>'] });
  if (point !== 'publish') await c.publishMany([{ subject: s + '.a', data: 'x' }, { subject: s + '.a', data: 'y' }]);
  const consumer = await c.createConsumer(s, { durableName: 'd' });
  if (point === 'publish') out.error = await c.publish(s + '.a', 'x').then(() => 'no error', report);
  if (point === 'fetch') out.error = await consumer.fetch({ maxWaitMs: 1000 }).then(() => 'no error', report);
  if (point === 'ack') {
    const [m] = await consumer.fetch({ maxWaitMs: 1000 });
    try { m.ack(); out.error = 'no error' } catch (e) { out.error = report(e) }
  }
  if (point === 'deliver') {
    try { for await (const m of consumer.messages()) { m.ack() } out.error = 'ended without error' } catch (e) { out.error = report(e) }
  }
  out.alive = (await c.streamInfo(s)).config.name === s;
  await c.close();
  console.log(JSON.stringify(out));
})().catch((e) => { console.error('unexpected', e); process.exit(2) });
`

for (const point of ['connect', 'publish', 'fetch', 'ack', 'deliver']) {
  test(`a core panic at ${point} is a PANIC error and the process lives on`, { timeout: 60_000 }, () => {
    const r = spawnSync(process.execPath, ['-e', SCRIPT, pkg], {
      env: { ...process.env, NATS_URL: h.urls[0], JETBRIDGE_TEST_PANIC: point, RUST_BACKTRACE: '0' },
      encoding: 'utf8',
      timeout: 45_000,
    })
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal}; stderr: ${r.stderr}`)
    assert.deepEqual(JSON.parse(r.stdout), { error: 'PANIC', alive: true })
  })
}
