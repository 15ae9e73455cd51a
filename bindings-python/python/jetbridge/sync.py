"""The blocking facade, for code without an event loop (scripts, Django or
Flask workers, threads): the same calls as the asyncio API, without ``await``.

Every call waits with the GIL released (other Python threads run) and checks
for signals about every 100 ms, so Ctrl-C interrupts a blocking wait with
``KeyboardInterrupt``. Do not call it from inside a running event loop: it
would block the loop (use the asyncio API there).

    import jetbridge.sync as jb

    with jb.connect("nats://127.0.0.1:4222") as client:
        client.create_stream(name="ORDERS", subjects=["orders.*"])
        print(client.publish("orders.created", b"{}").sequence)
        consumer = client.create_consumer("ORDERS", durable_name="proc")
        for msg in consumer.fetch(10, max_wait=1):
            msg.ack()

How: each class here wraps its asyncio twin, whose native handle is a
``_Blocking`` one: every native call blocks (``Call.wait()``) and returns an
already finished awaitable, so the asyncio method's coroutine runs to its end
in one step (``_run``), on the caller's thread, without an event loop. The
rules (buffers, stop, back-pressure) are the asyncio classes', not restated.
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Generator, Generic, Iterator, List, Optional, Sequence, TypeVar, Union, cast

from . import _native
from . import client as aio
from . import consumer as aio_consumer
from . import core_nats as aio_core
from . import _watch as aio_watch
from . import kv as aio_kv
from . import object_store as aio_obj
from . import message_stream as aio_stream
from . import publish as aio_publish
from ._native import SyncMessage as Message
from .client import _connect_options
from .errors import ClosedError
from .options import ConnectOptions, Seconds

if TYPE_CHECKING:
    from typing_extensions import Concatenate, ParamSpec

    _P = ParamSpec("_P")

__all__ = [
    "connect",
    "Client",
    "Publisher",
    "Consumer",
    "MessageStream",
    "Message",
    "CoreMessage",
    "CoreSubscription",
    "ConnectionEvents",
    "KeyValue",
    "KvWatcher",
    "KvKeys",
    "ObjectStore",
    "ObjectReader",
    "ObjectWatcher",
]

_R = TypeVar("_R")
_HANDLES = (
    _native.Client,
    _native.Consumer,
    _native.Publisher,
    _native.MessageStream,
    _native.CoreSubscription,
    _native.CoreMessage,
    _native.EventListener,
    _native.KeyValue,
    _native.KvWatcher,
    _native.KvKeys,
    _native.ObjectWatcher,
    _native.ObjectStore,
    _native.ObjectWriter,
    _native.ObjectReader,
)


class _Done:
    """An awaitable that is already finished with ``value``."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Generator[Any, None, Any]:
        return self.value
        yield  # a generator that finishes at once


class _Blocking:
    """A native handle whose calls block: a ``Call`` is waited for and handed
    back finished, native handles in results come back blocking too, and
    ``take`` hands out ``SyncMessage`` (with a blocking ``ack_sync``)."""

    def __init__(self, native: Any) -> None:
        self._n = native

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._n, name)
        if not callable(attr):
            return attr

        def call(*args: Any) -> Any:
            out = attr(*args)
            return _Done(_blocking(out.wait())) if isinstance(out, _native.Call) else _blocking(out)

        method = functools.partial(attr, blocking=True) if name == "take" else call
        setattr(self, name, method)  # looked up once per handle
        return method

    def __repr__(self) -> str:
        return repr(self._n)


def _blocking(value: Any) -> Any:
    return _Blocking(value) if isinstance(value, _HANDLES) else value


def _run(awaitable: Awaitable[_R]) -> _R:
    """Runs a coroutine of an asyncio class over ``_Blocking`` handles: it
    never suspends, so one step runs it to its end."""
    steps = awaitable.__await__()
    try:
        steps.send(None)
    except StopIteration as done:
        return cast(_R, done.value)
    steps.close()
    raise RuntimeError("jetbridge.sync: an asyncio call suspended")


