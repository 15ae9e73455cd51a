"""The exception hierarchy, and each class reached by a real failure."""

from __future__ import annotations

import ast
import builtins
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

import jetbridge
from jetbridge import _native


def test_every_class_is_a_jetbridge_error_with_code_and_retryable() -> None:
    names = jetbridge.errors.__all__
    assert names[0] == "JetBridgeError"
    codes = set()
    for n in names[1:]:
        cls = getattr(jetbridge, n)
        assert issubclass(cls, jetbridge.JetBridgeError)
        assert cls.__module__ == "jetbridge"
        assert cls.code and cls.code == cls.code.upper()
        assert isinstance(cls.retryable, bool)
        codes.add(cls.code)
    assert len(codes) == len(names) - 1 == 26
    assert names[-1] == "ServerTooOldError" and jetbridge.ServerTooOldError.code == "SERVER_TOO_OLD"
    assert issubclass(jetbridge.InvalidArgumentError, ValueError)
    assert issubclass(jetbridge.TimeoutError, builtins.TimeoutError)
    assert jetbridge.TimeoutError.retryable and jetbridge.ConnectionError.retryable
    assert not jetbridge.NotFoundError.retryable
    assert jetbridge.PublishOutcomeUnknownError.code == "PUBLISH_OUTCOME_UNKNOWN"
    assert jetbridge.NotFoundError.__doc__ == "The stream, consumer or message does not exist."


def test_stub_declares_exactly_the_cores_error_classes() -> None:
    stub = ast.parse(Path(_native.__file__).with_name("_native.pyi").read_text())
    bases = {n.name: [ast.unparse(b) for b in n.bases] for n in stub.body if isinstance(n, ast.ClassDef)}
    declared = [name for name, b in bases.items() if name == "JetBridgeError" or "JetBridgeError" in b]
    assert declared == jetbridge.errors.__all__ == _native.__all__
    for name in declared[1:]:
        cls = getattr(_native, name)
        assert [c.__name__ for c in cls.__bases__] == [b.rsplit(".")[-1] for b in bases[name]]


async def test_missing_stream_is_not_found(client: jetbridge.Client, name: Callable[[str], str]) -> None:
    with pytest.raises(jetbridge.NotFoundError) as e:
        await client.stream_info(name("MISSING"))
    assert e.value.code == "NOT_FOUND" and e.value.api_code == 10059
    assert str(e.value) == "NOT_FOUND: stream not found (server code 404, err_code 10059)"


async def test_invalid_subject_is_invalid_argument_and_value_error(client: jetbridge.Client) -> None:
    with pytest.raises(jetbridge.InvalidArgumentError) as e:
        await client.publish("bad subject", b"x")
    assert "subject" in str(e.value)
    with pytest.raises(ValueError):
        await client.publish("orders.*", b"x")


async def test_wrong_last_sequence_and_stream_mismatch(client: jetbridge.Client, stream: str) -> None:
    await client.publish(f"{stream}.a", b"1")
    with pytest.raises(jetbridge.WrongLastSequenceError):
        await client.publish(f"{stream}.a", b"2", expect=jetbridge.Expect(last_sequence=7))
    with pytest.raises(jetbridge.WrongLastSequenceError):
        await client.publish(f"{stream}.a", b"2", expect=jetbridge.Expect(last_subject_sequence=0))
    with pytest.raises(jetbridge.StreamMismatchError):
        await client.publish(f"{stream}.a", b"2", expect=jetbridge.Expect(stream="OTHER"))
    ack = await client.publish(f"{stream}.a", b"2", expect=jetbridge.Expect(stream=stream, last_sequence=1))
    assert ack.sequence == 2


async def test_closed_client(url: str) -> None:
    c = await jetbridge.connect(url)
    await c.close()
    await c.close()  # twice is fine
    assert c.is_closed
    with pytest.raises(jetbridge.ClosedError):
        await c.publish("x.y", b"1")
    with pytest.raises(jetbridge.ClosedError):
        c.publisher()


async def test_bad_token_is_auth_error(harness: Callable[..., Any]) -> None:
    h = harness(auth="token")
    with pytest.raises(jetbridge.AuthError):
        await jetbridge.connect(h.urls[0], token=h.auth["wrong_secret"], connect_timeout=3)
    c = await jetbridge.connect(h.urls[0], token=h.auth["token"])
    await c.close()


async def test_user_password_and_nkey(harness: Callable[..., Any]) -> None:
    h = harness(auth="user")
    with pytest.raises(jetbridge.AuthError):
        await jetbridge.connect(h.urls[0], user=h.auth["user"], password=h.auth["wrong_secret"])
    c = await jetbridge.connect(h.urls[0], user=h.auth["user"], password=h.auth["password"])
    assert h.auth["password"] not in repr(c)
    await c.close()
    h = harness(auth="nkey")
    c = await jetbridge.connect(h.urls[0], nkey_seed=h.auth["nkey"]["seed"])
    await c.close()
    with pytest.raises(jetbridge.AuthError):
        await jetbridge.connect(h.urls[0], nkey_seed=h.auth["nkey"]["other_seed"])


