// Object-store watches (SPEC.md §4.11), through the binding's ObjectWatch,
// exactly as kv.mjs drives a KvWatch.
import { OBJECT_CAUGHT_UP, OPTIONS } from '../binding.mjs'
import * as printing from '../printing.mjs'
import { read } from '../record.mjs'

/** `obj_watch`: the declared ObjectWatchOptions (record.mjs) for `store.watch(options)`, stored as `as`. */
export async function objWatch(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  const options = read(OPTIONS.objectWatchOptions, a)
  const alias = a.requiredString('as')
  st.objectWatches.set(alias, await store.watch(options))
  return {}
}

/** `obj_watch_next`: up to `max` (default 1) events within `wait_ms` (default 2000) in total. */
export async function objWatchNext(st, a) {
  const w = st.objectWatch(a.requiredString('from'))
  const max = a.u64('max') ?? 1
  const waitMs = a.millis('wait_ms') ?? 2000
  const deadline = performance.now() + waitMs
  const events = []
  while (events.length < max) {
    const got = await w.next({ timeoutMs: Math.max(0, deadline - performance.now()) })
    if (got === null) break
    events.push(got === OBJECT_CAUGHT_UP ? { kind: 'caught_up', info: null } : { kind: 'info', info: printing.objectInfo(got) })
  }
  return { events }
}

export async function objWatchStop(st, a) {
  st.objectWatch(a.requiredString('from')).stop()
  return {}
}
