// Acks: { from: alias, seq: N } names the latest delivery of stream sequence N
// received from that consumer or stream. The fire-and-forget acks are
// synchronous in the binding (queued by the core); ack_sync waits for the server.

const target = (st, a) => st.message(a.requiredString('from'), a.requiredU64('seq'))

export async function ack(st, a) {
  target(st, a).ack()
  return {}
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
