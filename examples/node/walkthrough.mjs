// The seed guide's walkthrough ("How to Deploy NATS JetStream…"), step by step:
// create the ORDERS stream, publish with an ack, publish with dedup, consume
// with a durable pull consumer (fetch, ack, nak), a push consumer, and replay
// from the start, a sequence, a time and the last message.
//
// Connects to NATS_URL (default nats://127.0.0.1:4222). Every language's
// walkthrough prints exactly these lines (see examples/rust/src/walkthrough.rs).
//
//   npm install ../../bindings-node   (once)
//   NATS_URL=nats://127.0.0.1:4222 node walkthrough.mjs
import { connect } from 'jetbridge'

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'
const client = await connect(url)

// Create the stream (the guide uses file storage, 7 days max age).
await client.deleteStream('ORDERS').catch(() => {})
const info = await client.createStream({ name: 'ORDERS', subjects: ['orders.*'], maxAgeMs: 7 * 24 * 3600 * 1000 })
console.log(`stream ${info.config.name} subjects=${info.config.subjects.join(',')}`)

// Publish and wait for the ack.
let ack = await client.publish('orders.created', '{"id": 123, "total": 99.99}')
console.log(`published seq=${ack.sequence} stream=${ack.stream} duplicate=${ack.duplicate}`)

// Publish with deduplication: the second one is recognised.
for (let i = 0; i < 2; i++) {
  ack = await client.publish('orders.updated', '{"id": 123, "status": "shipped"}', { msgId: 'order-123-update-1' })
  console.log(`published msg_id=order-123-update-1 seq=${ack.sequence} duplicate=${ack.duplicate}`)
}
// "Now", for the replay from a time below: just after the last message stored.
// (JavaScript's clock has millisecond precision, too coarse to fall between
// two messages; the stored message's own timestamp has nanoseconds.)
const mid = (await client.getMessage('ORDERS', ack.sequence)).timestampNanos + 1n
ack = await client.publish('orders.created', '{"id": 124, "total": 5.00}')
console.log(`published seq=${ack.sequence} stream=${ack.stream} duplicate=${ack.duplicate}`)

// Durable pull consumer: fetch a batch, ack, nak, and get the nak'd one back.
const consumer = await client.createConsumer('ORDERS', {
  durableName: 'order-processor',
  filterSubjects: ['orders.*'],
  maxDeliver: 3,
})
for (const m of await consumer.fetch({ maxMessages: 3 })) {
  console.log(`fetched seq=${m.streamSequence} subject=${m.subject} delivered=${m.delivered} data=${m.text()}`)
  if (m.subject === 'orders.updated') {
    m.nak()
    console.log(`nakked seq=${m.streamSequence}`)
  } else {
    m.ack()
    console.log(`acked seq=${m.streamSequence}`)
  }
}
for (const m of await consumer.fetch({ maxMessages: 1 })) {
  console.log(`redelivered seq=${m.streamSequence} delivered=${m.delivered}`)
  await m.ackSync()
  console.log(`ack_sync confirmed seq=${m.streamSequence}`)
}
const rest = await consumer.fetch({ maxMessages: 10, maxWaitMs: 500 })
for (const m of rest) m.ack()
console.log(`fetched ${rest.length} more`)
const empty = await consumer.fetch({ maxMessages: 10, maxWaitMs: 200 })
console.log(`empty fetch returned ${empty.length} messages`)

// Push consumer with a deliver group.
const push = client.pushSubscribe('ORDERS', { durableName: 'event-processor', deliverGroup: 'processors' })
let received = 0
for await (const m of push) {
  console.log(`push received seq=${m.streamSequence} subject=${m.subject}`)
  m.ack()
  if (++received === 3) break
}

// Replay from the start, from a sequence, from a time, and the last message.
for (const [label, start] of [
  ['start', 'all'],
  ['sequence 2', { sequence: 2 }],
  ['time', { time: mid }],
  ['last', 'last'],
]) {
  const replay = client.replay('ORDERS', { start })
  const { state } = await client.streamInfo('ORDERS')
  const seqs = []
  for await (const m of replay) {
    seqs.push(m.streamSequence)
    if (m.streamSequence >= state.lastSequence) break
  }
  console.log(`replay from ${label}: ${seqs.join(',')}`)
}

const counters = client.counters()
console.log(`counters published=${counters.published} acked=${counters.acked} duplicates=${counters.duplicates}`)
await client.close()
