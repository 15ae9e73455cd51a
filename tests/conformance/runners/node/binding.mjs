// The Node binding under test, by its public entry point (bindings-node/README.md:
// `import { connect } from 'jetbridge'`; here by relative path into the repository).
// Besides it, only lib/types.js is read: the option types jb-gen generates from the
// core's declarations, for the names of a ConsumerConfig's and a StreamConfig's options
// (CONSUMER_CONFIG_KEYS, STREAM_CONFIG_KEYS), so that a new option needs no edit in this runner. Nothing else of the binding
// (never the rest of lib/ or the native module) is used.
import types from '../../../../bindings-node/lib/types.js'

export * from '../../../../bindings-node/index.mjs'

/** Every option of the binding's ConsumerConfig, by its JavaScript name (`ackWaitMs`). */
export const CONSUMER_CONFIG_KEYS = Object.keys(types.consumerConfig)

/** Every option of the binding's StreamConfig, by its JavaScript name (`maxAgeMs`). */
export const STREAM_CONFIG_KEYS = Object.keys(types.streamConfig)

/**
 * A JavaScript name as the scenarios and transcripts write it: snake case
 * (`ackWaitMs` → `ack_wait_ms`, `durableName` → `durable_name`). Its camel case is
 * the JavaScript name again.
 */
export const snakeCase = (name) => name.replace(/[A-Z]/g, (ch) => '_' + ch.toLowerCase())
