// examples/node/walkthrough.mjs prints exactly the lines every language's
// walkthrough prints (examples/rust/src/walkthrough.rs). When the Rust
// walkthrough is built, its output is compared too.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

import { Harness } from './helpers.mjs'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const example = join(repo, 'examples', 'node', 'walkthrough.mjs')
const rust = join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'release', 'walkthrough')

const EXPECTED = `stream ORDERS subjects=orders.*
published seq=1 stream=ORDERS duplicate=false
published msg_id=order-123-update-1 seq=2 duplicate=false
published msg_id=order-123-update-1 seq=2 duplicate=true
published seq=3 stream=ORDERS duplicate=false
fetched seq=1 subject=orders.created delivered=1 data={"id": 123, "total": 99.99}
acked seq=1
fetched seq=2 subject=orders.updated delivered=1 data={"id": 123, "status": "shipped"}
nakked seq=2
fetched seq=3 subject=orders.created delivered=1 data={"id": 124, "total": 5.00}
acked seq=3
redelivered seq=2 delivered=2
ack_sync confirmed seq=2
fetched 0 more
empty fetch returned 0 messages
push received seq=1 subject=orders.created
push received seq=2 subject=orders.updated
push received seq=3 subject=orders.created
replay from start: 1,2,3
replay from sequence 2: 2,3
replay from time: 3
replay from last: 3
counters published=4 acked=4 duplicates=1
`

async function run(cmd, args) {
  const h = await Harness.start()
  try {
    const r = spawnSync(cmd, args, { env: { ...process.env, NATS_URL: h.urls[0] }, encoding: 'utf8', timeout: 60_000 })
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''} after:\n${r.stdout}\nstderr: ${r.stderr}`)
    return r.stdout
  } finally {
    await h.stop()
  }
}

test('the Node walkthrough prints the shared lines', { timeout: 120_000 }, async () => {
  assert.equal(await run(process.execPath, [example]), EXPECTED)
})

test('the Rust walkthrough prints the same lines', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(rust), `${rust} not built (scripts/test.sh builds it)`)
  assert.equal(await run(rust, []), EXPECTED)
})
