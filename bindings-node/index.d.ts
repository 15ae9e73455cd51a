// Public types of the `jetbridge` package (hand-written; the generated
// native.d.ts describes the private native module underneath).
//
// Conventions: durations are milliseconds (`...Ms`); sequences and counts
// are numbers; Unix-nanosecond timestamps are bigints. Absent options take
// the core's defaults. Wrong argument types throw TypeError naming the
// parameter; every other failure is a JetBridgeError.

/// <reference types="node" />

// ---------------------------------------------------------------- errors

/** Every error code, in the core's number order. */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NULL_PARAMETER'
  | 'INVALID_HANDLE'
  | 'CONNECTION'
  | 'AUTH'
  | 'TLS'
  | 'TIMEOUT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'WRONG_LAST_SEQUENCE'
  | 'STREAM_MISMATCH'
  | 'PUBLISH_OUTCOME_UNKNOWN'
  | 'NO_RESPONDERS'
  | 'JETSTREAM_UNAVAILABLE'
  | 'JETSTREAM_NOT_ENABLED'
  | 'HEARTBEAT_MISSED'
  | 'CONFIG_MISMATCH'
  | 'ALREADY_ACKED'
  | 'LIMIT_EXCEEDED'
  | 'PERMISSION_DENIED'
  | 'CLOSED'
  | 'FORKED'
  | 'SERVER'
  | 'PANIC'
  | 'INTERNAL'

export declare const ERROR_CODES: readonly ErrorCode[]
export declare const ErrorCode: { readonly [K in ErrorCode]: K }

/** Every failure reported by JetBridge (argument type errors are TypeErrors). */
export declare class JetBridgeError extends Error {
  readonly name: 'JetBridgeError'
  /** The core's text, the same in every language: `'KIND: message'`, e.g. `'NOT_FOUND: stream not found (…)'`. */
  readonly message: string
  /** The core's stable error name, e.g. 'TIMEOUT'. */
  readonly code: ErrorCode
  /** Whether the same call may succeed if tried again later. */
  readonly retryable: boolean
  /** The server's JetStream API err_code, when the server sent one. */
  readonly apiCode?: number
  constructor(message: string, code: ErrorCode, retryable: boolean, apiCode?: number | null)
}

// ---------------------------------------------------------------- connect

/** Credentials: exactly one mode. */
export type Auth =
  | { token: string }
  | { user: string; password: string }
  | { nkeySeed: string }
  | { jwt: string; seed: string }
  | { credsFile: string }

export interface TlsOptions {
  /** Require TLS even when the server does not ask for it. */
  required?: boolean
  /** PEM file with extra root certificates to trust. */
  caFile?: string
  /** PEM client certificate for mutual TLS (with clientKey). */
  clientCert?: string
  clientKey?: string
  /** TLS handshake before the server's INFO. */
  handshakeFirst?: boolean
}

export interface ConnectOptions {
  /** One URL or several (nats://, tls://). */
  servers: string | string[]
  name?: string
  auth?: Auth
  tls?: TlsOptions
  /** Reconnect attempts after a lost connection; absent = forever. */
  maxReconnects?: number
  /** Default 5000. */
  connectTimeoutMs?: number
  /** JetStream API request timeout; default 5000. */
  requestTimeoutMs?: number
  /** Default 10000. */
  pingIntervalMs?: number
  /** How long a publish retries with the same msg id before PUBLISH_OUTCOME_UNKNOWN; default 25000. */
  publishRetryBudgetMs?: number
  /** How long one publish attempt waits for its ack; default 5000. */
  publishAckTimeoutMs?: number
  domain?: string
  apiPrefix?: string
  inboxPrefix?: string
}

/**
 * Connects to a server URL, with an options object, or with a DaprConfig.
 * Rejects with AUTH, TLS, CONNECTION, TIMEOUT or INVALID_ARGUMENT.
 */
export declare function connect(options: string | ConnectOptions | DaprConfig): Promise<Client>

/**
 * Sets the core runtime's size before the first connect (default: min(cores, 4)
 * worker threads, at least 2). Throws INVALID_ARGUMENT once the runtime started.
 */
export declare function configureRuntime(options: { workerThreads?: number }): void

/** JetBridge's version, from the core the native addon was built from (e.g. "0.1.0"). */
export declare function version(): string

// ---------------------------------------------------------------- streams

export interface StreamConfig {
  name: string
  subjects?: string[]
  retention?: 'limits' | 'interest' | 'workqueue'
  storage?: 'file' | 'memory'
  replicas?: number
  /** -1 = unlimited. */
  maxMsgs?: number
  maxBytes?: number
  /** 0 = forever. */
  maxAgeMs?: number
  maxMsgSize?: number
  maxMsgsPerSubject?: number
  discard?: 'old' | 'new'
  /** 0 = the server default (2 minutes). */
  duplicateWindowMs?: number
  description?: string
}