def _wait(method: "Callable[Concatenate[Any, _P], Awaitable[_R]]") -> "Callable[Concatenate[Any, _P], _R]":
    """The asyncio ``method`` of the wrapped object, blocking."""

    def call(self: Any, /, *args: "_P.args", **kwargs: "_P.kwargs") -> _R:
        return _run(method(self._a, *args, **kwargs))

    functools.update_wrapper(call, method)
    return call


def _same(method: "Callable[Concatenate[Any, _P], _R]") -> "Callable[Concatenate[Any, _P], _R]":
    """A method of the asyncio class that does not wait, as it is."""

    def call(self: Any, /, *args: "_P.args", **kwargs: "_P.kwargs") -> _R:
        return method(self._a, *args, **kwargs)

    functools.update_wrapper(call, method)
    return call


def _to(wrap: "Callable[[Any], _R]", method: "Callable[Concatenate[Any, _P], Any]") -> "Callable[Concatenate[Any, _P], _R]":
    """A method of the asyncio client whose result (a consumer, stream or
    publisher, awaited if need be) is handed out as its blocking form."""

    def call(self: Any, /, *args: "_P.args", **kwargs: "_P.kwargs") -> _R:
        out = method(self._a, *args, **kwargs)
        return wrap(_run(out) if isinstance(out, Awaitable) else out)

    functools.update_wrapper(call, method)
    return call


class _attr(Generic[_R]):
    """A property of the asyncio class, as it is."""

    def __init__(self, prop: Callable[[Any], _R]) -> None:
        self._get = cast(property, prop).__get__
        self.__doc__ = prop.__doc__

    def __get__(self, obj: Any, owner: Any = None) -> _R:
        return cast(_R, self if obj is None else self._get(obj._a))


class Publisher:
    """Blocking form of ``jetbridge.Publisher``: ``publish`` blocks only while
    the window is full. A ``with`` block closes it on exit (waits for every
    ack), as ``async with`` does."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_publish.Publisher) -> None:
        self._a = a

    def __enter__(self) -> "Publisher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    publish = _wait(aio_publish.Publisher.publish)
    #: Returns a ``jetbridge.TrackedPublish``: ``.ticket``, and
    #: ``.result(timeout=None)`` blocks for its ``PubAck`` (or raises).
    publish_tracked = _wait(aio_publish.Publisher.publish_tracked)
    publish_many = _wait(aio_publish.Publisher.publish_many)
    flush = _wait(aio_publish.Publisher.flush)
    close = _wait(aio_publish.Publisher.close)

    in_flight = _attr(aio_publish.Publisher.in_flight)
    peak_in_flight = _attr(aio_publish.Publisher.peak_in_flight)
    window = _attr(aio_publish.Publisher.window)


class MessageStream:
    """Blocking form of ``jetbridge.MessageStream`` (started when made):
    iterate with ``for``; a ``with`` block stops it on exit."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_stream.MessageStream) -> None:
        self._a = _run(a.start())

    def __enter__(self) -> "MessageStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> "MessageStream":
        return self

    def __next__(self) -> Message:
        try:
            return cast(Message, _run(self._a.__anext__()))
        except StopAsyncIteration:
            raise StopIteration from None

    def next(self) -> Message:
        """The next message, blocking as long as it takes."""
        return cast(Message, _run(self._a.next()))

    def next_batch(self, max_messages: int, max_wait: Seconds) -> List[Message]:
        """Up to ``max_messages``, waiting up to ``max_wait`` for the first."""
        return cast(List[Message], _run(self._a.next_batch(max_messages, max_wait)))

    health = _attr(aio_stream.MessageStream.health)
    take_events = _same(aio_stream.MessageStream.take_events)
    wait_health_change = _wait(aio_stream.MessageStream.wait_health_change)
    close = _same(aio_stream.MessageStream.stop)


