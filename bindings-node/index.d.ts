// Public types of the `jetbridge` package. Plain option and result shapes
// are generated: the core's declared types (types.d.ts, by jb-gen from the
// core's declarations) and the native module's (native.d.ts, from the Rust
// structs and their doc comments); this file adds only what JavaScript sees
// differently (string unions, start positions, payloads, classes).
//
// Conventions: durations are milliseconds (`...Ms`); sequences and counts
// are numbers; Unix-nanosecond timestamps are bigints. Absent options take
// the core's defaults. Wrong argument types throw TypeError naming the
// parameter; every other failure is a JetBridgeError.

/// <reference types="node" />

import type * as N from './native'
import type {
  AccountInfo,
  ConsumerConfig,
  ConsumerPauseState,
  FetchOptions,
  GetMessagesOptions,
  KvConfig,
  KvStatus,
  KvWatchOptions,
  MessagesOptions,
  ObjectInfo,
  ObjectLink,
  ObjectMeta,
  ObjectStoreConfig,
  ObjectStoreStatus,
  ObjectWatchOptions,
  PublisherOptions,
  PurgeOptions,
  SpanSpec,
  StreamConfig,
  TraceContext,
} from './types'
export type {
  SpanSpec,
  TraceContext,
  AccountInfo,
  ConsumerConfig,
  ConsumerPauseState,
  FetchOptions,
  GetMessagesOptions,
  KvConfig,
  KvStatus,
  KvWatchOptions,
  MessagesOptions,
  ObjectInfo,
  ObjectLink,
  ObjectMeta,
  ObjectStoreConfig,
  ObjectStoreStatus,
  ObjectWatchOptions,
  PublisherOptions,
  PurgeOptions,
  StreamConfig,
}

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
  | 'SERVER_TOO_OLD'

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

/** TLS settings; certificates are always verified. */
export type TlsOptions = N.NativeTlsOptions

export type ConnectOptions = Omit<N.NativeConnectOptions, 'servers' | 'auth' | 'tls'> & {
  /** One URL or several (nats://, tls://). */
  servers: string | string[]
  auth?: Auth
  tls?: TlsOptions
}

/**
 * Connects to a server URL, with an options object, or with a DaprConfig or
 * DaprStateConfig. Rejects with AUTH, TLS, CONNECTION, TIMEOUT or INVALID_ARGUMENT.
 */
export declare function connect(options: string | ConnectOptions | DaprConfig | DaprStateConfig): Promise<Client>

/**
 * Sets the core runtime's size before the first connect (default: min(cores, 4)
 * worker threads, at least 2). Throws INVALID_ARGUMENT once the runtime started.
 */
export declare function configureRuntime(options: { workerThreads?: number }): void

/** JetBridge's version, from the core the native addon was built from (e.g. "0.1.0"). */
export declare function version(): string

// ---------------------------------------------------------------- streams

export type StreamState = N.NativeStreamState

export type ClusterInfo = N.NativeClusterInfo

/**
 * The options a server always reports (the core's fields that have no "unset");
 * the others are there when the server reports them (its version decides).
 */
type ReportedStreamOptions =
  | 'name'
  | 'subjects'
  | 'retention'
  | 'storage'
  | 'replicas'
  | 'maxMsgs'
  | 'maxBytes'
  | 'maxAgeMs'
  | 'maxMsgSize'
  | 'maxMsgsPerSubject'
  | 'discard'
  | 'duplicateWindowMs'

export type StreamInfo = Omit<N.NativeStreamInfo, 'config'> & {
  config: StreamConfig & Required<Pick<StreamConfig, ReportedStreamOptions>>
}

export type StoredMessage = Omit<N.NativeStoredMessage, 'headers'> & {
  headers: Array<[string, string]>
}

// ---------------------------------------------------------------- logs and cancellation

/** A core log record's level, most important first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug'

/** What setLogger() calls: `console`, a pino or winston logger, or your own object. */
export interface Logger {
  error(line: string): unknown
  warn(line: string): unknown
  info(line: string): unknown
  debug(line: string): unknown
}

