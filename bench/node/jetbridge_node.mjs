// Bench entry `jetbridge-node`: the JetBridge Node binding, used as its
// README shows (sync tryPublish while the window has room, `for await` over
// consumer.messages() and client.replay()). Contract: see common.mjs.
import { connect } from 'jetbridge'

import * as common from './common.mjs'

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

const args = common.parseArgs()
if (args.op === 'core') common.unsupported(ENTRY, args, 'JetBridge has no core NATS publish')
try {
  const client = await connect(args.url)
  let result
  if (args.op === 'publish' || args.op === 'publish-ids') result = await publish(client, args, null)
  else if (args.op === 'dedup') result = await publish(client, args, common.dedupMsgId)
  else if (args.op === 'latency') result = await latency(client, args)
  else if (args.op === 'consume') result = await consume(client, args)
  else result = await replay(client, args)
  await client.close()
  common.emit(result)
} catch (e) {
  common.fail(ENTRY, e)
}
