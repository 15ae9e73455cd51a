'use strict'
// Core NATS on the client's connection (src/core_nats.rs): no JetStream, no
// acks. A service answers requests without a second client:
//
//   const sub = await client.coreSubscribe('svc.echo', { queue: 'svc' })
//   for await (const req of sub) await req.respond(req.data)
//   ...
//   const reply = await client.coreRequest('svc.echo', 'ping', { timeoutMs: 500 })
//
// Leaving the loop (`break`, `return`, a throw) unsubscribes; so does
// `unsubscribe()` from elsewhere, which ends a waiting `next()` (with CLOSED)
// and the loop (normally) at once.
const { inspect } = require('node:util')
const { Carry, takeSignal } = require('./abort.js')
const check = require('./check.js')
const { MessageHeaders } = require('./headers.js')
const schemas = require('./schemas.js')

// How long one native wait lasts before it is re-issued, when the caller
// gave no timeout (a pending wait ends at once on unsubscribe or close).
const WAIT_MS = 60_000

const token = Symbol('CoreNats')

/** A core NATS message: what a subscription receives or a request returns. */
class CoreMessage {
  #client

  /** @internal Messages come from a CoreSubscription and from coreRequest. */
  constructor(key, client, m) {
    if (key !== token) throw new TypeError('CoreMessages come from coreSubscribe() and coreRequest()')
    this.#client = client
    /** Its subject. */
    this.subject = m.subject
    /** Its payload (a Buffer of its own). */
    this.data = m.data
    /** Its headers as [name, value] pairs, in order. */
    this.headers = m.headers
    /** Where a reply goes (null when the sender asked for none). */
    this.reply = m.reply ?? null
  }

  /** The headers as a read-only MessageHeaders view: get (first), has, values (all), case-insensitive. */
  get headerMap() {
    return new MessageHeaders(this.headers)
  }

  /** The first value of a header (case-insensitive name), or undefined. */
  header(name) {
    check.string('name', name)
    const lower = name.toLowerCase()
    const pair = this.headers.find(([k]) => k.toLowerCase() === lower)
    return pair === undefined ? undefined : pair[1]
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
   * Answers this message ({ headers }): a core publish to its reply subject.
   * INVALID_ARGUMENT when it has none (nobody waits for an answer).
   */
  async respond(data, options) {
    check.payload('data', data)
    const o = check.optionalOptions('options', options, schemas.coreRespond)
    return this.#client.coreRespond(this.subject, this.reply ?? undefined, data, o?.headers)
  }

  [inspect.custom](depth, opts) {
    const summary = { subject: this.subject, bytes: this.data.length, reply: this.reply !== null }
    return `CoreMessage ${inspect(summary, opts)}`
  }
}

/** A core NATS subscription (client.coreSubscribe). */
class CoreSubscription {
  #client
  #native
  #unsubscribed = false
  #carry = new Carry()

  /** @internal Use client.coreSubscribe(). */
  constructor(key, client, n) {
    if (key !== token) throw new TypeError('use client.coreSubscribe() to subscribe')
    this.#client = client
    this.#native = n
  }

  /**
   * The next message ({ timeoutMs }): null when none came within timeoutMs;
   * without it, waits until one comes. Rejects with CLOSED once unsubscribed
   * or the client closed.
   */
  async next(options) {
    const [signal, rest] = takeSignal('options', options)
    const o = check.optionalOptions('options', rest, schemas.wait)
    // An aborted next() leaves its wait to the next call (nothing is lost).
    if (o?.timeoutMs !== undefined) return this.#wrap(await this.#carry.run(signal, () => this.#native.next(o.timeoutMs)))
    for (;;) {
      const m = await this.#carry.run(signal, () => this.#native.next(WAIT_MS))
      if (m !== null && m !== undefined) return this.#wrap(m)
    }
  }

  #wrap(m) {
    return m === null || m === undefined ? null : new CoreMessage(token, this.#client, m)
  }

  /**
   * Ends the subscription: messages not yet received are dropped, a waiting
   * next() rejects with CLOSED, a `for await` loop ends. Twice is fine.
   */
  async unsubscribe() {
    this.#unsubscribed = true
    return this.#native.unsubscribe()
  }

  /** True once unsubscribe() was called (or a `for await` loop was left). */
  get isUnsubscribed() {
    return this.#unsubscribed
  }

  /**
   * Every message, for `for await`: ends after unsubscribe(); rejects with
   * CLOSED once the client is closed. Leaving the loop early unsubscribes.
   */
  [Symbol.asyncIterator]() {
    const sub = this
    return {
      async next() {
        try {
          return { value: await sub.next(), done: false }
        } catch (e) {
          if (sub.isUnsubscribed && e?.code === 'CLOSED') return { value: undefined, done: true }
          throw e
        }
      },
      async return(value) {
        await sub.unsubscribe()
        return { value, done: true }
      },
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  [inspect.custom]() {
    return `CoreSubscription { unsubscribed: ${this.#unsubscribed} }`
  }
}

if (Symbol.asyncDispose) {
  CoreSubscription.prototype[Symbol.asyncDispose] = function asyncDispose() {
    return this.unsubscribe()
  }
}

/** @internal A CoreSubscription from a native one (client.js). */
const subscriptionOf = (client, n) => new CoreSubscription(token, client, n)

/** @internal A CoreMessage from a native one (client.js). */
const messageOf = (client, m) => new CoreMessage(token, client, m)

module.exports = { CoreMessage, CoreSubscription, messageOf, subscriptionOf }
