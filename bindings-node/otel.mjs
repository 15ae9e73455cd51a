// ESM entry of `jetbridge/otel`: the same objects as lib/otel.js.
import otel from './lib/otel.js'

export const { instrument, instrumentMetrics, processSpan, uninstrument } = otel

export default otel
