// Continuous consumption: `messages` (durable pull), `replay` (ordered),
// `push_subscribe`, and reading them with `next` / `next_group`. The
// binding's message streams start lazily; the runner opens each one in its
// own step, so that errors (and the consumer's creation) belong to it.
import { OPTIONS } from '../binding.mjs'
import { RunnerError, Unsupported } from '../outcome.mjs'
import * as printing from '../printing.mjs'
import { read } from '../record.mjs'
import { config as consumerConfig } from './consumer.mjs'
import { start as startPosition } from './start.mjs'

/** Pull tuning: the binding's MessagesOptions (record.mjs). */
const pullOptions = (a) => read(OPTIONS.messagesOptions, a)

async function keep(st, alias, stream) {
  await stream.open()
  st.streams.set(alias, stream)
  return {}
}

/** A continuous pull from the consumer `consumer`, stored as `as`. */
export async function messages(st, a) {
  const consumer = a.requiredString('consumer')
  const alias = a.requiredString('as')
  const options = pullOptions(a)
  return keep(st, alias, st.consumer(consumer).messages(options))
}

/** An ordered replay of `stream`, stored as `as`. */
export async function replay(st, a) {
  const stream = a.requiredString('stream')
  const alias = a.requiredString('as')
  const options = { messages: pullOptions(a), filterSubjects: a.strings('filter_subjects') ?? [] }
  const s = a.object('start')
  if (s !== undefined) options.start = await startPosition(st.getClient(), stream, s)
  const speed = a.string('speed')
  if (speed !== undefined) {
    if (speed !== 'instant' && speed !== 'original') throw new Unsupported(`replay speed ${JSON.stringify(speed)}`)
    options.speed = speed
  }
  return keep(st, alias, st.getClient().replay(stream, options))
}

/** Creates or joins a push consumer, stored as `as`. */
export async function pushSubscribe(st, a) {
  const stream = a.requiredString('stream')
  const alias = a.requiredString('as')
  const c = a.object('config')
  const cfg = c === undefined ? {} : await consumerConfig(st.getClient(), stream, c)
  return keep(st, alias, st.getClient().pushSubscribe(stream, cfg))
}

/**
 * Up to `max` (default 1) messages from `from`, waiting at most `wait_ms`
 * (default 5000) in total; returns early once `max` arrived.
 */
export async function next(st, a) {
  const source = a.requiredString('from')
  const max = a.u64('max') ?? 1
  const waitMs = a.millis('wait_ms') ?? 5000
  const stream = st.stream(source)
  const deadline = performance.now() + waitMs
  const got = []
  while (got.length < max) {
    const left = deadline - performance.now()
    if (left <= 0) break
    got.push(...(await stream.nextBatch(max - got.length, left)))
  }
  const printed = printing.messages(got)
  st.remember(source, got)
  return printed
}

/**
 * Reads the members `from` in turn, acking every message, until `count`
 * arrived or `wait_ms` (default 10000) passed; then reads on for `settle_ms`
 * (default 300) to catch any extra delivery.
 */
export async function nextGroup(st, a) {
  const members = a.strings('from')
  if (members === undefined) throw new RunnerError('argument from is required')
  const count = a.u64('count') ?? 0
  const waitMs = a.millis('wait_ms') ?? 10000
  const settleMs = a.millis('settle_ms') ?? 300
  for (const member of members) st.stream(member)
  const seqs = new Set()
  const used = new Set()
  let received = 0
  let duplicates = 0
  const deadline = performance.now() + waitMs
  let settleEnd
  for (;;) {
    const now = performance.now()
    if (settleEnd !== undefined) {
      if (now >= settleEnd) break
    } else if (received >= count) {
      settleEnd = now + settleMs
    } else if (now >= deadline) {
      break
    }
    for (const member of members) {
      for (const m of await st.stream(member).nextBatch(64, 20)) {
        received += 1
        used.add(member)
        if (seqs.has(m.streamSequence)) duplicates += 1
        seqs.add(m.streamSequence)
        m.ack()
      }
    }
  }
  return { received, duplicates, seqs: [...seqs].sort((x, y) => x - y), members_used: used.size }
}

/** Stops the stream `from`. */
export async function stop(st, a) {
  st.stream(a.requiredString('from')).stop()
  return {}
}
