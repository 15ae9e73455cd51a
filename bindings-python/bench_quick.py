"""Quick side-by-side benchmark of the Python binding (report only).

Against one fresh nats-server (harness, server-default fsync), in one run:
  1. pipelined publish of N x SIZE bytes with a window of WINDOW in flight;
  2. durable consume-and-ack of N messages in pull batches of BATCH
     (timed until the server shows every ack);
  3. p50 latency of a single awaited publish (rounds interleaved, median).
for JetBridge Python, nats.py (from the venv) and the raw Rust core
(``bench/raw_core.rs``, when built). Prints msgs/s, µs and the ratios.

    cargo build --release -p jetbridge-harness
    cargo build --release -p jetbridge-python --example bench_raw_core
    .venv/bin/python bindings-python/bench_quick.py [--n 200000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "harness" / "python"))

import nats  # noqa: E402
from jb_harness import Harness  # noqa: E402

import jetbridge  # noqa: E402


async def wait_acked(pending: Callable[[], Awaitable[int]]) -> None:
    for _ in range(6000):
        if await pending() == 0:
            return
        await asyncio.sleep(0.005)
    raise RuntimeError("acks did not settle")


# -- JetBridge Python ---------------------------------------------------------


async def jb_publish(url: str, n: int, size: int, window: int) -> float:
    async with jetbridge.connect(url) as c:
        await c.create_stream(name="JBP", subjects=["jbp.>"])
        pub = c.publisher(max_in_flight=window)
        payload = b"x" * size
        start = time.perf_counter()
        for _ in range(n):
            await pub.publish("jbp.a", payload)
        report = await pub.flush()
        rate = n / (time.perf_counter() - start)
        assert report.acked == n and not report.failures
        await c.delete_stream("JBP")
        return rate


async def jb_consume(url: str, n: int, size: int, batch: int) -> float:
    async with jetbridge.connect(url) as c:
        await c.create_stream(name="JBC", subjects=["jbc.>"])
        await fill_with_jetbridge(c, "jbc.a", n, size)
        consumer = await c.create_consumer("JBC", durable_name="d")
        start = time.perf_counter()
        got = 0
        async for msg in consumer.messages(batch=batch):
            msg.ack()
            got += 1
            if got == n:
                break

        async def pending() -> int:
            return (await consumer.info()).num_ack_pending

        await wait_acked(pending)
        rate = n / (time.perf_counter() - start)
        await c.delete_stream("JBC")
        return rate


async def jb_latency(url: str, count: int, size: int) -> float:
    async with jetbridge.connect(url) as c:
        await c.create_stream(name="JBL", subjects=["jbl.>"])
        payload = b"x" * size
        lat: List[float] = []
        for _ in range(count):
            t = time.perf_counter()
            await c.publish("jbl.a", payload)
            lat.append(time.perf_counter() - t)
        await c.delete_stream("JBL")
        return sorted(lat)[len(lat) // 2] * 1e6


async def fill_with_jetbridge(c: jetbridge.Client, subject: str, n: int, size: int) -> None:
    payload = b"x" * size
    for i in range(0, n, 10_000):
        res = await c.publish_many([(subject, payload)] * min(10_000, n - i))
        assert all(isinstance(r, jetbridge.PubAck) for r in res)


# -- nats.py --------------------------------------------------------------------


async def nats_publish(url: str, n: int, size: int, window: int) -> float:
    nc = await nats.connect(url)
    js = nc.jetstream(publish_async_max_pending=window)
    await js.add_stream(name="NPP", subjects=["npp.>"])
    payload = b"x" * size
    start = time.perf_counter()
    futures = []
    for _ in range(n):
        futures.append(await js.publish_async("npp.a", payload))
    await js.publish_async_completed()
    rate = n / (time.perf_counter() - start)
    assert all(f.done() and not f.exception() for f in futures)
    await js.delete_stream("NPP")
    await nc.close()
    return rate


async def nats_consume(url: str, n: int, size: int, batch: int) -> float:
    nc = await nats.connect(url)
    js = nc.jetstream()
    await js.add_stream(name="NPC", subjects=["npc.>"])
    async with jetbridge.connect(url) as c:
        await fill_with_jetbridge(c, "npc.a", n, size)
    psub = await js.pull_subscribe("npc.a", durable="d")
    start = time.perf_counter()
    got = 0
    while got < n:
        for m in await psub.fetch(batch, timeout=5):
            await m.ack()
            got += 1

    async def pending() -> int:
        return (await js.consumer_info("NPC", "d")).num_ack_pending

    await wait_acked(pending)
    rate = n / (time.perf_counter() - start)
    await js.delete_stream("NPC")
    await nc.close()
    return rate


async def nats_latency(url: str, count: int, size: int) -> float:
    nc = await nats.connect(url)
    js = nc.jetstream()
    await js.add_stream(name="NPL", subjects=["npl.>"])
    payload = b"x" * size
    lat: List[float] = []
    for _ in range(count):
        t = time.perf_counter()
        await js.publish("npl.a", payload)
        lat.append(time.perf_counter() - t)
    await js.delete_stream("NPL")
    await nc.close()
    return sorted(lat)[len(lat) // 2] * 1e6


# -- raw core -------------------------------------------------------------------


def raw_core(url: str, args: argparse.Namespace, latency_only: bool = False) -> Optional[Dict[str, float]]:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    exe = target / "release" / "examples" / "bench_raw_core"
    if not exe.is_file():
        print(f"(raw core skipped: build {exe} with cargo build --release -p jetbridge-python --example bench_raw_core)")
        return None
    cmd = [str(exe), url, str(args.n), str(args.size), str(args.window), str(args.batch), str(args.latency_n)]
    if latency_only:
        cmd.append("latency")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=True)
    result: Dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=200_000)
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--window", type=int, default=1024)
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--latency-n", type=int, default=2000)
    p.add_argument("--latency-rounds", type=int, default=3)
    p.add_argument("--workers", type=int, default=None, help="core worker threads (default: the core's)")
    args = p.parse_args()
    if args.workers:
        jetbridge.configure_runtime(worker_threads=args.workers)
    results: Dict[str, Dict[str, Any]] = {}
    with Harness(sync_interval="default") as h:
        url = h.urls[0]
        results["raw core"] = raw_core(url, args) or {}
        results["jetbridge"] = {
            "publish": asyncio.run(jb_publish(url, args.n, args.size, args.window)),
            "consume": asyncio.run(jb_consume(url, args.n, args.size, args.batch)),
        }
        results["nats.py"] = {
            "publish": asyncio.run(nats_publish(url, args.n, args.size, args.window)),
            "consume": asyncio.run(nats_consume(url, args.n, args.size, args.batch)),
        }
        # Latency rounds interleave the clients, so that load changes on a
        # shared machine hit all of them alike; the median round is reported.
        rounds: Dict[str, List[float]] = {name: [] for name in results}
        for _ in range(args.latency_rounds):
            raw = raw_core(url, args, latency_only=True)
            if raw:
                rounds["raw core"].append(raw["latency_p50_us"])
            rounds["jetbridge"].append(asyncio.run(jb_latency(url, args.latency_n, args.size)))
            rounds["nats.py"].append(asyncio.run(nats_latency(url, args.latency_n, args.size)))
        for name, values in rounds.items():
            if values and results[name]:
                results[name]["latency_p50_us"] = sorted(values)[len(values) // 2]
    print(
        f"n={args.n} size={args.size}B window={args.window} batch={args.batch} latency_n={args.latency_n} "
        f"workers={args.workers or 'default'} load={os.getloadavg()[0]:.1f}"
    )
    print(f"{'':12}{'publish msg/s':>15}{'consume+ack msg/s':>19}{'publish p50 µs':>16}")
    for name, r in results.items():
        if r:
            print(f"{name:12}{r['publish']:>15,.0f}{r['consume']:>19,.0f}{r['latency_p50_us']:>16.1f}")
    jb, py, raw = results["jetbridge"], results["nats.py"], results["raw core"]
    print(f"jetbridge / nats.py: publish {jb['publish'] / py['publish']:.1f}x, consume+ack {jb['consume'] / py['consume']:.1f}x")
    if raw:
        print(
            f"jetbridge / raw core: publish {jb['publish'] / raw['publish']:.2f}, consume+ack "
            f"{jb['consume'] / raw['consume']:.2f}, p50 latency +{jb['latency_p50_us'] - raw['latency_p50_us']:.1f} µs"
        )


if __name__ == "__main__":
    main()
