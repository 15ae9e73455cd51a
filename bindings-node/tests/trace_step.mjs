// The Node step of the cross-language trace test (tests/trace/run.py):
// starts root span `checkout` (kind internal) and, inside it, publishes
// `order-1` to `trace.orders` with jetbridge/otel instrumented; then writes
// the spans the real SDK exported (in memory) as JSON to $JB_TRACE_OUT.
// Environment: NATS_URL, JB_TRACE_OUT, JB_TRACE_STREAM (already created).
// Exits 0, or non-zero with a message; gives up after 20 s.
import { writeFileSync } from 'node:fs'

import { SpanKind } from '@opentelemetry/api'

import { connect } from '../index.mjs'
import { instrument } from '../otel.mjs'
import { setupTracing } from './otel_setup.mjs'

const GIVE_UP_MS = 20_000

function need(name) {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set`)
  return v
}

/** An exported span in the driver's JSON shape. */
function spanJson(s) {
  // Exact: Unix nanoseconds exceed a number's exact range.
  const nanos = ([sec, ns]) => BigInt(sec) * 1_000_000_000n + BigInt(ns)
  return {
    name: s.name,
    kind: SpanKind[s.kind].toLowerCase(),
    trace_id: s.spanContext().traceId,
    span_id: s.spanContext().spanId,
    parent_span_id: s.parentSpanContext?.spanId ?? null,
    start_ns: nanos(s.startTime),
    end_ns: nanos(s.endTime),
    attributes: { ...s.attributes },
  }
}

/** JSON with bigints written as plain integers. */
function toJson(doc) {
  const MARK = '@@jb-bigint@@'
  const text = JSON.stringify(doc, (_, v) => (typeof v === 'bigint' ? `${MARK}${v}` : v), 2)
  return text.replace(new RegExp(`"${MARK}(\\d+)"`, 'g'), '$1')
}

async function main() {
  const url = need('NATS_URL')
  const out = need('JB_TRACE_OUT')
  need('JB_TRACE_STREAM')
  const { exporter, provider, tracer } = setupTracing()
  instrument()
  const client = await connect({ servers: url, name: 'trace-node' })
  try {
    await tracer.startActiveSpan('checkout', { kind: SpanKind.INTERNAL }, async (span) => {
      try {
        await client.publish('trace.orders', 'order-1')
      } finally {
        span.end()
      }
    })
  } finally {
    await client.close()
  }
  await provider.forceFlush()
  const spans = exporter.getFinishedSpans().map(spanJson)
  if (spans.length !== 1) throw new Error(`expected one span, exported ${spans.length}`)
  writeFileSync(out, toJson({ service: 'node', spans }))
}

const timer = setTimeout(() => {
  console.error(`trace_step (node): gave up after ${GIVE_UP_MS} ms`)
  process.exit(2)
}, GIVE_UP_MS)
timer.unref()
main().then(
  () => process.exit(0),
  (e) => {
    console.error(`trace_step (node): ${e?.stack ?? e}`)
    process.exit(1)
  },
)
