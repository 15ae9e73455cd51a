"""What a scenario has built so far: the client, the publisher, consumers and message
streams by alias, and the latest delivery of each message."""

from __future__ import annotations

import asyncio
from typing import Dict, Iterable, Optional, Tuple

import jetbridge

from outcome import RunnerError


class State:
    """The runner's state across the steps of one scenario."""

    def __init__(self) -> None:
        self.client: Optional[jetbridge.Client] = None  # the last successful connect
        self.publisher: Optional[jetbridge.Publisher] = None  # the last publisher_open
        self.consumers: Dict[str, jetbridge.Consumer] = {}
        self.streams: Dict[str, jetbridge.MessageStream] = {}
        self.messages: Dict[Tuple[str, int], jetbridge.Message] = {}
        self.tracked: Dict[int, jetbridge.TrackedPublish] = {}  # tracked publishes by ticket
        self.core_subs: Dict[str, jetbridge.CoreSubscription] = {}
        self.core_last: Dict[str, jetbridge.CoreMessage] = {}  # the last core_next of each
        self.core_services: Dict[str, "asyncio.Future[None]"] = {}  # core_reply_service tasks
        self.listeners: Dict[str, jetbridge.ConnectionEvents] = {}
        self.buckets: Dict[str, jetbridge.KeyValue] = {}
        self.watchers: Dict[str, jetbridge.KvWatcher] = {}
        self.stores: Dict[str, jetbridge.ObjectStore] = {}
        self.obj_watchers: Dict[str, jetbridge.ObjectWatcher] = {}

    def get_client(self) -> jetbridge.Client:
        if self.client is None:
            raise RunnerError("no client: the scenario must connect first")
        return self.client

    def get_publisher(self) -> jetbridge.Publisher:
        if self.publisher is None:
            raise RunnerError("no publisher: use publisher_open first")
        return self.publisher

    def consumer(self, alias: str) -> jetbridge.Consumer:
        try:
            return self.consumers[alias]
        except KeyError:
            raise RunnerError(f"no consumer with alias {alias!r}") from None

    def stream(self, alias: str) -> jetbridge.MessageStream:
        try:
            return self.streams[alias]
        except KeyError:
            raise RunnerError(f"no message stream with alias {alias!r}") from None

    def core_sub(self, alias: str) -> jetbridge.CoreSubscription:
        try:
            return self.core_subs[alias]
        except KeyError:
            raise RunnerError(f"no core subscription with alias {alias!r}") from None

    def listener(self, alias: str) -> jetbridge.ConnectionEvents:
        try:
            return self.listeners[alias]
        except KeyError:
            raise RunnerError(f"no event listener with alias {alias!r}") from None

    def bucket(self, alias: str) -> jetbridge.KeyValue:
        try:
            return self.buckets[alias]
        except KeyError:
            raise RunnerError(f"no key-value bucket with alias {alias!r}") from None

    def watcher(self, alias: str) -> jetbridge.KvWatcher:
        try:
            return self.watchers[alias]
        except KeyError:
            raise RunnerError(f"no kv watch with alias {alias!r}") from None

    def store(self, alias: str) -> jetbridge.ObjectStore:
        try:
            return self.stores[alias]
        except KeyError:
            raise RunnerError(f"no object store with alias {alias!r}") from None

    def obj_watcher(self, alias: str) -> jetbridge.ObjectWatcher:
        try:
            return self.obj_watchers[alias]
        except KeyError:
            raise RunnerError(f"no object watch with alias {alias!r}") from None

    def tracked_publish(self, ticket: int) -> jetbridge.TrackedPublish:
        try:
            return self.tracked[ticket]
        except KeyError:
            raise RunnerError(f"no tracked publish with ticket {ticket}") from None

    def message(self, source: str, seq: int) -> jetbridge.Message:
        try:
            return self.messages[(source, seq)]
        except KeyError:
            raise RunnerError(f"no message with seq {seq} received from {source!r}") from None

    def remember(self, source: str, batch: Iterable[jetbridge.Message]) -> None:
        for m in batch:
            self.messages[(source, m.stream_sequence)] = m

    async def shutdown(self) -> None:
        """Stops the streams and closes the client at the end (best effort)."""
        for s in self.streams.values():
            s.stop()
        self.streams.clear()
        for w in self.watchers.values():
            w.stop()
        self.watchers.clear()
        for o in self.obj_watchers.values():
            o.stop()
        self.obj_watchers.clear()
        for sub in self.core_subs.values():
            try:
                await sub.unsubscribe()
            except jetbridge.JetBridgeError:
                pass
        for task in self.core_services.values():
            await task
        if self.client is not None:
            client, self.client = self.client, None
            try:
                await client.close()
            except jetbridge.JetBridgeError:
                pass
