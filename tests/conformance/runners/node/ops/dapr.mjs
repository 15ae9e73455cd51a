// Dapr metadata: `dapr_config` prints what a metadata map configures;
// `dapr_subscribe` subscribes the way the Dapr component does.
import { inspect } from 'node:util'
import { DaprConfig } from '../binding.mjs'
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
  if (!Object.hasOwn(AUTH, mode)) throw new Unsupported(`the binding's DaprConfig has no authMode (got ${typeof mode})`)
  return AUTH[mode]
}

/** The connect and subscription options, normalised (servers counted, secrets never printed). */
export async function daprConfig(st, a) {
  const cfg = parse(a)
  const consumer = cfg.consumerConfig
  const start = consumer.start
  return {
    connect: {
      servers: cfg.servers.length,
      name: cfg.name ?? null,
      auth: auth(cfg),
      tls_client_cert: cfg.hasClientCert,
      js_api_prefix: cfg.jsApiPrefix,
    },
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
  const stream = st.getClient().subscribe(topic, cfg)
  await stream.open()
  st.streams.set(alias, stream)
  return {}
}
