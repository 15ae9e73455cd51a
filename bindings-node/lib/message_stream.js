'use strict'
// A continuous stream of messages as an async iterator.
//
//   for await (const msg of consumer.messages()) { ...; msg.ack() }
//
// Messages are pulled from native code a batch at a time (one crossing per
// batch) and yielded from a buffer here. Leaving the loop (`break`, `return`,
// a throw) stops the native stream: no pull is left running, and acks already
// made are still sent. Messages pulled but never yielded are not acked; the
// server redelivers them after their ack wait. After `stop()`, as in every
// other language, what the stream already buffered stays readable (and
// ackable): `next()` yields it, then iteration ends; `nextBatch()` hands it
// out, then rejects with CLOSED. Once the client is closed, both hand out
// what is buffered, then reject with CLOSED; other errors are thrown too.
const { inspect } = require('node:util')
const check = require('./check.js')
const { Message } = require('./message.js')
const native = require('./native.js')
const { abortError, abortable, takeSignal, throwIfAborted } = require('./abort.js')

// How long one native wait lasts before it is re-issued (keeps nothing
// special alive: a pending wait ends at once on stop() or client close).
const WAIT_MS = 60_000
// Messages per native batch when the stream's options leave it out: the core's default.
const DEFAULT_BATCH = native.defaultBatch()

class MessageStream {
  #open
  #opening
  #native
  #batchSize
  #batch
  #next = 0
  #done = false
  #finished = false // return() ran: the iterator is over, buffered messages dropped
  #filling
  #signal // the stream's own AbortSignal (its options): aborting it stops the stream
  #aborted

  /** @internal Streams come from consumer.messages(), client.replay(), client.pushSubscribe(), client.subscribeDapr(). */
  constructor(open, batchSize = DEFAULT_BATCH, signal = undefined) {
    this.#open = open
    this.#batchSize = batchSize ?? DEFAULT_BATCH
    if (signal !== undefined) {
      this.#signal = signal
      const onAbort = () => {
        this.#aborted = abortError(signal)
        this.stop()
      }
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
    }
  }

  /** Rejects with the stream's AbortError once its own signal aborted. */
  #checkAborted() {
    if (this.#aborted !== undefined) throw this.#aborted
  }

  /** A wait bounded by the call's signal and the stream's own. */
  #wait(signal, promise) {
    return abortable(this.#signal, abortable(signal, promise))
  }

  /** Starts the stream now (it otherwise starts on the first `next()`); resolves with this stream. */
  async open() {
    await this.#ensureOpen()
    return this
  }

