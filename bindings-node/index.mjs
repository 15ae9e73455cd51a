// ESM entry point: the same objects as the CommonJS entry (index.js).
import jetbridge from './index.js'

export const {
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
} = jetbridge

export default jetbridge
