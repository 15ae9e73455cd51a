// The `credentials` and `tls` arguments of `connect` (SPEC.md §4.1.1): which
// of the harness's materials the connection uses, as the binding's `auth` and
// `tls` connect options. The secrets come from the environment the driver
// sets and are never printed.
import { RunnerError, Unsupported } from '../outcome.mjs'

/** credentials name -> [auth option key, environment variable] pairs. */
const MATERIALS = {
  none: [],
  token: [['token', 'JB_TOKEN']],
  wrong_token: [['token', 'JB_WRONG_TOKEN']],
  user: [['user', 'JB_USER'], ['password', 'JB_PASSWORD']],
  wrong_password: [['user', 'JB_USER'], ['password', 'JB_WRONG_PASSWORD']],
  nkey: [['nkeySeed', 'JB_NKEY_SEED']],
  other_nkey: [['nkeySeed', 'JB_OTHER_NKEY_SEED']],
  jwt: [['jwt', 'JB_JWT'], ['seed', 'JB_JWT_SEED']],
  jwt_expired: [['jwt', 'JB_JWT_EXPIRED'], ['seed', 'JB_JWT_EXPIRED_SEED']],
  jwt_revoked: [['jwt', 'JB_JWT_REVOKED'], ['seed', 'JB_JWT_REVOKED_SEED']],
  jwt_mismatched: [['jwt', 'JB_JWT_MISMATCHED'], ['seed', 'JB_JWT_MISMATCHED_SEED']],
  jwt_no_js: [['jwt', 'JB_JWT_NO_JS'], ['seed', 'JB_JWT_NO_JS_SEED']],
  creds: [['credsFile', 'JB_CREDS']],
  creds_expired: [['credsFile', 'JB_CREDS_EXPIRED']],
  creds_revoked: [['credsFile', 'JB_CREDS_REVOKED']],
  creds_mismatched: [['credsFile', 'JB_CREDS_MISMATCHED']],
  creds_no_js: [['credsFile', 'JB_CREDS_NO_JS']],
}

/**
 * The binding's `auth` option, or undefined for none. Absent `credentials`:
 * `token` when $JB_TOKEN is set (a token server), else `none`.
 */
export function auth(a) {
  const name = a.string('credentials') ?? (process.env.JB_TOKEN !== undefined ? 'token' : 'none')
  if (!Object.hasOwn(MATERIALS, name)) throw new Unsupported(`credentials ${JSON.stringify(name)}`)
  const pairs = MATERIALS[name]
  if (pairs.length === 0) return undefined
  const out = {}
  for (const [key, variable] of pairs) {
    const value = process.env[variable]
    if (value === undefined) throw new RunnerError(`environment variable ${variable} is not set`)
    out[key] = value
  }
  return out
}

/** The binding's `tls` option from the `tls` argument, or undefined. */
export function tls(a) {
  const t = a.object('tls')
  if (t === undefined) return undefined
  return {
    required: t.bool('required'),
    caFile: t.string('ca_file'),
    clientCert: t.string('client_cert'),
    clientKey: t.string('client_key'),
    handshakeFirst: t.bool('handshake_first'),
  }
}
