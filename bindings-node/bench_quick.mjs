// Quick side-by-side measurement (report only; no test depends on it):
//   1. pipelined publish of N x 128 B with a window of 1,024 in flight;
//   2. durable consume-and-ack of N, pulled in batches of 500;
//   3. p50 latency of a single awaited publish.
// JetBridge Node vs nats.js (@nats-io/jetstream + @nats-io/transport-node)
// vs the raw Rust core (examples/core_quick.rs, when built), against one
// fresh nats-server started by the project's harness. Runs alternate between
// clients, ROUNDS times, and the median of each is reported.
//
//   node bench_quick.mjs [N] [ROUNDS]        (defaults 200000 and 3)
//   WORKER_THREADS=1 node bench_quick.mjs    (size of the core runtime, for
//                                             JetBridge Node and the raw core)
//
// Needs release builds of the addon, jb-harness and (optionally) the
// core_quick example:
//   cargo build --release -p jetbridge-harness
//   cargo build --release -p jetbridge-node --example core_quick
// Client and server share the machine's CPUs; numbers vary run to run.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'

import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect as natsConnect } from '@nats-io/transport-node'

import { Harness } from '../tests/harness/node/harness.mjs'
import { configureRuntime, connect } from './index.mjs'
import native from './lib/native.js'

const N = Number(process.argv[2] ?? 200_000)
const ROUNDS = Number(process.argv[3] ?? 3)
const WINDOW = 1024
const BATCH = 500
const LATENCY_SAMPLES = 2000
const payload = Buffer.alloc(128, 'x')

const WORKER_THREADS = process.env.WORKER_THREADS ? Number(process.env.WORKER_THREADS) : undefined
if (WORKER_THREADS !== undefined) configureRuntime({ workerThreads: WORKER_THREADS })

const here = dirname(fileURLToPath(import.meta.url))
const coreBinary = join(process.env.CARGO_TARGET_DIR ?? join(here, '..', 'target'), 'release', 'examples', 'core_quick')

const rate = (n, ms) => Math.round((n / ms) * 1000)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** JetBridge: sync tryPublish, await only when the window is full. */
async function jetbridgePublish(client, subject) {
  const pub = client.publisher({ maxInFlight: WINDOW })
  const t0 = performance.now()
  for (let i = 0; i < N; i++) {
    if (pub.tryPublish(subject, payload) === null) await pub.publish(subject, payload)
  }
  const report = await pub.flush()
  const ms = performance.now() - t0
  if (report.acked !== N) throw new Error(`jetbridge: ${report.acked} acked, ${report.failures.length} failed`)
  return rate(N, ms)
}

/** nats.js: a sliding window of 1,024 publish Promises, each with a msgID (as JetBridge always sends one). */
async function natsPublish(js, subject) {
  const t0 = performance.now()
  const window = []
  for (let i = 0; i < N; i++) {
    window.push(js.publish(subject, payload, { msgID: `${subject}-${i}` }))
    if (window.length >= WINDOW) await window.shift()
  }
  await Promise.all(window)
  return rate(N, performance.now() - t0)
}

async function jetbridgeConsume(client, stream, durable) {
  const consumer = await client.createConsumer(stream, { durableName: durable })
  const t0 = performance.now()
  let n = 0
  for await (const m of consumer.messages({ batch: BATCH })) {
    m.ack()
    if (++n === N) break
  }
  return rate(n, performance.now() - t0)
}

async function natsConsume(js, jsm, stream, durable) {
  await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit })
  const consumer = await js.consumers.get(stream, durable)
  const t0 = performance.now()
  const messages = await consumer.consume({ max_messages: BATCH })
  let n = 0
  for await (const m of messages) {
    m.ack()
    if (++n === N) break
  }
  const r = rate(n, performance.now() - t0)
  await messages.close()
  return r
}

/** True once the durable has nothing pending and nothing unacked. */
async function allAcked(client, stream, durable) {
  for (let i = 0; i < 200; i++) {
    const info = await client.consumerInfo(stream, durable)
    if (info.numAckPending === 0 && info.numPending === 0) return true
    await sleep(50)
  }
  return false
}

