'use strict'
// The shape of every options object, mirroring the core's option structs in
// camelCase (durations in milliseconds, suffixed `Ms`). Only types are
// checked here; ranges, names and combinations are checked by the core.
const c = require('./check.js')

const tls = {
  required: c.boolean,
  caFile: c.string,
  clientCert: c.string,
  clientKey: c.string,
  handshakeFirst: c.boolean,
}

const auth = {
  token: c.string,
  user: c.string,
  password: c.string,
  nkeySeed: c.string,
  jwt: c.string,
  seed: c.string,
  credsFile: c.string,
}

const connect = {
  servers: (name, v) => (typeof v === 'string' ? [v] : c.stringArray(name, v)),
  name: c.string,
  auth: c.nested(auth),
  tls: c.nested(tls),
  maxReconnects: c.number,
  connectTimeoutMs: c.number,
  requestTimeoutMs: c.number,
  pingIntervalMs: c.number,
  publishRetryBudgetMs: c.number,
  publishAckTimeoutMs: c.number,
  domain: c.string,
  apiPrefix: c.string,
  inboxPrefix: c.string,
}

const purge = { subject: c.string, upToSequence: c.number, keep: c.number }

const expect = {
  stream: c.string,
  lastSequence: c.number,
  lastMsgId: c.string,
  lastSubjectSequence: c.number,
}

const publish = { msgId: c.string, headers: c.headers, expect: c.nested(expect) }

/** One message of a batch: { subject, data, msgId?, headers?, expect? }. */
const batchMessage = { subject: c.string, data: c.payload, ...publish }

const publisher = { maxInFlight: c.number, maxInFlightBytes: c.number }

const { consumerConfig, streamConfig } = require('./types.js')

const fetch = {
  maxMessages: c.number,
  maxWaitMs: c.number,
  maxBytes: c.number,
  noWait: c.boolean,
  heartbeatMs: c.number,
}

const messages = {
  batch: c.number,
  maxBytes: c.number,
  expiresMs: c.number,
  heartbeatMs: c.number,
  thresholdPercent: c.number,
}

const replay = {
  start: c.start,
  filterSubjects: c.stringArray,
  speed: c.string,
  messages: c.nested(messages),
}

module.exports = {
  batchMessage,
  connect,
  consumerConfig,
  fetch,
  messages,
  publish,
  publisher,
  purge,
  replay,
  streamConfig,
}
