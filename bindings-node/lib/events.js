'use strict'
// Connection events (src/events.rs): client.events() is a listener of what
// happens to the connection from now on, as an async iterable that ends
// after the 'closed' event:
//
//   for await (const { kind, detail } of client.events()) console.log(kind, detail)
//
// Kinds are the core's names (EVENT_KINDS): connected, disconnected,
// reconnected, lame_duck, slow_consumer, server_error (detail: the server's
// text), closed, missed (detail: how many this listener missed by falling
// behind). While a wait is pending it keeps the process alive, like a socket
// read; closing the client ends it, and so does stop() or leaving the loop.
const { inspect } = require('node:util')
const { Carry, takeSignal } = require('./abort.js')
const check = require('./check.js')
const native = require('./native.js')
const schemas = require('./schemas.js')

/** Every event kind, in the core's order (its ConnectionEvent::NAMES). */
const EVENT_KINDS = Object.freeze(native.eventKinds())

const token = Symbol('ConnectionEvents')

/** A listener of a client's connection events (client.events()). */
class ConnectionEvents {
  #native
  #ended = false
  #carry = new Carry()

  /** @internal Use client.events(). */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use client.events() to listen')
    this.#native = n
  }

  /**
   * The next event { kind, detail } ({ timeoutMs }): null when none came in
   * time, or once the listener has ended (see `ended`); without timeoutMs,
   * waits until an event comes or the listener ends.
   */
  async next(options) {
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.wait)
    if (this.#ended) return null
    // An aborted next() leaves its wait to the next call (nothing is lost).
    const got = await this.#carry.run(signal, () => this.#native.next(o?.timeoutMs))
    if (got.ended) this.#ended = true
    const e = got.event
    return e === null || e === undefined ? null : { kind: e.kind, detail: e.detail ?? null }
  }

  /**
   * True once the listener has ended: it delivered 'closed' (nothing
   * follows it), the client was already closed, or stop() was called.
   */
  get ended() {
    return this.#ended
  }

  /** Ends the listener; a waiting next() resolves with null at once. Twice is fine. */
  stop() {
    this.#ended = true
    this.#native.stop()
  }

  /** Every event, for `for await`; ends after 'closed'. Leaving the loop early stops the listener. */
  [Symbol.asyncIterator]() {
    const events = this
    return {
      async next() {
        const e = await events.next()
        return e === null ? { value: undefined, done: true } : { value: e, done: false }
      },
      async return(value) {
        events.stop()
        return { value, done: true }
      },
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  [inspect.custom]() {
    return `ConnectionEvents { ended: ${this.#ended} }`
  }
}

if (Symbol.asyncDispose) {
  ConnectionEvents.prototype[Symbol.asyncDispose] = async function asyncDispose() {
    this.stop()
  }
}

/** @internal A ConnectionEvents from a native listener (client.js). */
const eventsOf = (n) => new ConnectionEvents(token, n)

module.exports = { ConnectionEvents, EVENT_KINDS, eventsOf }
