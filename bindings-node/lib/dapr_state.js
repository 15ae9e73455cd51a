'use strict'
// Configuration in the Dapr `state.jetstream` vocabulary, parsed by the
// core: a metadata object or a component YAML file. Pass the result to
// connect() and its bucket to client.keyValue() (opened, never created, as
// the component does); daprStateKey() gives the key the component stores a
// Dapr state key under.
const { inspect } = require('node:util')
const native = require('./native.js')
const check = require('./check.js')
const { metadataPairs } = require('./dapr.js')

const token = Symbol('DaprStateConfig')

class DaprStateConfig {
  #native

  /** @internal Use DaprStateConfig.fromMetadata / fromYaml / fromYamlFile. */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use DaprStateConfig.fromMetadata(), fromYaml() or fromYamlFile()')
    this.#native = n
  }

  /**
   * From Dapr metadata ({ natsURL, bucket, ... }); values may be strings,
   * numbers or booleans. Unknown keys, missing required ones and bad values
   * are INVALID_ARGUMENT naming the key.
   */
  static fromMetadata(metadata) {
    return new DaprStateConfig(token, native.NativeDaprStateConfig.fromMetadata(metadataPairs(metadata)))
  }

  /** From the text of a Dapr component YAML document (spec.type state.jetstream). */
  static fromYaml(text) {
    check.string('text', text)
    return new DaprStateConfig(token, native.NativeDaprStateConfig.fromYaml(text))
  }

  /** From a Dapr component YAML file. */
  static fromYamlFile(path) {
    check.string('path', path)
    return new DaprStateConfig(token, native.NativeDaprStateConfig.fromYamlFile(path))
  }

  /** Server URLs, credentials redacted. */
  get servers() {
    return this.#native.servers
  }

  /** Connection name (the component's default when not given). */
  get name() {
    return this.#native.name
  }

  /**
   * Which credentials the connection uses: 'none', 'token', 'userPassword',
   * 'nkey', 'jwt' or 'credsFile' (the mode only, never a secret).
   */
  get authMode() {
    return this.#native.authMode
  }

  /** Whether a TLS client certificate (mutual TLS) is configured. */
  get hasClientCert() {
    return this.#native.hasClientCert
  }

  /** The JetStream API prefix that domain / apiPrefix select ('$JS.API' when neither is given). */
  get jsApiPrefix() {
    return this.#native.jsApiPrefix
  }

  /** The key-value bucket holding the state. */
  get bucket() {
    return this.#native.bucket
  }

  /** @internal The native config of `v`, or undefined when `v` is not a DaprStateConfig. */
  static nativeOf(v) {
    return typeof v === 'object' && v !== null && #native in v ? v.#native : undefined
  }

  /** A description with every secret redacted. */
  toString() {
    return this.#native.describe()
  }

  [inspect.custom]() {
    return this.toString()
  }
}

/** The bucket key the component stores Dapr state key `key` under ('app||key' -> 'app.key'). */
function daprStateKey(key) {
  check.string('key', key)
  return native.daprStateKey(key)
}

module.exports = { DaprStateConfig, daprStateKey }
