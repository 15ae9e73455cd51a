// Compiled with `tsc --noEmit` by scripts/test.sh: the types of jetbridge/otel.
import { type Span, trace } from '@opentelemetry/api'
import { connect } from 'jetbridge'
import { instrument, instrumentMetrics, processSpan, uninstrument } from 'jetbridge/otel'

async function main(): Promise<void> {
  instrument()
  const client = await connect('nats://127.0.0.1:4222')
  const consumer = await client.bindConsumer('ORDERS', 'd')
  for (const m of await consumer.fetch()) {
    const n: number = processSpan(m, (span: Span) => (span.isRecording() ? 1 : 0))
    const s: string = await processSpan(m, async () => 'done', { tracer: trace.getTracer('x') })
    console.log(n, s)
  }
  const handle = instrumentMetrics(client)
  handle.stop()
  // @ts-expect-error: a client, not a name
  instrumentMetrics('client')
  uninstrument()
  await client.close()
}

void main
