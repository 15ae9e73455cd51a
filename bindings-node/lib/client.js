'use strict'
// connect() and the Client: publishing, stream and consumer administration,
// replay, push subscriptions, key-value and object stores, core NATS, connection events, counters, close,
// drain.
const { inspect } = require('node:util')
const native = require('./native.js')
const check = require('./check.js')
const schemas = require('./schemas.js')
const { Consumer, infoFromNative } = require('./consumer.js')
const { messageOf, subscriptionOf } = require('./core_nats.js')
const { eventsOf } = require('./events.js')
const { keyValueOf, kvStatusOf } = require('./kv.js')
const { objectStoreOf, objectStoreStatusOf } = require('./object_store.js')
const { DaprConfig } = require('./dapr.js')
const { DaprStateConfig } = require('./dapr_state.js')
const { MessageStream } = require('./message_stream.js')
const { Publisher } = require('./publisher.js')
const { pack, publishOptions } = require('./publish.js')
const { withTrace } = require('./trace_hook.js')
const { abortable, takeSignal, throwIfAborted } = require('./abort.js')
const { deprecate } = require('node:util')

const token = Symbol('Client')

/**
 * Connects. `options` is a server URL, an options object
 * ({ servers, name, auth, tls, ...Ms timeouts, domain, apiPrefix, inboxPrefix })
 * or a DaprConfig or DaprStateConfig (its connection options). Rejects with AUTH,
 * TLS, CONNECTION, TIMEOUT or INVALID_ARGUMENT.
 */
async function connect(options) {
  const dapr = DaprConfig.nativeOf(options)
  if (dapr !== undefined) return new Client(token, await native.connectDapr(dapr))
  const daprState = DaprStateConfig.nativeOf(options)
  if (daprState !== undefined) return new Client(token, await native.connectDaprState(daprState))
  const o = typeof options === 'string' ? { servers: [options] } : check.options('options', options, schemas.connect)
  if (o.servers === undefined) throw new TypeError('options.servers must be a string or an array of strings, got undefined')
  return new Client(token, await native.connect(o))
}

const consumerConfig = (config) => check.options('config', config, schemas.consumerConfig)
const streamConfig = (config) => check.options('config', config, schemas.streamConfig)

/** The public form of a native stream info (its config's times as Dates). */
const streamInfoFromNative = (i) => ({ ...i, config: check.fromNative(schemas.streamConfig, i.config) })

/** The public form of a native ConsumerPauseState (`pauseUntil` as a Date). */
const pauseStateFromNative = (s) => check.fromNative(schemas.consumerPauseState, s)

class Client {
  #native