export interface StreamState {
  messages: number
  bytes: number
  firstSequence: number
  lastSequence: number
  consumers: number
}

export interface ClusterInfo {
  leader?: string
}

export interface StreamInfo {
  config: Required<Omit<StreamConfig, 'description'>> & { description?: string }
  state: StreamState
  createdNanos: bigint
  cluster?: ClusterInfo
}

export interface PurgeOptions {
  subject?: string
  /** Remove messages below this sequence. */
  upToSequence?: number
  /** Keep this many newest messages. */
  keep?: number
}

export interface StoredMessage {
  subject: string
  sequence: number
  data: Buffer
  headers: Array<[string, string]>
  timestampNanos: bigint
}

// ---------------------------------------------------------------- publish

/** A payload: bytes, or a string sent as UTF-8. */
export type Payload = Buffer | Uint8Array | string

/** Headers as an object or as ordered [name, value] pairs. */
export type Headers = Record<string, string> | Array<[string, string]>

export interface Expectations {
  /** The subject must belong to this stream (else STREAM_MISMATCH). */
  stream?: string
  /** The stream's last sequence must be this (else WRONG_LAST_SEQUENCE). */
  lastSequence?: number
  lastMsgId?: string
  /** The subject's last sequence must be this (0: none yet). */
  lastSubjectSequence?: number
}

export interface PublishOptions {
  /** Message id for deduplication; generated when absent. */
  msgId?: string
  headers?: Headers
  expect?: Expectations
}

export interface PublishMessage extends PublishOptions {
  subject: string
  data: Payload
}

export interface PubAck {
  stream: string
  /** For a duplicate: the original's sequence. */
  sequence: number
  duplicate: boolean
  /** The message id sent (the caller's or the generated one). */
  msgId: string
  domain?: string
}

export interface PublisherOptions {
  /** Most messages awaiting their ack; default 1024. */
  maxInFlight?: number
  /** Most bytes awaiting their ack; default 32 MiB. */
  maxInFlightBytes?: number
}

export interface PublishFailure {
  ticket: number
  msgId: string
  subject: string
  /** PUBLISH_OUTCOME_UNKNOWN means it may have been stored. */
  error: JetBridgeError
}

export interface FlushReport {
  /** Acked since the previous flush, duplicates included. */
  acked: number
  duplicates: number
  /** Every failure, in ticket order. */
  failures: PublishFailure[]
}

/** A pipelined publisher: many publishes in flight within a bounded window. */
export declare class Publisher {
  private constructor()
  /** Queues the message if the window has room and returns its ticket; null when full. No Promise is created. */
  tryPublish(subject: string, data: Payload, options?: PublishOptions): number | null
  /** Queues the message, waiting while the window is full; resolves with its ticket. */
  publish(subject: string, data: Payload, options?: PublishOptions): Promise<number>
  /** Queues many messages in order through one call; resolves with their tickets. */
  publishMany(messages: PublishMessage[]): Promise<number[]>
  /** Waits until everything queued is settled; reports what happened since the previous flush. */
  flush(): Promise<FlushReport>
  /** Flushes, then refuses further publishes with CLOSED. */
  close(): Promise<FlushReport>
  inFlight(): { messages: number; bytes: number }
  readonly peakInFlight: number
  readonly options: Required<PublisherOptions>
}

// ---------------------------------------------------------------- consumers

/** Where delivery starts. `time` is a Date or Unix nanoseconds. */
export type StartPosition =
  | 'all'
  | 'last'
  | 'lastPerSubject'
  | 'new'
  | { sequence: number }
  | { time: Date | bigint }

export interface ConsumerConfig {
  /** Absent = an ephemeral consumer with a server-chosen name. */
  durableName?: string
  description?: string
  start?: StartPosition
  ackPolicy?: 'explicit' | 'all' | 'none'
  ackWaitMs?: number
  /** -1 = unlimited. */
  maxDeliver?: number
  backoffMs?: number[]
  maxAckPending?: number
  filterSubjects?: string[]
  replay?: 'instant' | 'original'
  inactiveThresholdMs?: number
  /** 0 = as the stream. */
  replicas?: number
  memoryStorage?: boolean
  /** Push consumers: bits per second. */
  rateLimitBps?: number
  /** Pull consumers: most waiting pull requests. */
  maxWaiting?: number
  /** Push consumers: where messages are pushed (generated when absent). */
  deliverSubject?: string
  /** Push consumers: the queue group sharing the work. */
  deliverGroup?: string
  flowControl?: boolean
  idleHeartbeatMs?: number
}

/** A consumer config as the server reports it (start position as given, bigints for times). */
export type ReportedConsumerConfig = Omit<ConsumerConfig, 'start'> & {
  start: 'all' | 'last' | 'lastPerSubject' | 'new' | { sequence: number } | { time: bigint }
}

