// How results are printed: the normalisation rules of SPEC.md §3 and the
// shapes of §4.9, in one place, from the Node binding's public result types.
//
// - Timestamps are never printed, only whether they are present.
// - A generated message id (`jb-…`) prints as `<generated>`.
// - Ports, URLs, inboxes and ephemeral consumer names are never printed.
// - Headers whose name starts with `Nats-` are left out; the message id is its own field.
// - Durations print as integer milliseconds, null when unset.
// - A config's points in time (a Date here) print as integer Unix nanoseconds; maps
//   as objects of strings.
import { OPTIONS, snakeCase } from './binding.mjs'
import { compareCodePoints } from './canonical.mjs'
import { Unsupported } from './outcome.mjs'

/** Payloads longer than this print as "<N bytes>". */
export const MAX_PRINTED_DATA = 200
const MSG_ID_HEADER = 'nats-msg-id'

/** undefined (an absent optional field of the binding) as null. */
const opt = (v) => (v === undefined ? null : v)

export function msgId(value) {
  if (value === undefined || value === null) return null
  return value.startsWith('jb-') ? '<generated>' : value
}

/** A payload as text (UTF-8, invalid sequences as U+FFFD), or its size when long. */
export function data(payload) {
  if (payload.length > MAX_PRINTED_DATA) return `<${payload.length} bytes>`
  return Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('utf8')
}

/** Headers without Nats-*, sorted by name in code-point order (stable: values of one name keep their order). */
export function headers(pairs) {
  const kept = pairs.filter(([k]) => !k.toLowerCase().startsWith('nats-'))
  kept.sort((a, b) => compareCodePoints(a[0], b[0]))
  return kept.map(([k, v]) => [k, v])
}

function headerMsgId(pairs) {
  const pair = pairs.find(([k]) => k.toLowerCase() === MSG_ID_HEADER)
  return pair === undefined ? null : pair[1]
}

/**
 * Milliseconds (the binding's unit, a float computed from the core's
 * Duration) as whole milliseconds, truncated like the core's `as_millis`;
 * the rounding to a microsecond's millionth undoes the float.
 */
export function ms(value) {
  if (value === undefined || value === null) return null
  const whole = Math.round(value)
  return Math.abs(value - whole) < 1e-6 ? whole : Math.floor(value)
}

export function pubAck(ack) {
  return { stream: ack.stream, seq: ack.sequence, duplicate: ack.duplicate, msg_id: msgId(ack.msgId) }
}

export function message(m) {
  return {
    stream: m.stream,
    seq: m.streamSequence,
    consumer_seq: m.consumerSequence,
    subject: m.subject,
    data: data(m.data),
    delivered: m.delivered,
    pending: m.pending,
    headers: headers(m.headers),
    msg_id: msgId(m.msgId),
    has_timestamp: m.timestampNanos > 0n,
  }
}

export function messages(batch) {
  return { count: batch.length, messages: batch.map(message) }
}

export function stored(m) {
  return {
    seq: m.sequence,
    subject: m.subject,
    data: data(m.data),
    headers: headers(m.headers),
    msg_id: msgId(headerMsgId(m.headers)),
    has_timestamp: m.timestampNanos > 0n,
  }
}

export function streamInfo(info) {
  const s = info.state
  return {
    config: record(OPTIONS.streamConfig, info.config),
    state: {
      messages: s.messages,
      bytes: s.bytes,
      first_seq: s.firstSequence,
      last_seq: s.lastSequence,
      consumers: s.consumers,
    },
  }
}

/** The core's deliver-policy name of a public start position. */
function deliverPolicy(start) {
  if (start === undefined || start === null) return 'all'
  if (typeof start === 'string') return start === 'lastPerSubject' ? 'last_per_subject' : start
  if ('sequence' in start) return 'by_start_sequence'
  if ('time' in start) return 'by_start_time'
  throw new Unsupported(`start position ${Object.keys(start).join(', ')}`)
}

/** A Date as Unix nanoseconds (a bigint: beyond a number's exact integers). */
const nanos = (d) => (d instanceof Date ? BigInt(d.getTime()) * 1_000_000n : opt(d))

/**
 * A config or options object of the binding: every option of `options` (a generated
 * declaration's JavaScript names and kinds, OPTIONS) under its name in snake case, a
 * duration (`…Ms`, or a list of them) in whole milliseconds, a time (kind `time`) in
 * Unix nanoseconds, a map (kind `stringMap`) as an object, unset as null.
 */