  /** @internal Use connect(). */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use connect() to create a Client')
    this.#native = n
  }

  // ---- publishing ----

  /**
   * Publishes and resolves with the ack { stream, sequence, duplicate, msgId, domain }.
   * `options`: { msgId, headers, expect: { stream, lastSequence, lastMsgId, lastSubjectSequence }, ttlMs }
   * (ttlMs: the message's own time to live, whole seconds of at least 1 s, on a stream with allowMsgTtl).
   * Rejects with a typed error, or PUBLISH_OUTCOME_UNKNOWN once the retry budget is spent.
   * `options.signal` (an AbortSignal) rejects it with an AbortError at once;
   * the message may still be stored (give your own msgId to resend safely).
   */
  async publish(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const [signal, rest] = takeSignal('options', options)
    const o = publishOptions(rest)
    throwIfAborted(signal)
    return abortable(signal, this.#native.publish(subject, data, o))
  }

  /**
   * Publishes many messages ({ subject, data, msgId?, headers?, expect?, ttlMs? })
   * pipelined through one call; resolves with one entry per message, in
   * order: its ack or its JetBridgeError. `options`: { signal } (as publish).
   */
  async publishMany(messages, options) {
    const signal = waitOnly(options)
    const packed = pack(messages)
    throwIfAborted(signal)
    return abortable(signal, this.#native.publishMany(...packed))
  }

  /**
   * Publishes messages (as publishMany takes them) as one atomic batch through
   * one call: the stream stores all of them, in order, or none. Resolves with
   * the batch's ack { stream, sequence (of the last message), count, batchId }.
   * Server 2.12+ (SERVER_TOO_OLD) and a stream with allowAtomic (otherwise
   * INVALID_ARGUMENT, apiCode 10174); no msgId is generated (one is sent only
   * when given). The core refuses a bad batch with INVALID_ARGUMENT before
   * sending; a lost answer to the commit is PUBLISH_OUTCOME_UNKNOWN.
   * `options`: { signal } (as publish: the batch may still be stored).
   */
  async publishBatch(messages, options) {
    const signal = waitOnly(options)
    const packed = pack(messages)
    throwIfAborted(signal)
    return abortable(signal, this.#native.publishBatch(...packed))
  }

  /** A pipelined publisher with its own window ({ maxInFlight, maxInFlightBytes }). */
  publisher(options) {
    const o = check.optionalOptions('options', options, schemas.publisherOptions)
    return new Publisher(this.#native.publisher(o))
  }

  // ---- streams ----

  /** Creates a stream; the same config again returns its info, a different one is ALREADY_EXISTS. */
  async createStream(config) {
    return streamInfoFromNative(await this.#native.createStream(streamConfig(config)))
  }

  /** Replaces a stream's configuration (NOT_FOUND if missing). */
  async updateStream(config) {
    return streamInfoFromNative(await this.#native.updateStream(streamConfig(config)))
  }

  /** A stream's { config, state, createdNanos, cluster }. */
  async streamInfo(name) {
    return streamInfoFromNative(await this.#native.streamInfo(check.string('name', name)))
  }

  /**
   * Every stream of the account, each a StreamInfo as streamInfo gives it, in
   * the server's order (by name); `options`: { subject }, only the streams whose
   * subjects overlap it (wildcards allowed; a bad subject is INVALID_ARGUMENT).
   */
  async listStreams(options) {
    const o = check.optionalOptions('options', options, schemas.listStreams)
    return (await this.#native.listStreams(o?.subject)).map(streamInfoFromNative)
  }

  /** Deletes a stream with its messages and consumers. */
  async deleteStream(name) {
    return this.#native.deleteStream(check.string('name', name))
  }

  /** Removes messages ({ subject, upToSequence, keep }; none = all); resolves with the count. */
  async purgeStream(name, options) {
    check.string('name', name)
    return this.#native.purgeStream(name, check.optionalOptions('options', options, schemas.purgeOptions))
  }

  /** One stored message by sequence (NOT_FOUND if absent). */
  async getMessage(stream, sequence) {
    return this.#native.getMessage(check.string('stream', stream), check.number('sequence', sequence))
  }

  /**
   * Deletes the message at `sequence` ({ erase }: its bytes are overwritten on
   * disk too, slower). Sequence 0 is INVALID_ARGUMENT; a sequence that holds
   * no message NOT_FOUND.
   */
  async deleteMessage(stream, sequence, options) {
    check.string('stream', stream)
    check.number('sequence', sequence)
    const o = check.optionalOptions('options', options, schemas.deleteMessage)
    return this.#native.deleteMessage(stream, sequence, o?.erase)
  }

  /** The newest stored message on a subject (NOT_FOUND if none). */
  async getLastMessage(stream, subject) {
    return this.#native.getLastMessage(check.string('stream', stream), check.string('subject', subject))
  }

  /**
   * The first stored message at or after stream sequence `fromSequence` whose
   * subject matches `subject` (wildcards allowed; NOT_FOUND if none; sequence 0
   * is INVALID_ARGUMENT).
   */
  async getNextMessage(stream, subject, fromSequence) {
    check.string('stream', stream)
    check.string('subject', subject)
    return this.#native.getNextMessage(stream, subject, check.number('fromSequence', fromSequence))
  }

  /**
   * Up to `maxMessages` stored messages in stream order with one request;
   * `options`: a GetMessagesOptions { maxMessages, subject, startSequence,
   * startTime (a Date), maxBytes } (absent: the core's defaults). Server 2.11+
   * and a stream with allowDirect (else INVALID_ARGUMENT); nothing at or after
   * the start resolves with [].
   */
  async getMessages(stream, options) {
    check.string('stream', stream)
    return this.#native.getMessages(stream, check.optionalOptions('options', options, schemas.getMessagesOptions))
  }

  /** The name of the stream that captures `subject` (NOT_FOUND if none). */
  async streamBySubject(subject) {
    return this.#native.streamBySubject(check.string('subject', subject))
  }

  /**
   * The account's JetStream usage and limits: an AccountInfo { memory, storage,
   * streams, consumers, maxMemory, maxStorage, maxStreams, maxConsumers (-1:
   * unlimited), apiTotal, apiErrors }.
   */
  async accountInfo() {
    return check.fromNative(schemas.accountInfo, await this.#native.accountInfo())
  }

  // ---- consumers ----

  /** Creates a consumer; the same config again returns it, a different one is ALREADY_EXISTS. */
  async createConsumer(stream, config) {
    check.string('stream', stream)
    return new Consumer(await this.#native.createConsumer(stream, consumerConfig(config)))
  }

  /** Changes an existing durable consumer (NOT_FOUND if missing). */
  async updateConsumer(stream, config) {
    check.string('stream', stream)
    return new Consumer(await this.#native.updateConsumer(stream, consumerConfig(config)))
  }

  /** Creates the consumer, or binds to it when it exists with the same config (else CONFIG_MISMATCH). */
  async getOrCreateConsumer(stream, config) {
    check.string('stream', stream)
    return new Consumer(await this.#native.getOrCreateConsumer(stream, consumerConfig(config)))
  }

  /** Binds to an existing consumer; with `expected`, a differing field is CONFIG_MISMATCH. */
  async bindConsumer(stream, name, expected) {
    check.string('stream', stream)
    check.string('name', name)
    const e = check.absent(expected) ? undefined : consumerConfig(expected)
    return new Consumer(await this.#native.bindConsumer(stream, name, e))
  }

  /** A consumer's configuration and progress (lag: numPending, numAckPending). */
  async consumerInfo(stream, name) {
    check.string('stream', stream)
    check.string('name', name)
    return infoFromNative(await this.#native.consumerInfo(stream, name))
  }

  /** Every consumer of a stream, each as consumerInfo gives it (NOT_FOUND if the stream does not exist). */
  async listConsumers(stream) {
    check.string('stream', stream)
    return (await this.#native.listConsumers(stream)).map(infoFromNative)
  }

  /** Deletes a consumer. */
  async deleteConsumer(stream, name) {
    check.string('stream', stream)
    check.string('name', name)
    return this.#native.deleteConsumer(stream, name)
  }

  /**
   * Pauses a consumer until `until` (a Date): it delivers nothing before
   * then and resumes by itself afterwards (or on resumeConsumer). Resolves
   * with its ConsumerPauseState { paused, pauseUntil, pauseRemainingMs }.
   * A time in the past is INVALID_ARGUMENT, a missing consumer NOT_FOUND,
   * a server older than 2.11 SERVER_TOO_OLD.
   */
  async pauseConsumer(stream, name, until) {
    check.string('stream', stream)
    check.string('name', name)
    const t = check.time('until', until)
    return pauseStateFromNative(await this.#native.pauseConsumer(stream, name, t))
  }

  /** Resumes a paused consumer at once; resolves with its ConsumerPauseState (errors as pauseConsumer). */
  async resumeConsumer(stream, name) {
    check.string('stream', stream)
    check.string('name', name)
    return pauseStateFromNative(await this.#native.resumeConsumer(stream, name))
  }

  /**
   * Unpins the client pinned in `group` of a consumer with the
   * 'pinned_client' priority policy; the server pins the next client that
   * pulls. A group the consumer does not have is INVALID_ARGUMENT, a
   * missing consumer NOT_FOUND, a server older than 2.11 SERVER_TOO_OLD.
   */
  async unpinConsumer(stream, name, group) {
    check.string('stream', stream)
    check.string('name', name)
    check.string('group', group)
    return this.#native.unpinConsumer(stream, name, group)
  }

  // ---- continuous streams ----

  /**
   * An ordered replay of a stream ({ start, filterSubjects, speed, messages }):
   * every stored message from `start`, once and in order; no acks.
   */
  replay(stream, options) {
    check.string('stream', stream)
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.replay)
    return new MessageStream(() => this.#native.replay(stream, o, o?.messages), o?.messages?.batch ?? undefined, signal)
  }

  /**
   * Creates (or joins, with a durable name) a push consumer and receives its
   * messages. `options`: { signal } (aborting it stops the stream).
   */
  pushSubscribe(stream, config, options) {
    check.string('stream', stream)
    const c = consumerConfig(config)
    const signal = waitOnly(options)
    return new MessageStream(() => this.#native.pushSubscribe(stream, c), undefined, signal)
  }

  /**
   * Subscribes to a Dapr pub/sub topic the way the Dapr component does, with
   * a DaprConfig's subscription options. `options`: { signal } (aborting it
   * stops the stream).
   */
  subscribeDapr(topic, config, options) {
    check.string('topic', topic)
    const dapr = DaprConfig.nativeOf(config)
    if (dapr === undefined) throw new TypeError(`config must be a DaprConfig, got ${check.describe(config)}`)
    const signal = waitOnly(options)
    return new MessageStream(() => this.#native.subscribe(topic, dapr), undefined, signal)
  }

  // ---- key-value and object stores ----

  /**
   * Creates a key-value bucket (a KvConfig) and resolves with its KeyValue;
   * the same config again resolves with the existing bucket.
   */
  async createKeyValue(config) {
    return keyValueOf(await this.#native.createKeyValue(check.options('config', config, schemas.kvConfig)))
  }

  /**
   * Creates a key-value bucket, or updates the existing one to `config` (a
   * KvConfig; what the server cannot change, such as the storage, is its
   * error). Resolves with its KeyValue.
   */
  async createOrUpdateKeyValue(config) {
    return keyValueOf(await this.#native.createOrUpdateKeyValue(check.options('config', config, schemas.kvConfig)))
  }

  /** A bucket's KvStatus: its configuration as the server holds it, values and bytes stored (NOT_FOUND if there is none). */
  async keyValueStatus(bucket) {
    return kvStatusOf(await this.#native.keyValueStatus(check.string('bucket', bucket)))
  }

  /** The names of the account's key-value buckets, sorted. */
  async keyValueNames() {
    return this.#native.keyValueNames()
  }

  /** An existing key-value bucket (NOT_FOUND if there is none). */
  async keyValue(bucket) {
    return keyValueOf(await this.#native.keyValue(check.string('bucket', bucket)))
  }

  /** Deletes a key-value bucket with every key and its history. */
  async deleteKeyValue(bucket) {
    return this.#native.deleteKeyValue(check.string('bucket', bucket))
  }

  /**
   * Creates an object store (an ObjectStoreConfig) and resolves with its
   * ObjectStore; the same config again resolves with the existing store.
   */
  async createObjectStore(config) {
    return objectStoreOf(await this.#native.createObjectStore(check.options('config', config, schemas.objectStoreConfig)))
  }

  /** A store's ObjectStoreStatus: its configuration as the server holds it, sealed, bytes stored (NOT_FOUND if there is none). */
  async objectStoreStatus(bucket) {
    return objectStoreStatusOf(await this.#native.objectStoreStatus(check.string('bucket', bucket)))
  }

  /** The names of the account's object stores, sorted. */
  async objectStoreNames() {
    return this.#native.objectStoreNames()
  }

  /** An existing object store (NOT_FOUND if there is none). */
  async objectStore(bucket) {
    return objectStoreOf(await this.#native.objectStore(check.string('bucket', bucket)))
  }

  /** Deletes an object store with every object. */
  async deleteObjectStore(bucket) {
    return this.#native.deleteObjectStore(check.string('bucket', bucket))
  }

  // ---- core NATS ----

  /**
   * Publishes a core NATS message (no JetStream ack; fire-and-forget).
   * `options`: { headers, reply } (reply: where answers go). Rejects with
   * INVALID_ARGUMENT for a bad subject, reply, header or an oversized payload,
   * CLOSED once the client is closed.
   */
  async corePublish(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const o = check.optionalOptions('options', options, schemas.corePublish)
    return this.#native.corePublish(subject, data, withTrace(o?.headers), o?.reply)
  }

  /**
   * Subscribes to `subject` (wildcards allowed); `options`: { queue } (the
   * members of a queue group share the messages, each to one). Resolves with
   * a CoreSubscription once the server has the subscription.
   */
  async coreSubscribe(subject, options) {
    check.string('subject', subject)
    const o = check.optionalOptions('options', options, schemas.coreSubscribe)
    return subscriptionOf(this.#native, await this.#native.coreSubscribe(subject, o?.queue))
  }

  /**
   * Sends a request and resolves with the first reply, a CoreMessage.
   * `options`: { headers, timeoutMs } (absent timeoutMs: the client's request
   * timeout). Rejects with NO_RESPONDERS when nobody listens on `subject`,
   * TIMEOUT when nobody answered in time. `options.signal` (an AbortSignal)
   * rejects it with an AbortError at once (a late reply is dropped).
   */
  async coreRequest(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.coreRequest)
    throwIfAborted(signal)
    return messageOf(this.#native, await abortable(signal, this.#native.coreRequest(subject, data, o?.headers, o?.timeoutMs)))
  }

  // ---- connection events ----

  /**
   * A new listener of this client's connection events from now on: an async
   * iterable of { kind, detail } (kind: one of EVENT_KINDS) that ends after
   * 'closed'; at once, empty, on a closed client. Each call is its own listener.
   */
  events() {
    return eventsOf(this.#native.events())
  }

  // ---- state ----

  /** Counters since connect (published, acked, duplicates, retries, delivered, acksSent, reconnects, ...). */
  counters() {
    return this.#native.counters()
  }

  /** { connected, generation, closed }. */
  connectionState() {
    return this.#native.connectionState()
  }

  /** The connection name given to connect(), or null. */
  get name() {
    return this.#native.name ?? null
  }

  /**
   * The counters under the core's own names (`unknown_outcomes`), as
   * [name, value] pairs in the core's order (counters() has them camelCase).
   */
  counterPairs() {
    return this.#native.counterPairs()
  }

  /** The server's maximum payload in bytes. */
  get maxPayload() {
    return this.#native.maxPayload
  }

  /** True once the client is closed: by close(), or when drain() ends. */
  get isClosed() {
    return this.#native.isClosed
  }

  /** Flushes and closes; later calls fail with CLOSED. Closing twice is fine. */
  async close() {
    return this.#native.close()
  }

  /**
   * Graceful shutdown ({ timeoutMs }; absent = the core's drain timeout):
   * new publishes, fetches and streams are CLOSED at once, message streams
   * stop pulling, then it waits until every publish already accepted is
   * settled and every message handed out is acked, nak'd or termed, flushes
   * the acks and closes. Rejects with TIMEOUT when time ran out (the client
   * is closed all the same). Draining a closed client is fine.
   */
  async drain(options) {
    const o = check.optionalOptions('options', options, schemas.drain)
    return this.#native.drain(o?.timeoutMs)
  }

  /**
   * Resolves once every ack queued so far (ack, nak, inProgress, term: they
   * are sent in the background) was written to the connection and, with
   * { confirm: true }, once the server answered a round trip sent after them,
   * so it has processed them. Bounded by the client's request timeout:
   * TIMEOUT, or CONNECTION while disconnected; CLOSED on a closed client.
   * { signal } rejects with an AbortError at once (the acks still go).
   */
  async flushAcks(options) {
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.flushAcks)
    throwIfAborted(signal)
    return abortable(signal, this.#native.flushAcks(o?.confirm === true))
  }

  /** A description without secrets: servers (credentials redacted), name, connection state. */
  toString() {
    const n = this.#native
    const { connected, closed } = n.connectionState()
    return `Client ${inspect({ servers: n.servers, name: n.name, connected, closed }, { breakLength: Infinity })}`
  }

  [inspect.custom]() {
    return this.toString()
  }
}

/**
 * @deprecated The Dapr-only subscribe(topic, daprConfig) is subscribeDapr();
 * this alias keeps working.
 */
Client.prototype.subscribe = deprecate(
  function subscribe(topic, config, options) {
    return this.subscribeDapr(topic, config, options)
  },
  'client.subscribe(topic, daprConfig) is deprecated: use client.subscribeDapr(topic, daprConfig)',
  'JETBRIDGE_SUBSCRIBE_DAPR',
)

/** `options` that may only hold { signal }: the signal. */
function waitOnly(options) {
  const [signal, rest] = takeSignal('options', options)
  check.optionalOptions('options', rest, {})
  return signal
}

if (Symbol.asyncDispose) {
  Client.prototype[Symbol.asyncDispose] = function asyncDispose() {
    return this.close()
  }
}

module.exports = { Client, connect }
