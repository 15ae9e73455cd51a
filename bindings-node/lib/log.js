'use strict'
// The core's log records into the application's logger: setLogger().
//
// Off by default. `setLogger(logger, { level })` installs one core sink
// (src/log.rs) for records at `level` (the most verbose wanted; default
// 'info') or more important. Each record calls `logger[level](line)` with
// one string, `jetbridge <topic>: <message>` (topic: connection, consumer or
// publish), so `console`, pino, winston and the like all print it as their
// message. Records reach JavaScript through a threadsafe function that never
// keeps the process alive and never blocks a core thread; they carry no
// secrets (the core redacts URLs and never formats credentials).
const native = require('./native.js')
const check = require('./check.js')

const LEVELS = ['error', 'warn', 'info', 'debug']
const DEFAULT_LEVEL = 'info'

/**
 * Sends the core's log records to `logger` (an object with methods error,
 * warn, info, debug: `console`, a pino or winston logger), at `options.level`
 * ('error' | 'warn' | 'info' | 'debug', the most verbose wanted; default
 * 'info') or more important. `setLogger(null)` turns the log off again.
 * A logger method that throws is ignored (the record is lost).
 */
function setLogger(logger, options) {
  if (check.absent(logger)) {
    native.clearLogSink()
    return
  }
  if (typeof logger !== 'object' && typeof logger !== 'function') {
    throw new TypeError(`logger must be an object with error, warn, info and debug methods, got ${check.describe(logger)}`)
  }
  const o = check.optionalOptions('options', options, { level: check.string })
  const level = o?.level ?? DEFAULT_LEVEL
  for (const name of LEVELS.slice(0, LEVELS.indexOf(level) + 1)) {
    if (typeof logger[name] !== 'function') throw new TypeError(`logger.${name} must be a function, got ${check.describe(logger[name])}`)
  }
  // The core parses the level (INVALID_ARGUMENT for an unknown one).
  // Each record arrives as one [level, topic, message] array.
  native.setLogSink(level, ([recordLevel, topic, message]) => {
    try {
      logger[recordLevel](`jetbridge ${topic}: ${message}`)
    } catch {
      // A logger must not crash the process from a core record.
    }
  })
}

module.exports = { setLogger }
