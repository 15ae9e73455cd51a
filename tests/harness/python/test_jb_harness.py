"""Smoke test of the Python wrapper: ``python3 tests/harness/python/test_jb_harness.py``
(needs a built jb-harness; see jb_harness.find_binary)."""

import json
import os
import socket
import sys
import time
import unittest
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from jb_harness import Harness, HarnessError, Proxy  # noqa: E402


def read_info(port: int, timeout: float = 5.0) -> dict:
    """Connects to a NATS port and returns the server's INFO JSON."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        line = s.makefile("rb").readline()
    assert line.startswith(b"INFO "), line
    return json.loads(line[5:])


def create_stream(port: int, name: str, replicas: int, timeout: float = 10.0) -> dict:
    """Creates a JetStream stream with the raw NATS protocol (no client library)."""
    body = json.dumps({"name": name, "subjects": [name + ".>"], "num_replicas": replicas}).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        f = s.makefile("rb")
        f.readline()  # INFO
        s.sendall(b'CONNECT {"verbose":false,"pedantic":false,"headers":true}\r\n'
                  b"SUB _INBOX.smoke 1\r\n"
                  + f"PUB $JS.API.STREAM.CREATE.{name} _INBOX.smoke {len(body)}\r\n".encode()
                  + body + b"\r\n")
        for _ in range(100):
            line = f.readline()
            if line.startswith(b"PING"):
                s.sendall(b"PONG\r\n")
            elif line.startswith(b"MSG "):
                size = int(line.split()[-1])
                return json.loads(f.read(size + 2)[:size])
        raise AssertionError("no reply to stream create")


class SmokeTest(unittest.TestCase):
    def test_single_server(self) -> None:
        with Harness(auth="token") as h:
            self.assertTrue(h.auth["token"].startswith("t0k-"))
            port = h.servers[0]["port"]
            self.assertTrue(read_info(port)["auth_required"])
            h.kill9(0)
            self.assertIsNone(h.servers[0]["pid"])
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
            h.restart(0)
            self.assertEqual(read_info(port)["port"], port)
            self.assertEqual(h.monitor(0, "/varz")["jetstream"]["config"]["sync_always"], True)
            with self.assertRaises(HarnessError):
                h.kill9(3)

    def test_cluster_and_proxy(self) -> None:
        with Harness(cluster=3) as h:
            self.assertEqual(len(h.urls), 3)
            reply = create_stream(h.servers[0]["port"], "SMOKE", 3)
            self.assertNotIn("error", reply)
            leader = h.stream_leader("SMOKE")
            self.assertIn(leader, (0, 1, 2))
            h.pause(leader)
            self.assertNotEqual(h.stream_leader("SMOKE"), leader)
            h.resume(leader)
            with Proxy(f"127.0.0.1:{h.servers[0]['port']}") as p:
                self.assertEqual(read_info(p.port)["port"], h.servers[0]["port"])
                self.assertEqual(p.blackhole()["mode"], "blackhole")
                with self.assertRaises(socket.timeout):
                    read_info(p.port, timeout=0.5)
                p.pass_()
        # Everything is gone after the with-block.
        for s in h.servers:
            self.assertTrue(gone(s["pid"]), s)

    def test_partition_and_heal(self) -> None:
        with Harness(cluster=3, proxied_routes=True) as h:
            self.assertEqual(h.unproxied_routes(), [])
            self.assertTrue(wait_routes(h, 0, lambda n: n > 0))
            h.partition(0, "reset")
            self.assertTrue(wait_routes(h, 0, lambda n: n == 0))
            h.heal()
            self.assertTrue(wait_routes(h, 0, lambda n: n > 0))
            with self.assertRaises(HarnessError):
                h.partition(0, "sideways")


def wait_routes(h: Harness, i: int, want: Callable[[int], bool]) -> bool:
    """Polls server ``i``'s ``/routez`` until ``want(num_routes)``, for at most 20 s."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if want(h.monitor(i, "/routez")["num_routes"]):
            return True
        time.sleep(0.2)
    return False


def gone(pid: int) -> bool:
    """True if ``pid`` no longer runs (missing, or a zombie waiting for init)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


if __name__ == "__main__":
    unittest.main(verbosity=2)
