'use strict'
// A durable consumer: fetch, continuous messages(), info, delete.
const { inspect } = require('node:util')
const check = require('./check.js')
const schemas = require('./schemas.js')
const { messagesOf } = require('./message.js')
const native = require('./native.js')
const { MessageStream } = require('./message_stream.js')
const { abortable, takeSignal, throwIfAborted } = require('./abort.js')

/** The public form of a native consumer config (start position as given, times as Dates). */
function configFromNative(c) {
  const out = check.fromNative(schemas.consumerConfig, c)
  return { ...out, start: out.start === undefined || out.start === null ? out.start : check.startFromNative(out.start) }
}

/** The public form of a native consumer info. */
function infoFromNative(i) {
  return { ...i, config: configFromNative(i.config) }
}

class Consumer {
  #native

  /** @internal Use client.createConsumer() and friends. */
  constructor(native) {
    this.#native = native
  }

  /** The stream this consumer reads. */
  get stream() {
    return this.#native.stream
  }

  /** The consumer's name. */
  get name() {
    return this.#native.name
  }

  /** The configuration the server reported when this handle was made. */
  get config() {
    return configFromNative(this.#native.config)
  }

  /** Current configuration and progress; the lag is `numPending` / `numAckPending`. */
  async info() {
    return infoFromNative(await this.#native.info())
  }

  /**
   * One pull: up to `maxMessages`, waiting up to `maxWaitMs` (absent: the
   * core's defaults). Resolves with 0..n messages; zero is not an error.
   * `options.signal` (an AbortSignal) rejects it with an AbortError at once;
   * messages the pull had already taken are dropped unacked, so the server
   * redelivers them after the consumer's ack wait.
   */
  async fetch(options) {
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.fetchOptions)
    throwIfAborted(signal)
    if (signal === undefined) return messagesOf(await this.#native.fetch(o))
    // Aborting drops the native pull (it stops taking messages).
    const cancel = new native.NativeCancel()
    const onAbort = () => cancel.cancel()
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      return messagesOf(await abortable(signal, this.#native.fetch(o, cancel)))
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  /**
   * A continuous stream of this consumer's messages, with heartbeats and
   * automatic recovery; iterate it with `for await`. `options.signal` (an
   * AbortSignal) stops the stream when aborted: a waiting `next()` rejects
   * with an AbortError, as does every later one.
   */
  messages(options) {
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.messagesOptions)
    return new MessageStream(() => this.#native.messages(o), o?.batch ?? undefined, signal)
  }

  /** Deletes this consumer on the server. */
  async delete() {
    return this.#native.delete()
  }

  [inspect.custom]() {
    return `Consumer { stream: '${this.stream}', name: '${this.name}' }`
  }
}

module.exports = { Consumer, configFromNative, infoFromNative }
