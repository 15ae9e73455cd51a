// The object-store bench's content, for Node: byte j of an object is j % 251.
// patternPieces() produces it in fresh pieces of at most 64 KiB (never the
// whole object in memory); PatternCheck checks what a reader hands out, chunk
// by chunk, and keeps only the count.
export const MODULUS = 251
/** The most a source hands out at once. */
export const PIECE = 64 * 1024

const period = Uint8Array.from({ length: MODULUS }, (_, i) => i)
let pattern = Buffer.alloc(0)

/** A view (not a copy) of the n pattern bytes that start at byte `offset` of the object. */
export function expected(offset, n) {
  const start = offset % MODULUS
  if (start + n > pattern.length) {
    pattern = Buffer.alloc((Math.floor((start + n) / MODULUS) + 1) * MODULUS)
    for (let i = 0; i < pattern.length; i += MODULUS) pattern.set(period, i)
  }
  return pattern.subarray(start, start + n)
}

/** `size` pattern bytes as fresh Buffers of at most PIECE bytes each, in order. */
export function* patternPieces(size) {
  for (let pos = 0; pos < size; pos += PIECE) yield Buffer.from(expected(pos, Math.min(PIECE, size - pos)))
}

/** Checks consecutive chunks of an object against the pattern; `bytes` is how many were checked. */
export class PatternCheck {
  bytes = 0

  /** Throws on the first byte that is not the pattern's. */
  feed(chunk) {
    const got = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const want = expected(this.bytes, got.length)
    if (!got.equals(want)) {
      let i = 0
      while (got[i] === want[i]) i++
      throw new Error(`object byte ${this.bytes + i}: ${got[i]} is not ${want[i]}`)
    }
    this.bytes += got.length
  }
}
