'use strict'
// A delivered message. Messages arrive from native code one batch at a time
// (src/message.rs) with their common fields already converted for the whole
// batch; each Message is a light object pointing at its batch and index. The
// rarer fields and the acks call native code with the batch's handle.
const { inspect } = require('node:util')
const check = require('./check.js')
const native = require('./native.js')
const { MessageHeaders } = require('./headers.js')

// Layout of a native batch's `numbers`: four per message (src/message.rs).
const STREAM_SEQ = 0
const CONSUMER_SEQ = 1
const DELIVERED = 2
const PENDING = 3

class Message {
  #b
  #i
  #data

  /** @internal Messages come from fetch() and message streams. */
  constructor(batch, index) {
    this.#b = batch
    this.#i = index
  }

  /** The subject. */
  get subject() {
    return this.#b.subjects[this.#i]
  }

  /**
   * The payload. It is a view into one Buffer shared by the messages of
   * its batch (copy it with Buffer.from(msg.data) to keep it apart).
   */
  get data() {
    if (this.#data === undefined) {
      const b = this.#b
      const i = this.#i
      this.#data = b.data.subarray(i === 0 ? 0 : b.ends[i - 1], b.ends[i])
    }
    return this.#data
  }

  /** Headers as [name, value] pairs, in order. */
  get headers() {
    return native.batchHeaders(this.#b.handle, this.#i)
  }

  /** The first value of a header (case-insensitive name), or undefined. */
  header(name) {
    check.string('name', name)
    const lower = name.toLowerCase()
    const pair = this.headers.find(([k]) => k.toLowerCase() === lower)
    return pair === undefined ? undefined : pair[1]
  }

  /** The headers as a read-only MessageHeaders view: get (first), has, values (all), case-insensitive. */
  get headerMap() {
    return new MessageHeaders(this.headers)
  }

  /**
   * The W3C trace context this message carries (the core's TraceContext:
   * { traceId, spanId, sampled, traceparent, tracestate }), or undefined
   * when it carries none or an invalid one.
   */
  get traceContext() {
    return native.batchTraceContext(this.#b.handle, this.#i) ?? undefined
  }

  /**
   * How this message's process span is named and described, the same in
   * every language (the core's SpanSpec: { name, kind, attributes }).
   */
  processSpan() {
    return native.batchProcessSpan(this.#b.handle, this.#i)
  }

  /** The Nats-Msg-Id header, or null. */
  get msgId() {
    return native.batchMsgId(this.#b.handle, this.#i)
  }

  /** The stream it came from. */
  get stream() {
    return native.batchStream(this.#b.handle, this.#i)
  }

  /** The consumer that delivered it. */
  get consumer() {
    return native.batchConsumer(this.#b.handle, this.#i)
  }

  /** Its stream sequence. */
  get streamSequence() {
    return this.#b.numbers[this.#i * 4 + STREAM_SEQ]
  }

  /** Its consumer sequence. */
  get consumerSequence() {
    return this.#b.numbers[this.#i * 4 + CONSUMER_SEQ]
  }

  /** How many times it was delivered (1 on first delivery). */
  get delivered() {
    return this.#b.numbers[this.#i * 4 + DELIVERED]
  }

  /** Messages still pending for the consumer after this one. */
  get pending() {
    return this.#b.numbers[this.#i * 4 + PENDING]
  }

  /** When it was stored, Unix nanoseconds. */
  get timestampNanos() {
    return this.#b.timestamps[this.#i]
  }

  /** When it was stored (millisecond precision). */
  get time() {
    return new Date(Number(this.timestampNanos / 1_000_000n))
  }

  /** True once a terminal ack (ack, nak, term, ackSync) was made. */
  get isAcked() {
    return native.batchIsAcked(this.#b.handle, this.#i)
  }

  /** The payload decoded as UTF-8. */
  text() {
    return this.data.toString('utf8')
  }

  /** The payload parsed as JSON. */
  json() {
    return JSON.parse(this.text())
  }

  /**
   * Acknowledges (terminal). Queued and sent in a batch; never waits, so
   * `await msg.ack()` (the nats.js habit) works too and waits for nothing;
   * ackSync() waits for the server's confirmation.
   */
  ack() {
    native.batchAck(this.#b.handle, this.#i)
  }

  /** Asks for redelivery, after `delayMs` if given (terminal for this delivery). */
  nak(delayMs) {
    if (!check.absent(delayMs)) check.number('delayMs', delayMs)
    native.batchNak(this.#b.handle, this.#i, delayMs)
  }

  /** Stops redelivery for good (terminal); the reason must not contain CR/LF. */
  term(reason) {
    if (!check.absent(reason)) check.string('reason', reason)
    native.batchTerm(this.#b.handle, this.#i, reason)
  }

  /** Resets the ack timer ("still working on it"); may repeat until a terminal ack. */
  inProgress() {
    native.batchInProgress(this.#b.handle, this.#i)
  }

  /** Acknowledges and resolves once the server confirmed it. On failure the message stays un-acked. */
  async ackSync() {
    return native.batchAckSync(this.#b.handle, this.#i)
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
  const out = new Array(batch.subjects.length)
  for (let i = 0; i < out.length; i++) out[i] = new Message(batch, i)
  return out
}

module.exports = { Message, messagesOf }
