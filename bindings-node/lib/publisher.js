'use strict'
// The pipelined publisher. The fast path is synchronous:
//
//   for (const m of batch) {
//     if (pub.tryPublish(m.subject, m.data) === null) await pub.publish(m.subject, m.data)
//   }
//   const report = await pub.flush()
//
// `tryPublish` queues without creating a Promise and returns the ticket, or
// null when the window is full. `publish` waits for room. Messages are queued
// in call order: while a `publish` is waiting, `tryPublish` returns null.
const { inspect } = require('node:util')
const check = require('./check.js')
const native = require('./native.js')
const { pack, publishOptions } = require('./publish.js')

const noop = () => {}

class Publisher {
  #handle
  #waiting = 0
  #tail = Promise.resolve()

  /** @internal Use client.publisher(). */
  constructor(handle) {
    this.#handle = handle
  }

  /** Queues a message if the window has room; returns its ticket, or null when full. */
  tryPublish(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const opts = publishOptions(options)
    if (this.#waiting > 0) return null
    return native.publisherTryPublish(this.#handle, subject, data, opts) ?? null
  }

  /** Queues a message, waiting while the window is full; resolves with its ticket. */
  async publish(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const opts = publishOptions(options)
    if (this.#waiting === 0) {
      const ticket = native.publisherTryPublish(this.#handle, subject, data, opts)
      if (ticket !== null && ticket !== undefined) return ticket
    }
    this.#waiting++
    const queued = this.#tail.then(() => native.publisherPublish(this.#handle, subject, data, opts))
    this.#tail = queued.then(noop, noop)
    try {
      return await queued
    } finally {
      this.#waiting--
    }
  }

  /**
   * Queues many messages ({ subject, data, msgId?, headers?, expect? }) in
   * order through one native call, waiting for room as needed; resolves with
   * their tickets. If one is invalid nothing is queued.
   */
  async publishMany(messages) {
    const packed = pack(messages)
    this.#waiting++
    const queued = this.#tail.then(() => native.publisherPublishMany(this.#handle, ...packed))
    this.#tail = queued.then(noop, noop)
    try {
      return await queued
    } finally {
      this.#waiting--
    }
  }

  /** Waits until every queued message is settled: { acked, duplicates, failures }. */
  async flush() {
    await this.#tail
    return native.publisherFlush(this.#handle)
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
    return native.publisherOptions(this.#handle)
  }

  [inspect.custom]() {
    return `Publisher ${inspect(this.options)}`
  }
}

module.exports = { Publisher }
