'use strict'
// The pipelined publisher. The fast path is synchronous:
//
//   for (const m of batch) {
//     if (pub.tryPublish(m.subject, m.data) === null) await pub.publish(m.subject, m.data)
//   }
//   const report = await pub.flush()
//
// `tryPublish` queues without creating a Promise and returns the ticket, or
// null when the window is full. `publish` waits for room — for a quarter of
// the window at once, so that the loop above creates one Promise per many
// messages, not one per message. Messages are queued in call order: while a
// `publish` is waiting, `tryPublish` returns null.
//
// Cancellation: `{ signal }` (an AbortSignal) in the options of publish,
// publishTracked, publishMany and flush rejects the call with an AbortError
// at once. A message whose publish was aborted while it waited for room is
// not queued (it is never sent); one already queued is published as usual.
const { inspect } = require('node:util')
const check = require('./check.js')
const native = require('./native.js')
const schemas = require('./schemas.js')
const { pack, publishOptions } = require('./publish.js')
const { abortable, takeSignal, throwIfAborted } = require('./abort.js')

const noop = () => {}

class Publisher {
  #handle
  #waiting = 0
  #tail = Promise.resolve()
  #lowWater

  /** @internal Use client.publisher(). */
  constructor(handle) {
    this.#handle = handle
    this.#lowWater = Math.max(1, Math.floor(native.publisherOptions(handle).maxInFlight / 4))
  }

  /** Queues a message if the window has room; returns its ticket, or null when full. */
  tryPublish(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const [, rest] = takeSignal('options', options)
    const opts = publishOptions(rest)
    if (this.#waiting > 0) return null
    return native.publisherTryPublish(this.#handle, subject, data, opts) ?? null
  }

  /** Queues a message, waiting while the window is full; resolves with its ticket. */
  async publish(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const [signal, rest] = takeSignal('options', options)
    const opts = publishOptions(rest)
    throwIfAborted(signal)
    if (this.#waiting === 0) {
      const ticket = native.publisherTryPublish(this.#handle, subject, data, opts)
      if (ticket !== null && ticket !== undefined) return ticket
    }
    this.#waiting++
    const queued = this.#tail.then(() => this.#publishInTurn(subject, data, opts, signal))
    this.#tail = queued.then(noop, noop)
    try {
      return await abortable(signal, queued)
    } finally {
      this.#waiting--
    }
  }

  /**
   * Queues one message once every earlier waiting publish was queued;
   * nothing is queued once `signal` aborted.
   */
  async #publishInTurn(subject, data, opts, signal) {
    const h = this.#handle
    throwIfAborted(signal)
    const ticket = native.publisherTryPublish(h, subject, data, opts)
    if (ticket !== null && ticket !== undefined) return ticket
    await abortable(signal, native.publisherWaitForRoom(h, this.#lowWater))
    throwIfAborted(signal)
    const next = native.publisherTryPublish(h, subject, data, opts)
    if (next !== null && next !== undefined) return next
    // Room in messages but not in bytes: wait for this message's room.
    return native.publisherPublish(h, subject, data, opts)
  }

  /**
   * Queues many messages ({ subject, data, msgId?, headers?, expect?, ttlMs? }) in
   * order through one native call, waiting for room as needed; resolves with
   * their tickets. If one is invalid nothing is queued.
   */
  async publishMany(messages, options) {
    const [signal] = takeSignal('options', options)
    const packed = pack(messages)
    throwIfAborted(signal)
    this.#waiting++
    const queued = this.#tail.then(() => {
      throwIfAborted(signal)
      return native.publisherPublishMany(this.#handle, ...packed)
    })
    this.#tail = queued.then(noop, noop)
    try {
      return await abortable(signal, queued)
    } finally {
      this.#waiting--
    }
  }

  /**
   * Queues a message like publish() (waiting while the window is full) and
   * resolves with { ticket, ack }: `ack` is a Promise of this message's own
   * ack { stream, sequence, duplicate, msgId, domain }, or rejects with its
   * typed error. Never awaiting `ack` is fine (no unhandled rejection; the
   * publish goes on), and the message counts in the next flush() like any other.
   */
  async publishTracked(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const [signal, rest] = takeSignal('options', options)
    const opts = publishOptions(rest)
    throwIfAborted(signal)
    this.#waiting++
    const queued = this.#tail.then(() => {
      throwIfAborted(signal)
      return native.publisherPublishTracked(this.#handle, subject, data, opts)
    })
    this.#tail = queued.then(noop, noop)
    let tracked
    try {
      tracked = await abortable(signal, queued)
    } finally {
      this.#waiting--
    }
    const ack = tracked.pending.wait()
    // Marks the Promise as handled; the caller who awaits it still sees the error.
    ack.catch(noop)
    return { ticket: tracked.ticket, ack }
  }

  /**
   * Waits until every queued message is settled: { acked, duplicates, failures }.
   * `options.signal` rejects the wait with an AbortError (the messages go on).
   */
  async flush(options) {
    const [signal] = takeSignal('options', options)
    throwIfAborted(signal)
    await abortable(signal, this.#tail)
    return abortable(signal, native.publisherFlush(this.#handle))
  }

  /** Flushes, then refuses further publishes with CLOSED. */
  async close() {
    await this.#tail
    return native.publisherClose(this.#handle)
  }

  /** Messages and bytes awaiting their ack: { messages, bytes }. */
  inFlight() {
    return native.publisherInFlight(this.#handle)
  }

  /** The most messages that were ever in flight at once. */
  get peakInFlight() {
    return native.publisherPeakInFlight(this.#handle)
  }

  /** The window sizes: { maxInFlight, maxInFlightBytes }. */
  get options() {
    return check.fromNative(schemas.publisherOptions, native.publisherOptions(this.#handle))
  }

  [inspect.custom]() {
    return `Publisher ${inspect(this.options)}`
  }
}

if (Symbol.asyncDispose) {
  /** `await using pub = client.publisher()`: close() (flush, then refuse more) when the block ends. */
  Publisher.prototype[Symbol.asyncDispose] = async function asyncDispose() {
    await this.close()
  }
}

module.exports = { Publisher }
