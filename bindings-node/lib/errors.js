'use strict'
// The JavaScript side of the core's error taxonomy. Native code builds
// every error as a `JetBridgeError` (see src/error.rs): `code` is the core's
// stable ErrorKind name, `retryable` the core's verdict, `apiCode` the
// server's JetStream err_code when there was one, `message` the core's text
// "KIND: message". The message never contains secrets.

/** Every error code, in the core's number order (1..). */
const ERROR_CODES = Object.freeze(require('../native.js').errorCodes())

/** `ErrorCode.TIMEOUT === 'TIMEOUT'`, for every code. */
const ErrorCode = Object.freeze(Object.fromEntries(ERROR_CODES.map((c) => [c, c])))

/** An error reported by JetBridge (every failure that is not a TypeError). */
class JetBridgeError extends Error {
  /**
   * @param {string} message what went wrong
   * @param {string} code one of ERROR_CODES
   * @param {boolean} retryable whether the same call may succeed later
   * @param {number|null|undefined} apiCode the server's JetStream err_code
   */
  constructor(message, code, retryable, apiCode) {
    super(message)
    this.name = 'JetBridgeError'
    this.code = code
    this.retryable = Boolean(retryable)
    if (apiCode !== undefined && apiCode !== null) this.apiCode = apiCode
  }
}

module.exports = { JetBridgeError, ErrorCode, ERROR_CODES }
