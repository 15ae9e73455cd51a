'use strict'
// AbortSignal support for every call that waits ({ signal } in its options).
//
// Contract: a call whose signal is already aborted, or is aborted while the
// call waits, rejects at once with a DOMException named 'AbortError' (as
// fetch does; `cause` holds the signal's reason). What the core was doing
// is settled so that nothing breaks later calls:
// - a fetch is cancelled in the core (src/cancel.rs): it stops pulling, and
//   the messages it had already taken are dropped unacked, so the server
//   redelivers them after the consumer's ack wait;
// - a wait that hands out items (watch, subscription, events next) goes on
//   and keeps its result for the next call (Carry), so nothing is lost;
// - a message stream's pull goes on and its batch stays buffered;
// - a publish goes on: it may still be stored (pass your own msgId to resend
//   safely; the server drops the duplicate); the pipelined Publisher never
//   queues a message whose publish was aborted while waiting for room.
const check = require('./check.js')

const noop = () => {}

/** The AbortError a cancelled call rejects with. */
function abortError(signal) {
  const e = new DOMException('This operation was aborted', 'AbortError')
  if (signal !== undefined && signal.reason !== undefined) {
    Object.defineProperty(e, 'cause', { value: signal.reason, configurable: true, writable: true })
  }
  return e
}

/** Checks an optional `signal` option: an AbortSignal or absent. */
function signalOption(name, v) {
  if (check.absent(v)) return undefined
  if (!(v instanceof AbortSignal)) throw new TypeError(`${name} must be an AbortSignal, got ${check.describe(v)}`)
  return v
}

/**
 * Splits `{ signal, ...rest }`: returns [signal, rest] (rest undefined when
 * only a signal was given; options unchanged when there was no signal key).
 */
function takeSignal(name, options) {
  if (options === null || typeof options !== 'object' || !('signal' in options)) return [undefined, options]
  const { signal, ...rest } = options
  return [signalOption(`${name}.signal`, signal), Object.keys(rest).length === 0 ? undefined : rest]
}

/** Throws the AbortError if `signal` is aborted. */
function throwIfAborted(signal) {
  if (signal !== undefined && signal.aborted) throw abortError(signal)
}

/**
 * `promise`, or a rejection with the AbortError as soon as `signal` aborts.
 * The abandoned promise's own rejection is marked as handled.
 */
function abortable(signal, promise) {
  if (signal === undefined) return promise
  promise.catch(noop)
  if (signal.aborted) return Promise.reject(abortError(signal))
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortError(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

/**
 * One native wait at a time that survives an abort: `run(signal, start)`
 * starts `start()` unless an earlier call was aborted while its wait was
 * still pending, in which case that wait's result is this call's.
 */
class Carry {
  #pending

  async run(signal, start) {
    throwIfAborted(signal)
    if (this.#pending === undefined) {
      const p = start()
      p.catch(noop)
      this.#pending = p
    }
    const p = this.#pending
    try {
      const v = await abortable(signal, p)
      this.#pending = undefined
      return v
    } catch (e) {
      // Aborted while `p` still waits: keep it for the next call.
      if (!(signal !== undefined && signal.aborted && e instanceof DOMException && e.name === 'AbortError')) {
        this.#pending = undefined
      }
      throw e
    }
  }
}

module.exports = { Carry, abortError, abortable, signalOption, takeSignal, throwIfAborted }
