// Types of `jetbridge/otel`, the optional OpenTelemetry integration (needs
// the peer dependency `@opentelemetry/api`).
import type { MeterProvider, Span, Tracer } from '@opentelemetry/api'
import type { Client, Message } from './index'

/**
 * Every publish form made while a valid span is active carries its context
 * in the message headers (the global propagator), unless the caller set a
 * `traceparent` header. Idempotent.
 */
export declare function instrument(): void

/** Turns instrument() off: publishes leave headers untouched. */
export declare function uninstrument(): void

/**
 * Runs `fn(span)` inside `msg`'s process span (name, kind CONSUMER and
 * attributes from the core; parent: the context in the message's headers)
 * and returns its result. The span ends when `fn` returns or its Promise
 * settles; an error sets status ERROR, is recorded, and is passed on.
 */
export declare function processSpan<T>(msg: Message, fn: (span: Span) => T, options?: { tracer?: Tracer }): T

/**
 * Offers the client's counters as observable counters `jetbridge.<counter
 * name>` (attribute `jetbridge.client.name` when the client has a name).
 */
export declare function instrumentMetrics(client: Client, options?: { meterProvider?: MeterProvider }): { stop(): void }
