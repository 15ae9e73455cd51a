// Key-value buckets and watches (SPEC.md §4.11), through the binding's
// KeyValue and KvWatch.
import { KV_CAUGHT_UP, OPTIONS } from '../binding.mjs'
import { compareCodePoints } from '../canonical.mjs'
import * as printing from '../printing.mjs'
import { read } from '../record.mjs'

/** A KvConfig of the binding from the step's `config` object (record.mjs). */
function config(a) {
  const c = a.object('config')
  return c === undefined ? {} : read(OPTIONS.kvConfig, c)
}

export async function kvCreate(st, a) {
  const c = config(a)
  const kv = await st.getClient().createKeyValue(c)
  st.buckets.set(a.string('as') ?? c.bucket, kv)
  return { bucket: kv.bucket }
}

export async function kvCreateOrUpdate(st, a) {
  const c = config(a)
  const kv = await st.getClient().createOrUpdateKeyValue(c)
  st.buckets.set(a.string('as') ?? c.bucket, kv)
  return { bucket: kv.bucket }
}

/** KV_STATUS: the declared KvStatus as the generic record printer prints it. */
export async function kvStatus(st, a) {
  return printing.record(OPTIONS.kvStatus, await st.getClient().keyValueStatus(a.requiredString('bucket')))
}

export async function kvNames(st) {
  return { names: await st.getClient().keyValueNames() }
}

export async function kvOpen(st, a) {
  const bucket = a.requiredString('bucket')
  const kv = await st.getClient().keyValue(bucket)
  st.buckets.set(a.string('as') ?? bucket, kv)
  return { bucket: kv.bucket }
}

export async function kvDeleteBucket(st, a) {
  await st.getClient().deleteKeyValue(a.requiredString('bucket'))
  return {}
}

export async function kvPut(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  return { revision: await kv.put(a.requiredString('key'), a.requiredString('value')) }
}

export async function kvCreateKey(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const key = a.requiredString('key')
  const value = a.requiredString('value')
  const ttlMs = a.millis('ttl_ms')
  return { revision: await kv.create(key, value, ttlMs === undefined ? undefined : { ttlMs }) }
}

export async function kvUpdate(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const key = a.requiredString('key')
  const value = a.requiredString('value')
  return { revision: await kv.update(key, value, a.requiredU64('revision')) }
}

/** `{ revision }` when the step gives one (absent: the binding's default). */
function revision(a) {
  const r = a.u64('revision')
  return r === undefined ? undefined : { revision: r }
}

export async function kvDelete(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const key = a.requiredString('key')
  return { revision: await kv.delete(key, revision(a)) }
}

export async function kvPurge(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const key = a.requiredString('key')
  return { revision: await kv.purge(key, revision(a)) }
}

/** The pause between tries of a `kv_get` with `wait_ms` (SPEC.md §4.11). */
const GET_RETRY_MS = 50

/**
 * `kv_get`; with `wait_ms`, while the get is NOT_FOUND it is tried again every 50 ms
 * until that much time has passed (mirrors and sources copy in the background).
 */
export async function kvGet(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const key = a.requiredString('key')
  const options = revision(a)
  const deadline = performance.now() + (a.millis('wait_ms') ?? 0)
  for (;;) {
    try {
      return printing.kvEntry(await kv.get(key, options))
    } catch (e) {
      if (e?.code !== 'NOT_FOUND' || performance.now() + GET_RETRY_MS > deadline) throw e
    }
    await new Promise((resolve) => setTimeout(resolve, GET_RETRY_MS))
  }
}

export async function kvEntry(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const e = await kv.entry(a.requiredString('key'))
  return { entry: e === null ? null : printing.kvEntry(e) }
}

export async function kvHistory(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  return { entries: (await kv.history(a.requiredString('key'))).map(printing.kvEntry) }
}

export async function kvKeys(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const filter = a.string('filter')
  return { keys: (await kv.keys(filter === undefined ? undefined : { filter })).sort(compareCodePoints) }
}

/**
 * `kv_list_keys`: the keys of `kv.listKeys({ filter })` (absent: `kv.listKeys()`) read one
 * at a time with `for await`; after `max` keys the loop is left, which ends the listing.
 */
export async function kvListKeys(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const filter = a.string('filter')
  const max = a.u64('max')
  const keys = []
  if (max === 0) return { keys }
  for await (const key of await kv.listKeys(filter === undefined ? undefined : { filter })) {
    keys.push(key)
    if (keys.length === max) break
  }
  return { keys }
}

/** `kv_watch`: `filter` and the declared KvWatchOptions (record.mjs), stored as `as`. */
export async function kvWatch(st, a) {
  const kv = st.bucket(a.requiredString('from'))
  const options = read(OPTIONS.kvWatchOptions, a)
  const filter = a.string('filter')
  if (filter !== undefined) options.filter = filter
  const alias = a.requiredString('as')
  st.watches.set(alias, await kv.watch(options))
  return {}
}

/** `kv_watch_next`: up to `max` (default 1) events within `wait_ms` (default 2000) in total. */
export async function kvWatchNext(st, a) {
  const w = st.watch(a.requiredString('from'))
  const max = a.u64('max') ?? 1
  const waitMs = a.millis('wait_ms') ?? 2000
  const deadline = performance.now() + waitMs
  const events = []
  while (events.length < max) {
    const got = await w.next({ timeoutMs: Math.max(0, deadline - performance.now()) })
    if (got === null) break
    events.push(got === KV_CAUGHT_UP ? { kind: 'caught_up', entry: null } : { kind: 'entry', entry: printing.kvEntry(got) })
  }
  return { events }
}

export async function kvWatchStop(st, a) {
  st.watch(a.requiredString('from')).stop()
  return {}
}
