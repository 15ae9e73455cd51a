"""Configuration from Dapr metadata and from a Dapr component YAML file."""

from __future__ import annotations

from pathlib import Path

import pytest

import jetbridge

COMPONENT = """\
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: jetstream-pubsub
spec:
  type: pubsub.jetstream
  version: v1
  metadata:
  - name: natsURL
    value: "{url}"
  - name: name
    value: "orders-service"
  - name: streamName
    value: "{stream}"
  - name: durableName
    value: "dapr-durable"
  - name: queueGroupName
    value: "dapr-group"
  - name: startSequence
    value: 2
  - name: deliverPolicy
    value: sequence
  - name: ackWait
    value: 10s
  - name: maxDeliver
    value: 5
  - name: backOff
    value: "500ms, 2s"
  - name: maxAckPending
    value: 100
  - name: concurrencyMode
    value: parallel
"""


async def test_yaml_file_configures_client_and_subscription(
    tmp_path: Path, url: str, client: jetbridge.Client, stream: str
) -> None:
    path = tmp_path / "pubsub.yaml"
    path.write_text(COMPONENT.format(url=url, stream=stream))
    cfg = jetbridge.DaprConfig.from_yaml_file(path)
    assert cfg.connect.servers == [url] and cfg.connect.name == "orders-service"
    sub = cfg.subscription
    assert (sub.stream_name, sub.concurrency) == (stream, "parallel")
    c = sub.consumer
    assert (c.durable_name, c.deliver_group, c.max_deliver, c.max_ack_pending) == ("dapr-durable", "dapr-group", 5, 100)
    assert c.start == jetbridge.StartPosition.at_sequence(2)
    assert (c.ack_wait, c.backoff) == (10.0, [0.5, 2.0])
    assert cfg == jetbridge.DaprConfig.from_yaml(path.read_text())

    for i in range(3):
        await client.publish(f"{stream}.orders", str(i))
    async with jetbridge.connect(options=cfg.connect) as dapr_client:
        async with dapr_client.subscribe(f"{stream}.orders", cfg.subscription) as s:
            got = await s.next_batch(10, 5)
            while len(got) < 2:
                got += await s.next_batch(10, 5)
            assert [m.stream_sequence for m in got] == [2, 3]
            for m in got:
                m.ack()


def test_metadata_dict_and_its_errors(tmp_path: Path) -> None:
    cfg = jetbridge.DaprConfig.from_metadata(
        {
            "natsurl": "nats://a:1, nats://b:2",
            "token": "s3cret-token",
            "deliverPolicy": "time",
            "startTime": 1630349391,
            "memoryStorage": True,
            "heartbeat": "2s",
            "flowControl": "true",
            "domain": "hub",
        }
    )
    assert cfg.connect.servers == ["nats://a:1", "nats://b:2"]
    assert cfg.connect.token == "s3cret-token" and "s3cret-token" not in repr(cfg)
    assert cfg.connect.name == "dapr.io - pubsub.jetstream" and cfg.connect.domain == "hub"
    c = cfg.subscription.consumer
    assert c.start == jetbridge.StartPosition.at_time(1_630_349_391_000_000_000)
    assert (c.memory_storage, c.idle_heartbeat, c.flow_control) == (True, 2.0, True)
    with pytest.raises(jetbridge.InvalidArgumentError, match="bogus"):
        jetbridge.DaprConfig.from_metadata({"natsURL": "nats://h:1", "bogus": "1"})
    with pytest.raises(jetbridge.InvalidArgumentError, match="ackWait"):
        jetbridge.DaprConfig.from_metadata({"natsURL": "nats://h:1", "ackWait": "soon"})
    with pytest.raises(jetbridge.InvalidArgumentError, match="natsURL"):
        jetbridge.DaprConfig.from_metadata({"durableName": "d"})
    with pytest.raises(TypeError, match="metadata"):
        jetbridge.DaprConfig.from_metadata({"natsURL": ["nats://h:1"]})  # type: ignore[dict-item]
    with pytest.raises(jetbridge.InvalidArgumentError, match="component file"):
        jetbridge.DaprConfig.from_yaml_file(tmp_path / "missing.yaml")
    with pytest.raises(jetbridge.InvalidArgumentError, match="pubsub.jetstream"):
        jetbridge.DaprConfig.from_yaml("spec:\n  type: pubsub.redis\n  metadata: []\n")
