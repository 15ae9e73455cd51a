'use strict'
// The one place every publish form asks for trace headers. Empty unless
// `jetbridge/otel`'s instrument() installed a source: then each publish
// call asks it once for the active span's headers (W3C `traceparent`, …) and
// adds them, unless the caller already set a `traceparent` header (the
// caller's wins). Without a source a publish pays one null check; the main
// entry never loads OpenTelemetry.

/** () => Array<[name, value]> | null: the active context's headers. */
let source = null

/** Installs (or, with null, removes) the source of trace headers. */
function setTraceSource(fn) {
  source = fn
}

const TRACEPARENT = 'traceparent'

/**
 * `pairs` (a publish's checked [name, value] headers, or undefined) with the
 * active context's trace headers added; `pairs` itself when there is no
 * source, no active span, or the caller set a traceparent.
 */
function withTrace(pairs) {
  if (source === null) return pairs
  if (pairs !== undefined && pairs.some(([k]) => k.toLowerCase() === TRACEPARENT)) return pairs
  const extra = source()
  if (extra === null || extra.length === 0) return pairs
  return pairs === undefined ? extra : [...pairs, ...extra]
}

/** True when a source is installed (cheap: lets a batch skip the work). */
const tracing = () => source !== null

module.exports = { setTraceSource, tracing, withTrace }
