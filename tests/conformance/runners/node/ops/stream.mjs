// Stream administration: create, update, info, delete, purge, get message.
import { Unsupported } from '../outcome.mjs'
import * as printing from '../printing.mjs'

function choice(a, key, allowed) {
  const value = a.string(key)
  if (value !== undefined && !allowed.includes(value)) throw new Unsupported(`${key} ${JSON.stringify(value)}`)
  return value
}

/** A StreamConfig of the binding from the step's arguments. */
function config(a) {
  return {
    name: a.requiredString('name'),
    subjects: a.strings('subjects') ?? [],
    storage: choice(a, 'storage', ['file', 'memory']),
    retention: choice(a, 'retention', ['limits', 'interest', 'workqueue']),
    discard: choice(a, 'discard', ['old', 'new']),
    replicas: a.u64('replicas'),
    maxMsgs: a.i64('max_msgs'),
    maxBytes: a.i64('max_bytes'),
    maxMsgsPerSubject: a.i64('max_msgs_per_subject'),
    maxMsgSize: a.i64('max_msg_size'),
    maxAgeMs: a.millis('max_age_ms'),
    duplicateWindowMs: a.millis('duplicate_window_ms'),
    description: a.string('description'),
  }
}

export async function createStream(st, a) {
  const c = config(a)
  return printing.streamInfo(await st.getClient().createStream(c))
}

export async function updateStream(st, a) {
  const c = config(a)
  return printing.streamInfo(await st.getClient().updateStream(c))
}

export async function streamInfo(st, a) {
  const name = a.requiredString('name')
  return printing.streamInfo(await st.getClient().streamInfo(name))
}

export async function deleteStream(st, a) {
  const name = a.requiredString('name')
  await st.getClient().deleteStream(name)
  return {}
}

export async function purgeStream(st, a) {
  const name = a.requiredString('name')
  const options = { subject: a.string('subject'), upToSequence: a.u64('up_to_sequence'), keep: a.u64('keep') }
  return { purged: await st.getClient().purgeStream(name, options) }
}

export async function getMessage(st, a) {
  const stream = a.requiredString('stream')
  const seq = a.requiredU64('seq')
  return printing.stored(await st.getClient().getMessage(stream, seq))
}

export async function getLastMessage(st, a) {
  const stream = a.requiredString('stream')
  const subject = a.requiredString('subject')
  return printing.stored(await st.getClient().getLastMessage(stream, subject))
}

export async function streamBySubject(st, a) {
  const subject = a.requiredString('subject')
  return { stream: await st.getClient().streamBySubject(subject) }
}
