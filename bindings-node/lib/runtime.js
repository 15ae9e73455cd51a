'use strict'
// The core runtime's size. The core owns one multi-thread runtime per
// process; its worker count is a performance choice (see the README's
// benchmark notes). Configure it before the first connect.
const native = require('./native.js')
const check = require('./check.js')

const schema = { workerThreads: check.number }

/**
 * Sets the core runtime's options ({ workerThreads }: default min(cores, 4),
 * at least 2). Only before the first connect of the process; afterwards, or
 * a second time, it throws INVALID_ARGUMENT.
 */
function configureRuntime(options) {
  const o = check.options('options', options, schema)
  if (o.workerThreads !== undefined && (!Number.isInteger(o.workerThreads) || o.workerThreads < 0 || o.workerThreads > 0xffff_ffff)) {
    throw new RangeError('options.workerThreads must be a non-negative integer')
  }
  native.configureRuntime(o.workerThreads)
}

/** JetBridge's version, from the core the addon was built from (e.g. "0.1.0"). */
function version() {
  return native.coreVersion()
}

module.exports = { configureRuntime, version }