export interface SequencePair {
  consumerSequence: number
  streamSequence: number
}

export interface ConsumerInfo {
  stream: string
  name: string
  config: ReportedConsumerConfig
  createdNanos: bigint
  delivered: SequencePair
  ackFloor: SequencePair
  /** Delivered, not yet acked. */
  numAckPending: number
  numRedelivered: number
  numWaiting: number
  /** Not yet delivered: the consumer's lag. */
  numPending: number
  cluster?: ClusterInfo
}

export interface FetchOptions {
  /** Default 1. */
  maxMessages?: number
  /** Default 5000. */
  maxWaitMs?: number
  maxBytes?: number
  /** Return at once with what is available. */
  noWait?: boolean
  /** Ask for idle heartbeats; an empty fetch without them fails with HEARTBEAT_MISSED. */
  heartbeatMs?: number
}

export interface MessagesOptions {
  /** Messages per pull request; default 500. */
  batch?: number
  maxBytes?: number
  /** Lifetime of a pull request; default 30000. */
  expiresMs?: number
  /** Idle heartbeat; a stall is reported after two. Default 5000. */
  heartbeatMs?: number
  /** Re-pull when fewer than this % of batch is outstanding; default 50. */
  thresholdPercent?: number
}

export interface ReplayOptions {
  /** Default 'all'. */
  start?: StartPosition
  filterSubjects?: string[]
  /** Default 'instant'. */
  speed?: 'instant' | 'original'
  messages?: MessagesOptions
}

/** A durable consumer. */
export declare class Consumer {
  private constructor()
  readonly stream: string
  readonly name: string
  /** The configuration the server reported when this handle was made. */
  readonly config: ReportedConsumerConfig
  /** Configuration and progress; the lag is numPending / numAckPending. */
  info(): Promise<ConsumerInfo>
  /** One pull: resolves with 0..maxMessages messages; zero is not an error. */
  fetch(options?: FetchOptions): Promise<Message[]>
  /** A continuous stream with heartbeats and automatic recovery, for `for await`. */
  messages(options?: MessagesOptions): MessageStream
  delete(): Promise<void>
}

// ---------------------------------------------------------------- messages

/** A delivered message. */
export declare class Message {
  private constructor()
  readonly subject: string
  /** The payload (a view into a Buffer shared by its batch). */
  readonly data: Buffer
  readonly headers: Array<[string, string]>
  header(name: string): string | undefined
  readonly msgId: string | null
  readonly stream: string
  readonly consumer: string
  readonly streamSequence: number
  readonly consumerSequence: number
  /** 1 on first delivery. */
  readonly delivered: number
  readonly pending: number
  readonly timestampNanos: bigint
  readonly time: Date
  readonly isAcked: boolean
  text(): string
  json(): unknown
  /** Acknowledges (terminal). Queued; never waits. Throws ALREADY_ACKED after a terminal ack. */
  ack(): void
  /** Asks for redelivery, after delayMs if given (terminal for this delivery). */
  nak(delayMs?: number): void
  /** Stops redelivery for good (terminal). */
  term(reason?: string): void
  /** Resets the ack timer; may repeat until a terminal ack. */
  inProgress(): void
  /** Acknowledges and resolves once the server confirmed it; on failure the message stays un-acked. */
  ackSync(): Promise<void>
}

export type Health = 'active' | 'reconnecting' | 'stalled' | 'recovering' | 'stopped'

export interface HealthEvent {
  health: Health
  reason: string
  atNanos: bigint
}

/**
 * A continuous stream of messages. Iterate with `for await`; leaving the
 * loop stops it (dropping what was buffered: unacked, so redelivered). After
 * `stop()`, what the stream already buffered stays readable and ackable:
 * iteration yields it, then ends; `nextBatch()` hands it out, then rejects
 * with CLOSED. Once the client is closed, `next()` and `nextBatch()` reject
 * with CLOSED (after the messages already buffered); other errors are thrown
 * too.
 */
export declare class MessageStream implements AsyncIterableIterator<Message> {
  private constructor()
  [Symbol.asyncIterator](): MessageStream
  next(): Promise<IteratorResult<Message, undefined>>
  return(value?: unknown): Promise<IteratorResult<Message, undefined>>
  /** Starts the stream now (it otherwise starts on the first next()). */
  open(): Promise<this>
  /** Up to max messages, waiting up to maxWaitMs for the first; [] on timeout; after stop() the buffered messages, then rejects with CLOSED; rejects with CLOSED once the client is closed. */
  nextBatch(max: number, maxWaitMs: number): Promise<Message[]>
  /** Stops the stream (idempotent): no more pulls; what was buffered stays readable. */
  stop(): void
  readonly health: Health
  waitHealthChange(current: Health, maxWaitMs: number): Promise<Health>
  takeEvents(): HealthEvent[]
}

