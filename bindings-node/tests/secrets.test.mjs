// Secrets never appear in toString, inspect, or error messages.
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { after, before, test } from 'node:test'

import { connect, DaprConfig } from '../index.mjs'
import { Harness } from './helpers.mjs'

let h

before(async () => {
  h = await Harness.start({ auth: 'user' })
})

after(async () => {
  await h?.stop()
})

const shown = (x) => `${String(x)} ${inspect(x, { depth: 10, showHidden: true })}`

test('credentials in the URL or in auth are never shown', async () => {
  const { user, password } = h.auth
  const port = h.servers[0].port
  const inUrl = await connect(`nats://${user}:${password}@127.0.0.1:${port}`)
  const inAuth = await connect({ servers: h.urls, auth: { user, password } })
  try {
    for (const c of [inUrl, inAuth]) {
      const text = shown(c)
      assert.ok(!text.includes(password), text)
      assert.match(text, /connected: true/)
    }
    assert.match(shown(inUrl), /\[REDACTED\]@127\.0\.0\.1/)
  } finally {
    await inUrl.close()
    await inAuth.close()
  }
  const both = connect({ servers: `nats://${user}:${password}@127.0.0.1:${port}`, auth: { user, password } })
  await assert.rejects(both, (e) => e.code === 'INVALID_ARGUMENT' && !shown(e).includes(password))
})

test('a wrong password is AUTH without the password in the message', async () => {
  const { user, wrong_secret: wrong } = h.auth
  const port = h.servers[0].port
  for (const options of [`nats://${user}:${wrong}@127.0.0.1:${port}`, { servers: h.urls, auth: { user, password: wrong } }]) {
    let error
    await assert.rejects(connect(options), (e) => {
      error = e
      return true
    })
    assert.equal(error.code, 'AUTH')
    assert.ok(!shown(error).includes(wrong), shown(error))
  }
})

test('DaprConfig descriptions redact token, jwt and seed', () => {
  const cfg = DaprConfig.fromMetadata({
    natsURL: 'nats://u:urlsecret@127.0.0.1:4222',
    jwt: 'eyJ-jwt-secret',
    seedKey: 'SUAGMJH5XLGZKQQWAWKRZJIGMOU4HPFUYLXJMXOO5NLFEO2OOQJ5LPRDPM',
  })
  const text = shown(cfg)
  for (const secret of ['urlsecret', 'eyJ-jwt-secret', 'SUAGMJH5']) assert.ok(!text.includes(secret), text)
  assert.deepEqual(cfg.servers, ['nats://[REDACTED]@127.0.0.1:4222'])
})
