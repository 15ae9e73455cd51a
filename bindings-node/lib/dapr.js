'use strict'
// Configuration in the Dapr `pubsub.jetstream` vocabulary, parsed by the
// core: a metadata object or a component YAML file. Pass the result to
// connect() and to client.subscribe(topic, config).
const { inspect } = require('node:util')
const native = require('./native.js')
const check = require('./check.js')
const { configFromNative } = require('./consumer.js')

const token = Symbol('DaprConfig')

/**
 * Dapr metadata as the native parsers take it: an object of strings (numbers
 * and booleans written as Dapr would); anything else is a TypeError naming the key.
 */
function metadataPairs(metadata) {
  check.plainObject('metadata', metadata)
  const pairs = {}
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') pairs[k] = String(v)
    else throw new TypeError(`metadata.${k} must be a string, number or boolean, got ${check.describe(v)}`)
  }
  return pairs
}

class DaprConfig {
  #native

  /** @internal Use DaprConfig.fromMetadata / fromYaml / fromYamlFile. */
  constructor(key, n) {
    if (key !== token) throw new TypeError('use DaprConfig.fromMetadata(), fromYaml() or fromYamlFile()')
    this.#native = n
  }

  /**
   * From Dapr metadata ({ natsURL, durableName, ... }); values may be
   * strings, numbers or booleans. Unknown keys and bad values are
   * INVALID_ARGUMENT naming the key.
   */
  static fromMetadata(metadata) {
    return new DaprConfig(token, native.NativeDaprConfig.fromMetadata(metadataPairs(metadata)))
  }

  /** From the text of a Dapr component YAML document (spec.type pubsub.jetstream). */
  static fromYaml(text) {
    check.string('text', text)
    return new DaprConfig(token, native.NativeDaprConfig.fromYaml(text))
  }

  /** From a Dapr component YAML file. */
  static fromYamlFile(path) {
    check.string('path', path)
    return new DaprConfig(token, native.NativeDaprConfig.fromYamlFile(path))
  }

  /** Server URLs, credentials redacted. */
  get servers() {
    return this.#native.servers
  }

  /** Connection name (Dapr's default when not given). */
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

  /** streamName, or null (the stream that captures the topic). */
  get streamName() {
    return this.#native.streamName
  }

  /** durableName, or null. */
  get durableName() {
    return this.#native.durableName
  }

  /** queueGroupName, or null. */
  get queueGroupName() {
    return this.#native.queueGroupName
  }

  /** 'single' or 'parallel'. */
  get concurrencyMode() {
    return this.#native.concurrencyMode
  }

  /** The subscription's consumer configuration. */
  get consumerConfig() {
    return configFromNative(this.#native.consumerConfig)
  }

  /** @internal The native config of `v`, or undefined when `v` is not a DaprConfig. */
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

module.exports = { DaprConfig, metadataPairs }