// ---------------------------------------------------------------- Dapr

/** Client and subscription options in the Dapr pubsub.jetstream vocabulary. */
export declare class DaprConfig {
  private constructor()
  /** From metadata ({ natsURL, durableName, ... }); unknown keys and bad values are INVALID_ARGUMENT. */
  static fromMetadata(metadata: Record<string, string | number | boolean>): DaprConfig
  /** From the text of a Dapr component YAML document. */
  static fromYaml(text: string): DaprConfig
  static fromYamlFile(path: string): DaprConfig
  /** Credentials redacted. */
  readonly servers: string[]
  readonly name: string | null
  /** Which credentials the connection uses (the mode only, never a secret). */
  readonly authMode: 'none' | 'token' | 'userPassword' | 'nkey' | 'jwt' | 'credsFile'
  /** Whether a TLS client certificate (mutual TLS) is configured. */
  readonly hasClientCert: boolean
  /** The JetStream API prefix that domain / apiPrefix select ('$JS.API' when neither is given). */
  readonly jsApiPrefix: string
  readonly streamName: string | null
  readonly durableName: string | null
  readonly queueGroupName: string | null
  readonly concurrencyMode: 'single' | 'parallel'
  readonly consumerConfig: ReportedConsumerConfig
  /** A description with every secret redacted. */
  toString(): string
}

// ---------------------------------------------------------------- client

export interface Counters {
  published: number
  acked: number
  duplicates: number
  retries: number
  unknownOutcomes: number
  rejected: number
  delivered: number
  redelivered: number
  acksSent: number
  heartbeatMisses: number
  reconnects: number
  consumerRecreations: number
  /** Redeliveries of messages already acked on this consumer handle, acked again and not handed out. */
  redeliveriesSuppressed: number
}

export interface ConnectionState {
  connected: boolean
  /** Successful connects so far (1 after the initial connect). */
  generation: number
  closed: boolean
}

/** A connected client. */
export declare class Client {
  private constructor()
  /** Publishes and resolves with the ack; PUBLISH_OUTCOME_UNKNOWN once the retry budget is spent. */
  publish(subject: string, data: Payload, options?: PublishOptions): Promise<PubAck>
  /** Publishes many messages through one call; one entry per message: its ack or its error. */
  publishMany(messages: PublishMessage[]): Promise<Array<PubAck | JetBridgeError>>
  publisher(options?: PublisherOptions): Publisher

  createStream(config: StreamConfig): Promise<StreamInfo>
  updateStream(config: StreamConfig): Promise<StreamInfo>
  streamInfo(name: string): Promise<StreamInfo>
  deleteStream(name: string): Promise<void>
  /** Resolves with the number of messages removed. */
  purgeStream(name: string, options?: PurgeOptions): Promise<number>
  getMessage(stream: string, sequence: number): Promise<StoredMessage>
  getLastMessage(stream: string, subject: string): Promise<StoredMessage>
  streamBySubject(subject: string): Promise<string>

  createConsumer(stream: string, config: ConsumerConfig): Promise<Consumer>
  updateConsumer(stream: string, config: ConsumerConfig): Promise<Consumer>
  getOrCreateConsumer(stream: string, config: ConsumerConfig): Promise<Consumer>
  bindConsumer(stream: string, name: string, expected?: ConsumerConfig): Promise<Consumer>
  consumerInfo(stream: string, name: string): Promise<ConsumerInfo>
  deleteConsumer(stream: string, name: string): Promise<void>

  /** An ordered replay: every stored message from `start`, once and in order; no acks. */
  replay(stream: string, options?: ReplayOptions): MessageStream
  /** Creates (or joins, with a durable name) a push consumer. */
  pushSubscribe(stream: string, config: ConsumerConfig): MessageStream
  /** Subscribes to a topic the way the Dapr component does. */
  subscribe(topic: string, config: DaprConfig): MessageStream

  counters(): Counters
  connectionState(): ConnectionState
  readonly maxPayload: number
  readonly isClosed: boolean
  close(): Promise<void>
  drain(): Promise<void>
  /** `await using client = await connect(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>
  /** Servers (credentials redacted), name and state; never a secret. */
  toString(): string
}

declare const jetbridge: {
  connect: typeof connect
  configureRuntime: typeof configureRuntime
  Client: typeof Client
  Consumer: typeof Consumer
  DaprConfig: typeof DaprConfig
  ERROR_CODES: typeof ERROR_CODES
  ErrorCode: typeof ErrorCode
  JetBridgeError: typeof JetBridgeError
  Message: typeof Message
  MessageStream: typeof MessageStream
  Publisher: typeof Publisher
  version: typeof version
}
export default jetbridge