/**
 * Sends the core's log records to `logger` as one string each,
 * `jetbridge <topic>: <message>` (topic: connection, consumer, publish), at
 * `level` (the most verbose wanted; default 'info') or more important. Off by
 * default; `setLogger(null)` turns it off. Records carry no secrets; they
 * never keep the process alive or block the core.
 */
export declare function setLogger(logger: Logger | null, options?: { level?: LogLevel }): void

/**
 * `{ signal }`: a call that waits rejects with a DOMException named
 * 'AbortError' as soon as the signal aborts (see each call for what happens
 * to the work already started).
 */
export interface Abortable {
  signal?: AbortSignal
}

/**
 * A read-only view of a message's headers (`msg.headerMap`). Names are
 * matched case-insensitively; values in the order sent.
 */
export declare class MessageHeaders implements Iterable<[string, string]> {
  private constructor()
  /** The first value, or undefined. */
  get(name: string): string | undefined
  has(name: string): boolean
  /** Every value, in the order sent ([] when absent). */
  values(name: string): string[]
  /** The names, each once, in order. */
  keys(): string[]
  /** How many [name, value] pairs. */
  readonly size: number
  entries(): Array<[string, string]>
  [Symbol.iterator](): Iterator<[string, string]>
}

// ---------------------------------------------------------------- publish

/** A payload: bytes, or a string sent as UTF-8. */
export type Payload = Buffer | Uint8Array | string

/** Headers as an object or as ordered [name, value] pairs. */
export type Headers = Record<string, string> | Array<[string, string]>

export type Expectations = N.NativeExpectations

/**
 * Per-message options: `msgId`, `headers`, `expect`, and `ttlMs`, the
 * message's own time to live in milliseconds (sent as `Nats-TTL`: whole
 * seconds, at least 1 s, on a stream with `allowMsgTtl`, server 2.11+).
 */
export type PublishMessage = Omit<N.NativePublishOptions, 'headers'> & {
  headers?: Headers
  subject: string
  data: Payload
}

/** Per-message options (above), and `signal`: aborting it rejects a waiting publish with an AbortError. */
export type PublishOptions = Omit<N.NativePublishOptions, 'headers'> &
  Abortable & {
    headers?: Headers
  }

export type PubAck = N.NativePubAck

/** The ack of an atomic batch: `sequence` is the last message's, `count` how many were stored. */
export type BatchAck = N.NativeBatchAck

export type PublishFailure = Omit<N.NativePublishFailure, 'error'> & {
  error: JetBridgeError
}

export type FlushReport = Omit<N.NativeFlushReport, 'failures'> & {
  failures: PublishFailure[]
}

/** A tracked pipelined publish: its ticket and its own outcome. */
export interface TrackedPublish {
  /** The ticket flush() reports it under. */
  ticket: number
  /** Resolves with its ack; rejects with its JetBridgeError. */
  ack: Promise<PubAck>
}

