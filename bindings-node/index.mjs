// ESM entry point: the same objects as the CommonJS entry (index.js).
import jetbridge from './index.js'

export const {
  connect,
  configureRuntime,
  Client,
  Consumer,
  DaprConfig,
  ERROR_CODES,
  ErrorCode,
  JetBridgeError,
  Message,
  MessageStream,
  Publisher,
  version,
} = jetbridge

export default jetbridge