  async #ensureOpen() {
    if (this.#native) return this.#native
    if (this.#done) return undefined
    this.#opening ??= this.#open()
    const native = await this.#opening
    if (this.#done) {
      native.stop()
      return undefined
    }
    this.#native = native
    return native
  }

  /**
   * The next message, as an async-iterator result (`done` once stopped;
   * rejects with CLOSED once the client is closed). `options.signal` (an
   * AbortSignal) rejects this call with an AbortError; the pull it waited
   * for goes on and its messages stay buffered for the next call.
   */
  async next(options) {
    const [signal] = takeSignal('options', options)
    for (;;) {
      this.#checkAborted()
      throwIfAborted(signal)
      if (this.#buffered()) return { value: new Message(this.#batch, this.#next++), done: false }
      if (this.#done) {
        if (!(await this.#drain(this.#batchSize))) return { value: undefined, done: true }
        continue
      }
      await this.#wait(signal, this.#fill(this.#batchSize, WAIT_MS))
    }
  }

  /**
   * Up to `max` messages: waits up to `maxWaitMs` for the first, then takes
   * what is already there. Resolves with [] on timeout and once the stream
   * is stopped; rejects with CLOSED once the client is closed (after the
   * buffered messages were handed out) and with any other terminal error.
   * `options.signal`: as for next().
   */
  async nextBatch(max, maxWaitMs, options) {
    check.number('max', max)
    check.number('maxWaitMs', maxWaitMs)
    const [signal] = takeSignal('options', options)
    this.#checkAborted()
    throwIfAborted(signal)
    const out = []
    if (!this.#buffered()) {
      if (this.#done) {
        if (!(await this.#drain(max))) native.messageStreamClosed()
      } else {
        await this.#wait(signal, this.#fill(max, maxWaitMs))
      }
    }
    while (this.#buffered() && out.length < max) {
      out.push(new Message(this.#batch, this.#next++))
    }
    return out
  }

  /**
   * After stop(): moves what the native stream still buffers into the
   * buffer, without waiting. False when nothing is left (the stream never
   * started, or everything was handed out).
   */
  async #drain(max) {
    if (this.#native === undefined || this.#finished) return false
    try {
      this.#batch = await this.#native.nextBatch(max, 0)
      this.#next = 0
      return this.#buffered()
    } catch (e) {
      if (e && e.code === 'CLOSED') return false
      throw e
    }
  }

  #buffered() {
    return this.#batch !== undefined && this.#next < this.#batch.subjects.length
  }

  /**
   * Pulls one native batch into the buffer. Concurrent callers share one
   * pull, so no batch is ever overwritten before it was handed out.
   */
  async #fill(max, maxWaitMs) {
    if (this.#filling) return this.#filling
    this.#filling = (async () => {
      const native = await this.#ensureOpen()
      if (native === undefined) return
      let batch
      try {
        batch = await native.nextBatch(max, maxWaitMs)
      } catch (e) {
        // stop() while this pull waited: the stream just ends.
        if (this.#done && e && e.code === 'CLOSED') return
        throw e
      }
      if (batch.subjects.length > 0) {
        this.#batch = batch
        this.#next = 0
      }
    })()
    try {
      await this.#filling
    } finally {
      this.#filling = undefined
    }
  }

  /**
   * Stops the stream (idempotent): no more pulls, and a pending `next()`
   * resolves with what was buffered, else as done. Messages already pulled
   * stay readable and ackable (see the top of this file).
   */
  stop() {
    this.#done = true
    if (this.#native) this.#native.stop()
  }

  /**
   * Called by `for await` when the loop is left early: stops the stream and
   * drops what it buffered (unacked, so the server redelivers it after its
   * ack wait).
   */
  async return(value) {
    this.stop()
    this.#finished = true
    this.#batch = undefined
    return { value, done: true }
  }

  [Symbol.asyncIterator]() {
    return this
  }

  /** 'active' | 'reconnecting' | 'stalled' | 'recovering' | 'stopped' ('recovering' before the first pull). */
  get health() {
    if (this.#done) return 'stopped'
    return this.#native ? this.#native.health : 'recovering'
  }

  /** Resolves with the health once it differs from `current`, or after `maxWaitMs` (`options.signal`: an AbortSignal). */
  async waitHealthChange(current, maxWaitMs, options) {
    check.string('current', current)
    check.number('maxWaitMs', maxWaitMs)
    const [signal] = takeSignal('options', options)
    throwIfAborted(signal)
    const native = await this.#wait(signal, this.#ensureOpen())
    if (native === undefined) return 'stopped'
    return this.#wait(signal, native.waitHealthChange(current, maxWaitMs))
  }

  /** The health transitions since the last call: [{ health, reason, atNanos }]. */
  takeEvents() {
    return this.#native ? this.#native.takeEvents() : []
  }

  [inspect.custom]() {
    return `MessageStream { health: '${this.health}' }`
  }
}

if (Symbol.asyncDispose) {
  /** `await using stream = consumer.messages()`: stops the stream (as stop()) when the block ends. */
  MessageStream.prototype[Symbol.asyncDispose] = async function asyncDispose() {
    this.stop()
  }
}

module.exports = { MessageStream }