/** A pipelined publisher: many publishes in flight within a bounded window. */
export declare class Publisher {
  private constructor()
  /** Queues the message if the window has room and returns its ticket; null when full. No Promise is created. */
  tryPublish(subject: string, data: Payload, options?: PublishOptions): number | null
  /** Queues the message, waiting while the window is full; resolves with its ticket. */
  publish(subject: string, data: Payload, options?: PublishOptions): Promise<number>
  /** Queues many messages in order through one call; resolves with their tickets. */
  publishMany(messages: PublishMessage[], options?: Abortable): Promise<number[]>
  /**
   * Queues the message like publish() and resolves with its ticket and `ack`, a Promise
   * of its own ack or its typed error. Leaving `ack` unawaited is fine (no unhandled
   * rejection, the publish goes on); it counts in the next flush() like any other.
   */
  publishTracked(subject: string, data: Payload, options?: PublishOptions): Promise<TrackedPublish>
  /** Waits until everything queued is settled; reports what happened since the previous flush. */
  flush(options?: Abortable): Promise<FlushReport>
  /** Flushes, then refuses further publishes with CLOSED. */
  close(): Promise<FlushReport>
  /** `await using pub = client.publisher()`: close() when the block ends. */
  [Symbol.asyncDispose](): Promise<void>
  inFlight(): N.NativeInFlight
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

/** A consumer config as the server reports it (a start time as a bigint; other times as Dates). */
export type ReportedConsumerConfig = Omit<ConsumerConfig, 'start'> & {
  start: 'all' | 'last' | 'lastPerSubject' | 'new' | { sequence: number } | { time: bigint }
}

export type SequencePair = N.NativeSequencePair

export type ConsumerInfo = Omit<N.NativeConsumerInfo, 'config'> & {
  config: ReportedConsumerConfig
}

export type ReplayOptions = Omit<N.NativeReplayOptions, 'start' | 'speed'> & {
  start?: StartPosition
  speed?: 'instant' | 'original'
  /** Pull tuning. */
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
  fetch(options?: FetchOptions & Abortable): Promise<Message[]>
  /** A continuous stream with heartbeats and automatic recovery, for `for await`; aborting `signal` stops it. */
  messages(options?: MessagesOptions & Abortable): MessageStream
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
  /** The headers as a read-only view: get (first), has, values (all). */
  readonly headerMap: MessageHeaders
  /** The W3C trace context it carries (the core's TraceContext), or undefined. */
  readonly traceContext: TraceContext | undefined
  /** How its process span is named and described (the core's SpanSpec). */
  processSpan(): Required<SpanSpec>
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

export type HealthEvent = Omit<N.NativeHealthEvent, 'health'> & {
  health: Health
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
  next(options?: Abortable): Promise<IteratorResult<Message, undefined>>
  return(value?: unknown): Promise<IteratorResult<Message, undefined>>
  /** `await using stream = consumer.messages()`: stop() when the block ends. */
  [Symbol.asyncDispose](): Promise<void>
  /** Starts the stream now (it otherwise starts on the first next()). */
  open(): Promise<this>
  /** Up to max messages, waiting up to maxWaitMs for the first; [] on timeout; after stop() the buffered messages, then rejects with CLOSED; rejects with CLOSED once the client is closed. */
  nextBatch(max: number, maxWaitMs: number, options?: Abortable): Promise<Message[]>
  /** Stops the stream (idempotent): no more pulls; what was buffered stays readable. */
  stop(): void
  readonly health: Health
  waitHealthChange(current: Health, maxWaitMs: number, options?: Abortable): Promise<Health>
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

/**
 * Client options and the state's bucket in the Dapr state.jetstream vocabulary:
 * `connect(config)`, then `client.keyValue(config.bucket)` (opened, never created).
 */
export declare class DaprStateConfig {
  private constructor()
  /** From metadata ({ natsURL, bucket, ... }); unknown or missing keys are INVALID_ARGUMENT naming the key. */
  static fromMetadata(metadata: Record<string, string | number | boolean>): DaprStateConfig
  /** From the text of a Dapr component YAML document. */
  static fromYaml(text: string): DaprStateConfig
  static fromYamlFile(path: string): DaprStateConfig
  /** Credentials redacted. */
  readonly servers: string[]
  readonly name: string | null
  /** Which credentials the connection uses (the mode only, never a secret). */
  readonly authMode: 'none' | 'token' | 'userPassword' | 'nkey' | 'jwt' | 'credsFile'
  /** Whether a TLS client certificate (mutual TLS) is configured. */
  readonly hasClientCert: boolean
  /** The JetStream API prefix that domain / apiPrefix select ('$JS.API' when neither is given). */
  readonly jsApiPrefix: string
  /** The key-value bucket holding the state. */
  readonly bucket: string
  /** A description with every secret redacted. */
  toString(): string
}

/** The bucket key the state component stores a Dapr state key under ('app||key' -> 'app.key'). */
export declare function daprStateKey(key: string): string

// ---------------------------------------------------------------- core NATS

export interface CorePublishOptions {
  headers?: Headers
  /** Where answers go (a subject the sender listens on). */
  reply?: string
}

export interface CoreSubscribeOptions {
  /** A queue group: its members share the messages, each to one. */
  queue?: string
}

export interface CoreRequestOptions extends Abortable {
  headers?: Headers
  /** How long to wait for the reply (absent: the client's request timeout). */
  timeoutMs?: number
}

export interface CoreRespondOptions {
  headers?: Headers
}

/** How long a next() waits (absent: until something comes). */
/** `timeoutMs` bounds the wait; `signal` aborts it (an aborted wait's item is kept for the next call). */
export interface WaitOptions extends Abortable {
  timeoutMs?: number
}

/** A core NATS message: what a subscription receives or a request returns. */
export declare class CoreMessage {
  private constructor()
  readonly subject: string
  /** Its payload (a Buffer of its own). */
  readonly data: Buffer
  /** Headers as [name, value] pairs, in order. */
  readonly headers: Array<[string, string]>
  /** Where a reply goes; null when the sender asked for none. */
  readonly reply: string | null
  /** The first value of a header (case-insensitive name), or undefined. */
  header(name: string): string | undefined
  /** The headers as a read-only view: get (first), has, values (all). */
  readonly headerMap: MessageHeaders
  text(): string
  json(): unknown
  /** Answers it: a core publish to its reply subject (none: INVALID_ARGUMENT). */
  respond(data: Payload, options?: CoreRespondOptions): Promise<void>
}

/** A core NATS subscription; `for await` yields its messages until unsubscribe(). */
export declare class CoreSubscription implements AsyncIterable<CoreMessage> {
  private constructor()
  /** The next message; null when none came within `timeoutMs`. CLOSED once unsubscribed or closed. */
  next(options?: WaitOptions): Promise<CoreMessage | null>
  /** Ends it: a waiting next() rejects with CLOSED, a `for await` loop ends. Twice is fine. */
  unsubscribe(): Promise<void>
  readonly isUnsubscribed: boolean
  /** Leaving the loop early unsubscribes. */
  [Symbol.asyncIterator](): AsyncIterableIterator<CoreMessage>
  /** `await using sub = await client.coreSubscribe(...)` unsubscribes at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>
}

// ---------------------------------------------------------------- connection events

/** The core's event names (EVENT_KINDS, in the core's order). */
export type EventKind =
  | 'connected'
  | 'disconnected'
  | 'reconnected'
  | 'lame_duck'
  | 'slow_consumer'
  | 'server_error'
  | 'closed'
  | 'missed'

export declare const EVENT_KINDS: readonly EventKind[]

/** Something that happened to the connection. */
export interface ConnectionEvent {
  kind: EventKind
  /** The server's text (server_error), the count missed (missed); null for the others. */
  detail: string | null
}

/** A listener of a client's connection events; `for await` ends after 'closed'. */
export declare class ConnectionEvents implements AsyncIterable<ConnectionEvent> {
  private constructor()
  /** The next event; null when none came within `timeoutMs`, or once ended. */
  next(options?: WaitOptions): Promise<ConnectionEvent | null>
  /** True once the listener has ended: it delivered 'closed' (nothing follows it), the client was already closed, or stop() was called. */
  readonly ended: boolean
  /** Ends the listener; a waiting next() resolves with null. */
  stop(): void
  /** Leaving the loop early stops the listener. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ConnectionEvent>
  [Symbol.asyncDispose](): Promise<void>
}

// ---------------------------------------------------------------- key-value stores

/** One revision of a key. */
export declare class KvEntry {
  private constructor()
  readonly bucket: string
  readonly key: string
  /** The value (empty for a delete or purge). */
  readonly value: Buffer
  /** The revision: the stream sequence of this entry. */
  readonly revision: number
  /** When it was written. */
  readonly created: Date
  /** When it was written, Unix nanoseconds. */
  readonly createdNanos: bigint
  readonly operation: 'put' | 'delete' | 'purge'
  /** The value as UTF-8 text. */
  string(): string
  /** The value parsed as JSON. */
  json(): unknown
}

/** What a watch yields exactly once: every initial entry was delivered; what follows are changes. */
export declare const KV_CAUGHT_UP: unique symbol

/** `{ revision }`: that revision (get), or only if it is the key's latest (delete, purge). */
export interface KvRevisionOptions {
  revision?: number
}

/** What a watch delivers: the keys (`*` one token, `>` the rest; absent: every key) and the declared KvWatchOptions. */
export interface KvWatchFilter extends KvWatchOptions {
  filter?: string
}

/** KeyValue.create's options. */
export interface KvCreateOptions {
  /** The key lives this long, then the server removes it (the bucket needs limitMarkerTtlMs). */
  ttlMs?: number
}

/** KeyValue.keys's options. */
export interface KvKeysOptions {
  /** The keys (`*` one token, `>` the rest; absent: every key). */
  filter?: string
}

/** A key-value bucket. */
export declare class KeyValue {
  private constructor()
  readonly bucket: string
  /** The latest value, or the entry at `revision`; NOT_FOUND for a key never written, deleted or purged. */
  get(key: string, options?: KvRevisionOptions): Promise<KvEntry>
  /** The latest entry, delete and purge markers included; null for a key never written. */
  entry(key: string): Promise<KvEntry | null>
  /** Writes a value; resolves with its revision. */
  put(key: string, value: Payload): Promise<number>
  /** The bucket's configuration as the server holds it, values and bytes stored. */
  status(): Promise<KvStatus>
  /** Writes only if the key has no value; WRONG_LAST_SEQUENCE otherwise. `ttlMs`: the key lives that long (the bucket needs limitMarkerTtlMs). */
  create(key: string, value: Payload, options?: KvCreateOptions): Promise<number>
  /** Compare-and-set: writes only if `revision` is the key's latest; WRONG_LAST_SEQUENCE otherwise. */
  update(key: string, value: Payload, revision: number): Promise<number>
  /** Deletes (history kept); resolves with the delete marker's revision. */
  delete(key: string, options?: KvRevisionOptions): Promise<number>
  /** Purges (history removed); resolves with the purge marker's revision. */
  purge(key: string, options?: KvRevisionOptions): Promise<number>
  /** Every kept entry of a key, oldest first; NOT_FOUND when there is none. */
  history(key: string): Promise<KvEntry[]>
  /** The keys that have a value (`filter`: those matching it). */
  keys(options?: KvKeysOptions): Promise<string[]>
  /** The same keys streamed one at a time (bounded memory); leaving the loop ends the listing. */
  listKeys(options?: KvKeysOptions): Promise<KvKeys>
  /** Starts a watch: the initial entries, KV_CAUGHT_UP once, then every change. */
  watch(options?: KvWatchFilter): Promise<KvWatch>
}

/** A running watch: `for await` yields KvEntry objects and, once, KV_CAUGHT_UP; ends after stop() or once the client is closed. */
export declare class KvWatch implements AsyncIterable<KvEntry | typeof KV_CAUGHT_UP> {
  private constructor()
  /** The next entry or the marker; null when nothing came within `timeoutMs`. CLOSED once stopped. */
  next(options?: WaitOptions): Promise<KvEntry | typeof KV_CAUGHT_UP | null>
  /** True once KV_CAUGHT_UP was handed out. */
  readonly caughtUp: boolean
  /** Ends the watch: a `for await` loop ends, a waiting next() rejects with CLOSED. Twice is fine. */
  stop(): void
  /** Leaving the loop early stops the watch. */
  [Symbol.asyncIterator](): AsyncIterableIterator<KvEntry | typeof KV_CAUGHT_UP>
  /** `await using w = await kv.watch()` stops it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>
}

/** A running listing of keys: `for await` yields each key with a value once; leaving the loop ends it. */
export declare class KvKeys implements AsyncIterable<string> {
  private constructor()
  /** The next key; null after the last one (and once closed). */
  next(): Promise<string | null>
  /** Ends the listing early; next() then resolves null. Twice is fine. */
  close(): void
  [Symbol.asyncIterator](): AsyncIterableIterator<string>
  /** `await using keys = await kv.listKeys()` ends it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>
}

// ---------------------------------------------------------------- object stores

/** What put() reads: bytes in memory, a Node Readable, or any (async) iterable of byte pieces. */
export type ObjectSource =
  | Payload
  | NodeJS.ReadableStream
  | AsyncIterable<Payload>
  | Iterable<Payload>

/** put()'s options: the declared ObjectMeta without its name. */
export type ObjectPutOptions = Omit<ObjectMeta, 'name'>

/** An object being read: its info and its bytes as a Readable (which fails when the object is corrupted). */
export interface ObjectResult {
  info: ObjectInfo
  stream: import('node:stream').Readable
}

/** An object store. */
export declare class ObjectStore {
  private constructor()
  readonly bucket: string
  /** An object's info; NOT_FOUND for a missing or deleted object. */
  info(name: string): Promise<ObjectInfo>
  /** Deletes an object; NOT_FOUND for a missing or deleted one. */
  delete(name: string): Promise<void>
  /** Every object's info, deleted ones left out. */
  list(): Promise<ObjectInfo[]>
  /** Stores `source` piece by piece; visible (replacing an earlier version) only once complete. */
  put(name: string, source: ObjectSource, options?: ObjectPutOptions): Promise<ObjectInfo>
  /** Reads an object as a stream; NOT_FOUND for a missing or deleted object. */
  get(name: string): Promise<ObjectResult>
  /** A whole object in memory, checked like get(). */
  getBytes(name: string): Promise<Buffer>
  /** The store's configuration as the server holds it, sealed, bytes stored. */
  status(): Promise<ObjectStoreStatus>
  /** Seals the store: puts and deletes fail from then on (INVALID_ARGUMENT). Cannot be undone. */
  seal(): Promise<ObjectStoreStatus>
  /** Makes `name` a link to the object `target` describes (reading it reads the target); ALREADY_EXISTS when `name` is an object. */
  addLink(name: string, target: ObjectInfo): Promise<ObjectInfo>
  /** Makes `name` a link to the whole store `bucket` (get() of it is INVALID_ARGUMENT). */
  addBucketLink(name: string, bucket: string): Promise<ObjectInfo>
  /** Sets an object's name, description and metadata; NOT_FOUND for a missing object, ALREADY_EXISTS when renaming onto another. */
  updateMeta(name: string, meta: ObjectMeta): Promise<ObjectInfo>
  /** Starts a watch: the objects' infos, OBJECT_CAUGHT_UP once, then every change. */
  watch(options?: ObjectWatchOptions): Promise<ObjectWatch>
}

/** What an object watch yields exactly once: every initial info was delivered; what follows are changes. */
export declare const OBJECT_CAUGHT_UP: unique symbol

/** A running object-store watch: `for await` yields ObjectInfo objects and, once, OBJECT_CAUGHT_UP. */
export declare class ObjectWatch implements AsyncIterable<ObjectInfo | typeof OBJECT_CAUGHT_UP> {
  private constructor()
  /** The next info or the marker; null when nothing came within `timeoutMs`. CLOSED once stopped. */
  next(options?: WaitOptions): Promise<ObjectInfo | typeof OBJECT_CAUGHT_UP | null>
  /** True once OBJECT_CAUGHT_UP was handed out. */
  readonly caughtUp: boolean
  /** Ends the watch: a `for await` loop ends, a waiting next() rejects with CLOSED. Twice is fine. */
  stop(): void
  /** Leaving the loop early stops the watch. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ObjectInfo | typeof OBJECT_CAUGHT_UP>
  /** `await using w = await store.watch()` stops it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>
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

export type ConnectionState = N.NativeConnectionState

/** Client.drain's options. */
export interface DrainOptions {
  /** How long to wait for work in flight; absent = the core's default (`DEFAULT_DRAIN_TIMEOUT`). */
  timeoutMs?: number
}

/** Client.flushAcks' options. */
export interface FlushAcksOptions {
  /** Also wait until the server answered a round trip sent after the acks; absent = false. */
  confirm?: boolean
  /** Rejects with an AbortError when aborted (the acks are still sent). */
  signal?: AbortSignal
}

/** Client.listStreams' options. */
export interface ListStreamsOptions {
  /** Only streams whose subjects overlap this one (wildcards allowed); absent = every stream. */
  subject?: string
}

/** Client.deleteMessage's options. */
export interface DeleteMessageOptions {
  /** Overwrite the message's bytes on disk too (secure erase; slower); absent = a plain delete. */
  erase?: boolean
}

/** A connected client. */
export declare class Client {
  private constructor()
  /** Publishes and resolves with the ack; PUBLISH_OUTCOME_UNKNOWN once the retry budget is spent. */
  publish(subject: string, data: Payload, options?: PublishOptions): Promise<PubAck>
  /** Publishes many messages through one call; one entry per message: its ack or its error. */
  publishMany(messages: PublishMessage[], options?: Abortable): Promise<Array<PubAck | JetBridgeError>>
  /**
   * Publishes messages as one atomic batch through one call: all stored, in
   * order, or none (server 2.12+, a stream with `allowAtomic`; no msgId is
   * generated). Rejects with the core's typed error.
   */
  publishBatch(messages: PublishMessage[], options?: Abortable): Promise<BatchAck>
  publisher(options?: PublisherOptions): Publisher

  createStream(config: StreamConfig): Promise<StreamInfo>
  updateStream(config: StreamConfig): Promise<StreamInfo>
  streamInfo(name: string): Promise<StreamInfo>
  /** Every stream of the account, by name; with `subject`, only those whose subjects overlap it. */
  listStreams(options?: ListStreamsOptions): Promise<StreamInfo[]>
  deleteStream(name: string): Promise<void>
  /** Resolves with the number of messages removed. */
  purgeStream(name: string, options?: PurgeOptions): Promise<number>
  getMessage(stream: string, sequence: number): Promise<StoredMessage>
  /** Deletes one message (sequence 0: INVALID_ARGUMENT; a sequence holding no message: NOT_FOUND). */
  deleteMessage(stream: string, sequence: number, options?: DeleteMessageOptions): Promise<void>
  getLastMessage(stream: string, subject: string): Promise<StoredMessage>
  /**
   * The first stored message at or after `fromSequence` whose subject matches
   * `subject` (wildcards allowed; NOT_FOUND if none; sequence 0: INVALID_ARGUMENT).
   */
  getNextMessage(stream: string, subject: string, fromSequence: number): Promise<StoredMessage>
  /**
   * Up to `maxMessages` stored messages in stream order with one request (server
   * 2.11+, a stream with `allowDirect`, else INVALID_ARGUMENT); none after the start: [].
   */
  getMessages(stream: string, options?: GetMessagesOptions): Promise<StoredMessage[]>
  streamBySubject(subject: string): Promise<string>
  /** The account's JetStream usage and limits (a limit of -1 is unlimited). */
  accountInfo(): Promise<AccountInfo>

  createConsumer(stream: string, config: ConsumerConfig): Promise<Consumer>
  updateConsumer(stream: string, config: ConsumerConfig): Promise<Consumer>
  getOrCreateConsumer(stream: string, config: ConsumerConfig): Promise<Consumer>
  bindConsumer(stream: string, name: string, expected?: ConsumerConfig): Promise<Consumer>
  consumerInfo(stream: string, name: string): Promise<ConsumerInfo>
  /** Every consumer of a stream (NOT_FOUND if the stream does not exist). */
  listConsumers(stream: string): Promise<ConsumerInfo[]>
  deleteConsumer(stream: string, name: string): Promise<void>
  /**
   * Pauses a consumer until `until`: it delivers nothing before then. A time in the
   * past is INVALID_ARGUMENT; a server older than 2.11 is SERVER_TOO_OLD.
   */
  pauseConsumer(stream: string, name: string, until: Date): Promise<ConsumerPauseState>
  /** Resumes a paused consumer at once. */
  resumeConsumer(stream: string, name: string): Promise<ConsumerPauseState>
  /** Unpins the client pinned in a priority group of a 'pinned_client' consumer (unknown group: INVALID_ARGUMENT). */
  unpinConsumer(stream: string, name: string, group: string): Promise<void>

  /** An ordered replay: every stored message from `start`, once and in order; no acks. */
  replay(stream: string, options?: ReplayOptions & Abortable): MessageStream
  /** Creates (or joins, with a durable name) a push consumer. */
  pushSubscribe(stream: string, config: ConsumerConfig, options?: Abortable): MessageStream
  /** Subscribes to a Dapr pub/sub topic the way the Dapr component does. */
  subscribeDapr(topic: string, config: DaprConfig, options?: Abortable): MessageStream
  /** @deprecated Use subscribeDapr(topic, config): the same, with a name that says it is Dapr's. */
  subscribe(topic: string, config: DaprConfig, options?: Abortable): MessageStream

  /** Creates a key-value bucket; the same config again resolves with it. */
  createKeyValue(config: KvConfig): Promise<KeyValue>
  /** Creates a bucket or updates the existing one to `config`. */
  createOrUpdateKeyValue(config: KvConfig): Promise<KeyValue>
  /** A bucket's configuration and contents; NOT_FOUND if there is none. */
  keyValueStatus(bucket: string): Promise<KvStatus>
  /** The names of the account's buckets, sorted. */
  keyValueNames(): Promise<string[]>
  /** An existing bucket; NOT_FOUND if there is none. */
  keyValue(bucket: string): Promise<KeyValue>
  deleteKeyValue(bucket: string): Promise<void>
  /** Creates an object store; the same config again resolves with it. */
  createObjectStore(config: ObjectStoreConfig): Promise<ObjectStore>
  /** A store's configuration and contents; NOT_FOUND if there is none. */
  objectStoreStatus(bucket: string): Promise<ObjectStoreStatus>
  /** The names of the account's object stores, sorted. */
  objectStoreNames(): Promise<string[]>
  /** An existing object store; NOT_FOUND if there is none. */
  objectStore(bucket: string): Promise<ObjectStore>
  deleteObjectStore(bucket: string): Promise<void>

  /** A core NATS publish (no JetStream ack; fire-and-forget). */
  corePublish(subject: string, data: Payload, options?: CorePublishOptions): Promise<void>
  /** Subscribes (wildcards allowed; `queue`: a queue group); resolves once the server has it. */
  coreSubscribe(subject: string, options?: CoreSubscribeOptions): Promise<CoreSubscription>
  /** Request-reply: the first reply; NO_RESPONDERS when nobody listens, TIMEOUT when nobody answered. */
  coreRequest(subject: string, data: Payload, options?: CoreRequestOptions): Promise<CoreMessage>
  /** A new listener of connection events from now on; ends after 'closed' (at once on a closed client). */
  events(): ConnectionEvents

  counters(): Counters
  /** The counters under the core's own names (`unknown_outcomes`), in its order. */
  counterPairs(): Array<[string, number]>
  /** The connection name given to connect(), or null. */
  readonly name: string | null
  connectionState(): ConnectionState
  readonly maxPayload: number
  readonly isClosed: boolean
  close(): Promise<void>
  /**
   * Graceful shutdown: new work is CLOSED at once, message streams stop
   * pulling; waits until publishes already accepted are settled and every
   * message handed out is acked, nak'd or termed, flushes the acks, closes.
   * Rejects with TIMEOUT when `timeoutMs` ran out (closed all the same).
   */
  drain(options?: DrainOptions): Promise<void>
  /**
   * Resolves once every queued ack (ack, nak, inProgress, term) was written to
   * the connection and, with `confirm`, once the server answered after them.
   * TIMEOUT / CONNECTION past the request timeout; CLOSED on a closed client.
   */
  flushAcks(options?: FlushAcksOptions): Promise<void>
  /** `await using client = await connect(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>
  /** Servers (credentials redacted), name and state; never a secret. */
  toString(): string
}

declare const jetbridge: {
  connect: typeof connect
  configureRuntime: typeof configureRuntime
  Client: typeof Client
  ConnectionEvents: typeof ConnectionEvents
  Consumer: typeof Consumer
  CoreMessage: typeof CoreMessage
  CoreSubscription: typeof CoreSubscription
  DaprConfig: typeof DaprConfig
  DaprStateConfig: typeof DaprStateConfig
  daprStateKey: typeof daprStateKey
  ERROR_CODES: typeof ERROR_CODES
  EVENT_KINDS: typeof EVENT_KINDS
  ErrorCode: typeof ErrorCode
  JetBridgeError: typeof JetBridgeError
  KV_CAUGHT_UP: typeof KV_CAUGHT_UP
  KeyValue: typeof KeyValue
  KvEntry: typeof KvEntry
  KvKeys: typeof KvKeys
  KvWatch: typeof KvWatch
  Message: typeof Message
  MessageStream: typeof MessageStream
  OBJECT_CAUGHT_UP: typeof OBJECT_CAUGHT_UP
  ObjectStore: typeof ObjectStore
  ObjectWatch: typeof ObjectWatch
  Publisher: typeof Publisher
  version: typeof version
}
export default jetbridge