class Consumer:
    """Blocking form of ``jetbridge.Consumer``."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_consumer.Consumer) -> None:
        self._a = a

    stream = _attr(aio_consumer.Consumer.stream)
    name = _attr(aio_consumer.Consumer.name)
    config = _attr(aio_consumer.Consumer.config)
    info = _wait(aio_consumer.Consumer.info)
    delete = _wait(aio_consumer.Consumer.delete)

    def fetch(
        self,
        max_messages: Optional[int] = None,
        max_wait: Optional[Seconds] = None,
        **options: Any,
    ) -> List[Message]:
        """Fetches up to ``max_messages``, blocking up to ``max_wait``; the
        keyword ``options`` are those of the async ``Consumer.fetch``
        (``max_bytes``, ``group``, …). After a Ctrl-C, what the interrupted
        fetch still receives is returned by the next ``fetch`` on this
        handle."""
        fetch = self._a.fetch(max_messages, max_wait, **options)
        return cast(List[Message], _run(fetch))

    def messages(self, options: Optional[aio_stream.MessagesOptions] = None, **fields: Any) -> MessageStream:
        """A continuous stream of this consumer's messages (started now)."""
        return MessageStream(self._a.messages(options, **fields))

    def __repr__(self) -> str:
        return repr(self._a)


class CoreMessage:
    """Blocking form of ``jetbridge.CoreMessage``: ``respond`` blocks."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_core.CoreMessage) -> None:
        self._a = a

    subject = _attr(aio_core.CoreMessage.subject)
    data = _attr(aio_core.CoreMessage.data)
    headers = _attr(aio_core.CoreMessage.headers)
    reply = _attr(aio_core.CoreMessage.reply)
    respond = _wait(aio_core.CoreMessage.respond)

    def __repr__(self) -> str:
        return repr(self._a)


class CoreSubscription:
    """Blocking form of ``jetbridge.CoreSubscription``: iterate with
    ``for`` (ends once unsubscribed or the client closed); a ``with`` block
    unsubscribes on exit. ``unsubscribe`` from another thread ends a waiting
    ``next`` at once."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_core.CoreSubscription) -> None:
        self._a = a

    def next(self, timeout: Optional[Seconds] = None) -> Optional[CoreMessage]:
        """The next message, blocking up to ``timeout`` (``None``: as long
        as it takes); ``None`` when none came in time. ``ClosedError`` once
        unsubscribed or the client closed."""
        m = _run(self._a.next(timeout))
        return None if m is None else CoreMessage(m)

    def __iter__(self) -> "CoreSubscription":
        return self

    def __next__(self) -> CoreMessage:
        try:
            m = self.next()
        except ClosedError:
            raise StopIteration from None
        assert m is not None
        return m

    unsubscribe = _wait(aio_core.CoreSubscription.unsubscribe)

    def __enter__(self) -> "CoreSubscription":
        return self

    def __exit__(self, *exc: object) -> None:
        self.unsubscribe()


