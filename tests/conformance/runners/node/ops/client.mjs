// connect, close, drain, flush_acks, client_info, counters, sleep.
import { setTimeout as delay } from 'node:timers/promises'
import { inspect } from 'node:util'
import { connect as jbConnect, DaprConfig } from '../binding.mjs'
import { substitute } from '../args.mjs'
import { log } from '../outcome.mjs'
import * as printing from '../printing.mjs'
import * as credentials from './credentials.mjs'

/**
 * What the runner's own connect options hold, without a value: Node's connect
 * options are a plain object owned by the caller (no binding repr exists to
 * check), so the runner prints their shape and the binding's Client and Dapr
 * config descriptions instead (SPEC.md §7).
 */
function describeOptions(o) {
  const shape = {
    servers: `${o.servers.length} server(s)`,
    name: o.name,
    auth: o.auth === undefined ? 'none' : Object.keys(o.auth).join('+'),
    tls: o.tls,
    connectTimeoutMs: o.connectTimeoutMs,
  }
  return inspect(shape, { breakLength: Infinity })
}

/**
 * Replaces the client on success; a failed connect keeps the old one. Writes
 * the Dapr config's and the client's descriptions to stderr (secret hygiene);
 * errors are written by the dispatcher.
 */
export async function connect(st, a) {
  const metadata = a.stringMap('dapr')
  let target
  if (metadata !== undefined) {
    target = DaprConfig.fromMetadata(metadata)
    log(`  dapr config: ${inspect(target)}`) // util.inspect is its toString()
  } else {
    target = {
      servers: a.strings('servers') ?? [substitute('${JB_URL}')],
      name: a.string('name'),
      auth: credentials.auth(a),
      tls: credentials.tls(a),
      connectTimeoutMs: a.millis('connect_timeout_ms'),
    }
    log(`  options: ${describeOptions(target)}`)
  }
  const client = await jbConnect(target)
  log(`  client: ${inspect(client)}`) // util.inspect is its toString()
  st.client = client
  return {}
}

/** The client stays in place so that later steps see CLOSED. */
export async function close(st) {
  await st.getClient().close()
  return {}
}

/**
 * Graceful shutdown within `timeout_ms` when given (else the binding's
 * default); the client stays in place so that later steps see CLOSED.
 */
export async function drain(st, a) {
  const timeoutMs = a.millis('timeout_ms')
  await st.getClient().drain(timeoutMs === undefined ? undefined : { timeoutMs })
  return {}
}

export async function clientInfo(st) {
  const c = st.getClient()
  return { connected: c.connectionState().connected, closed: c.isClosed, max_payload: c.maxPayload }
}

export async function counters(st) {
  return printing.counters(st.getClient().counters())
}

export async function sleep(st, a) {
  await delay(a.millis('ms') ?? 0)
  return {}
}

/** `flush_acks` → `{}`; `confirm` passed only when given (absent: the binding's default). */
export async function flushAcks(st, a) {
  const confirm = a.bool('confirm')
  await st.getClient().flushAcks(confirm === undefined ? undefined : { confirm })
  return {}
}
