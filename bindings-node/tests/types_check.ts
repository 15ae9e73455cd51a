// Compiled with `tsc --noEmit` by scripts/test.sh: the hand-written types
// must describe a typical program (and reject obvious misuse, see @ts-expect-error).
import {
  type AccountInfo,
  type BatchAck,
  connect,
  type ConsumerInfo,
  type ConsumerPauseState,
  type ConnectionEvent,
  type CoreMessage,
  DaprConfig,
  DaprStateConfig,
  daprStateKey,
  EVENT_KINDS,
  type EventKind,
  type ErrorCode,
  type GetMessagesOptions,
  JetBridgeError,
  KV_CAUGHT_UP,
  type KvEntry,
  type KvKeys,
  OBJECT_CAUGHT_UP,
  type ObjectWatch,
  type KvStatus,
  type ObjectInfo,
  type ObjectStoreStatus,
  type Message,
  type PubAck,
  type StoredMessage,
  type StreamInfo,
  setLogger,
  type TraceContext,
} from 'jetbridge'

async function main(): Promise<void> {
  const client = await connect({ servers: ['nats://127.0.0.1:4222'], name: 'x', auth: { token: 't' }, requestTimeoutMs: 2000 })
  await client.createStream({ name: 'ORDERS', subjects: ['orders.*'], maxAgeMs: 1000, storage: 'file' })
  const ack: PubAck = await client.publish('orders.a', Buffer.from('x'), { msgId: 'a', headers: { k: 'v' }, expect: { lastSequence: 0 } })
  const seq: number = ack.sequence
  const results = await client.publishMany([{ subject: 'orders.a', data: 'x' }, { subject: 'orders.b', data: 'y', ttlMs: 60_000 }])
  const batchAck: BatchAck = await client.publishBatch([{ subject: 'orders.a', data: 'x', expect: { lastSequence: 0 } }, { subject: 'orders.b', data: Buffer.from('y'), msgId: 'b' }])
  console.log(batchAck.stream, batchAck.sequence, batchAck.count, batchAck.batchId)
  await client.publish('orders.a', 'x', { ttlMs: 1000 })
  // @ts-expect-error: a duration is milliseconds, `ttlMs`
  await client.publish('orders.a', 'x', { ttl: 1 })
  for (const r of results) if (r instanceof JetBridgeError) console.log(r.code, r.retryable)
  const pub = client.publisher({ maxInFlight: 64 })
  if (pub.tryPublish('orders.a', new Uint8Array([1]), { ttlMs: 5000 }) === null) await pub.publish('orders.a', 'x', { ttlMs: 5000 })
  await pub.publishMany([{ subject: 'orders.a', data: 'x', ttlMs: 5000 }])
  const report = await pub.flush()
  console.log(report.acked, report.failures.map((f) => f.error.code))
  const consumer = await client.createConsumer('ORDERS', { durableName: 'd', start: { sequence: 1 }, ackWaitMs: 30_000 })
  const batch: Message[] = await consumer.fetch({ maxMessages: 10, maxWaitMs: 500 })
  for (const m of batch) {
    m.nak(100)
    await m.ackSync().catch((e: JetBridgeError) => e.code === 'ALREADY_ACKED')
  }
  for await (const m of consumer.messages({ batch: 100 })) {
    console.log(m.subject, m.data.length, m.streamSequence, m.timestampNanos + 1n)
    m.ack()
    break
  }
  const replay = client.replay('ORDERS', { start: { time: new Date() } })
  const first = await replay.next()
  if (!first.done) console.log(first.value.streamSequence)
  replay.stop()
  const info = await consumer.info()
  console.log(info.numPending, info.config.start, seq)
  const paused = await client.createConsumer('ORDERS', { durableName: 'p', pauseUntil: new Date(), metadata: { team: 'a' } })
  const until: Date | undefined = paused.config.pauseUntil
  const team: string | undefined = (await client.consumerInfo('ORDERS', 'p')).config.metadata?.team
  const streamInfo = await client.streamInfo('ORDERS')
  const owner: string | undefined = streamInfo.config.metadata?.owner
  const maxMsgs: number = streamInfo.config.maxMsgs
  console.log(until?.getTime(), team, owner, maxMsgs)
  // @ts-expect-error: a point in time is a Date
  await client.createConsumer('ORDERS', { pauseUntil: 4102444800000 })
  const pause: ConsumerPauseState = await client.pauseConsumer('ORDERS', 'p', new Date(Date.now() + 60_000))
  const pausedUntil: Date | undefined = pause.pauseUntil
  console.log(pause.paused === true, pausedUntil?.getTime(), pause.pauseRemainingMs)
  console.log((await client.resumeConsumer('ORDERS', 'p')).paused)
  await client.unpinConsumer('ORDERS', 'p', 'jobs').catch((e: JetBridgeError) => {
    const tooOld: ErrorCode = 'SERVER_TOO_OLD'
    return e.code === tooOld
  })
  // @ts-expect-error: a point in time is a Date
  await client.pauseConsumer('ORDERS', 'p', 4102444800000)
  const streams: StreamInfo[] = await client.listStreams({ subject: 'orders.*' })
  const everyStream: StreamInfo[] = await client.listStreams()
  const consumers: ConsumerInfo[] = await client.listConsumers('ORDERS')
  console.log(streams.map((s) => s.config.name), everyStream.length, consumers.map((c) => c.numPending))
  await client.deleteMessage('ORDERS', 1)
  await client.deleteMessage('ORDERS', 2, { erase: true })
  const account: AccountInfo = await client.accountInfo()
  console.log(account.streams, account.consumers, account.maxStreams, account.apiTotal)
  const next: StoredMessage = await client.getNextMessage('ORDERS', 'orders.*', 1)
  const range: GetMessagesOptions = { subject: 'orders.a', startSequence: next.sequence, maxMessages: 10 }
  const stored: StoredMessage[] = await client.getMessages('ORDERS', range)
  await client.getMessages('ORDERS', { startTime: new Date(), maxBytes: 1 << 20 })
  console.log(stored.map((m) => [m.sequence, m.subject, m.data.length, m.headers[0]?.[1], m.timestampNanos + 1n]))
  // @ts-expect-error: a point in time is a Date
  await client.getMessages('ORDERS', { startTime: 4102444800000 })
  // @ts-expect-error: a sequence is a number
  await client.getNextMessage('ORDERS', 'orders.a', '1')
  // @ts-expect-error: the filter is an options object
  await client.listStreams('orders.*')
  // @ts-expect-error: erase is a boolean in an options object
  await client.deleteMessage('ORDERS', 1, true)
  // @ts-expect-error: a sequence is a number
  await client.deleteMessage('ORDERS', '1')
  // @ts-expect-error: metadata values are strings
  await client.createStream({ name: 'M', metadata: { n: 1 } })
  const dapr = DaprConfig.fromMetadata({ natsURL: 'nats://127.0.0.1:4222', maxDeliver: 3, flowControl: false })
  const mode: 'none' | 'token' | 'userPassword' | 'nkey' | 'jwt' | 'credsFile' = dapr.authMode
  const prefix: string = dapr.jsApiPrefix
  console.log(mode, prefix, dapr.hasClientCert === true)
  const sub = client.subscribeDapr('orders.a', dapr)
  const state = DaprStateConfig.fromYamlFile('statestore.yaml')
  const stateClient = await connect(state)
  const stateKv = await stateClient.keyValue(state.bucket)
  await stateKv.put(daprStateKey('myapp||order-1'), '{}')
  // @ts-expect-error: a state config has no subscription
  client.subscribeDapr('orders.a', state)
  console.log(sub.health, client.counters().acked)
  // @ts-expect-error: the payload must be bytes or a string
  await client.publish('orders.a', 42)
  // @ts-expect-error: durations are ...Ms
  await client.createConsumer('ORDERS', { ackWait: 5 })
  // Core NATS, connection events, tracked publishes.
  await client.corePublish('greet.a', 'hi', { headers: [['X-Kind', 'hello']], reply: 'answers' })
  const csub = await client.coreSubscribe('greet.*', { queue: 'workers' })
  const firstCore: CoreMessage | null = await csub.next({ timeoutMs: 100 })
  if (firstCore !== null) await firstCore.respond(firstCore.data, { headers: firstCore.headers })
  for await (const m of csub) console.log(m.subject, m.data.length, m.reply ?? 'no reply')
  await csub.unsubscribe()
  const reply: CoreMessage = await client.coreRequest('svc.echo', Buffer.from('ping'), { timeoutMs: 500 })
  console.log(reply.text())
  // @ts-expect-error: durations are ...Ms
  await client.coreRequest('svc.echo', 'ping', { timeout: 5 })
  for await (const e of client.events()) {
    const ev: ConnectionEvent = e
    const kind: EventKind = ev.kind
    console.log(kind, ev.detail ?? '', EVENT_KINDS.includes(kind))
  }
  const tracked = await client.publisher().publishTracked('orders.a', 'x', { msgId: 'm1' })
  const trackedAck: PubAck = await tracked.ack
  console.log(tracked.ticket + 1, trackedAck.sequence)
  // Key-value and object stores.
  const kv = await client.createKeyValue({ bucket: 'cfg', history: 5, ttlMs: 60_000 })
  const rev: number = await kv.put('db.host', 'a')
  await kv.update('db.host', Buffer.from('b'), rev)
  const entry: KvEntry = await kv.get('db.host', { revision: rev })
  const created: Date = entry.created
  const op: 'put' | 'delete' | 'purge' = entry.operation
  console.log(entry.value.length, entry.string(), entry.json(), created, op, (await kv.entry('x'))?.revision)
  await kv.delete('db.host', { revision: 2 })
  const watch = await kv.watch({ filter: 'db.>', includeHistory: true })
  for await (const e of watch) {
    if (e === KV_CAUGHT_UP) continue
    console.log(e.key, e.revision)
  }
  const nextEvent = await watch.next({ timeoutMs: 100 })
  if (nextEvent !== null && nextEvent !== KV_CAUGHT_UP) console.log(nextEvent.key)
  watch.stop()
  // @ts-expect-error: the watch options are camelCase
  await kv.watch({ include_history: true })
  const store = await client.createObjectStore({ bucket: 'files', maxBytes: 1 << 20 })
  async function* pieces(): AsyncGenerator<Buffer> {
    yield Buffer.from('x')
  }
  const put: ObjectInfo = await store.put('a', pieces(), { description: 'd' })
  await store.put('b', 'text')
  console.log(put.size, (await store.list()).length, (await store.getBytes('a')).length)
  const { info: objInfo, stream } = await store.get('a')
  stream.pipe(process.stdout)
  console.log(objInfo.digest)
  // @ts-expect-error: a number is no source
  await store.put('c', 42)
  // Bucket and store administration.
  const same = await client.createOrUpdateKeyValue({ bucket: 'cfg', history: 10, limitMarkerTtlMs: 1_000, metadata: { team: 'a' } })
  const kvStatus: KvStatus = await same.status()
  const kvNames: string[] = await client.keyValueNames()
  console.log(kvStatus.values, kvStatus.bytes, kvStatus.config?.history, (await client.keyValueStatus('cfg')).bucket, kvNames)
  const ttlRev: number = await kv.create('session.1', 'x', { ttlMs: 2_000 })
  const dbKeys: string[] = await kv.keys({ filter: 'db.>' })
  console.log(ttlRev, dbKeys, (await kv.keys()).length)
  // @ts-expect-error: durations are ...Ms
  await kv.create('session.2', 'x', { ttl: 2 })
  // Streamed keys, mirrors, links, meta, object watches.
  const listing: KvKeys = await kv.listKeys({ filter: 'db.>' })
  for await (const k of listing) console.log(k.length)
  const firstKey: string | null = await (await kv.listKeys()).next()
  console.log(firstKey)
  await client.createKeyValue({ bucket: 'copy', mirror: { name: 'cfg' } })
  const link: ObjectInfo = await store.addLink('latest', put)
  console.log(link.link?.bucket, link.link?.name, link.metadata?.k)
  await store.addBucketLink('all', 'files')
  await store.updateMeta('a', { name: 'b', description: 'd', metadata: { k: 'v' } })
  await store.put('t', 'x', { metadata: { k: 'v' } })
  // @ts-expect-error: metadata values are strings
  await store.put('t', 'x', { metadata: { k: 1 } })
  const objWatch: ObjectWatch = await store.watch({ ignoreDeletes: true })
  for await (const i of objWatch) {
    if (i === OBJECT_CAUGHT_UP) break
    console.log(i.name, i.deleted)
  }
  const nextInfo = await objWatch.next({ timeoutMs: 100 })
  if (nextInfo !== null && nextInfo !== OBJECT_CAUGHT_UP) console.log(nextInfo.size)
  // @ts-expect-error: the watch options are camelCase
  await store.watch({ ignore_deletes: true })
  const sealed: ObjectStoreStatus = await store.seal()
  const storeNames: string[] = await client.objectStoreNames()
  console.log(sealed.sealed, sealed.config?.bucket, (await store.status()).bytes, (await client.objectStoreStatus('files')).sealed, storeNames)
  await client.drain({ timeoutMs: 5_000 })
  // @ts-expect-error: durations are ...Ms
  await client.drain({ timeout: 5 })
  // Logs, cancellation, header view, trace context, disposal (issue 22).
  setLogger(console, { level: 'debug' })
  setLogger(null)
  // @ts-expect-error: an unknown level
  setLogger(console, { level: 'verbose' })
  const ac = new AbortController()
  const got: Message[] = await consumer.fetch({ maxMessages: 1, signal: ac.signal })
  await client.publish('orders.a', 'x', { signal: ac.signal })
  const live = consumer.messages({ signal: ac.signal })
  const step = await live.next({ signal: ac.signal })
  if (!step.done) {
    const values: string[] = step.value.headerMap.values('k')
    const first: string | undefined = step.value.headerMap.get('k')
    const trace: TraceContext | undefined = step.value.traceContext
    console.log(values, first, trace?.traceId, step.value.processSpan().name)
  }
  await live[Symbol.asyncDispose]()
  await pub[Symbol.asyncDispose]()
  console.log(got.length)
  await client.close()
}

void main