async def test_jwt_without_jetstream(harness: Callable[..., Any]) -> None:
    h = harness(auth="jwt")
    jwt = h.auth["jwt"]
    ok = await jetbridge.connect(h.urls[0], creds_file=jwt["user"]["creds"])
    await ok.close()
    ok = await jetbridge.connect(h.urls[0], jwt=jwt["user"]["jwt"], jwt_seed=jwt["user"]["seed"])
    await ok.close()
    c = await jetbridge.connect(h.urls[0], creds_file=jwt["no_jetstream"]["creds"])
    try:
        with pytest.raises(jetbridge.JetstreamNotEnabledError):
            await c.stream_info("ANY")
    finally:
        await c.close()
    with pytest.raises(jetbridge.AuthError):
        await jetbridge.connect(h.urls[0], creds_file=jwt["expired"]["creds"])


async def test_tls_unknown_ca_is_tls_error(harness: Callable[..., Any]) -> None:
    h = harness(auth="tls")
    tls_url = h.info["tls_urls"][0]
    with pytest.raises(jetbridge.TlsError):
        await jetbridge.connect(tls_url, tls_ca_file=h.auth["tls"]["other_ca"], connect_timeout=3)
    c = await jetbridge.connect(tls_url, tls_ca_file=h.auth["tls"]["ca"])
    await c.close()


async def test_nothing_listening_is_connection_error(harness: Callable[..., Any]) -> None:
    h = harness()
    dead = h.urls[0]
    h.stop()
    with pytest.raises(jetbridge.ConnectionError) as e:
        await jetbridge.connect(dead, connect_timeout=2)
    assert e.value.retryable


async def test_already_exists_and_config_mismatch(client: jetbridge.Client, stream: str) -> None:
    with pytest.raises(jetbridge.AlreadyExistsError):
        await client.create_stream(name=stream, subjects=[f"{stream}.other"])
    await client.create_consumer(stream, durable_name="d", ack_wait=10)
    with pytest.raises(jetbridge.AlreadyExistsError):
        await client.create_consumer(stream, durable_name="d", ack_wait=20)
    with pytest.raises(jetbridge.ConfigMismatchError):
        await client.bind_consumer(stream, "d", jetbridge.ConsumerConfig(ack_wait=20))
    with pytest.raises(jetbridge.ConfigMismatchError):
        await client.get_or_create_consumer(stream, durable_name="d", ack_wait=20)


async def test_limit_exceeded_with_discard_new(url: str, name: Callable[[str], str]) -> None:
    s = name("FULL")
    async with jetbridge.connect(url, publish_retry_budget=1.0) as client:
        await client.create_stream(name=s, subjects=[f"{s}.>"], max_msgs=1, discard="new")
        try:
            await client.publish(f"{s}.a", b"1")
            with pytest.raises(jetbridge.LimitExceededError):
                await client.publish(f"{s}.a", b"2")
        finally:
            await client.delete_stream(s)


async def test_paused_server_gives_timeout_unknown_outcome_and_missed_heartbeat(
    harness: Callable[..., Any],
) -> None:
    h = harness()
    c = await jetbridge.connect(
        h.urls[0], request_timeout=0.5, publish_ack_timeout=0.3, publish_retry_budget=1.2
    )
    try:
        await c.create_stream(name="P", subjects=["p.>"])
        consumer = await c.create_consumer("P", durable_name="d")
        h.pause(0)
        try:
            with pytest.raises(jetbridge.TimeoutError) as t:
                await c.stream_info("P")
            assert isinstance(t.value, builtins.TimeoutError) and t.value.retryable
            with pytest.raises(jetbridge.PublishOutcomeUnknownError) as u:
                await c.publish("p.x", b"1", msg_id="m-1")
            assert "m-1" in str(u.value)
            with pytest.raises(jetbridge.HeartbeatMissedError):
                await consumer.fetch(1, max_wait=2, heartbeat=0.4)
        finally:
            h.resume(0)
        assert c.counters().unknown_outcomes == 1
    finally:
        await c.close()


