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
const { pack, publishOptions } = require('./publish.js')

const noop = () => {}

class Publisher {
  #native
  #waiting = 0
  #tail = Promise.resolve()

  /** @internal Use client.publisher(). */
  constructor(native) {
    this.#native = native
  }

  /** Queues a message if the window has room; returns its ticket, or null when full. */
  tryPublish(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const opts = publishOptions(options)
    if (this.#waiting > 0) return null
    return this.#native.tryPublish(subject, data, opts) ?? null
  }

  /** Queues a message, waiting while the window is full; resolves with its ticket. */
  async publish(subject, data, options) {
    check.string('subject', subject)
    check.payload('data', data)
    const opts = publishOptions(options)
    if (this.#waiting === 0) {
      const ticket = this.#native.tryPublish(subject, data, opts)
      if (ticket !== null && ticket !== undefined) return ticket
    }
    this.#waiting++
    const queued = this.#tail.then(() => this.#native.publish(subject, data, opts))
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
    const queued = this.#tail.then(() => this.#native.publishMany(...packed))
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
    return this.#native.flush()
  }

  /** Flushes, then refuses further publishes with CLOSED. */
  async close() {
    await this.#tail
    return this.#native.close()
  }

  /** Messages and bytes awaiting their ack: { messages, bytes }. */
  inFlight() {
    return this.#native.inFlight()
  }

  /** The most messages that were ever in flight at once. */
  get peakInFlight() {
    return this.#native.peakInFlight()
  }

  /** The window sizes: { maxInFlight, maxInFlightBytes }. */
  get options() {
    return this.#native.options()
  }

  [inspect.custom]() {
    return `Publisher ${inspect(this.options)}`
  }
}

module.exports = { Publisher }
