// Consumer administration and fetch.
import { setTimeout as delay } from 'node:timers/promises'
import { OPTIONS } from '../binding.mjs'
import { RunnerError } from '../outcome.mjs'
import * as printing from '../printing.mjs'
import { date, read } from '../record.mjs'
import { start as startPosition } from './start.mjs'

/**
 * A ConsumerConfig of the binding from a scenario's `config` object (record.mjs).
 * `start` is START (start.mjs); `deliver_subject` is never given (the binding makes
 * it for push consumers), so it is an unknown argument.
 */
export async function config(client, stream, a) {
  const c = read(OPTIONS.consumerConfig, a, ['start', 'deliverSubject'])
  const s = a.object('start')
  if (s !== undefined) c.start = await startPosition(client, stream, s)
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

/** `list_consumers` → `{"names": [...]}`, in the order listed. */
export async function listConsumers(st, a) {
  const stream = a.requiredString('stream')
  return { names: (await st.getClient().listConsumers(stream)).map((i) => i.name) }
}

/**
 * `pause_consumer`: until `until` (Unix nanoseconds; a Date for the binding, whole
 * milliseconds rounded down) → PAUSE_STATE.
 */
export async function pauseConsumer(st, a) {
  const stream = a.requiredString('stream')
  const name = a.requiredString('name')
  const until = date(a.nanos('until') ?? fail('argument until is required'))
  return printing.pauseState(await st.getClient().pauseConsumer(stream, name, until))
}

/** `resume_consumer` → PAUSE_STATE. */
export async function resumeConsumer(st, a) {
  const stream = a.requiredString('stream')
  const name = a.requiredString('name')
  return printing.pauseState(await st.getClient().resumeConsumer(stream, name))
}

/** `unpin_consumer` → `{}`. */
export async function unpinConsumer(st, a) {
  const stream = a.requiredString('stream')
  const name = a.requiredString('name')
  const group = a.requiredString('group')
  await st.getClient().unpinConsumer(stream, name, group)
  return {}
}

function fail(message) {
  throw new RunnerError(message)
}

/**
 * Up to max_messages (default 1) within max_wait_ms (default 5000); zero messages is a result.
 * `cancel_after_ms` aborts the fetch that long after it started, the way Node cancels a
 * call: `{ signal: AbortSignal.timeout(ms) }`; the binding then rejects with a
 * DOMException named `AbortError`, printed `{"cancelled": true}` (SPEC.md §4.4).
 */
export async function fetch(st, a) {
  const alias = a.requiredString('consumer')
  const cancelAfter = a.millis('cancel_after_ms')
  const options = read(OPTIONS.fetchOptions, a)
  const consumer = st.consumer(alias)
  let batch
  if (cancelAfter === undefined) {
    batch = await consumer.fetch(options)
  } else {
    try {
      batch = await consumer.fetch({ ...options, signal: AbortSignal.timeout(cancelAfter) })
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return { cancelled: true }
      throw e
    }
  }
  const printed = printing.messages(batch)
  st.remember(alias, batch)
  return printed
}
