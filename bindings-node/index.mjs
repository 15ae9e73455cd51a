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
  ERROR_CODES,
  EVENT_KINDS,
  ErrorCode,
  JetBridgeError,
  Message,
  MessageStream,
  Publisher,
  version,
} = jetbridge

export default jetbridge
