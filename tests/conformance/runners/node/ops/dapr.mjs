// Dapr metadata: `dapr_config` prints what a metadata map configures;
// `dapr_subscribe` subscribes the way the Dapr component does; `dapr_state_*`
// do the same for the `state.jetstream` component (its configuration, its
// bucket, its key escaping).
import { inspect } from 'node:util'
import { DaprConfig, DaprStateConfig, daprStateKey } from '../binding.mjs'
import { log, RunnerError, Unsupported } from '../outcome.mjs'
import * as printing from '../printing.mjs'

/** The binding's authMode names -> the printed names (SPEC.md §4.9, DAPR). */
const AUTH = {
  none: 'none',
  token: 'token',
  userPassword: 'user_password',
  nkey: 'nkey',
  jwt: 'jwt',
  credsFile: 'creds_file',
}

function parse(a) {
  const metadata = a.stringMap('metadata')
  if (metadata === undefined) throw new RunnerError('argument metadata is required')
  const cfg = DaprConfig.fromMetadata(metadata)
  log(`  dapr config: ${inspect(cfg)}`) // secret hygiene (SPEC.md §7)
  return cfg
}

function auth(cfg) {
  const mode = cfg.authMode
  if (!Object.hasOwn(AUTH, mode)) throw new Unsupported(`the binding's Dapr configuration has no authMode (got ${typeof mode})`)
  return AUTH[mode]
}

/** DAPR's `connect`: servers counted, secrets never printed. */
function connectSummary(cfg) {
  return {
    servers: cfg.servers.length,
    name: cfg.name ?? null,
    auth: auth(cfg),
    tls_client_cert: cfg.hasClientCert,
    js_api_prefix: cfg.jsApiPrefix,
  }
}

/** The connect and subscription options, normalised. */
export async function daprConfig(st, a) {
  const cfg = parse(a)
  const consumer = cfg.consumerConfig
  const start = consumer.start
  return {
    connect: connectSummary(cfg),
    subscription: {
      stream_name: cfg.streamName ?? null,
      concurrency: cfg.concurrencyMode,
      start_time_ns: typeof start === 'object' && start !== null && 'time' in start ? start.time : null,
      consumer: printing.consumerConfig(consumer),
    },
  }
}

/** `metadata` and `topic`, on the current client, stored as `as`. */
export async function daprSubscribe(st, a) {
  const cfg = parse(a)
  const topic = a.requiredString('topic')
  const alias = a.requiredString('as')
  const stream = st.getClient().subscribeDapr(topic, cfg)
  await stream.open()
  st.streams.set(alias, stream)
  return {}
}

function parseState(a) {
  const metadata = a.stringMap('metadata')
  if (metadata === undefined) throw new RunnerError('argument metadata is required')
  const cfg = DaprStateConfig.fromMetadata(metadata)
  log(`  dapr state config: ${inspect(cfg)}`) // secret hygiene (SPEC.md §7)
  return cfg
}

/** DAPR_STATE. */
export async function daprStateConfig(st, a) {
  const cfg = parseState(a)
  return { connect: connectSummary(cfg), bucket: cfg.bucket }
}

/** The metadata's bucket on the current client (opened, never created), stored as `as`. */
export async function daprStateOpen(st, a) {
  const cfg = parseState(a)
  const kv = await st.getClient().keyValue(cfg.bucket)
  st.buckets.set(a.string('as') ?? cfg.bucket, kv)
  return { bucket: cfg.bucket }
}

export async function daprStateKeyOp(st, a) {
  return { key: daprStateKey(a.requiredString('key')) }
}
