// Start positions: { policy: all | last | last_per_subject | new | sequence |
// time, seq, after_seq, time_ns }. `time` with `after_seq` reads stored message
// N of the stream and starts 1 ns after its timestamp.
import { RunnerError, Unsupported } from '../outcome.mjs'

const NAMED = { all: 'all', last: 'last', last_per_subject: 'lastPerSubject', new: 'new' }

/** The binding's StartPosition ('all' | … | { sequence } | { time: bigint }). */
export async function start(client, stream, a) {
  const policy = a.requiredString('policy')
  if (Object.hasOwn(NAMED, policy)) return NAMED[policy]
  if (policy === 'sequence') return { sequence: a.requiredU64('seq') }
  if (policy === 'time') {
    const afterSeq = a.u64('after_seq')
    const timeNs = a.i64('time_ns')
    if (afterSeq !== undefined && timeNs === undefined) {
      const stored = await client.getMessage(stream, afterSeq)
      return { time: stored.timestampNanos + 1n }
    }
    if (afterSeq === undefined && timeNs !== undefined) return { time: BigInt(timeNs) }
    throw new RunnerError('start time needs exactly one of after_seq, time_ns')
  }
  throw new Unsupported(`start policy ${JSON.stringify(policy)}`)
}
