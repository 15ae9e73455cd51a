// The Node binding under test, by its public entry point (bindings-node/README.md:
// `import { connect } from 'jetbridge'`; here by relative path into the repository).
// Nothing else of the binding (never lib/ or the native module) is used.
export * from '../../../../bindings-node/index.mjs'
