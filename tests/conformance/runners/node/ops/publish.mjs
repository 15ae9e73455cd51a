// publish, publish_many, publish_batch and the pipelined publisher (tracked publishes too).
import { JetBridgeError, OPTIONS } from '../binding.mjs'
import { RunnerError } from '../outcome.mjs'
import * as printing from '../printing.mjs'
import { read } from '../record.mjs'

/**
 * A message of the binding ({ subject, data, msgId, headers, expect, ttlMs })
 * from its scenario description: `subject`, `data` (text, default empty) or
 * `data_size` (that many `x` bytes), `headers`, `msg_id`, `expect`, `ttl_ms`.
 */
export function message(a) {
  const text = a.string('data')
  const size = a.u64('data_size')
  if (text !== undefined && size !== undefined) throw new RunnerError('give data or data_size, not both')
  const data = text !== undefined ? Buffer.from(text, 'utf8') : Buffer.alloc(size ?? 0, 'x')
  const m = {
    subject: a.requiredString('subject'),
    data,
    headers: a.pairs('headers'),
    msgId: a.string('msg_id'),
    ttlMs: a.millis('ttl_ms'),
  }
  const e = a.object('expect')
  if (e !== undefined) {
    m.expect = {
      stream: e.string('stream'),
      lastSequence: e.u64('last_sequence'),
      lastMsgId: e.string('last_msg_id'),
      lastSubjectSequence: e.u64('last_subject_sequence'),
    }
  }
  return m
}

const messageList = (a) => (a.objects('messages') ?? []).map(message)

/** The per-message options of a binding message. */
const options = (m) => ({ msgId: m.msgId, headers: m.headers, expect: m.expect, ttlMs: m.ttlMs })

export async function publish(st, a) {
  const m = message(a)
  return printing.pubAck(await st.getClient().publish(m.subject, m.data, options(m)))
}

export async function publishMany(st, a) {
  const results = await st.getClient().publishMany(messageList(a))
  return { results: results.map((r) => (r instanceof JetBridgeError ? { error: r.code } : printing.pubAck(r))) }
}

/** `messages` (sent `repeat` times over) as one atomic batch. */
export async function publishBatch(st, a) {
  const msgs = messageList(a)
  const repeat = a.u64('repeat') ?? 1
  const batch = Array.from({ length: repeat }, () => msgs).flat()
  const ack = await st.getClient().publishBatch(batch)
  return { stream: ack.stream, seq: ack.sequence, count: ack.count }
}

export async function publisherOpen(st, a) {
  const publisher = st.getClient().publisher(read(OPTIONS.publisherOptions, a))
  st.publisher = publisher
  return printing.record(OPTIONS.publisherOptions, publisher.options)
}

export async function publisherPublish(st, a) {
  const m = message(a)
  return { ticket: await st.getPublisher().publish(m.subject, m.data, options(m)) }
}

export async function publisherPublishMany(st, a) {
  return { tickets: await st.getPublisher().publishMany(messageList(a)) }
}

export async function publisherFlush(st) {
  return printing.flushReport(await st.getPublisher().flush())
}

export async function publisherClose(st) {
  return printing.flushReport(await st.getPublisher().close())
}

/** A tracked publish: its ack Promise is kept by ticket for publisher_ack. */
export async function publisherPublishTracked(st, a) {
  const m = message(a)
  const { ticket, ack } = await st.getPublisher().publishTracked(m.subject, m.data, options(m))
  st.tracked.set(ticket, ack)
  return { ticket }
}

export async function publisherAck(st, a) {
  const ticket = a.requiredU64('ticket')
  const ack = st.tracked.get(ticket)
  if (ack === undefined) throw new RunnerError(`no tracked publish with ticket ${ticket}`)
  return printing.pubAck(await ack)
}
