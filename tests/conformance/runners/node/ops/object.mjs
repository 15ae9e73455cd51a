// Object stores (SPEC.md §4.11), through the binding's ObjectStore: `obj_put`
// hands the content to put() as an async iterable of `piece`-byte pieces,
// `obj_get` reads get()'s Readable with read(piece).
import { OPTIONS } from '../binding.mjs'
import { compareCodePoints } from '../canonical.mjs'
import * as printing from '../printing.mjs'
import { read } from '../record.mjs'

const DEFAULT_PIECE = 65536

/** The `data_size` pattern: byte i is i × 31 mod 251. */
const patternByte = (i) => (i * 31) % 251

function pattern(n) {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = patternByte(i)
  return b
}

/** The content in pieces of `piece` bytes, one at a time, as a stream source yields them. */
async function* pieces(content, piece) {
  for (let at = 0; at < content.length; at += piece) yield content.subarray(at, at + piece)
}

export async function objCreate(st, a) {
  const c = a.object('config')
  const cfg = c === undefined ? {} : read(OPTIONS.objectStoreConfig, c)
  const store = await st.getClient().createObjectStore(cfg)
  st.objectStores.set(a.string('as') ?? cfg.bucket, store)
  return { bucket: store.bucket }
}

/** OBJ_STATUS: the declared ObjectStoreStatus as the generic record printer prints it, without `bytes`. */
function status(s) {
  const { bytes: _, ...out } = printing.record(OPTIONS.objectStoreStatus, s)
  return out
}

export async function objStatus(st, a) {
  return status(await st.getClient().objectStoreStatus(a.requiredString('bucket')))
}

export async function objNames(st) {
  return { names: await st.getClient().objectStoreNames() }
}

export async function objSeal(st, a) {
  return status(await st.objectStore(a.requiredString('from')).seal())
}

export async function objOpen(st, a) {
  const bucket = a.requiredString('bucket')
  const store = await st.getClient().objectStore(bucket)
  st.objectStores.set(a.string('as') ?? bucket, store)
  return { bucket: store.bucket }
}

export async function objDeleteStore(st, a) {
  await st.getClient().deleteObjectStore(a.requiredString('bucket'))
  return {}
}

export async function objPut(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  const name = a.requiredString('name')
  const description = a.string('description')
  const metadata = a.stringMap('metadata')
  const size = a.u64('data_size')
  const content = size !== undefined ? pattern(size) : Buffer.from(a.string('data') ?? '')
  const piece = Math.max(1, a.u64('piece') ?? DEFAULT_PIECE)
  const given = Object.entries({ description, metadata }).filter(([, v]) => v !== undefined)
  const options = given.length === 0 ? undefined : Object.fromEntries(given)
  return printing.objectInfo(await store.put(name, pieces(content, piece), options))
}

/** Reads `stream` with read(piece) as the 'readable' events come, handing each piece to `sink`. */
function readPieces(stream, piece, sink) {
  return new Promise((resolve, reject) => {
    stream.once('error', reject)
    stream.once('end', resolve)
    stream.on('readable', () => {
      let chunk
      while ((chunk = stream.read(piece)) !== null) sink(chunk)
    })
  })
}

export async function objGet(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  const name = a.requiredString('name')
  const piece = Math.max(1, a.u64('piece') ?? DEFAULT_PIECE)
  const { info, stream } = await store.get(name)
  let bytes = 0
  let matches = true
  const head = []
  await readPieces(stream, piece, (chunk) => {
    for (let i = 0; i < chunk.length && matches; i++) matches = chunk[i] === patternByte(bytes + i)
    if (bytes <= 64) head.push(chunk.subarray(0, 65 - bytes))
    bytes += chunk.length
  })
  return {
    info: printing.objectInfo(info),
    bytes,
    data: bytes <= 64 ? Buffer.concat(head).toString('utf8') : null,
    pattern: matches,
  }
}

export async function objInfo(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  return printing.objectInfo(await store.info(a.requiredString('name')))
}

export async function objDelete(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  await store.delete(a.requiredString('name'))
  return {}
}

export async function objList(st, a) {
  const store = st.objectStore(a.requiredString('from'))
  const list = await store.list()
  list.sort((x, y) => compareCodePoints(x.name, y.name))
  return { objects: list.map(printing.objectInfo) }
}
