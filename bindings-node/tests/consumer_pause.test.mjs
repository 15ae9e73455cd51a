// Pausing, resuming and unpinning a running consumer (nats-server 2.11+):
// client.pauseConsumer / resumeConsumer resolve with the declared
// ConsumerPauseState (pauseUntil a Date, pauseRemainingMs a number);
// client.unpinConsumer. SERVER_TOO_OLD on an older server: errors.test.mjs.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { freshStream, rejectsWith, useServerAndClient } from './helpers.mjs'

let client
useServerAndClient((_, c) => {
  client = c
})

const typeError = (pattern) => (e) => e instanceof TypeError && pattern.test(e.message)

describe('pause and resume', () => {
  test('a paused consumer delivers nothing until resumed', async () => {
    const s = await freshStream(client)
    const c = await client.createConsumer(s, { durableName: 'D' })
    await client.publish(`${s}.a`, 'one')

    const until = new Date(Date.now() + 3_600_000)
    const paused = await client.pauseConsumer(s, 'D', until)
    assert.equal(paused.paused, true)
    assert.ok(paused.pauseUntil instanceof Date, `${paused.pauseUntil}`)
    assert.equal(paused.pauseUntil.getTime(), until.getTime())
    assert.equal(typeof paused.pauseRemainingMs, 'number')
    assert.ok(paused.pauseRemainingMs > 3_500_000, `${paused.pauseRemainingMs}`)
    assert.equal((await client.consumerInfo(s, 'D')).config.pauseUntil.getTime(), until.getTime())
    assert.deepEqual(await c.fetch({ maxMessages: 1, maxWaitMs: 300 }), [], 'paused')

    const resumed = await client.resumeConsumer(s, 'D')
    assert.deepEqual(resumed, { paused: false }, 'no pauseUntil or pauseRemainingMs when not paused')
    const got = await c.fetch({ maxMessages: 1, maxWaitMs: 3000 })
    assert.deepEqual(got.map((m) => m.text()), ['one'], 'delivers again after resume')
    got[0].ack()
  })

  test('a time in the past is INVALID_ARGUMENT; a missing consumer is NOT_FOUND', async () => {
    const s = await freshStream(client)
    await client.createConsumer(s, { durableName: 'D' })
    const e = await rejectsWith(assert, client.pauseConsumer(s, 'D', new Date(Date.now() - 1000)), 'INVALID_ARGUMENT')
    assert.match(e.message, /pause_until/)
    // A Date beyond what Unix nanoseconds hold (after 2262).
    const far = await rejectsWith(assert, client.pauseConsumer(s, 'D', new Date('3000-01-01T00:00:00Z')), 'INVALID_ARGUMENT')
    assert.match(far.message, /until/)
    const later = new Date(Date.now() + 60_000)
    await rejectsWith(assert, client.pauseConsumer(s, 'MISSING', later), 'NOT_FOUND')
    await rejectsWith(assert, client.resumeConsumer(s, 'MISSING'), 'NOT_FOUND')
    await rejectsWith(assert, client.pauseConsumer(s, 'bad name', later), 'INVALID_ARGUMENT')
  })

  test('wrong argument types are TypeErrors', async () => {
    await assert.rejects(client.pauseConsumer('S', 'D', Date.now() + 1000), typeError(/^until must be a valid Date, got a number/))
    await assert.rejects(client.pauseConsumer('S', 'D', new Date('soon')), typeError(/^until must be a valid Date, got an invalid Date/))
    await assert.rejects(client.pauseConsumer('S', 'D'), typeError(/^until must be a valid Date, got undefined/))
    await assert.rejects(client.pauseConsumer(1, 'D', new Date()), typeError(/^stream must be a string/))
    await assert.rejects(client.resumeConsumer('S', null), typeError(/^name must be a string, got null/))
    await assert.rejects(client.unpinConsumer('S', 'D', 5), typeError(/^group must be a string, got a number/))
  })
})

describe('unpin', () => {
  test("unpins a pinned_client consumer's group; an unknown group is INVALID_ARGUMENT", async () => {
    const s = await freshStream(client)
    await client.createConsumer(s, { durableName: 'PIN', priorityGroups: ['jobs'], priorityPolicy: 'pinned_client' })
    assert.equal(await client.unpinConsumer(s, 'PIN', 'jobs'), undefined)
    await rejectsWith(assert, client.unpinConsumer(s, 'PIN', 'other'), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.unpinConsumer(s, 'PIN', 'bad group'), 'INVALID_ARGUMENT')
    await rejectsWith(assert, client.unpinConsumer(s, 'MISSING', 'jobs'), 'NOT_FOUND')
  })
})
