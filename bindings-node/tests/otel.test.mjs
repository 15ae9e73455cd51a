// jetbridge/otel with the real SDK: every publish form carries the active
// span (the caller's traceparent wins; nothing without a span or after
// uninstrument), processSpan (the core's name/kind/attributes, parent from
// the headers, ERROR on a throw, a publish inside carries it), metrics from
// the counters, and a main entry that never loads OpenTelemetry.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { after, test } from 'node:test'

import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'

import { connect } from '../index.mjs'
import { instrument, instrumentMetrics, processSpan, uninstrument } from '../otel.mjs'
import { freshStream, uniq, useServerAndClient } from './helpers.mjs'
import { setupTracing } from './otel_setup.mjs'

let h
let client
useServerAndClient((server, c) => {
  h = server
  client = c
})
const { exporter, tracer } = setupTracing()
after(() => uninstrument())

async function consumerOf(stream) {
  return client.createConsumer(stream, { durableName: uniq('D') })
}

test('every publish form carries the active span; the caller wins; none without a span', async () => {
  const stream = await freshStream(client)
  const consumer = await consumerOf(stream)
  instrument()
  const core = await client.coreSubscribe(`${stream}.core`)
  let root
  await tracer.startActiveSpan('root', async (span) => {
    root = span.spanContext()
    await client.publish(`${stream}.a`, 'publish')
    await client.publishMany([{ subject: `${stream}.a`, data: 'many' }])
    const pub = client.publisher()
    await pub.publish(`${stream}.a`, 'publisher')
    assert.notEqual(pub.tryPublish(`${stream}.a`, 'try'), null)
    const tracked = await pub.publishTracked(`${stream}.a`, 'tracked')
    await tracked.ack
    await pub.publishMany([{ subject: `${stream}.a`, data: 'publisher-many' }])
    await pub.close()
    await client.corePublish(`${stream}.core`, 'core')
    await client.publish(`${stream}.a`, 'own', { headers: { TraceParent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } })
    span.end()
  })
  await client.publish(`${stream}.a`, 'no span')
  uninstrument()
  await tracer.startActiveSpan('off', async (span) => {
    await client.publish(`${stream}.a`, 'uninstrumented')
    span.end()
  })
  const got = await consumer.fetch({ maxMessages: 20, maxWaitMs: 2000 })
  const bySubjectText = Object.fromEntries(got.map((m) => [m.text(), m]))
  for (const text of ['publish', 'many', 'publisher', 'try', 'tracked', 'publisher-many']) {
    const t = bySubjectText[text].traceContext
    assert.ok(t, `${text} carries a trace context`)
    assert.equal(t.traceId, root.traceId)
    assert.equal(t.spanId, root.spanId)
    assert.equal(t.sampled, true)
  }
  assert.equal(bySubjectText.own.traceContext.traceId, '0af7651916cd43dd8448eb211c80319c', "the caller's traceparent wins")
  assert.deepEqual(bySubjectText.own.headerMap.values('traceparent').length, 1)
  assert.equal(bySubjectText['no span'].traceContext, undefined)
  assert.equal(bySubjectText.uninstrumented.traceContext, undefined)
  for (const m of got) m.ack()
  const coreMsg = await core.next({ timeoutMs: 5000 })
  assert.match(coreMsg.headerMap.get('traceparent'), new RegExp(`^00-${root.traceId}-${root.spanId}-01$`))
  await core.unsubscribe()
})

test('publishBatch carries the active span (server 2.12+)', async (t) => {
  const stream = await freshStream(client, { allowAtomic: true }).catch(() => null)
  if (stream === null) return t.skip('no atomic batches on this server')
  const consumer = await consumerOf(stream)
  instrument()
  let root
  try {
    await tracer.startActiveSpan('batch', async (span) => {
      root = span.spanContext()
      await client.publishBatch([{ subject: `${stream}.a`, data: 'b1' }, { subject: `${stream}.a`, data: 'b2' }])
      span.end()
    })
  } catch (e) {
    if (e.code === 'SERVER_TOO_OLD') return t.skip('server older than 2.12')
    throw e
  } finally {
    uninstrument()
  }
  const got = await consumer.fetch({ maxMessages: 2, maxWaitMs: 2000 })
  assert.equal(got.length, 2)
  for (const m of got) assert.equal(m.traceContext.spanId, root.spanId)
})

