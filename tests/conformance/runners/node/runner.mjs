#!/usr/bin/env node
// `node runner.mjs SCENARIO.json`: runs one conformance scenario through the
// public API of the Node binding (bindings-node, `import ... from 'jetbridge'`)
// and prints its transcript, one canonical JSON line per step
// (tests/conformance/SPEC.md).
//
// Exit code 0 when every step was executed (whatever its outcome), 2 when the
// scenario cannot be read, 3 when the binding cannot be imported (every step
// then prints RUNNER). Diagnostics go to stderr: for each step its op, and
// for every error its message and util.inspect (secret hygiene, SPEC.md §7).
import { readFileSync, writeSync } from 'node:fs'
import { inspect } from 'node:util'
import { errorLine, line, log, StepError } from './outcome.mjs'

/** The op, args, show_text and catch of each step; expectations are the driver's business. */
function load(path) {
  const doc = JSON.parse(readFileSync(path, 'utf8'))
  const steps = typeof doc === 'object' && doc !== null ? doc.steps : undefined
  if (!Array.isArray(steps)) throw new Error(`${path}: "steps" must be a list`)
  return steps.map((step, i) => {
    const op = typeof step === 'object' && step !== null ? step.op : undefined
    if (typeof op !== 'string') throw new Error(`${path}: step ${i + 1} has no "op"`)
    const args = step.args ?? {}
    if (typeof args !== 'object' || Array.isArray(args)) {
      throw new Error(`${path}: step ${i + 1} "args" must be an object`)
    }
    return { op, args, showText: step.show_text === true, catch: step.catch === true }
  })
}

/** One transcript line on stdout, written at once (no buffering across steps). */
function emit(text) {
  writeSync(1, text + '\n')
}

/**
 * The kind a Node program's catch sees (`catch: true`, SPEC.md §2): `e instanceof
 * JetBridgeError`, then the first of the binding's `ERROR_CODES` (the core's order) that
 * its `code` equals, as a user compares it with `ErrorCode.<KIND>`; null when none does.
 */
function caughtAs(e, { JetBridgeError, ERROR_CODES }) {
  if (!(e instanceof JetBridgeError)) return null
  return ERROR_CODES.find((code) => e.code === code) ?? null
}

async function runSteps(steps, ops, binding) {
  const { JetBridgeError } = binding
  const { State } = await import('./state.mjs')
  const st = new State()
  for (const [i, { op, args, showText, catch: caught }] of steps.entries()) {
    const n = i + 1
    log(`step ${n} ${op}`)
    try {
      emit(line(n, op, await ops.run(st, op, args)))
    } catch (e) {
      if (e instanceof JetBridgeError) {
        log(`  core error: ${e.message}\n  core error inspect: ${inspect(e)}`)
        emit(
          errorLine(n, op, e.code, {
            api_code: e.apiCode,
            text: showText ? e.message : undefined,
            caught_as: caught ? caughtAs(e, binding) : undefined,
          }),
        )
      } else if (e instanceof StepError) {
        log(`  ${e.kind.toLowerCase()}: ${e.message}`)
        emit(errorLine(n, op, e.kind))
      } else {
        // anything else (a TypeError of the binding, a runner bug) is the runner's own failure
        log(`  runner error: ${inspect(e)}`)
        emit(errorLine(n, op, 'RUNNER'))
      }
    }
  }
  await st.shutdown()
}

// A rejection nobody awaited (a bug of the runner or the binding) is logged,
// not fatal: every remaining step still gets its line.
process.on('unhandledRejection', (e) => log(`  unhandled rejection: ${inspect(e)}`))

/**
 * The core's log at its most verbose level (debug), one line per record on
 * stderr as `jetbridge <level> <topic>: <message>` (never stdout: that is the
 * transcript), so the suite's secret scan of stderr reads the logs too. The
 * binding hands each record over as `jetbridge <topic>: <message>`.
 */
function logToStderr(setLogger) {
  const PREFIX = 'jetbridge '
  const at = (level) => (text) => log(`${PREFIX}${level} ${text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text}`)
  setLogger({ error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, { level: 'debug' })
}

async function main(argv) {
  if (argv.length !== 1) {
    log('usage: node runner.mjs SCENARIO.json')
    return 2
  }
  let steps
  try {
    steps = load(argv[0])
  } catch (e) {
    log(`runner.mjs: ${e.message}`)
    return 2
  }
  let ops
  let binding
  try {
    binding = await import('./binding.mjs')
    ops = await import('./ops/index.mjs')
  } catch (e) {
    log(`runner.mjs: cannot import the Node binding (${e.message}); build it: tests/conformance/runners/node/build.sh`)
    for (const [i, { op }] of steps.entries()) emit(errorLine(i + 1, op, 'RUNNER'))
    return 3
  }
  logToStderr(binding.setLogger)
  await runSteps(steps, ops, binding)
  return 0
}

// Exits explicitly: every line was written synchronously (stdout with
// writeSync; stderr is synchronous for files and pipes on Linux), and nothing
// left behind (a failed import of the addon, a native handle) may change the
// exit code or keep the process alive past the driver's time limit.
process.exit(await main(process.argv.slice(2)))
