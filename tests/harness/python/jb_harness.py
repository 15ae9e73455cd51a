"""Start nats-servers for tests through the ``jb-harness`` CLI (no third-party deps).

    from jb_harness import Harness

    with Harness(cluster=3, auth="jwt") as h:
        url = h.urls[0]
        creds = h.auth["jwt"]["user"]["creds"]
        ...
        h.kill9(h.stream_leader("ORDERS"))
        h.restart(0)

The CLI binary is found via ``$JB_HARNESS_BIN``, else ``<repo>/target/release/jb-harness``,
else ``<repo>/target/debug/jb-harness`` (build it with ``cargo build -p jetbridge-harness``).
Every call is bounded by a timeout. Servers die with the CLI: on ``stop()``, on leaving the
``with`` block, and when this process exits (the CLI sees EOF on its stdin).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

__all__ = ["Harness", "Proxy", "HarnessError", "find_binary"]

DEFAULT_TIMEOUT = 60.0


class HarnessError(RuntimeError):
    """The CLI failed, answered ``{"ok": false}``, or did not answer in time."""


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    for d in here.parents:
        cargo = d / "Cargo.toml"
        if cargo.is_file() and "[workspace]" in cargo.read_text(errors="replace"):
            return d
    return here.parents[3]


def find_binary() -> str:
    """Path of the jb-harness CLI, or HarnessError naming every place tried."""
    env = os.environ.get("JB_HARNESS_BIN")
    if env:
        if os.access(env, os.X_OK):
            return env
        raise HarnessError(f"$JB_HARNESS_BIN={env} is not an executable file")
    root = _repo_root()
    tried = [root / "target" / "release" / "jb-harness", root / "target" / "debug" / "jb-harness"]
    for p in tried:
        if os.access(p, os.X_OK):
            return str(p)
    raise HarnessError(
        "jb-harness not found; tried $JB_HARNESS_BIN (unset), "
        + ", ".join(str(p) for p in tried)
        + " (build it: cargo build -p jetbridge-harness)"
    )


class _Cli:
    """A jb-harness subprocess speaking JSON lines."""

    def __init__(self, args: List[str], binary: Optional[str], timeout: float) -> None:
        self.timeout = timeout
        self._lines: "queue.Queue[Optional[str]]" = queue.Queue()
        self.proc = subprocess.Popen(
            [binary or find_binary(), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def line(self, timeout: Optional[float] = None) -> Dict[str, Any]:
        try:
            raw = self._lines.get(timeout=timeout or self.timeout)
        except queue.Empty:
            raise HarnessError(f"jb-harness did not answer within {timeout or self.timeout}s") from None
        if raw is None:
            raise HarnessError(f"jb-harness exited (code {self.proc.poll()})")
        reply = json.loads(raw)
        if not reply.get("ok"):
            raise HarnessError(f"{reply.get('cmd')}: {reply.get('error')}")
        return reply

    def command(self, line: str, timeout: Optional[float] = None) -> Dict[str, Any]:
        if self.proc.poll() is not None or self.proc.stdin is None:
            raise HarnessError("jb-harness is not running")
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.line(timeout)

    def close(self) -> None:
        """Sends ``stop`` (best effort), closes stdin, waits; kills if it hangs."""
        if self.proc.poll() is None:
            try:
                self.command("stop", timeout=15)
            except (HarnessError, OSError, ValueError):
                pass
        for stream in (self.proc.stdin,):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        if self.proc.stdout:
            self.proc.stdout.close()


class Harness:
    """One nats-server (``cluster=None``) or a cluster, started by ``jb-harness start``.

    Attributes after start: ``info`` (the CLI's JSON), ``urls``, ``servers``, ``auth``.
    Server indexes are 0-based. Use as a context manager, or call ``start()``/``stop()``.
    """

    def __init__(
        self,
        cluster: Optional[int] = None,
        auth: str = "none",
        sync_interval: Optional[str] = None,
        max_payload: Optional[int] = None,
        server_cert: Optional[str] = None,
        proxied_routes: bool = False,
        binary: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._args = ["start", "--auth", auth]
        if cluster is not None:
            self._args += ["--cluster", str(cluster)]
        if sync_interval is not None:
            self._args += ["--sync-interval", sync_interval]
        if max_payload is not None:
            self._args += ["--max-payload", str(max_payload)]
        if server_cert is not None:
            self._args += ["--server-cert", server_cert]
        if proxied_routes:
            self._args += ["--proxied-routes", "on"]
        self._binary = binary
        self._timeout = timeout
        self._cli: Optional[_Cli] = None
        self.info: Dict[str, Any] = {}

    def start(self) -> "Harness":
        self._cli = _Cli(self._args, self._binary, self._timeout)
        try:
            self.info = self._cli.line()
        except BaseException:
            self._cli.close()
            raise
        return self

    def __enter__(self) -> "Harness":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def urls(self) -> List[str]:
        return list(self.info["urls"])

    @property
    def servers(self) -> List[Dict[str, Any]]:
        return list(self.info["servers"])

    @property
    def auth(self) -> Dict[str, Any]:
        return dict(self.info["auth"])

    def command(self, line: str, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Sends one raw protocol line; returns the reply or raises HarnessError."""
        if self._cli is None:
            raise HarnessError("harness not started")
        return self._cli.command(line, timeout)

    def _node(self, cmd: str, i: int) -> Dict[str, Any]:
        reply = self.command(f"{cmd} {int(i)}")
        self.info["servers"][int(i)] = reply["server"]
        return reply["server"]

    def kill9(self, i: int) -> Dict[str, Any]:
        return self._node("kill9", i)

    def restart(self, i: int) -> Dict[str, Any]:
        return self._node("restart", i)

    def shutdown(self, i: int) -> Dict[str, Any]:
        """Graceful stop of one server (SIGTERM); ``restart`` brings it back."""
        return self._node("shutdown", i)

    def pause(self, i: int) -> Dict[str, Any]:
        return self._node("pause", i)

    def resume(self, i: int) -> Dict[str, Any]:
        return self._node("resume", i)

    def lame_duck(self, i: int) -> Dict[str, Any]:
        return self._node("lameduck", i)

    def stream_leader(self, stream: str, account: Optional[str] = None) -> int:
        line = f"stream_leader {stream}" + (f" {account}" if account else "")
        return int(self.command(line)["index"])

    def consumer_leader(self, stream: str, consumer: str, account: Optional[str] = None) -> int:
        line = f"consumer_leader {stream} {consumer}" + (f" {account}" if account else "")
        return int(self.command(line)["index"])

    def partition(self, i: int, mode: str = "blackhole") -> None:
        """Cuts server ``i`` off from the other nodes (its route proxies in ``mode``:
        ``blackhole`` or ``reset``); client links are untouched. Needs ``proxied_routes``."""
        self.command(f"partition {int(i)} {mode}")

    def heal(self) -> None:
        """Every route proxy passes again; held bytes are delivered."""
        self.command("heal")

    def unproxied_routes(self) -> List[str]:
        """Routes (per ``/routez``) that bypass the route proxies; empty when partitions are real."""
        return list(self.command("unproxied_routes")["routes"])

    def meta_leader(self) -> int:
        return int(self.command("meta_leader")["index"])

    def wait_ready(self) -> None:
        self.command("wait_ready")

    def monitor(self, i: int, path: str) -> Dict[str, Any]:
        """GET a monitoring path (e.g. ``/varz``) on server ``i``."""
        return self.command(f"monitor {int(i)} {path}")["body"]

    def refresh(self) -> Dict[str, Any]:
        """Re-reads the full description (current pids)."""
        info = self.command("info")
        self.info = info
        return info

    def stop(self) -> None:
        """Kills every server and waits for the CLI to exit. Idempotent."""
        if self._cli is not None:
            self._cli.close()
            self._cli = None


class Proxy:
    """``jb-harness proxy``: a TCP proxy with modes pass / blackhole / reset."""

    def __init__(self, target: str, listen: Optional[int] = None, binary: Optional[str] = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        args = ["proxy", "--target", target]
        if listen is not None:
            args += ["--listen", str(listen)]
        self._cli: Optional[_Cli] = _Cli(args, binary, timeout)
        self.info = self._cli.line()
        self.url: str = self.info["url"]
        self.port: int = self.info["port"]

    def __enter__(self) -> "Proxy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _cmd(self, c: str) -> Dict[str, Any]:
        if self._cli is None:
            raise HarnessError("proxy stopped")
        return self._cli.command(c)

    def pass_(self) -> Dict[str, Any]:
        return self._cmd("pass")

    def blackhole(self) -> Dict[str, Any]:
        return self._cmd("blackhole")

    def reset(self) -> Dict[str, Any]:
        return self._cmd("reset")

    def status(self) -> Dict[str, Any]:
        return self._cmd("status")

    def stop(self) -> None:
        if self._cli is not None:
            self._cli.close()
            self._cli = None