async function p50(fn) {
  const xs = []
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const t0 = performance.now()
    await fn(i)
    xs.push((performance.now() - t0) * 1000)
  }
  return median(xs)
}

const h = await Harness.start({ syncInterval: 'default' })
try {
  const url = h.urls[0]
  const client = await connect(url)
  const nc = await natsConnect({ servers: url })
  const js = jetstream(nc)
  const jsm = await jetstreamManager(nc)
  const fresh = async (name) => {
    await client.deleteStream(name).catch(() => {})
    await client.createStream({ name, subjects: [`${name}.>`] })
  }
  console.log(
    `N=${N}, payload=${payload.length} B, window=${WINDOW}, batch=${BATCH}, rounds=${ROUNDS}, ` +
      `core worker threads=${WORKER_THREADS ?? 'default'}`,
  )

  const pub = { jb: [], nats: [] }
  const cons = { jb: [], nats: [] }
  let acked = true
  // Each round alternates which client goes first, and lets the server
  // settle (its background flushes) before each measurement.
  const settle = () => sleep(1000)
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['jb', 'nats'] : ['nats', 'jb']
    for (const who of order) {
      await fresh('PUB')
      await settle()
      pub[who].push(who === 'jb' ? await jetbridgePublish(client, 'PUB.x') : await natsPublish(js, 'PUB.x'))
    }
    // The stream now holds N messages; each client consumes them with its own durable.
    for (const who of order) {
      await settle()
      const durable = `${who}${round}`
      cons[who].push(who === 'jb' ? await jetbridgeConsume(client, 'PUB', durable) : await natsConsume(js, jsm, 'PUB', durable))
      acked &&= await allAcked(client, 'PUB', durable)
    }
  }
  await client.deleteStream('PUB')

  await fresh('LAT')
  const latJb = await p50(() => client.publish('LAT.x', payload))
  const latNats = await p50((i) => js.publish('LAT.x', payload, { msgID: `lat-${i}` }))
  const roundTrip = await p50(() => native._roundTrip())
  await nc.close()
  await client.close()

  let core = {}
  if (existsSync(coreBinary)) {
    const out = execFileSync(coreBinary, [url, String(N), String(ROUNDS)], {
      env: { ...process.env, ...(WORKER_THREADS === undefined ? {} : { JB_WORKER_THREADS: String(WORKER_THREADS) }) },
    }).toString()
    for (const line of out.trim().split('\n')) {
      const [, key, value] = line.split(' ')
      core[key] = Number(value)
    }
  } else {
    console.log(`(raw core not measured: ${coreBinary} not built)`)
  }

  const row = (label, jb, nats, c, unit) =>
    console.log(
      `${label.padEnd(9)} jetbridge-node ${String(jb).padStart(7)} ${unit}` +
        `   nats.js ${String(nats).padStart(7)} ${unit}` +
        (c === undefined ? '' : `   raw core ${String(c).padStart(7)} ${unit}`),
    )
  row('publish', median(pub.jb), median(pub.nats), core.publish, 'msgs/s')
  row('consume', median(cons.jb), median(cons.nats), core.consume, 'msgs/s')
  row('p50', latJb.toFixed(1), latNats.toFixed(1), core.latency_p50_us?.toFixed(1), 'us')
  console.log(`publish  jetbridge-node / nats.js = ${(median(pub.jb) / median(pub.nats)).toFixed(2)}x`)
  console.log(`consume  jetbridge-node / nats.js = ${(median(cons.jb) / median(cons.nats)).toFixed(2)}x`)
  if (core.publish) {
    console.log(`publish  jetbridge-node / raw core = ${(median(pub.jb) / core.publish).toFixed(2)}`)
    console.log(`consume  jetbridge-node / raw core = ${(median(cons.jb) / core.consume).toFixed(2)}`)
    console.log(`p50      jetbridge-node - raw core = ${(latJb - core.latency_p50_us).toFixed(1)} us`)
  }
  console.log(`bridge round trip (JS -> core thread -> JS) p50 = ${roundTrip.toFixed(1)} us`)
  console.log(`every consumed message acked: ${acked}`)
  console.log(`all rounds: publish jb ${pub.jb} nats ${pub.nats}; consume jb ${cons.jb} nats ${cons.nats}`)
} finally {
  await h.stop()
}
