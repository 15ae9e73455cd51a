// Acks and reads of a delivered message: { from: alias, seq: N } names the
// latest delivery of stream sequence N received from that consumer or
// stream. The fire-and-forget acks are synchronous in the binding (queued by
// the core); ack_sync waits for the server. `awaited: true` uses the
// awaitable form (`await msg.ack()`, the nats.js habit).

const target = (st, a) => st.message(a.requiredString('from'), a.requiredU64('seq'))

export async function ack(st, a) {
  const m = target(st, a)
  if (a.bool('awaited') === true) await m.ack()
  else m.ack()
  return {}
}

/** Each name through the headers helper a user reads: has, get (first), values (all). */
export async function readHeaders(st, a) {
  const h = target(st, a).headerMap
  const names = a.strings('names') ?? []
  return {
    headers: names.map((name) => ({ name, has: h.has(name), first: h.get(name) ?? null, all: h.values(name) })),
  }
}

/** The core's TraceContext through msg.traceContext (undefined: none or invalid). */
export async function traceContext(st, a) {
  const t = target(st, a).traceContext
  if (t === undefined) return { trace: null }
  return {
    trace: { trace_id: t.traceId, span_id: t.spanId, sampled: t.sampled, traceparent: t.traceparent, tracestate: t.tracestate ?? null },
  }
}

export async function nak(st, a) {
  const delayMs = a.millis('delay_ms')
  target(st, a).nak(delayMs)
  return {}
}

export async function term(st, a) {
  const reason = a.string('reason')
  target(st, a).term(reason)
  return {}
}

export async function inProgress(st, a) {
  target(st, a).inProgress()
  return {}
}

/** Resolves once the server confirmed the ack. */
export async function ackSync(st, a) {
  await target(st, a).ackSync()
  return {}
}
