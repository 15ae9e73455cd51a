"""The Dapr ``state.jetstream`` component's configuration: metadata or a
component file gives the connection and the bucket, which is opened (never
created) on a real server; Dapr state keys escaped as the component does."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

import jetbridge

COMPONENT = """\
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
spec:
  type: state.jetstream
  version: v1
  metadata:
  - name: natsURL
    value: "{url}"
  - name: bucket
    value: "{bucket}"
"""


async def test_component_file_connects_and_opens_the_bucket(
    tmp_path: Path, url: str, client: jetbridge.Client, name: Callable[[str], str]
) -> None:
    bucket = name("state")
    path = tmp_path / "statestore.yaml"
    path.write_text(COMPONENT.format(url=url, bucket=bucket))
    cfg = jetbridge.DaprStateConfig.from_yaml_file(path)
    assert cfg.connect.servers == [url] and cfg.bucket == bucket
    assert cfg.connect.name  # the component's default connection name
    assert cfg == jetbridge.DaprStateConfig.from_yaml(path.read_text())
    assert cfg == jetbridge.DaprStateConfig.from_metadata({"NATSURL": url, "Bucket": bucket})

    async with jetbridge.connect(options=cfg.connect) as dapr_client:
        with pytest.raises(jetbridge.NotFoundError):
            await dapr_client.key_value(cfg.bucket)  # opened, never created
        await client.create_key_value(bucket=bucket)
        try:
            kv = await dapr_client.key_value(cfg.bucket)
            key = jetbridge.dapr_state_key("myapp||order-1")
            assert key == "myapp.order-1"
            revision = await kv.put(key, b'{"total":3}')
            entry = await (await client.key_value(bucket)).entry(key)
            assert entry is not None and (entry.value, entry.revision) == (b'{"total":3}', revision)
        finally:
            await client.delete_key_value(bucket)


def test_metadata_errors_name_the_key(tmp_path: Path) -> None:
    seed = "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY"
    cfg = jetbridge.DaprStateConfig.from_metadata(
        {"natsURL": "nats://h:1", "bucket": "b", "jwt": "eyJ0eXAi.jwt", "seedKey": seed, "name": "orders"}
    )
    assert (cfg.connect.jwt, cfg.connect.name) == ("eyJ0eXAi.jwt", "orders")
    assert seed not in repr(cfg)
    with pytest.raises(jetbridge.InvalidArgumentError, match="bucket"):
        jetbridge.DaprStateConfig.from_metadata({"natsURL": "nats://h:1"})
    with pytest.raises(jetbridge.InvalidArgumentError, match="natsURL"):
        jetbridge.DaprStateConfig.from_metadata({"bucket": "b"})
    with pytest.raises(jetbridge.InvalidArgumentError, match="seedKey"):
        jetbridge.DaprStateConfig.from_metadata({"natsURL": "nats://h:1", "bucket": "b", "jwt": "j"})
    with pytest.raises(jetbridge.InvalidArgumentError, match="durableName"):
        jetbridge.DaprStateConfig.from_metadata({"natsURL": "nats://h:1", "bucket": "b", "durableName": "d"})
    with pytest.raises(TypeError, match="metadata"):
        jetbridge.DaprStateConfig.from_metadata({"natsURL": ["nats://h:1"], "bucket": "b"})  # type: ignore[dict-item]
    with pytest.raises(jetbridge.InvalidArgumentError, match="state.jetstream"):
        jetbridge.DaprStateConfig.from_yaml("spec:\n  type: pubsub.jetstream\n  metadata: []\n")
    with pytest.raises(jetbridge.InvalidArgumentError, match="component file"):
        jetbridge.DaprStateConfig.from_yaml_file(tmp_path / "missing.yaml")
