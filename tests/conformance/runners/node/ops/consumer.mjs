// Consumer administration and fetch.
import { setTimeout as delay } from 'node:timers/promises'
import { CONSUMER_CONFIG_KEYS, snakeCase } from '../binding.mjs'
import { RunnerError } from '../outcome.mjs'
import * as printing from '../printing.mjs'
import { start as startPosition } from './start.mjs'

/**
 * A scenario value as the binding takes it, checked for its JSON type (a wrong
 * one is RUNNER): a `…_ms` key is a duration (or a list of them) in integer
 * milliseconds, other numbers are integers, strings (and lists of them) are
 * substituted. The binding refuses what remains wrong (its TypeError: RUNNER)
 * and the core judges the values (an unknown enum name: INVALID_ARGUMENT).
 */
function value(a, key) {
  const v = a.raw(key)
  if (key.endsWith('_ms')) return Array.isArray(v) ? a.millisList(key) : a.millis(key)
  if (typeof v === 'string') return a.string(key)
  if (typeof v === 'number') return a.i64(key)
  if (Array.isArray(v)) return a.strings(key)
  return v
}

/**
 * A ConsumerConfig of the binding from a scenario's `config` object, read option
 * by option from the binding's generated declaration (CONSUMER_CONFIG_KEYS), so
 * that a new option needs no edit here: each under its name in snake case
 * (`ack_wait_ms` for `ackWaitMs`). `start` is START (start.mjs); `deliver_subject`
 * is never given (the binding makes it for push consumers), so it is an unknown
 * argument.
 */
export async function config(client, stream, a) {
  const c = {}
  for (const name of CONSUMER_CONFIG_KEYS) {
    if (name === 'deliverSubject') continue
    if (name === 'start') {
      const s = a.object('start')
      if (s !== undefined) c.start = await startPosition(client, stream, s)
    } else {
      const v = value(a, snakeCase(name))
      if (v !== undefined) c[name] = v
    }
  }
  return c
}

async function configArg(st, stream, a, key) {
  const c = a.object(key)
  return c === undefined ? undefined : config(st.getClient(), stream, c)
}

/** `as`, else the durable name; read after the binding call (the core judges first). */
function alias(a, durable) {
  const given = a.string('as')
  if (given !== undefined) return given
  if (durable !== undefined && durable !== null) return durable
  throw new RunnerError('an ephemeral consumer needs "as"')
}

function keep(st, name, consumer) {
  const printed = { stream: consumer.stream, name: printing.consumerName(consumer.config, consumer.name) }
  st.consumers.set(name, consumer)
  return printed
}

export async function createConsumer(st, a) {
  const stream = a.requiredString('stream')
  const c = (await configArg(st, stream, a, 'config')) ?? {}
  const consumer = await st.getClient().createConsumer(stream, c)
  return keep(st, alias(a, consumer.config.durableName), consumer)
}

export async function updateConsumer(st, a) {
  const stream = a.requiredString('stream')
  const c = (await configArg(st, stream, a, 'config')) ?? {}
  const consumer = await st.getClient().updateConsumer(stream, c)
  return keep(st, alias(a, consumer.config.durableName), consumer)
}

export async function getOrCreateConsumer(st, a) {
  const stream = a.requiredString('stream')
  const c = (await configArg(st, stream, a, 'config')) ?? {}
  const consumer = await st.getClient().getOrCreateConsumer(stream, c)
  return keep(st, alias(a, consumer.config.durableName), consumer)
}

export async function bindConsumer(st, a) {
  const stream = a.requiredString('stream')
  const name = a.requiredString('name')
  const expected = await configArg(st, stream, a, 'expected')
  const consumer = await st.getClient().bindConsumer(stream, name, expected)
  return keep(st, alias(a, name), consumer)
}

/**
 * By `consumer` alias, or by `stream` and `name`. With `wait_for`, re-reads
 * every 50 ms (up to `timeout_ms`, default 5000) until each listed state
 * field has the given value, then prints the last info.
 */
export async function consumerInfo(st, a) {
  const raw = a.raw('wait_for')
  const waitFor = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : undefined
  const timeoutMs = a.u64('timeout_ms') ?? 5000
  let stream
  let name
  const given = a.string('consumer')
  if (given !== undefined) {
    const c = st.consumer(given)
    stream = c.stream
    name = c.name
  } else {
    stream = a.requiredString('stream')
    name = a.requiredString('name')
  }
  const client = st.getClient()
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const info = await client.consumerInfo(stream, name)
    const state = printing.consumerState(info)
    const settled =
      waitFor === undefined || Object.entries(waitFor).every(([k, v]) => Object.hasOwn(state, k) && state[k] === v)
    if (settled || performance.now() >= deadline) return printing.consumerInfo(info)
    await delay(50)
  }
}

export async function deleteConsumer(st, a) {
  const stream = a.requiredString('stream')
  const name = a.requiredString('name')
  await st.getClient().deleteConsumer(stream, name)
  return {}
}

/** Up to max_messages (default 1) within max_wait_ms (default 5000); zero messages is a result. */
export async function fetch(st, a) {
  const alias = a.requiredString('consumer')
  const options = {
    maxMessages: a.u64('max_messages'),
    maxWaitMs: a.millis('max_wait_ms'),
    maxBytes: a.u64('max_bytes'),
    noWait: a.bool('no_wait'),
    heartbeatMs: a.millis('heartbeat_ms'),
  }
  const batch = await st.consumer(alias).fetch(options)
  const printed = printing.messages(batch)
  st.remember(alias, batch)
  return printed
}
