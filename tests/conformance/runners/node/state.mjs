// What a scenario has built so far: the client, the publisher, consumers and
// message streams by alias, the latest delivery of each message, core
// subscriptions, event listeners, tracked publishes, key-value buckets and
// watches, object stores and their watches.
import { RunnerError } from './outcome.mjs'

const key = (alias, seq) => JSON.stringify([alias, seq])

/** The runner's state across the steps of one scenario. */
export class State {
  /** The last successful connect (a closed client stays, so later steps see CLOSED). */
  client = undefined
  /** The last publisher_open. */
  publisher = undefined
  /** alias -> Consumer */
  consumers = new Map()
  /** alias -> MessageStream */
  streams = new Map()
  /** key(alias, seq) -> Message: the latest delivery of each stream sequence per alias. */
  messages = new Map()
  /** alias -> CoreSubscription (core_subscribe, core_reply_service) */
  coreSubs = new Map()
  /** alias -> the last CoreMessage core_next returned from it */
  coreLast = new Map()
  /** alias -> ConnectionEvents */
  listeners = new Map()
  /** ticket -> the ack Promise of a tracked publish */
  tracked = new Map()
  /** alias -> KeyValue */
  buckets = new Map()
  /** alias -> KvWatch */
  watches = new Map()
  /** alias -> ObjectStore */
  objectStores = new Map()
  /** alias -> ObjectWatch */
  objectWatches = new Map()

  getClient() {
    if (this.client === undefined) throw new RunnerError('no client: the scenario must connect first')
    return this.client
  }

  getPublisher() {
    if (this.publisher === undefined) throw new RunnerError('no publisher: use publisher_open first')
    return this.publisher
  }

  consumer(alias) {
    const c = this.consumers.get(alias)
    if (c === undefined) throw new RunnerError(`no consumer with alias ${JSON.stringify(alias)}`)
    return c
  }

  stream(alias) {
    const s = this.streams.get(alias)
    if (s === undefined) throw new RunnerError(`no message stream with alias ${JSON.stringify(alias)}`)
    return s
  }

  coreSub(alias) {
    const s = this.coreSubs.get(alias)
    if (s === undefined) throw new RunnerError(`no core subscription with alias ${JSON.stringify(alias)}`)
    return s
  }

  listener(alias) {
    const l = this.listeners.get(alias)
    if (l === undefined) throw new RunnerError(`no event listener with alias ${JSON.stringify(alias)}`)
    return l
  }

  bucket(alias) {
    const b = this.buckets.get(alias)
    if (b === undefined) throw new RunnerError(`no bucket with alias ${JSON.stringify(alias)}`)
    return b
  }

  watch(alias) {
    const w = this.watches.get(alias)
    if (w === undefined) throw new RunnerError(`no watch with alias ${JSON.stringify(alias)}`)
    return w
  }

  objectStore(alias) {
    const o = this.objectStores.get(alias)
    if (o === undefined) throw new RunnerError(`no object store with alias ${JSON.stringify(alias)}`)
    return o
  }

  objectWatch(alias) {
    const w = this.objectWatches.get(alias)
    if (w === undefined) throw new RunnerError(`no object watch with alias ${JSON.stringify(alias)}`)
    return w
  }

  message(source, seq) {
    const m = this.messages.get(key(source, seq))
    if (m === undefined) throw new RunnerError(`no message with seq ${seq} received from ${JSON.stringify(source)}`)
    return m
  }

  remember(source, batch) {
    for (const m of batch) this.messages.set(key(source, m.streamSequence), m)
  }

  /** Stops the streams and closes the client at the end (best effort). */
  async shutdown() {
    for (const s of this.streams.values()) s.stop()
    this.streams.clear()
    for (const l of this.listeners.values()) l.stop()
    this.listeners.clear()
    for (const w of this.watches.values()) w.stop()
    this.watches.clear()
    for (const w of this.objectWatches.values()) w.stop()
    this.objectWatches.clear()
    for (const s of this.coreSubs.values()) await s.unsubscribe().catch(() => {})
    this.coreSubs.clear()
    const client = this.client
    this.client = undefined
    if (client !== undefined) {
      try {
        await client.close()
      } catch {
        // closing at the end is best effort
      }
    }
  }
}
