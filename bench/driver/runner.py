"""Runs one entry on one workload: fresh stream, timed run, server-side
checks. Every run is checked; a wrong count fails it whatever its speed."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

from entries import Entry
from workloads import KV_KEYS, Workload

DURABLE = "bench"


@dataclass
class Run:
    workload: str
    entry: str
    rep: int
    ok: bool = False
    error: str = ""
    msgs_per_s: float = 0.0
    seconds: float = 0.0
    p50_us: Optional[float] = None
    p99_us: Optional[float] = None
    peak_rss_kb: int = 0
    client_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    report: Dict[str, Any] = field(default_factory=dict)
    checks: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Proc:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_kb: int
    cpu_s: float


TIME = "/usr/bin/time"


def spawn(argv: List[str], timeout: float) -> Proc:
    """Runs argv and returns its output, peak RSS and CPU time.

    The peak RSS comes from GNU time (`%M`), which is tiny: Linux carries a
    parent's RSS high-water mark into a forked child's `ru_maxrss`, so the
    driver's own rusage would report at least the driver's size. Without
    /usr/bin/time the driver polls the child's VmHWM instead. CPU time is the
    child's user+system time from wait4.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        use_time = os.access(TIME, os.X_OK)
        cmd = [TIME, "-f", "%M", "-o", rss.name, *argv] if use_time else argv
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        hwm_kb = 0
        killed = False
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if not use_time:
                hwm_kb = max(hwm_kb, vm_hwm_kb(p.pid))
            if time.monotonic() > deadline:
                killed = True
                p.kill()
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.005)
        p.returncode = 0  # reaped here; keep Popen from waiting again
        out.seek(0)
        err.seek(0)
        code = -9 if killed else os.waitstatus_to_exitcode(status)
        stderr = err.read().decode(errors="replace")
        if killed:
            stderr += f"\n(killed after {timeout:.0f} s)"
        if use_time:
            lines = [ln for ln in rss.read().splitlines() if ln.strip().isdigit()]
            hwm_kb = int(lines[-1]) if lines else 0
            # GNU time reports a failed child on its own line of stderr.
            stderr = "\n".join(ln for ln in stderr.splitlines() if not ln.startswith("Command exited with"))
        return Proc(code, out.read().decode(errors="replace"), stderr, hwm_kb, usage.ru_utime + usage.ru_stime)


def vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def last_json(text: str) -> Dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
                if isinstance(value, dict):
                    return value
            except json.JSONDecodeError:
                pass
    return {}


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class Runner:
    def __init__(self, tool: str, url: str, monitor_url: str, server_pid: int, timeout: float, settle: float):
        self.tool, self.url, self.monitor_url = tool, url, monitor_url
        self.server_pid, self.timeout, self.settle = server_pid, timeout, settle

    def _tool(self, *args: str) -> Dict[str, Any]:
        p = spawn([self.tool, args[0], "--url", self.url, *args[1:]], self.timeout)
        if p.returncode != 0:
            raise RuntimeError(f"bench-tool {args[0]}: {p.stderr.strip()[-500:]}")
        return last_json(p.stdout)

    def _in_msgs(self) -> int:
        with urllib.request.urlopen(f"{self.monitor_url}/varz", timeout=10) as r:
            return int(json.loads(r.read())["in_msgs"])

    def run(self, entry: Entry, w: Workload, count: int, rep: int) -> Run:
        run = Run(w.name, entry.name, rep)
        stream = f"B_{w.name}_{entry.name}_{rep}".replace("-", "_").replace(".", "_").replace("+", "_")
        op = entry.only_op or w.op
        try:
            if w.store:
                self._tool("setup", "--stream", stream, f"--{w.store}",
                           "--fill", str(w.fill(count)), "--payload", str(w.payload))
            elif w.storage:
                self._tool("setup", "--stream", stream, "--storage", w.storage,
                           "--fill", str(w.fill(count)), "--payload", str(w.payload),
                           *(["--batched"] if op == "publish-fast" else []))
            if self.settle:
                time.sleep(self.settle)
            in_before = self._in_msgs() if op == "core" else 0
            cpu_before = cpu_seconds(self.server_pid)
            argv = entry.argv + ["--url", self.url, "--op", op, "--count", str(count),
                                 "--payload", str(w.payload), "--window", "1024", "--batch", "500"]
            if w.storage:
                argv += ["--stream", stream]
            p = spawn(argv, self.timeout)
            run.server_cpu_s = cpu_seconds(self.server_pid) - cpu_before
            run.peak_rss_kb, run.client_cpu_s = p.peak_rss_kb, p.cpu_s
            run.report = last_json(p.stdout)
            if p.returncode != 0:
                raise RuntimeError(f"exit {p.returncode}: {p.stderr.strip()[-800:] or p.stdout.strip()[-300:]}")
            r = run.report
            run.msgs_per_s, run.seconds = float(r["msgs_per_s"]), float(r["seconds"])
            run.p50_us, run.p99_us = r.get("p50_us"), r.get("p99_us")
            if op == "core":
                run.checks = {"in_msgs_delta": self._in_msgs() - in_before}
                problems = check_core(r, count, run.checks["in_msgs_delta"])
            elif w.store:
                inspect = self._tool("inspect", "--stream", stream, f"--{w.store}", "--delete")
                run.checks = inspect
                problems = check_store(op, r, count, inspect, w.fill(count))
            else:
                inspect = self._tool("inspect", "--stream", stream, "--delete",
                                     *(["--consumer", DURABLE] if op in ("consume", "consume-each") else []))
                run.checks = inspect
                problems = check_stream(op, r, count, inspect)
            if problems:
                raise RuntimeError("wrong counts: " + "; ".join(problems))
            run.ok = True
        except Exception as e:  # noqa: BLE001 - a failed run is recorded, not fatal
            run.error = str(e)
            if w.storage:
                try:
                    self._tool("inspect", "--stream", stream, "--delete",
                               *([f"--{w.store}"] if w.store else []))
                except Exception:  # noqa: BLE001
                    pass
        return run


def expect(problems: List[str], what: str, got: Any, want: Any) -> None:
    if got != want:
        problems.append(f"{what} = {got}, want {want}")


