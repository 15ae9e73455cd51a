// Shared test helpers: a real nats-server from the project's harness, unique
// names, and bounded waits. Every wait has a deadline.
import { after, before } from 'node:test'

import { Harness } from '../../tests/harness/node/harness.mjs'

export { Harness }

let counter = 0
/** A name unique within this test process, usable as a stream/consumer name. */
export function uniq(prefix = 'T') {
  counter += 1
  return `${prefix}${process.pid}_${counter}`
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes; returns the last value. */
export async function eventually(fn, { timeoutMs = 10_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    last = await fn()
    if (last) return last
    await sleep(intervalMs)
  }
  return last
}

/**
 * Metadata without the server's own keys: nats-server 2.11+ adds `_nats.*`
 * entries (its version and API level) to every stream's and consumer's.
 */
export function ownMetadata(m) {
  return Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => !k.startsWith('_nats.')))
}

/** Expects `promise` to reject with a JetBridgeError of `code`; returns the error. */
export async function rejectsWith(assert, promise, code) {
  let error
  await assert.rejects(promise, (e) => {
    error = e
    return true
  })
  assert.equal(error?.name, 'JetBridgeError', `expected a JetBridgeError, got ${error}`)
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`)
  return error
}

/** Expects `fn()` to throw a JetBridgeError of `code`; returns the error. */
export function throwsWith(assert, fn, code) {
  let error
  assert.throws(fn, (e) => {
    error = e
    return true
  })
  assert.equal(error?.name, 'JetBridgeError', `expected a JetBridgeError, got ${error}`)
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`)
  return error
}

/** Creates a fresh stream capturing `<name>.>` and returns its name. */
export async function freshStream(client, config = {}) {
  const name = config.name ?? uniq('S')
  await client.createStream({ name, subjects: [`${name}.>`], ...config })
  return name
}

/**
 * Registers the file's before/after hooks: one server (harness options
 * `serverOptions`) and one client connected to it (`connectTo(urls)` builds
 * the connect argument; default: the first URL). `onReady(h, client)`
 * receives both; after the file's tests the client closes and the server
 * stops.
 */
export function useServerAndClient(onReady, { serverOptions, connectTo = (urls) => urls[0] } = {}) {
  let server
  let client
  before(async () => {
    // Imported here, not at the top: files that never connect (package.test.mjs
    // repacks the addon) must not have it loaded.
    const { connect } = await import('../index.mjs')
    server = await Harness.start(serverOptions)
    client = await connect(connectTo(server.urls))
    onReady(server, client)
  })
  after(async () => {
    await client?.close()
    await server?.stop()
  })
}
