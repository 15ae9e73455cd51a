// Stream administration: create, update, info, list, delete, purge, get (by
// sequence, last or next on a subject, a batch) and delete a message; the
// account's usage and limits.
import { OPTIONS } from '../binding.mjs'
import * as printing from '../printing.mjs'
import { read } from '../record.mjs'

/** A StreamConfig of the binding from the step's arguments (record.mjs). */
const config = (a) => read(OPTIONS.streamConfig, a)

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

/** `list_streams` (`subject`: optional filter) → `{"names": [...]}`, in the order listed. */
export async function listStreams(st, a) {
  const subject = a.string('subject')
  const infos = await st.getClient().listStreams(subject === undefined ? undefined : { subject })
  return { names: infos.map((i) => i.config.name) }
}

export async function deleteStream(st, a) {
  const name = a.requiredString('name')
  await st.getClient().deleteStream(name)
  return {}
}

export async function purgeStream(st, a) {
  const name = a.requiredString('name')
  return { purged: await st.getClient().purgeStream(name, read(OPTIONS.purgeOptions, a)) }
}

export async function getMessage(st, a) {
  const stream = a.requiredString('stream')
  const seq = a.requiredU64('seq')
  return printing.stored(await st.getClient().getMessage(stream, seq))
}

/** `delete_message` → `{}`; `erase` passed only when given (absent: the binding's default). */
export async function deleteMessage(st, a) {
  const stream = a.requiredString('stream')
  const seq = a.requiredU64('seq')
  const erase = a.bool('erase')
  await st.getClient().deleteMessage(stream, seq, erase === undefined ? undefined : { erase })
  return {}
}

export async function getLastMessage(st, a) {
  const stream = a.requiredString('stream')
  const subject = a.requiredString('subject')
  return printing.stored(await st.getClient().getLastMessage(stream, subject))
}

/** `get_next_message` → STORED: the first message at or after `seq` on `subject`. */
export async function getNextMessage(st, a) {
  const stream = a.requiredString('stream')
  const subject = a.requiredString('subject')
  const seq = a.requiredU64('seq')
  return printing.stored(await st.getClient().getNextMessage(stream, subject, seq))
}

/** `get_messages` (the declared GetMessagesOptions, read generically) → STORED_LIST. */
export async function getMessages(st, a) {
  const stream = a.requiredString('stream')
  const list = await st.getClient().getMessages(stream, read(OPTIONS.getMessagesOptions, a))
  return { count: list.length, messages: list.map(printing.stored) }
}

export async function streamBySubject(st, a) {
  const subject = a.requiredString('subject')
  return { stream: await st.getClient().streamBySubject(subject) }
}

/** `account_info` → ACCOUNT_INFO. */
export async function accountInfo(st) {
  return printing.accountInfo(await st.getClient().accountInfo())
}
