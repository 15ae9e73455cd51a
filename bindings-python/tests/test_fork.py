"""``os.fork()`` after connecting: the child gets ``ForkedError``, not a hang.
Forking before the first connect is fine."""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys
import textwrap
from typing import Callable

import jetbridge
import jetbridge.sync as jbs


def run_in_child(body: Callable[[], str], timeout: float = 20.0) -> str:
    """Forks, runs ``body`` in the child, returns what it returned (or the
    exception it raised, as text). Kills the child if it hangs."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        try:
            out = body()
        except BaseException as e:  # noqa: BLE001 - report anything
            out = f"raised {type(e).__name__}: {e}"
        os.write(w, out.encode())
        os._exit(0)
    os.close(w)
    try:
        ready, _, _ = select.select([r], [], [], timeout)
        if not ready:
            os.kill(pid, 9)
            return "child hung"
        chunks = []
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(r)
        os.waitpid(pid, 0)


def test_child_of_a_connected_process_gets_forked_error(url: str, name: Callable[[str], str]) -> None:
    s = name("FORK")
    with jbs.connect(url) as client:
        client.create_stream(name=s, subjects=[f"{s}.>"])
        client.publish(f"{s}.a", b"1")
        consumer = client.create_consumer(s, durable_name="d")
        [msg] = consumer.fetch(1, 5)

        def child() -> str:
            results = []
            for what, call in [
                ("publish", lambda: client.publish(f"{s}.a", b"2")),
                ("ack", msg.ack),
                ("fetch", lambda: consumer.fetch(1, 1)),
                ("connect", lambda: jbs.connect(url)),
                ("async publish", lambda: asyncio.run(async_publish(url, s))),
            ]:
                try:
                    call()
                    results.append(f"{what}: no error")
                except jetbridge.ForkedError as e:
                    assert e.code == "FORKED" and "fork" in str(e)
                    results.append(f"{what}: ForkedError")
            return "; ".join(results)

        out = run_in_child(child)
        assert out == (
            "publish: ForkedError; ack: ForkedError; fetch: ForkedError; "
            "connect: ForkedError; async publish: ForkedError"
        ), out
        # The parent is unaffected.
        msg.ack()
        assert client.publish(f"{s}.a", b"3").sequence == 2
        client.delete_stream(s)


async def async_publish(url: str, stream: str) -> None:
    c = await jetbridge.connect(url)
    await c.publish(f"{stream}.a", b"x")


def test_fork_before_the_first_connect_is_fine(url: str) -> None:
    script = textwrap.dedent(
        f"""
        import os, jetbridge.sync as jbs
        pid = os.fork()
        with jbs.connect({url!r}) as c:
            assert c.connection_state().connected
        if pid:
            _, status = os.waitpid(pid, 0)
            assert status == 0, status
            print("both connected")
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "both connected"