def check_stream(op: str, r: Dict[str, Any], n: int, s: Dict[str, Any]) -> List[str]:
    """The entry's own counts and the server's state after one run."""
    p: List[str] = []
    expect(p, "reported count", r.get("count"), n)
    if op in ("publish", "publish-ids", "publish-fast", "latency"):
        expect(p, "acked", r.get("acked"), n)
        if "duplicates" in r:
            expect(p, "duplicates", r.get("duplicates"), 0)
        expect(p, "stream messages", s.get("messages"), n)
        expect(p, "stream last_seq", s.get("last_seq"), n)
    elif op == "dedup":
        expect(p, "acked", r.get("acked"), n)
        expect(p, "duplicates", r.get("duplicates"), n // 10)
        expect(p, "stream messages", s.get("messages"), n - n // 10)
    elif op in ("consume", "consume-each"):
        c = s.get("consumer") or {}
        expect(p, "received", r.get("received"), n)
        expect(p, "num_pending", c.get("num_pending"), 0)
        expect(p, "num_ack_pending", c.get("num_ack_pending"), 0)
        expect(p, "ack floor", c.get("ack_floor_stream_seq"), n)
        expect(p, "delivered", c.get("delivered_stream_seq"), n)
        expect(p, "stream messages", s.get("messages"), n)
    elif op == "replay":
        expect(p, "received", r.get("received"), n)
        expect(p, "in_order", r.get("in_order"), True)
        expect(p, "stream messages", s.get("messages"), n)
        expect(p, "seq_checksum", r.get("seq_checksum"), replay_checksum(s.get("first_seq"), n))
    return p


def check_store(op: str, r: Dict[str, Any], n: int, s: Dict[str, Any], fill: int) -> List[str]:
    """The entry's own counts and the bucket's or store's state after one run
    of a key-value or object-store op (`n` is in MiB for obj-*)."""
    p: List[str] = []
    expect(p, "reported count", r.get("count"), n)
    if op == "kv-put":
        expect(p, "acked", r.get("acked"), n)
        expect(p, "bucket stream last_seq", s.get("last_seq"), n)
        expect(p, "bucket stream messages", s.get("messages"), min(n, KV_KEYS))
    elif op in ("kv-get", "kv-watch"):
        expect(p, "received", r.get("received"), n)
        expect(p, "bucket stream messages", s.get("messages"), fill)
    elif op == "obj-put":
        expect(p, "bytes (the returned info's size)", r.get("bytes"), n * MIB)
        expect(p, "stored object size", s.get("size"), n * MIB)
        expect(p, "stored object digest is the pattern's SHA-256", s.get("digest_ok"), True)
    elif op == "obj-get":
        expect(p, "bytes read", r.get("bytes"), n * MIB)
        expect(p, "stored object size", s.get("size"), n * MIB)
    return p


MIB = 1024 * 1024


def replay_checksum(first: Any, n: int) -> Optional[int]:
    """The seq_checksum (sum of position x sequence, positions from 1) of
    replaying `n` messages from the server's first sequence in order."""
    if not isinstance(first, int):
        return None
    return sum(i * (first + i - 1) for i in range(1, n + 1))


MEM_MARGIN_KB = 64 * 1024
"""MEM publishes 5x (full) to 10x (quick) W1's count through the same window: its
peak RSS may exceed W1's by at most this."""


def check_mem(runs: List[Run]) -> None:
    """Fails each MEM run whose peak RSS is not bounded by the window: above the
    same entry's W1 peak + MEM_MARGIN_KB (or with no W1 run to compare with)."""
    w1: Dict[str, int] = {}
    for r in runs:
        if r.workload == "W1" and r.ok:
            w1[r.entry] = max(w1.get(r.entry, 0), r.peak_rss_kb)
    for r in runs:
        if r.workload != "MEM" or not r.ok:
            continue
        base = w1.get(r.entry)
        if base is None:
            r.ok, r.error = False, "MEM's RSS bound needs a successful W1 run of the same entry"
        elif r.peak_rss_kb > base + MEM_MARGIN_KB:
            r.ok = False
            r.error = (f"peak RSS {r.peak_rss_kb // 1024} MB > W1's {base // 1024} MB + "
                       f"{MEM_MARGIN_KB // 1024} MB: not bounded by the window")


OBJ_MARGIN_KB = 128 * 1024
"""An obj-* run streams the object: its peak RSS may exceed the same entry's
KV-GET peak by at most this (JetBridge entries only, like MEM). An eighth of
the full run's 1 GiB object: room for a garbage-collected runtime's dead chunk
buffers (Node frees them only at its next full collection), far below the
object."""


def check_obj_memory(runs: List[Run], jetbridge: Dict[str, bool]) -> None:
    """Fails each JetBridge obj-* run whose peak RSS is above the same entry's
    KV-GET peak + OBJ_MARGIN_KB (or that has no KV-GET run to compare with)."""
    base: Dict[str, int] = {}
    for r in runs:
        if r.workload == "KV-GET" and r.ok:
            base[r.entry] = max(base.get(r.entry, 0), r.peak_rss_kb)
    for r in runs:
        if not r.workload.startswith("OBJ-") or not r.ok or not jetbridge.get(r.entry):
            continue
        b = base.get(r.entry)
        if b is None:
            r.ok, r.error = False, f"{r.workload}'s RSS bound needs a successful KV-GET run of the same entry"
        elif r.peak_rss_kb > b + OBJ_MARGIN_KB:
            r.ok = False
            r.error = (f"peak RSS {r.peak_rss_kb // 1024} MB > KV-GET's {b // 1024} MB + "
                       f"{OBJ_MARGIN_KB // 1024} MB: the object was not streamed")


def check_core(r: Dict[str, Any], n: int, in_msgs_delta: int) -> List[str]:
    p: List[str] = []
    expect(p, "sent", r.get("sent"), n)
    # The server counts every message it received; the entry's connect adds none.
    if not n <= in_msgs_delta <= n + 100:
        p.append(f"server received {in_msgs_delta} messages, want {n}")
    return p
