// What one step ended with, and its transcript line (SPEC.md §2).
import { encode } from './canonical.mjs'

/** A step that did not produce a result; `kind` is what the transcript shows. */
export class StepError extends Error {
  constructor(message, kind) {
    super(message)
    this.kind = kind
  }
}

/** The scenario asked for something this binding cannot do (unknown op, unknown value). */
export class Unsupported extends StepError {
  constructor(message) {
    super(message, 'UNSUPPORTED')
  }
}

/** The scenario is malformed or refers to something that does not exist. */
export class RunnerError extends StepError {
  constructor(message) {
    super(message, 'RUNNER')
  }
}

/** The transcript line of a successful step. */
export const line = (step, op, result) => encode({ step, op, ok: result })

/**
 * The transcript line of a failed step; a core error adds its `api_code`
 * when it has one, its `text` on `show_text` steps and `caught_as` on `catch`
 * steps (absent keys are left out; a `caught_as` of null is printed).
 */
export function errorLine(step, op, kind, { api_code, text, caught_as } = {}) {
  const out = { step, op, error: kind }
  if (api_code !== undefined) out.api_code = api_code
  if (text !== undefined) out.text = text
  if (caught_as !== undefined) out.caught_as = caught_as
  return encode(out)
}

/** A diagnostic line on stderr (saved next to the transcript). */
export function log(text) {
  process.stderr.write(text + '\n')
}
