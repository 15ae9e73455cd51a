// Object-store links and meta updates (SPEC.md §4.11), through the binding's
// ObjectStore: addLink(name, info), addBucketLink(name, bucket),
// updateMeta(name, meta).
import { OPTIONS } from '../binding.mjs'
import * as printing from '../printing.mjs'
import { read } from '../record.mjs'

/** `obj_add_link`: `to`'s info read from the store `to_from` (as `obj_info`), given to addLink. */
export async function objAddLink(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  const name = a.requiredString('name')
  const target = await st.objectStore(a.requiredString('to_from')).info(a.requiredString('to'))
  return printing.objectInfo(await store.addLink(name, target))
}

export async function objAddBucketLink(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  const name = a.requiredString('name')
  return printing.objectInfo(await store.addBucketLink(name, a.requiredString('bucket')))
}

/** `obj_update_meta`: `meta` read option by option from the declared ObjectMeta (record.mjs). */
export async function objUpdateMeta(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  const name = a.requiredString('name')
  const m = a.object('meta')
  const meta = m === undefined ? {} : read(OPTIONS.objectMeta, m)
  return printing.objectInfo(await store.updateMeta(name, meta))
}
