'use strict'
// Conversion of publish arguments for native code, shared by
// Client.publish/publishMany and the Publisher.
const check = require('./check.js')
const schemas = require('./schemas.js')
const { tracing, withTrace } = require('./trace_hook.js')

/**
 * Checks `options` of one publish; undefined when there are none. With
 * `jetbridge/otel` instrumented, the active span's trace headers are added.
 */
function publishOptions(options) {
  const o = check.optionalOptions('options', options, schemas.publish)
  if (!tracing()) return o
  const headers = withTrace(o?.headers)
  return headers === o?.headers ? o : { ...o, headers }
}

const encoder = new TextEncoder()

/**
 * Packs a batch for one native call: subjects, all payloads back to back,
 * their lengths, and per-message options (undefined when no message has any).
 */
function pack(messages) {
  check.array('messages', messages)
  const n = messages.length
  const subjects = new Array(n)
  const lengths = new Uint32Array(n)
  const payloads = new Array(n)
  let options
  let total = 0
  for (let i = 0; i < n; i++) {
    const m = messages[i]
    const name = `messages[${i}]`
    check.plainObject(name, m)
    subjects[i] = check.string(`${name}.subject`, m.subject)
    let data = check.payload(`${name}.data`, m.data)
    if (typeof data === 'string') data = encoder.encode(data)
    payloads[i] = data
    lengths[i] = data.length
    total += data.length
    // Only messages with more than { subject, data } need the full check.
    if (Object.keys(m).length > 2) {
      const { subject: _s, data: _d, ...rest } = check.options(name, m, schemas.batchMessage)
      if (Object.keys(rest).length > 0) {
        options ??= new Array(n)
        options[i] = rest
      }
    }
  }
  // With `jetbridge/otel` instrumented: the active span's headers on each message.
  if (tracing()) {
    for (let i = 0; i < n; i++) {
      const headers = withTrace(options?.[i]?.headers)
      if (headers !== undefined && headers !== options?.[i]?.headers) {
        options ??= new Array(n)
        options[i] = { ...options[i], headers }
      }
    }
  }
  const all = Buffer.concat(payloads, total)
  return [subjects, all, lengths, options]
}

module.exports = { pack, publishOptions }
