"""Configuration in Dapr's ``pubsub.jetstream`` vocabulary.

A metadata dict or a Dapr component YAML file gives a ``ConnectOptions`` for
``jetbridge.connect(options=...)`` and a ``SubscriptionOptions`` for
``client.subscribe(topic, ...)``, with the Dapr component's keys, meanings
and units (parsed by the core). Unknown keys and bad values raise
``InvalidArgumentError`` naming the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Union

from . import _native
from .consumer import ConsumerConfig
from .options import ConnectOptions

__all__ = ["SubscriptionOptions", "DaprConfig"]


@dataclass
class SubscriptionOptions:
    """A subscription as Dapr configures it.

    Attributes:
        stream_name: The stream; ``None`` means the one capturing the topic.
        consumer: Durable name, deliver group, start, acks and limits.
        concurrency: Dapr's ``concurrencyMode``: ``"single"`` or ``"parallel"``.
    """

    stream_name: Union[str, None] = None
    consumer: ConsumerConfig = field(default_factory=ConsumerConfig)
    concurrency: str = "single"


@dataclass
class DaprConfig:
    """Client and subscription options from one Dapr component."""

    connect: ConnectOptions
    subscription: SubscriptionOptions

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "DaprConfig":
        sub = dict(d["subscription"])
        sub["consumer"] = ConsumerConfig._from_native(sub["consumer"])
        return cls(ConnectOptions(**d["connect"]), SubscriptionOptions(**sub))

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Union[str, int, float, bool]]) -> "DaprConfig":
        """From Dapr metadata (``natsURL``, ``durableName``, ``ackWait``, …).
        Keys match case-insensitively, as in Dapr."""
        return cls._from_native(_native.dapr_from_metadata(dict(metadata)))

    @classmethod
    def from_yaml_file(cls, path: Union[str, "os.PathLike[str]"]) -> "DaprConfig":
        """From a Dapr component YAML file (``spec.type: pubsub.jetstream``)."""
        return cls._from_native(_native.dapr_from_yaml_file(os.fspath(path)))

    @classmethod
    def from_yaml(cls, text: str) -> "DaprConfig":
        """From the text of a Dapr component YAML document."""
        return cls._from_native(_native.dapr_from_yaml_str(text))
