"""Configuration in Dapr's ``state.jetstream`` vocabulary.

A metadata dict or a Dapr component YAML file gives a ``ConnectOptions`` for
``jetbridge.connect(options=...)`` and the key-value bucket holding the state,
for ``client.key_value(bucket)`` (opened, never created, as the component
does), with the component's keys and meanings (parsed by the core). Unknown
keys and missing required ones raise ``InvalidArgumentError`` naming the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Union

from . import _native
from .options import ConnectOptions

__all__ = ["DaprStateConfig", "dapr_state_key"]


@dataclass
class DaprStateConfig:
    """Client options and the state's bucket from one Dapr component."""

    connect: ConnectOptions
    bucket: str

    @classmethod
    def _from_native(cls, d: Dict[str, Any]) -> "DaprStateConfig":
        return cls(ConnectOptions(**d["connect"]), d["bucket"])

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Union[str, int, float, bool]]) -> "DaprStateConfig":
        """From Dapr metadata (``natsURL``, ``bucket``, …). Keys match
        case-insensitively, as in Dapr."""
        return cls._from_native(_native.dapr_state_from_metadata(dict(metadata)))

    @classmethod
    def from_yaml_file(cls, path: Union[str, "os.PathLike[str]"]) -> "DaprStateConfig":
        """From a Dapr component YAML file (``spec.type: state.jetstream``)."""
        return cls._from_native(_native.dapr_state_from_yaml_file(os.fspath(path)))

    @classmethod
    def from_yaml(cls, text: str) -> "DaprStateConfig":
        """From the text of a Dapr component YAML document."""
        return cls._from_native(_native.dapr_state_from_yaml_str(text))


def dapr_state_key(key: str) -> str:
    """The bucket key the component stores Dapr state key ``key`` under
    (Dapr's ``app-id||key`` separator escaped as the component does)."""
    return _native.dapr_state_key(key)