async def test_wrong_python_types_raise_type_error_naming_the_parameter(
    client: jetbridge.Client, stream: str
) -> None:
    with pytest.raises(TypeError, match="payload"):
        await client.publish(f"{stream}.a", 12)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="subject"):
        await client.publish(7, b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="headers"):
        await client.publish(f"{stream}.a", b"x", headers=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="config.max_msgs"):
        await client.create_stream(name="X", subjects=["x"], max_msgs="many")
    with pytest.raises(TypeError, match="config.subjects"):
        await client.create_stream(name="X", subjects="x.>")
    with pytest.raises(TypeError, match="config.ack_wait"):
        await client.create_consumer(stream, durable_name="t", ack_wait="soon")
    with pytest.raises(jetbridge.InvalidArgumentError, match="ack_wait"):
        await client.create_consumer(stream, durable_name="t", ack_wait=-1)
    with pytest.raises(TypeError, match="messages"):
        await client.publish_many("nope")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"messages\[1\]"):
        await client.publish_many([(f"{stream}.a", b"x"), 3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="options.connect_timeout"):
        await jetbridge.connect("nats://127.0.0.1:1", connect_timeout="fast")
    with pytest.raises(TypeError):
        await jetbridge.connect("nats://127.0.0.1:1", no_such_option=1)



async def test_option_keywords_are_read_through_the_cores_declarations(
    client: jetbridge.Client, stream: str
) -> None:
    c = await client.create_consumer(stream, durable_name="opts")
    with pytest.raises(TypeError, match="^max_messages must be int, not str"):
        await c.fetch("1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^no_wait must be bool"):
        await c.fetch(1, no_wait="yes")  # type: ignore[arg-type]
    with pytest.raises(jetbridge.InvalidArgumentError, match="max_messages"):
        await c.fetch(-1)
    with pytest.raises(TypeError, match="^options.batch must be int"):
        await c.messages(batch="many")
    with pytest.raises(jetbridge.InvalidArgumentError, match="threshold_percent"):
        await c.messages(threshold_percent=300)
    with pytest.raises(TypeError):
        c.messages(no_such_option=1)
    with pytest.raises(TypeError, match="^max_in_flight must be int"):
        client.publisher(max_in_flight="8")  # type: ignore[arg-type]
    with pytest.raises(jetbridge.InvalidArgumentError, match="max_in_flight_bytes"):
        client.publisher(max_in_flight_bytes=-1)
    with pytest.raises(TypeError, match="^keep must be int"):
        await client.purge_stream(stream, keep="all")  # type: ignore[arg-type]
    assert isinstance(jetbridge.MessagesOptions.defaults(), jetbridge.MessagesOptions)

_PANIC_SCRIPT = """
import asyncio, json, os, jetbridge

async def main():
    point, url, out = os.environ["JETBRIDGE_TEST_PANIC"], os.environ["NATS_URL"], {}
    if point == "connect":
        try:
            await jetbridge.connect(url)
            out["error"] = "no error"
        except jetbridge.JetBridgeError as e:
            out["error"] = e.code
        out["alive"] = (await asyncio.sleep(0.01, True))
        return print(json.dumps(out))
    c = await jetbridge.connect(url)
    s = f"P{point}{os.getpid()}"
    await c.create_stream(name=s, subjects=[s + ".>"])
    if point != "publish":
        await c.publish(s + ".a", b"x")
    consumer = await c.create_consumer(s, durable_name="d")
    try:
        if point == "publish":
            await c.publish(s + ".a", b"x")
        elif point == "fetch":
            await consumer.fetch(1, 1)
        elif point == "ack":
            (await consumer.fetch(1, 1))[0].ack()
        else:
            async for m in consumer.messages():
                m.ack()
        out["error"] = "no error"
    except jetbridge.JetBridgeError as e:
        out["error"] = e.code
    out["alive"] = (await c.stream_info(s)).config.name == s
    await c.close()
    print(json.dumps(out))

asyncio.run(main())
"""


@pytest.mark.parametrize("point", ["connect", "publish", "fetch", "ack", "deliver"])
def test_a_core_panic_is_panic_error_and_the_interpreter_lives_on(url: str, point: str) -> None:
    # The core's fault point JETBRIDGE_TEST_PANIC=<point>, in a child process:
    # async calls (the core runtime) and the synchronous ack (the call's guard).
    env = {**os.environ, "NATS_URL": url, "JETBRIDGE_TEST_PANIC": point, "RUST_BACKTRACE": "0"}
    r = subprocess.run([sys.executable, "-c", _PANIC_SCRIPT], env=env, capture_output=True, text=True, timeout=45)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"error": "PANIC", "alive": True}


async def test_already_acked(client: jetbridge.Client, stream: str) -> None:
    await client.publish(f"{stream}.a", b"1")
    consumer = await client.create_consumer(stream, durable_name="d")
    [m] = await consumer.fetch(1, 2)
    m.ack()
    with pytest.raises(jetbridge.AlreadyAckedError):
        m.ack()
    with pytest.raises(jetbridge.AlreadyAckedError):
        m.nak()
    with pytest.raises(jetbridge.AlreadyAckedError):
        await m.ack_sync()


async def test_fetch_from_a_deleted_consumer_is_no_responders(client: jetbridge.Client, stream: str) -> None:
    consumer = await client.create_consumer(stream, durable_name="gone")
    await client.delete_consumer(stream, "gone")
    with pytest.raises(jetbridge.NoRespondersError) as e:
        await consumer.fetch(1, 1)
    assert e.value.retryable


async def test_other_api_errors_are_server_errors_with_the_api_code(client: jetbridge.Client, stream: str) -> None:
    with pytest.raises(jetbridge.ServerError) as e:
        await client.update_stream(name=stream, subjects=[f"{stream}.>"], storage="memory")
    assert e.value.api_code == 10052 and "storage" in str(e.value)
