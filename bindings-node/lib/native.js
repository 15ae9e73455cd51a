'use strict'
// Loads the native addon (through the loader napi-rs generates) and hands it
// the JetBridgeError class, so that every native error is one.
const native = require('../native.js')
const { JetBridgeError } = require('./errors.js')

native.registerErrorClass(JetBridgeError)

module.exports = native
