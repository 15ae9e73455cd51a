'use strict'
// jetbridge/otel: the optional OpenTelemetry integration. Only this subpath
// imports `@opentelemetry/api` (an optional peer dependency); the main entry
// never does.
//
// - instrument() / uninstrument(): every publish form (publish, publishMany,
//   publishBatch, the Publisher, corePublish) made while a valid span is
//   active (`context.active()`) carries that context in its headers, written
//   by the global propagator (`propagation.inject`), unless the caller set a
//   `traceparent` header (the caller's wins).
// - processSpan(msg, fn): runs fn(span) inside the span of processing a
//   delivered message: name, kind and attributes from the core (msg's
//   SpanSpec), parent the context the global propagator extracts from the
//   message's headers (a message without one: a child of the active span,
//   if any, as in every language). The span
//   ends when fn returns or its Promise settles; a throw or rejection sets
//   status ERROR and is recorded, then passed on.
// - instrumentMetrics(client, { meterProvider }): the client's counters, under
//   the core's names, as observable counters `jetbridge.<name>` (attribute
//   `jetbridge.client.name` when the client has a name).
const api = require('@opentelemetry/api')
const { setTraceSource } = require('./trace_hook.js')
const { MessageHeaders } = require('./headers.js')
const { Message } = require('./message.js')
const { version } = require('./runtime.js')

const SCOPE = 'jetbridge'

/** Writes into an array of [name, value] pairs (the propagator's carrier). */
const pairSetter = {
  set(carrier, key, value) {
    carrier.push([key, value])
  },
}

/** The active span's headers, or null when no valid span is active. */
function activeHeaders() {
  const ctx = api.context.active()
  const span = api.trace.getSpan(ctx)
  if (span === undefined || !api.trace.isSpanContextValid(span.spanContext())) return null
  const pairs = []
  api.propagation.inject(ctx, pairs, pairSetter)
  return pairs
}

/** Turns trace propagation on for every publish form (idempotent). */
function instrument() {
  setTraceSource(activeHeaders)
}

/** Turns it off again: publishes leave headers untouched. */
function uninstrument() {
  setTraceSource(null)
}

/** Reads a message's headers for the propagator (case-insensitive, first value). */
const headerGetter = {
  keys: (h) => h.keys(),
  get: (h, key) => {
    const all = h.values(key)
    return all.length === 0 ? undefined : all.length === 1 ? all[0] : all
  },
}

function endWithError(span, e) {
  span.recordException(e instanceof Error ? e : String(e))
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) })
  span.end()
}

/**
 * Runs `fn(span)` inside `msg`'s process span and returns its result (a
 * Promise when fn returns one). `options.tracer`: the tracer to use (default:
 * the global tracer provider's `jetbridge` tracer).
 */
function processSpan(msg, fn, options) {
  if (!(msg instanceof Message)) throw new TypeError('msg must be a delivered Message')
  if (typeof fn !== 'function') throw new TypeError('fn must be a function')
  const spec = msg.processSpan()
  const tracer = options?.tracer ?? api.trace.getTracer(SCOPE, version())
  // As every OpenTelemetry propagator does: the carried context over the active one.
  const parent = api.propagation.extract(api.context.active(), new MessageHeaders(msg.headers), headerGetter)
  const kind = api.SpanKind[spec.kind.toUpperCase()] ?? api.SpanKind.INTERNAL
  return tracer.startActiveSpan(spec.name, { kind, attributes: spec.attributes }, parent, (span) => {
    let out
    try {
      out = fn(span)
    } catch (e) {
      endWithError(span, e)
      throw e
    }
    if (out !== null && typeof out === 'object' && typeof out.then === 'function') {
      return out.then(
        (v) => {
          span.end()
          return v
        },
        (e) => {
          endWithError(span, e)
          throw e
        },
      )
    }
    span.end()
    return out
  })
}

/**
 * Offers `client`'s counters to `options.meterProvider` (default: the global
 * one) as observable counters `jetbridge.<counter name>`, read once per
 * collection. Returns { stop() } to withdraw them. A closed client's last
 * values keep being reported until stop().
 */
function instrumentMetrics(client, options) {
  if (client === null || typeof client !== 'object' || typeof client.counterPairs !== 'function') {
    throw new TypeError('client must be a jetbridge Client')
  }
  const provider = options?.meterProvider ?? api.metrics.getMeterProvider()
  const meter = provider.getMeter(SCOPE, version())
  const attributes = client.name === null ? {} : { 'jetbridge.client.name': client.name }
  const instruments = new Map(
    client.counterPairs().map(([name]) => [name, meter.createObservableCounter(`${SCOPE}.${name}`)]),
  )
  const observe = (result) => {
    for (const [name, value] of client.counterPairs()) {
      const instrument = instruments.get(name)
      if (instrument !== undefined) result.observe(instrument, value, attributes)
    }
  }
  const all = [...instruments.values()]
  meter.addBatchObservableCallback(observe, all)
  return {
    stop() {
      meter.removeBatchObservableCallback(observe, all)
    },
  }
}

module.exports = { instrument, instrumentMetrics, processSpan, uninstrument }
