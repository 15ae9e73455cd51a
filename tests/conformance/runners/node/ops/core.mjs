// Core NATS (core_subscribe, core_publish, core_next, core_next_group,
// core_unsubscribe, core_reply_service, core_respond, core_request) and
// connection events (events_listen, events_next): SPEC.md §4.8.
import { compareCodePoints } from '../canonical.mjs'
import { RunnerError } from '../outcome.mjs'
import * as printing from '../printing.mjs'

/** `data` (text) or `data_size` (that many `x` bytes), as a message of §4.3. */
function payload(a) {
  const text = a.string('data')
  const size = a.u64('data_size')
  if (text !== undefined && size !== undefined) throw new RunnerError('give data or data_size, not both')
  return text !== undefined ? Buffer.from(text, 'utf8') : Buffer.alloc(size ?? 0, 'x')
}

/** CORE: subject, data, headers, and whether it has a reply subject. */
function core(m) {
  return { subject: m.subject, data: printing.data(m.data), headers: printing.headers(m.headers), has_reply: m.reply !== null }
}

export async function coreSubscribe(st, a) {
  const alias = a.requiredString('as')
  const sub = await st.getClient().coreSubscribe(a.requiredString('subject'), { queue: a.string('queue') })
  st.coreSubs.set(alias, sub)
  return {}
}

export async function corePublish(st, a) {
  const subject = a.requiredString('subject')
  const data = payload(a)
  await st.getClient().corePublish(subject, data, { headers: a.pairs('headers'), reply: a.string('reply') })
  return {}
}

export async function coreNext(st, a) {
  const from = a.requiredString('from')
  const sub = st.coreSub(from)
  const max = a.u64('max') ?? 1
  const deadline = performance.now() + (a.millis('wait_ms') ?? 2000)
  const messages = []
  while (messages.length < max) {
    const m = await sub.next({ timeoutMs: Math.max(0, deadline - performance.now()) })
    if (m === null) break
    st.coreLast.set(from, m)
    messages.push(core(m))
  }
  return { count: messages.length, messages }
}

export async function coreNextGroup(st, a) {
  const members = a.strings('from')
  if (members === undefined) throw new RunnerError('argument from is required')
  const count = a.u64('count') ?? 0
  const waitMs = a.millis('wait_ms') ?? 5000
  const settleMs = a.millis('settle_ms') ?? 300
  const subs = members.map((m) => st.coreSub(m))
  const data = []
  const deadline = performance.now() + waitMs
  let settleEnd
  for (;;) {
    const now = performance.now()
    if (settleEnd !== undefined) {
      if (now >= settleEnd) break
    } else if (data.length >= count) {
      settleEnd = now + settleMs
    } else if (now >= deadline) {
      break
    }
    for (const sub of subs) {
      const m = await sub.next({ timeoutMs: 20 })
      if (m !== null) data.push(printing.data(m.data))
    }
  }
  return { received: data.length, data: data.sort(compareCodePoints) }
}

export async function coreUnsubscribe(st, a) {
  await st.coreSub(a.requiredString('from')).unsubscribe()
  return {}
}

/**
 * Subscribes, then answers every request in the background with `prefix` +
 * its data and its headers, through CoreMessage.respond, until unsubscribed.
 */
export async function coreReplyService(st, a) {
  const alias = a.requiredString('as')
  const prefix = Buffer.from(a.string('prefix') ?? '', 'utf8')
  const sub = await st.getClient().coreSubscribe(a.requiredString('subject'), { queue: a.string('queue') })
  st.coreSubs.set(alias, sub)
  const serve = async () => {
    for await (const req of sub) {
      await req.respond(Buffer.concat([prefix, req.data]), { headers: req.headers }).catch(() => {})
    }
  }
  serve().catch(() => {})
  return {}
}

export async function coreRespond(st, a) {
  const from = a.requiredString('from')
  st.coreSub(from)
  const m = st.coreLast.get(from)
  if (m === undefined) throw new RunnerError(`no message received from ${JSON.stringify(from)}`)
  await m.respond(payload(a), { headers: a.pairs('headers') })
  return {}
}

export async function coreRequest(st, a) {
  const subject = a.requiredString('subject')
  const data = payload(a)
  const reply = await st
    .getClient()
    .coreRequest(subject, data, { headers: a.pairs('headers'), timeoutMs: a.millis('timeout_ms') ?? 2000 })
  return { data: printing.data(reply.data), headers: printing.headers(reply.headers) }
}

export async function eventsListen(st, a) {
  const alias = a.requiredString('as')
  st.listeners.set(alias, st.getClient().events())
  return {}
}

/** EVENT: the core's name and detail. */
export async function eventsNext(st, a) {
  const l = st.listener(a.requiredString('from'))
  const max = a.u64('max') ?? 10
  const deadline = performance.now() + (a.millis('wait_ms') ?? 500)
  const events = []
  while (events.length < max) {
    const e = await l.next({ timeoutMs: Math.max(0, deadline - performance.now()) })
    if (e === null) break
    events.push({ kind: e.kind, detail: e.detail })
  }
  return { events, ended: l.ended }
}
