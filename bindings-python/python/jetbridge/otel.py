"""OpenTelemetry for JetBridge: traces across services, and the client's
counters as metrics. Optional: this module needs ``opentelemetry-api``
(importing it without raises ``ImportError``); ``import jetbridge`` never
imports it.

    import jetbridge.otel

    jetbridge.otel.instrument()               # publishes carry the active span
    for msg in await consumer.fetch(10):
        with jetbridge.otel.process_span(msg):  # child of the publisher's span
            ...                                # a publish here carries it on
            msg.ack()
    jetbridge.otel.instrument_metrics(client)  # jetbridge.<counter> metrics

Span names, kinds and attributes come from the core (``Message.process_span()``,
OpenTelemetry's messaging semantic conventions), the same in every language.
Contexts travel in the message headers with the global propagator (W3C
``traceparent``/``tracestate`` by default).
"""

from __future__ import annotations

import weakref
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Protocol, Tuple

from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.metrics import CallbackOptions, MeterProvider, Observation
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import Span, SpanKind, TracerProvider

from . import __version__, _inject
from ._native import MessageBase, MessageHeaders
from .client import Counters
from .publish import Headers

__all__ = ["instrument", "uninstrument", "is_instrumented", "process_span", "instrument_metrics"]

#: The instrumentation scope of JetBridge's spans and metrics.
SCOPE = "jetbridge"

#: The header that carries the parent span (the core's name; compared
#: case-insensitively, as every header name).
_TRACEPARENT = "traceparent"

_default_tracer_provider: Optional[TracerProvider] = None


def _headers_with_span(given: Optional[Headers]) -> Optional[List[Tuple[str, str]]]:
    """The publish hook: ``None`` (send ``given`` as is) without a valid
    active span or when the caller set its own ``traceparent``; otherwise the
    caller's headers followed by the active context, injected by the global
    propagator."""
    if not trace.get_current_span().get_span_context().is_valid:
        return None
    pairs = _pairs(given)
    if any(name.lower() == _TRACEPARENT for name, _ in pairs):
        return None
    carrier: Dict[str, str] = {}
    propagate.inject(carrier)
    if not carrier:
        return None
    return pairs + list(carrier.items())


def _pairs(given: Optional[Headers]) -> List[Tuple[str, str]]:
    if given is None:
        return []
    if isinstance(given, MessageHeaders):
        return given.items()
    if hasattr(given, "items"):
        return list(given.items())  # a mapping
    return list(given)


def instrument(tracer_provider: Optional[TracerProvider] = None) -> None:
    """From now on, every publish (``Client.publish``, ``publish_many``,
    ``publish_batch``, ``Publisher``'s, core NATS publish/request/respond,
    asyncio and blocking) made while a span is active carries that span's
    context in its headers, unless the caller gave a ``traceparent`` header
    (the caller's wins). ``tracer_provider`` becomes the default of
    ``process_span`` (otherwise the global one). Idempotent."""
    global _default_tracer_provider
    _default_tracer_provider = tracer_provider
    _inject.hook = _headers_with_span


def uninstrument() -> None:
    """Publishes leave headers as given again; ``process_span`` uses the
    global tracer provider by default."""
    global _default_tracer_provider
    _default_tracer_provider = None
    _inject.hook = None


def is_instrumented() -> bool:
    """Whether ``instrument()`` is in effect."""
    return _inject.hook is not None


class _HeadersGetter(Getter[MessageHeaders]):
    """Reads a propagator's fields from a message's headers (names compare
    case-insensitively, as in ``MessageHeaders``)."""

    def get(self, carrier: MessageHeaders, key: str) -> Optional[List[str]]:
        values = carrier.getall(key)
        return values or None

    def keys(self, carrier: MessageHeaders) -> List[str]:
        return list(dict.fromkeys(carrier))


_GETTER = _HeadersGetter()


@contextmanager
def process_span(msg: MessageBase, tracer_provider: Optional[TracerProvider] = None) -> Iterator[Span]:
    """Starts the span of processing ``msg`` and makes it the active span
    for the block (a publish inside carries it). Name, kind and attributes
    are the core's (``msg.process_span()``); the parent is the context the
    message's headers carry (the global propagator); when they carry none,
    the span active at the call (or none: a root span). The span ends
    with the block; an exception is recorded, sets status ``ERROR`` and
    propagates. ``tracer_provider``: else the one given to ``instrument``,
    else the global one."""
    spec = msg.process_span()
    parent = propagate.extract(msg.headers, context=otel_context.get_current(), getter=_GETTER)
    provider = tracer_provider if tracer_provider is not None else _default_tracer_provider
    tracer = trace.get_tracer(SCOPE, __version__, tracer_provider=provider)
    with tracer.start_as_current_span(
        spec.name or "",
        context=parent,
        kind=SpanKind[(spec.kind or "internal").upper()],
        attributes=dict(spec.attributes or {}),
        record_exception=True,
        set_status_on_exception=True,
    ) as span:
        yield span


class _HasCounters(Protocol):
    @property
    def name(self) -> Optional[str]: ...

    def counters(self) -> Counters: ...


def instrument_metrics(client: _HasCounters, meter_provider: Optional[MeterProvider] = None) -> None:
    """Offers ``client``'s counters (``client.counters()``, asyncio or
    blocking client) as observable counters ``jetbridge.<counter name>``,
    with the attribute ``jetbridge.client.name`` when the client has a name.
    ``meter_provider``: else the global one. The metrics hold no reference
    to the client: once it is gone they report nothing."""
    meter = metrics.get_meter(SCOPE, __version__, meter_provider=meter_provider)
    attributes = {"jetbridge.client.name": client.name} if client.name else {}
    ref = weakref.ref(client)
    for counter in asdict(client.counters()):
        meter.create_observable_counter(
            f"{SCOPE}.{counter}",
            callbacks=[_observe(ref, counter, attributes)],
            description=f"JetBridge client counter {counter}",
        )


def _observe(
    ref: "weakref.ReferenceType[_HasCounters]", counter: str, attributes: Dict[str, Any]
) -> Callable[[CallbackOptions], Iterable[Observation]]:
    def callback(options: CallbackOptions) -> Iterable[Observation]:
        client = ref()
        if client is None:
            return []
        return [Observation(getattr(client.counters(), counter), attributes)]

    return callback
