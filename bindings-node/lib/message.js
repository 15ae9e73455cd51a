'use strict'
// A delivered message. Messages arrive from native code one batch at a time
// (src/message.rs); each Message is a light JavaScript object pointing at its
// batch and index, and reads a field from native code only when asked.
const { inspect } = require('node:util')
const check = require('./check.js')

class Message {
  #batch
  #i
  #data

  /** @internal Messages come from fetch() and message streams. */
  constructor(batch, index) {
    this.#batch = batch
    this.#i = index
  }

  /** The subject. */
  get subject() {
    return this.#batch.subject(this.#i)
  }

  /** The payload (the same Buffer on every read). */
  get data() {
    if (this.#data === undefined) this.#data = this.#batch.data(this.#i)
    return this.#data
  }

  /** Headers as [name, value] pairs, in order. */
  get headers() {
    return this.#batch.headers(this.#i)
  }

  /** The first value of a header (case-insensitive name), or undefined. */
  header(name) {
    check.string('name', name)
    const lower = name.toLowerCase()
    const pair = this.headers.find(([k]) => k.toLowerCase() === lower)
    return pair === undefined ? undefined : pair[1]
  }

  /** The Nats-Msg-Id header, or null. */
  get msgId() {
    return this.#batch.msgId(this.#i)
  }

  /** The stream it came from. */
  get stream() {
    return this.#batch.stream(this.#i)
  }

  /** The consumer that delivered it. */
  get consumer() {
    return this.#batch.consumer(this.#i)
  }

  /** Its stream sequence. */
  get streamSequence() {
    return this.#batch.streamSequence(this.#i)
  }

  /** Its consumer sequence. */
  get consumerSequence() {
    return this.#batch.consumerSequence(this.#i)
  }

  /** How many times it was delivered (1 on first delivery). */
  get delivered() {
    return this.#batch.delivered(this.#i)
  }

  /** Messages still pending for the consumer after this one. */
  get pending() {
    return this.#batch.pending(this.#i)
  }

  /** When it was stored, Unix nanoseconds. */
  get timestampNanos() {
    return this.#batch.timestampNanos(this.#i)
  }

  /** When it was stored (millisecond precision). */
  get time() {
    return new Date(Number(this.timestampNanos / 1_000_000n))
  }

  /** True once a terminal ack (ack, nak, term, ackSync) was made. */
  get isAcked() {
    return this.#batch.isAcked(this.#i)
  }

  /** The payload decoded as UTF-8. */
  text() {
    return this.data.toString('utf8')
  }

  /** The payload parsed as JSON. */
  json() {
    return JSON.parse(this.text())
  }

  /** Acknowledges (terminal). Queued and sent in a batch; never waits. */
  ack() {
    this.#batch.ack(this.#i)
  }

  /** Asks for redelivery, after `delayMs` if given (terminal for this delivery). */
  nak(delayMs) {
    if (!check.absent(delayMs)) check.number('delayMs', delayMs)
    this.#batch.nak(this.#i, delayMs)
  }

  /** Stops redelivery for good (terminal); the reason must not contain CR/LF. */
  term(reason) {
    if (!check.absent(reason)) check.string('reason', reason)
    this.#batch.term(this.#i, reason)
  }

  /** Resets the ack timer ("still working on it"); may repeat until a terminal ack. */
  inProgress() {
    this.#batch.inProgress(this.#i)
  }

  /** Acknowledges and resolves once the server confirmed it. On failure the message stays un-acked. */
  async ackSync() {
    return this.#batch.ackSync(this.#i)
  }

  [inspect.custom](depth, opts) {
    const summary = {
      subject: this.subject,
      stream: this.stream,
      streamSequence: this.streamSequence,
      delivered: this.delivered,
      bytes: this.data.length,
    }
    return `Message ${inspect(summary, opts)}`
  }
}

/** Wraps every message of a native batch. */
function messagesOf(batch) {
  const out = new Array(batch.length)
  for (let i = 0; i < out.length; i++) out[i] = new Message(batch, i)
  return out
}

module.exports = { Message, messagesOf }