test('processSpan: the core span spec, parent from the headers, active inside, ERROR on a throw', async () => {
  const stream = await freshStream(client)
  const consumer = await consumerOf(stream)
  instrument()
  try {
    let root
    await tracer.startActiveSpan('producer', async (span) => {
      root = span.spanContext()
      await client.publish(`${stream}.in`, 'work', { msgId: 'm-1' })
      span.end()
    })
    exporter.reset()
    const [m] = await consumer.fetch({ maxMessages: 1 })
    const spec = m.processSpan()
    const result = await processSpan(m, async (span) => {
      await client.publish(`${stream}.out`, 'next')
      m.ack()
      return span.spanContext().spanId
    })
    const [span] = exporter.getFinishedSpans()
    assert.equal(span.name, spec.name)
    assert.equal(span.name, `process ${stream}.in`)
    assert.equal(span.kind, SpanKind.CONSUMER)
    assert.deepEqual(span.attributes, spec.attributes)
    assert.equal(span.attributes['messaging.message.id'], 'm-1')
    assert.equal(span.spanContext().traceId, root.traceId)
    assert.equal(span.parentSpanContext.spanId, root.spanId)
    assert.equal(result, span.spanContext().spanId)
    const [out] = await consumer.fetch({ maxMessages: 1 })
    assert.equal(out.traceContext.spanId, span.spanContext().spanId, 'a publish inside carries the process span')
    out.ack()
    // A throw: status ERROR, recorded, passed on; synchronous fn works too.
    exporter.reset()
    assert.throws(() => processSpan(out, () => { throw new Error('boom') }), /boom/)
    await assert.rejects(processSpan(out, async () => { throw new Error('later') }), /later/)
    assert.equal(processSpan(out, () => 42), 42)
    const spans = exporter.getFinishedSpans()
    assert.equal(spans.length, 3)
    assert.equal(spans[0].status.code, SpanStatusCode.ERROR)
    assert.equal(spans[0].events[0].name, 'exception')
    assert.equal(spans[1].status.code, SpanStatusCode.ERROR)
    assert.equal(spans[2].status.code, SpanStatusCode.UNSET)
    assert.throws(() => processSpan({}, () => 1), TypeError)
  } finally {
    uninstrument()
  }
})

class TestReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

test('instrumentMetrics: the core counters as jetbridge.<name> observable counters', async () => {
  const named = await connect({ servers: h.urls[0], name: 'metrics-client' })
  try {
    const stream = await freshStream(named)
    await named.publish(`${stream}.a`, 'x')
    const reader = new TestReader()
    const meterProvider = new MeterProvider({ readers: [reader] })
    const handle = instrumentMetrics(named, { meterProvider })
    const { resourceMetrics } = await reader.collect()
    const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics)
    const names = metrics.map((m) => m.descriptor.name)
    assert.deepEqual(names, named.counterPairs().map(([n]) => `jetbridge.${n}`))
    const published = metrics.find((m) => m.descriptor.name === 'jetbridge.published')
    assert.equal(published.dataPoints[0].value, 1)
    assert.deepEqual(published.dataPoints[0].attributes, { 'jetbridge.client.name': 'metrics-client' })
    handle.stop()
    await meterProvider.shutdown()
    assert.throws(() => instrumentMetrics({}), TypeError)
  } finally {
    await named.close()
  }
})

test('the main entry never loads OpenTelemetry', () => {
  const loaded = execFileSync(process.execPath, [
    '-e',
    "require('./index.js'); console.log(Object.keys(require.cache).some((k) => k.includes('@opentelemetry')))",
  ], { cwd: new URL('..', import.meta.url), encoding: 'utf8' })
  assert.equal(loaded.trim(), 'false')
})
