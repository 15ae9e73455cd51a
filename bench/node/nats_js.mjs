// Bench entry `nats.js`: @nats-io/jetstream + @nats-io/transport-node (npm,
// pinned in package.json), used as their docs show: js.publish() Promises in
// a sliding window, consumers.get() + consume() for the durable and for an
// ordered consumer, nc.publish() + flush() for core NATS. Contract: see common.mjs.
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream'
import { Kvm } from '@nats-io/kv'
import { Objm } from '@nats-io/obj'
import { connect } from '@nats-io/transport-node'

import * as common from './common.mjs'
import { PatternCheck, patternPieces } from './pattern.mjs'

const ENTRY = 'nats.js'

async function publish(js, args, msgId) {
  const { subject, data } = args
  let acked = 0
  let duplicates = 0
  const settle = (ack) => {
    acked++
    if (ack.duplicate) duplicates++
  }
  const window = []
  let head = 0
  const t = common.now()
  for (let i = 0; i < args.count; i++) {
    if (window.length - head === args.window) settle(await window[head++])
    window.push(js.publish(subject, data, msgId ? { msgID: msgId(i) } : undefined))
    if (head > 65536) {
      window.splice(0, head)
      head = 0
    }
  }
  for (; head < window.length; head++) settle(await window[head])
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { acked, duplicates })
}

async function latency(js, args) {
  const lat = []
  const t = common.now()
  for (let i = 0; i < args.count; i++) {
    const one = common.now()
    await js.publish(args.subject, args.data)
    lat.push(common.now() - one)
  }
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { acked: args.count, ...common.percentiles(lat) })
}

async function consume(js, jsm, args) {
  await jsm.consumers.add(args.stream, { durable_name: common.DURABLE, ack_policy: AckPolicy.Explicit })
  const consumer = await js.consumers.get(args.stream, common.DURABLE)
  const t = common.now()
  const messages = await consumer.consume({ max_messages: args.batch })
  let received = 0
  for await (const m of messages) {
    m.ack()
    if (++received === args.count) break
  }
  const deadline = Date.now() + common.SETTLE_TIMEOUT_MS
  while (Date.now() < deadline) {
    const info = await jsm.consumers.info(args.stream, common.DURABLE)
    if (info.num_ack_pending === 0 && info.num_pending === 0) {
      const seconds = common.now() - t
      await messages.close()
      return common.report(ENTRY, args, seconds, { received, acked: received })
    }
    await common.sleep(2)
  }
  common.fail(ENTRY, 'acks did not settle')
}

async function replay(js, args) {
  const t = common.now()
  const consumer = await js.consumers.get(args.stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 1 })
  const messages = await consumer.consume({ max_messages: args.batch })
  const seqs = new common.Sequences()
  for await (const m of messages) {
    if (seqs.add(m.seq) === args.count) break
  }
  const seconds = common.now() - t
  await messages.close()
  return common.report(ENTRY, args, seconds, seqs.report())
}

async function core(nc, args) {
  const t = common.now()
  for (let i = 0; i < args.count; i++) nc.publish(common.CORE_SUBJECT, args.data)
  await nc.flush()
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { sent: args.count })
}

async function kvPut(nc, args) {
  const kv = await new Kvm(nc).open(args.stream)
  let acked = 0
  const t = common.now()
  for (let i = 0; i < args.count; i++) {
    if ((await kv.put(common.kvKey(i), args.data)) > 0) acked++
  }
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { acked })
}

async function kvGet(nc, args) {
  const kv = await new Kvm(nc).open(args.stream)
  let received = 0
  const t = common.now()
  for (let i = 0; i < args.count; i++) {
    const e = await kv.get(common.kvKey(i))
    if (e?.operation === 'PUT' && e.value.length === args.payload) received++
  }
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { received })
}

async function kvWatch(nc, args) {
  const kv = await new Kvm(nc).open(args.stream)
  let received = 0
  const t = common.now()
  const watch = await kv.watch() // every key, the latest value of each (KvWatchInclude.LastValue)
  for await (const e of watch) {
    received++
    // isUpdate turns true on the last initial entry (the consumer's pending count reached).
    if (e.isUpdate) break
  }
  const seconds = common.now() - t
  watch.stop()
  return common.report(ENTRY, args, seconds, { received })
}

/** `size` pattern bytes as a web ReadableStream that makes a 64 KiB piece when pulled. */
function patternStream(size) {
  const pieces = patternPieces(size)
  return new ReadableStream({
    pull(controller) {
      const { value, done } = pieces.next()
      if (done) controller.close()
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
    },
  })
}

async function objPut(nc, args) {
  const os = await new Objm(nc).open(args.stream)
  const source = patternStream(args.count * common.MIB)
  const t = common.now()
  const info = await os.put({ name: common.OBJECT_NAME }, source)
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { bytes: info.size })
}

async function objGet(nc, args) {
  const os = await new Objm(nc).open(args.stream)
  const check = new PatternCheck()
  const t = common.now()
  const result = await os.get(common.OBJECT_NAME)
  if (result === null) common.fail(ENTRY, `no object ${common.OBJECT_NAME}`)
  for await (const chunk of result.data) check.feed(chunk)
  const err = await result.error // the digest check, once the stream ended
  if (err) throw err
  const seconds = common.now() - t
  return common.report(ENTRY, args, seconds, { bytes: check.bytes })
}

const STORE_OPS = { 'kv-put': kvPut, 'kv-get': kvGet, 'kv-watch': kvWatch, 'obj-put': objPut, 'obj-get': objGet }

const args = common.parseArgs()
try {
  const nc = await connect({ servers: args.url })
  const js = jetstream(nc)
  let result
  if (args.op === 'publish') result = await publish(js, args, null)
  else if (args.op === 'publish-ids') result = await publish(js, args, common.uniqueMsgId)
  else if (args.op === 'dedup') result = await publish(js, args, common.dedupMsgId)
  else if (args.op === 'latency') result = await latency(js, args)
  else if (args.op === 'consume') result = await consume(js, await jetstreamManager(nc), args)
  else if (args.op === 'replay') result = await replay(js, args)
  else if (args.op in STORE_OPS) result = await STORE_OPS[args.op](nc, args)
  else result = await core(nc, args)
  await nc.drain()
  common.emit(result)
} catch (e) {
  common.fail(ENTRY, e)
}
