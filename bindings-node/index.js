'use strict'
// jetbridge: NATS JetStream for Node.js on the JetBridge Rust core.
const { Client, connect } = require('./lib/client.js')
const { Consumer } = require('./lib/consumer.js')
const { CoreMessage, CoreSubscription } = require('./lib/core_nats.js')
const { DaprConfig } = require('./lib/dapr.js')
const { DaprStateConfig, daprStateKey } = require('./lib/dapr_state.js')
const { ERROR_CODES, ErrorCode, JetBridgeError } = require('./lib/errors.js')
const { ConnectionEvents, EVENT_KINDS } = require('./lib/events.js')
const { KV_CAUGHT_UP, KeyValue, KvEntry, KvKeys, KvWatch } = require('./lib/kv.js')
const { MessageHeaders } = require('./lib/headers.js')
const { setLogger } = require('./lib/log.js')
const { Message } = require('./lib/message.js')
const { MessageStream } = require('./lib/message_stream.js')
const { ObjectStore } = require('./lib/object_store.js')
const { OBJECT_CAUGHT_UP, ObjectWatch } = require('./lib/object_watch.js')
const { Publisher } = require('./lib/publisher.js')
const { configureRuntime, version } = require('./lib/runtime.js')

module.exports = {
  connect,
  configureRuntime,
  Client,
  ConnectionEvents,
  Consumer,
  CoreMessage,
  CoreSubscription,
  DaprConfig,
  DaprStateConfig,
  daprStateKey,
  ERROR_CODES,
  EVENT_KINDS,
  ErrorCode,
  JetBridgeError,
  KV_CAUGHT_UP,
  KeyValue,
  KvEntry,
  KvKeys,
  KvWatch,
  Message,
  MessageHeaders,
  MessageStream,
  OBJECT_CAUGHT_UP,
  ObjectStore,
  ObjectWatch,
  Publisher,
  setLogger,
  version,
}