export function record(options, c) {
  const out = {}
  for (const [name, kind] of Object.entries(options)) {
    const v = c[name]
    if (typeof kind === 'object') {
      const nested = (x) => record(kind.options, x)
      out[snakeCase(name)] = v === undefined || v === null ? (kind.many ? [] : null) : kind.many ? v.map(nested) : nested(v)
    } else if (kind === 'time') out[snakeCase(name)] = nanos(v)
    else if (kind === 'stringMap') out[snakeCase(name)] = v === undefined || v === null ? null : { ...v }
    else if (name.endsWith('Ms')) out[snakeCase(name)] = Array.isArray(v) ? v.map(ms) : ms(v)
    else out[snakeCase(name)] = Array.isArray(v) ? [...v] : opt(v)
  }
  return out
}

/**
 * A consumer configuration, as the server reported it or as Dapr metadata built it:
 * its options as `record` prints them (OPTIONS.consumerConfig), except `start`, printed
 * as `deliver_policy`, `opt_start_seq`, `has_start_time`, and `deliverSubject`,
 * printed as `push` (whether it is set).
 */
export function consumerConfig(c) {
  const { start, deliver_subject: deliverSubject, ...out } = record(OPTIONS.consumerConfig, c)
  const at = typeof start === 'object' && start !== null
  out.deliver_policy = deliverPolicy(start)
  out.opt_start_seq = at && 'sequence' in start ? start.sequence : null
  out.has_start_time = at && 'time' in start
  out.push = deliverSubject !== null
  return out
}

/** A consumer's name as printed: ephemeral names are generated, so hidden. */
export function consumerName(config, name) {
  return config.durableName !== undefined && config.durableName !== null ? name : '<ephemeral>'
}

export function consumerState(info) {
  return {
    delivered_consumer_seq: info.delivered.consumerSequence,
    delivered_stream_seq: info.delivered.streamSequence,
    ack_floor_consumer_seq: info.ackFloor.consumerSequence,
    ack_floor_stream_seq: info.ackFloor.streamSequence,
    num_ack_pending: info.numAckPending,
    num_redelivered: info.numRedelivered,
    num_pending: info.numPending,
  }
}

/** A consumer's configuration and progress (num_waiting is left out: timing). */
export function consumerInfo(info) {
  return {
    stream: info.stream,
    name: consumerName(info.config, info.name),
    config: consumerConfig(info.config),
    state: consumerState(info),
  }
}

/**
 * PAUSE_STATE: the declared ConsumerPauseState as `record` prints it
 * (OPTIONS.consumerPauseState), without `pause_remaining_ms` (timing).
 */
export function pauseState(s) {
  const { pause_remaining_ms: _, ...out } = record(OPTIONS.consumerPauseState, s)
  return out
}

/**
 * ACCOUNT_INFO: the declared AccountInfo as `record` prints it
 * (OPTIONS.accountInfo), without `api_total` and `api_errors` (each
 * language makes its own number of requests).
 */
export function accountInfo(a) {
  const { api_total: _total, api_errors: _errors, ...out } = record(OPTIONS.accountInfo, a)
  return out
}

export function flushReport(r) {
  return {
    acked: r.acked,
    duplicates: r.duplicates,
    failures: r.failures.map((f) => ({
      ticket: f.ticket,
      msg_id: msgId(f.msgId),
      subject: f.subject,
      error: f.error.code,
    })),
  }
}

/** The counters under the core's names: the binding's camelCase keys in snake_case. */
export function counters(c) {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [snakeCase(k), v]))
}

/** ENTRY: a KvEntry, its value as text and whether its creation time is set. */
export function kvEntry(e) {
  return {
    bucket: e.bucket,
    key: e.key,
    value: e.value.toString('utf8'),
    revision: e.revision,
    operation: e.operation,
    has_created: e.createdNanos !== 0n,
  }
}

/**
 * OBJECT_INFO: the declared ObjectInfo without its chunks' id and modification time (they
 * vary); `metadata` `{}` when none, `link` null or `{bucket, name}` (`name` null for a link
 * to a whole store).
 */
export function objectInfo(i) {
  const { nuid: _nuid, mtime: _mtime, ...out } = record(OPTIONS.objectInfo, i)
  out.metadata = out.metadata ?? {}
  return out
}