class ConnectionEvents:
    """Blocking form of ``jetbridge.ConnectionEvents``: a plain iterator of
    ``ConnectionEvent``, ending after ``closed``."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_core.ConnectionEvents) -> None:
        self._a = a

    next = _wait(aio_core.ConnectionEvents.next)
    ended = _attr(aio_core.ConnectionEvents.ended)

    def __iter__(self) -> "ConnectionEvents":
        return self

    def __next__(self) -> aio_core.ConnectionEvent:
        e = self.next()
        if e is None:
            raise StopIteration
        return e


class _Watcher(Generic[_R]):
    """Blocking form of a watch (started when made): iterate with ``for``
    (items and, once, ``None`` when caught up); ``stop()`` from another
    thread ends a waiting iteration; a ``with`` block stops it on exit."""

    __slots__ = ("_a",)

    def __init__(self, a: "aio_watch.Watch[_R]") -> None:
        self._a = _run(a.start())

    def __enter__(self: "_W") -> "_W":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __iter__(self: "_W") -> "_W":
        return self

    def __next__(self) -> Optional[_R]:
        try:
            return _run(self._a.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None

    def next(self) -> Optional[_R]:
        """The next item or the ``None`` marker, waiting as long as it
        takes. ``ClosedError`` once stopped."""
        return _run(self._a.next())

    def next_batch(self, max_events: int, max_wait: Seconds) -> List[Optional[_R]]:
        """Up to ``max_events`` (items, and the ``None`` marker in its
        place): waits up to ``max_wait`` for the first. ``ClosedError``
        once stopped."""
        return _run(self._a.next_batch(max_events, max_wait))

    def stop(self) -> None:
        """Ends the watch (a waiting iteration ends)."""
        self._a.stop()


_W = TypeVar("_W", bound=_Watcher[Any])


class KvWatcher(_Watcher[aio_kv.KvEntry]):
    """Blocking form of ``jetbridge.KvWatcher`` (started when made): iterate
    with ``for`` (``KvEntry`` objects and, once, ``None`` when caught up);
    ``stop()`` from another thread ends a waiting iteration; a ``with``
    block stops it on exit."""

    __slots__ = ()


class ObjectWatcher(_Watcher[aio_obj.ObjectInfo]):
    """Blocking form of ``jetbridge.ObjectWatcher`` (started when made):
    iterate with ``for`` (``ObjectInfo`` objects and, once, ``None`` when
    caught up); ``stop()`` from another thread ends a waiting iteration; a
    ``with`` block stops it on exit."""

    __slots__ = ()


class KvKeys:
    """Blocking form of ``jetbridge.KvKeys`` (started when made): ``for key
    in kv.list_keys()``, one key at a time; ``stop()`` (or leaving a
    ``with`` block) ends the listing early."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_kv.KvKeys) -> None:
        self._a = _run(a.start())

    def __enter__(self) -> "KvKeys":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __iter__(self) -> "KvKeys":
        return self

    def __next__(self) -> str:
        try:
            return _run(self._a.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None

    stop = _same(aio_kv.KvKeys.stop)


class KeyValue:
    """Blocking form of ``jetbridge.KeyValue``."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_kv.KeyValue) -> None:
        self._a = a

    def __repr__(self) -> str:
        return repr(self._a)

    bucket = _attr(aio_kv.KeyValue.bucket)
    status = _wait(aio_kv.KeyValue.status)
    get = _wait(aio_kv.KeyValue.get)
    entry = _wait(aio_kv.KeyValue.entry)
    put = _wait(aio_kv.KeyValue.put)
    create = _wait(aio_kv.KeyValue.create)
    update = _wait(aio_kv.KeyValue.update)
    delete = _wait(aio_kv.KeyValue.delete)
    purge = _wait(aio_kv.KeyValue.purge)
    history = _wait(aio_kv.KeyValue.history)
    keys = _wait(aio_kv.KeyValue.keys)
    list_keys = _to(KvKeys, aio_kv.KeyValue.list_keys)
    watch = _to(KvWatcher, aio_kv.KeyValue.watch)


class ObjectReader(io.RawIOBase):
    """Blocking form of ``jetbridge.ObjectReader``: a read-only binary file
    object (``read(n)``, ``readinto``, ``shutil.copyfileobj``), reading one
    chunk at a time; ``chunks()`` iterates the chunks themselves. ``info``
    is the object's info. A size or digest mismatch raises instead of
    ending."""

    def __init__(self, a: aio_obj.ObjectReader) -> None:
        super().__init__()
        self._a = a
        self.info = a.info

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = _run(self._a.read(len(view)))
        view[: len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        return _run(self._a.read(-1))

    def chunks(self) -> Iterator[bytes]:
        """The object's chunks (what is left of them), in order."""
        while True:
            try:
                yield _run(self._a.__anext__())
            except StopAsyncIteration:
                return

    def __repr__(self) -> str:
        return repr(self._a)


class ObjectStore:
    """Blocking form of ``jetbridge.ObjectStore``; ``put`` takes bytes,
    ``str``, a binary file object or an iterable of bytes (not an async
    iterable)."""

    __slots__ = ("_a",)

    def __init__(self, a: aio_obj.ObjectStore) -> None:
        self._a = a

    def __repr__(self) -> str:
        return repr(self._a)

    bucket = _attr(aio_obj.ObjectStore.bucket)
    status = _wait(aio_obj.ObjectStore.status)
    seal = _wait(aio_obj.ObjectStore.seal)
    info = _wait(aio_obj.ObjectStore.info)
    delete = _wait(aio_obj.ObjectStore.delete)
    list = _wait(aio_obj.ObjectStore.list)
    put = _wait(aio_obj.ObjectStore.put)
    get = _to(ObjectReader, aio_obj.ObjectStore.get)
    get_bytes = _wait(aio_obj.ObjectStore.get_bytes)
    add_link = _wait(aio_obj.ObjectStore.add_link)
    add_bucket_link = _wait(aio_obj.ObjectStore.add_bucket_link)
    update_meta = _wait(aio_obj.ObjectStore.update_meta)
    watch = _to(ObjectWatcher, aio_obj.ObjectStore.watch)


class Client:
    """Blocking form of ``jetbridge.Client``; a ``with`` block closes it."""

    __slots__ = ("_a", "__weakref__")

    def __init__(self, a: aio.Client) -> None:
        self._a = a

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return repr(self._a)

    is_closed = _attr(aio.Client.is_closed)
    name = _attr(aio.Client.name)
    servers = _attr(aio.Client.servers)
    max_payload = _attr(aio.Client.max_payload)
    close = _wait(aio.Client.close)
    drain = _wait(aio.Client.drain)
    flush_acks = _wait(aio.Client.flush_acks)
    connection_state = _same(aio.Client.connection_state)
    counters = _same(aio.Client.counters)
    publish = _wait(aio.Client.publish)
    publish_many = _wait(aio.Client.publish_many)
    publish_batch = _wait(aio.Client.publish_batch)
    publisher = _to(Publisher, aio.Client.publisher)
    core_publish = _wait(aio.Client.core_publish)
    core_subscribe = _to(CoreSubscription, aio.Client.core_subscribe)
    core_request = _to(CoreMessage, aio.Client.core_request)
    events = _to(ConnectionEvents, aio.Client.events)
    create_stream = _wait(aio.Client.create_stream)
    update_stream = _wait(aio.Client.update_stream)
    stream_info = _wait(aio.Client.stream_info)
    list_streams = _wait(aio.Client.list_streams)
    delete_stream = _wait(aio.Client.delete_stream)
    purge_stream = _wait(aio.Client.purge_stream)
    get_message = _wait(aio.Client.get_message)
    delete_message = _wait(aio.Client.delete_message)
    get_last_message = _wait(aio.Client.get_last_message)
    get_next_message = _wait(aio.Client.get_next_message)
    get_messages = _wait(aio.Client.get_messages)
    stream_by_subject = _wait(aio.Client.stream_by_subject)
    account_info = _wait(aio.Client.account_info)
    create_consumer = _to(Consumer, aio.Client.create_consumer)
    update_consumer = _to(Consumer, aio.Client.update_consumer)
    get_or_create_consumer = _to(Consumer, aio.Client.get_or_create_consumer)
    bind_consumer = _to(Consumer, aio.Client.bind_consumer)
    consumer_info = _wait(aio.Client.consumer_info)
    list_consumers = _wait(aio.Client.list_consumers)
    delete_consumer = _wait(aio.Client.delete_consumer)
    pause_consumer = _wait(aio.Client.pause_consumer)
    resume_consumer = _wait(aio.Client.resume_consumer)
    unpin_consumer = _wait(aio.Client.unpin_consumer)
    replay = _to(MessageStream, aio.Client.replay)
    push_subscribe = _to(MessageStream, aio.Client.push_subscribe)
    subscribe = _to(MessageStream, aio.Client.subscribe)
    create_key_value = _to(KeyValue, aio.Client.create_key_value)
    create_or_update_key_value = _to(KeyValue, aio.Client.create_or_update_key_value)
    key_value_status = _wait(aio.Client.key_value_status)
    key_value_names = _wait(aio.Client.key_value_names)
    key_value = _to(KeyValue, aio.Client.key_value)
    delete_key_value = _wait(aio.Client.delete_key_value)
    create_object_store = _to(ObjectStore, aio.Client.create_object_store)
    object_store_status = _wait(aio.Client.object_store_status)
    object_store_names = _wait(aio.Client.object_store_names)
    object_store = _to(ObjectStore, aio.Client.object_store)
    delete_object_store = _wait(aio.Client.delete_object_store)


def connect(
    servers: Union[str, Sequence[str], None] = None, *, options: Optional[ConnectOptions] = None, **fields: Any
) -> Client:
    """Connects (blocking); see ``jetbridge.connect`` for the options."""
    opts = _connect_options(servers, options, fields)
    native = _native.connect(opts).wait()
    return Client(aio.Client(cast(_native.Client, _Blocking(native)), opts.name))
