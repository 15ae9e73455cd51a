// The shared command-line contract of the bench entries, for Node.
// Same as bench/rust/src/lib.rs (the reference): --url --op --count
// [--payload 128] [--stream S] [--window 1024] [--batch 500]; one JSON line on
// stdout; exit 0 on success, 2 on failure (message on stderr), 3 when the
// client has no such operation. Publishes go to <stream>.x; `consume` creates
// the durable `bench`; `core` publishes to bench.core. For kv-* and obj-*
// --stream is the bucket (or object store) the driver created; obj-* count in
// MiB, so msgs_per_s is MiB/s there.
import { performance } from 'node:perf_hooks'

export const EXIT_FAILED = 2
export const EXIT_UNSUPPORTED = 3
export const DURABLE = 'bench'
export const CORE_SUBJECT = 'bench.core'
export const SETTLE_TIMEOUT_MS = 60_000
const OPS = ['publish', 'publish-ids', 'latency', 'consume', 'consume-each', 'dedup', 'replay', 'core',
  'kv-put', 'kv-get', 'kv-watch', 'obj-put', 'obj-get']
/** kv-put and kv-get use the keys k.0 .. k.999. */
export const KV_KEYS = 1000
/** The one object obj-put writes and obj-get reads. */
export const OBJECT_NAME = 'bench'
export const MIB = 1024 * 1024

export function parseArgs(argv = process.argv.slice(2)) {
  const a = { url: '', op: '', count: 0, payload: 128, stream: '', window: 1024, batch: 500 }
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '')
    const value = argv[i + 1]
    if (!(key in a) || value === undefined) fail('args', `bad flag ${argv[i]}`)
    a[key] = typeof a[key] === 'number' ? Number(value) : value
  }
  if (!a.url || !OPS.includes(a.op) || !(a.count > 0)) fail('args', '--url, --op and --count are required')
  if (a.op !== 'core' && !a.stream) fail('args', '--stream is required')
  a.subject = `${a.stream}.x`
  a.data = Buffer.alloc(a.payload, 'x')
  return a
}

/** The key of kv-put's and kv-get's i-th operation. */
export const kvKey = (i) => `k.${i % KV_KEYS}`

/** Every tenth message (i % 10 === 9) repeats the previous message's id. */
export const dedupMsgId = (i) => `m${i % 10 === 9 ? i - 1 : i}`
export const uniqueMsgId = (i) => `m${i}`

export const now = () => performance.now() / 1000
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export function report(entry, args, seconds, fields) {
  return {
    entry,
    op: args.op,
    count: args.count,
    payload: args.payload,
    seconds,
    msgs_per_s: seconds > 0 ? args.count / seconds : 0,
    ...fields,
  }
}

/** p50/p99 in µs of latencies in seconds (nearest rank). */
/**
 * What a replay received, for the driver to check against the server: `received`;
 * `in_order` (each stream sequence is the previous one + 1, starting at 1);
 * `seq_checksum`, the sum of position x sequence (1-based; order-sensitive;
 * exact below 2^53, i.e. up to about 300,000 messages).
 */
export class Sequences {
  received = 0
  last = 0
  inOrder = true
  checksum = 0

  /** Records the next sequence; returns how many were received. */
  add(seq) {
    this.received++
    this.inOrder &&= seq === this.last + 1
    this.last = seq
    this.checksum += this.received * seq
    return this.received
  }

  report() {
    return { received: this.received, in_order: this.inOrder, seq_checksum: this.checksum }
  }
}

export function percentiles(lat) {
  const xs = Float64Array.from(lat).sort()
  const pick = (q) => (xs.length ? xs[Math.min(Math.max(Math.ceil(xs.length * q), 1), xs.length) - 1] * 1e6 : 0)
  return { p50_us: pick(0.5), p99_us: pick(0.99) }
}

export function emit(result) {
  process.stdout.write(JSON.stringify(result) + '\n')
}

export function unsupported(entry, args, why) {
  emit({ entry, op: args.op, unsupported: why })
  process.exit(EXIT_UNSUPPORTED)
}

export function fail(entry, what) {
  process.stderr.write(`${entry}: ${what?.stack ?? what}\n`)
  process.exit(EXIT_FAILED)
}
