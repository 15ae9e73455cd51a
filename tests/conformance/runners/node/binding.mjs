// The Node binding under test, by its public entry point (bindings-node/README.md:
// `import { connect } from 'jetbridge'`; here by relative path into the repository).
// Besides it, only lib/types.js is read: the option types jb-gen generates from the
// core's declarations, for the names and kinds of each declared type's options
// (OPTIONS), so that a new option needs no edit in this runner. Nothing else of the
// binding (never the rest of lib/ or the native module) is used.
import types from '../../../../bindings-node/lib/types.js'

export * from '../../../../bindings-node/index.mjs'

/**
 * Every option of each declared type, by its JavaScript name (`ackWaitMs`), with its
 * kind: the name of its generated checker (`string`, `number`, `boolean`,
 * `stringArray`, `numberArray`, `start`, `stringMap`, `time`). `OPTIONS.consumerConfig`,
 * `OPTIONS.streamConfig`, `OPTIONS.fetchOptions`, `OPTIONS.messagesOptions`,
 * `OPTIONS.publisherOptions`, `OPTIONS.purgeOptions`, `OPTIONS.getMessagesOptions`, and results': `OPTIONS.consumerPauseState`, `OPTIONS.accountInfo`.
 */
export const OPTIONS = Object.fromEntries(Object.entries(types).map(([type, checkers]) => [type, optionsOf(checkers)]))

/**
 * A declared type's options and kinds; a nested declared type's kind is
 * `{ options, many }` (its own options; `many`: a list of them).
 */
function optionsOf(checkers) {
  const kind = (check) => (check.schema ? { options: optionsOf(check.schema), many: check.many === true } : check.name)
  return Object.fromEntries(Object.entries(checkers).map(([name, check]) => [name, kind(check)]))
}

/**
 * A JavaScript name as the scenarios and transcripts write it: snake case
 * (`ackWaitMs` → `ack_wait_ms`, `durableName` → `durable_name`). Its camel case is
 * the JavaScript name again.
 */
export const snakeCase = (name) => name.replace(/[A-Z]/g, (ch) => '_' + ch.toLowerCase())
