// The Node binding under test, by its public entry point (bindings-node/README.md:
// `import { connect } from 'jetbridge'`; here by relative path into the repository).
// Besides it, only lib/types.js is read: the option types jb-gen generates from the
// core's declarations, for the names of each declared type's options (KEYS), so that a
// new option needs no edit in this runner. Nothing else of the binding (never the rest
// of lib/ or the native module) is used.
import types from '../../../../bindings-node/lib/types.js'

export * from '../../../../bindings-node/index.mjs'

/**
 * Every option of each declared type, by its JavaScript name (`ackWaitMs`):
 * `KEYS.consumerConfig`, `KEYS.streamConfig`, `KEYS.fetchOptions`,
 * `KEYS.messagesOptions`, `KEYS.publisherOptions`, `KEYS.purgeOptions`.
 */
export const KEYS = Object.fromEntries(Object.entries(types).map(([type, checkers]) => [type, Object.keys(checkers)]))

/**
 * A JavaScript name as the scenarios and transcripts write it: snake case
 * (`ackWaitMs` → `ack_wait_ms`, `durableName` → `durable_name`). Its camel case is
 * the JavaScript name again.
 */
export const snakeCase = (name) => name.replace(/[A-Z]/g, (ch) => '_' + ch.toLowerCase())
