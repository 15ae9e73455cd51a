// Bench entry `jetbridge-node`: the JetBridge Node binding, used as its
// README shows (sync tryPublish while the window has room, `for await` over
// consumer.messages() and client.replay()). Contract: see common.mjs.
import { Readable } from 'node:stream'

import { connect, KV_CAUGHT_UP } from 'jetbridge'

import * as common from './common.mjs'
import { PatternCheck, patternPieces } from './pattern.mjs'

const ENTRY = 'jetbridge-node'

async function publish(client, args, msgId) {
  const pub = client.publisher({ maxInFlight: args.window })
  const { subject, data } = args
  const t = common.now()
  for (let i = 0; i < args.count; i++) {
    const options = msgId ? { msgId: msgId(i) } : undefined
    if (pub.tryPublish(subject, data, options) === null) await pub.publish(subject, data, options)
  }
  const rep = await pub.flush()
  const seconds = common.now() - t
  if (rep.failures.length) common.fail(ENTRY, `${rep.failures.length} publishes failed, first: ${rep.failures[0].error}`)
  return common.report(ENTRY, args, seconds, { acked: rep.acked, duplicates: rep.duplicates, peak_in_flight: pub.peakInFlight })
}

async function latency(client, args) {
  const lat = []
  const t = common.now()
  for (let i = 0; i < args.count; i++) {
    const one = common.now()
    await client.publish(args.subject, args.data)
    lat.push(common.now() - one)
  }
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { acked: args.count, ...common.percentiles(lat) })
}

async function consume(client, args) {
  const consumer = await client.createConsumer(args.stream, { durableName: common.DURABLE })
  const t = common.now()
  let received = 0
  const messages = consumer.messages({ batch: args.batch })
  for await (const m of messages) {
    m.ack()
    if (++received === args.count) break
  }
  // Acks are queued in the core; the run ends when the server has them all.
  const deadline = Date.now() + common.SETTLE_TIMEOUT_MS
  while (Date.now() < deadline) {
    const info = await consumer.info()
    if (info.numAckPending === 0 && info.numPending === 0) {
      const seconds = common.now() - t
      return common.report(ENTRY, args, seconds, { received, acked: received })
    }
    await common.sleep(2)
  }
  common.fail(ENTRY, 'acks did not settle')
}

async function replay(client, args) {
  const t = common.now()
  const seqs = new common.Sequences()
  const stream = client.replay(args.stream, { start: { sequence: 1 }, messages: { batch: args.batch } })
  for await (const m of stream) {
    if (seqs.add(m.streamSequence) === args.count) break
  }
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, seqs.report())
}

async function kvPut(client, args) {
  const kv = await client.keyValue(args.stream)
  let acked = 0
  const t = common.now()
  for (let i = 0; i < args.count; i++) {
    if ((await kv.put(common.kvKey(i), args.data)) > 0) acked++
  }
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { acked })
}

async function kvGet(client, args) {
  const kv = await client.keyValue(args.stream)
  let received = 0
  const t = common.now()
  for (let i = 0; i < args.count; i++) {
    if ((await kv.get(common.kvKey(i))).value.length === args.payload) received++
  }
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { received })
}

async function kvWatch(client, args) {
  const kv = await client.keyValue(args.stream)
  let received = 0
  const t = common.now()
  const watch = await kv.watch() // every key, the latest value of each, then KV_CAUGHT_UP
  for await (const e of watch) {
    if (e === KV_CAUGHT_UP) break // leaving the loop stops the watch
    received++
  }
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { received })
}

async function objPut(client, args) {
  const store = await client.objectStore(args.stream)
  const source = Readable.from(patternPieces(args.count * common.MIB), { objectMode: false })
  const t = common.now()
  const info = await store.put(common.OBJECT_NAME, source) // read as the store takes it
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { bytes: info.size })
}

async function objGet(client, args) {
  const store = await client.objectStore(args.stream)
  const check = new PatternCheck()
  const t = common.now()
  const { stream } = await store.get(common.OBJECT_NAME)
  for await (const chunk of stream) check.feed(chunk) // size and digest checked at the end
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { bytes: check.bytes })
}

const STORE_OPS = { 'kv-put': kvPut, 'kv-get': kvGet, 'kv-watch': kvWatch, 'obj-put': objPut, 'obj-get': objGet }

const args = common.parseArgs()
if (args.op === 'core') common.unsupported(ENTRY, args, 'JetBridge has no core NATS publish')
try {
  const client = await connect(args.url)
  let result
  if (args.op === 'publish' || args.op === 'publish-ids') result = await publish(client, args, null)
  else if (args.op === 'dedup') result = await publish(client, args, common.dedupMsgId)
  else if (args.op === 'latency') result = await latency(client, args)
  else if (args.op === 'consume' || args.op === 'consume-each') result = await consume(client, args)
  else if (args.op in STORE_OPS) result = await STORE_OPS[args.op](client, args)
  else result = await replay(client, args)
  await client.close()
  common.emit(result)
} catch (e) {
  common.fail(ENTRY, e)
}
