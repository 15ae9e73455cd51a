'use strict'
// The shape of every options object, mirroring the core's option structs in
// camelCase (durations in milliseconds, suffixed `Ms`). Only types are
// checked here; ranges, names and combinations are checked by the core.
// The core's declared types (configs, fetch/messages/publisher/purge
// options) have generated checkers (types.js, by jb-gen); the rest are here.
const c = require('./check.js')
const types = require('./types.js')

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

const expect = {
  stream: c.string,
  lastSequence: c.number,
  lastMsgId: c.string,
  lastSubjectSequence: c.number,
}

const publish = { msgId: c.string, headers: c.headers, expect: c.nested(expect), ttlMs: c.number }

/** One message of a batch: { subject, data, msgId?, headers?, expect?, ttlMs? }. */
const batchMessage = { subject: c.string, data: c.payload, ...publish }

const replay = {
  start: c.start,
  filterSubjects: c.stringArray,
  speed: c.string,
  messages: c.nested(types.messagesOptions),
}

/** Client.drain: absent = the core's drain timeout. */
const drain = { timeoutMs: c.number }

/** Client.flushAcks: absent confirm = written to the connection, not confirmed. */
const flushAcks = { confirm: c.boolean }

/** Client.listStreams: absent subject = every stream. */
const listStreams = { subject: c.string }

/** Client.deleteMessage: absent erase = a plain delete. */
const deleteMessage = { erase: c.boolean }

/** Client.corePublish: { headers, reply } (absent: none). */
const corePublish = { headers: c.headers, reply: c.string }

/** Client.coreSubscribe: { queue } (absent: no queue group). */
const coreSubscribe = { queue: c.string }

/** Client.coreRequest: absent timeoutMs = the client's request timeout. */
const coreRequest = { headers: c.headers, timeoutMs: c.number }

/** KeyValue.get, delete, purge: { revision } (absent: the latest / unconditional). */
const kvRevision = { revision: c.number }

/** KeyValue.create: { ttlMs } (absent: the key lives as the bucket says). */
const kvCreate = { ttlMs: c.number }

/** KeyValue.keys: { filter } (absent: every key). */
const kvKeys = { filter: c.string }

/** KeyValue.watch: the keys (absent: every key) and the declared KvWatchOptions. */
const kvWatch = { filter: c.string, ...types.kvWatchOptions }

/** ObjectStore.put: { description, metadata } (the declared ObjectMeta without its name). */
const { name: _name, ...objectPut } = types.objectMeta

/** CoreMessage.respond: { headers }. */
const coreRespond = { headers: c.headers }

/** CoreSubscription.next, ConnectionEvents.next: absent timeoutMs = wait until something comes. */
const wait = { timeoutMs: c.number }

module.exports = {
  ...types,
  batchMessage,
  connect,
  corePublish,
  coreRequest,
  coreRespond,
  coreSubscribe,
  deleteMessage,
  drain,
  flushAcks,
  kvCreate,
  kvKeys,
  kvRevision,
  kvWatch,
  listStreams,
  objectPut,
  publish,
  replay,
  wait,
}
