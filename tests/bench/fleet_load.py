"""Where a loaded round's tail comes from: the fleet benchmark's kiosks against traced
platform replicas, each round cut into pieces on both sides of the wire.

python -m tests.bench.fleet_load [--speeds 1,2,5,10] [--seconds 20] [--replicas 2]

As fleet_tail.py does for the idle probe, but under the fleet's load: 2 replicas on a
durable PostgreSQL cluster in memory (as fleet_run.py runs them), each with fleet_tail's
tracing hooks (the thread pool's queue and run, SQL, BEGIN, COMMIT, collections, the
event loop's lateness); the simulator processes time each request of each round (by
the signature's nonce and thread) and each round's own CPU. For every speed it says,
for the rounds around the median and for the slowest 5 %, how long each piece took:
the kiosk's own work (and how much of it was CPU), the wire, the platform's handler,
its thread pool, SQL and commits (a one-statement write, sent in autocommit, counts
as SQL with its commit), and collection pauses on either side.
A measuring tool: nothing of it runs in the product.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

import httpx

from sync.auth import NONCE
from sync.client import PlatformClient
from tests.bench.fleet import DEVICES, PEAK_HOUR, quantile
from tests.bench.fleet_probe import PLATFORM_RT_PRIORITY, kiosks_below_platform, raise_priority
from tests.bench.fleet_procs import PROCESSES, Simulators
from tests.bench.fleet_tail import now, pieces, start_traced_platform

SHOWN = ("round", "cpu", "client", "wire", "platform", "handler", "wait", "run")
SHOWN += ("sql", "begin", "commit", "platform_gc", "client_gc", "requests_n")


class ThreadTracedClient(PlatformClient):
    """The kiosk's client, timing each request with the thread that sent it."""

    log: ClassVar[list[tuple[str, float, float, int]]] = []

    def _receive(self, request: httpx.Request, limit: int) -> httpx.Response:
        started = now()
        try:
            return super()._receive(request, limit)
        finally:
            ident = threading.get_ident()
            self.log.append((request.headers.get(NONCE, ""), started, now(), ident))


def start_replicas(tmp: Path, database: str, count: int) -> list[tuple[Any, str, Path]]:
    """Traced platform processes on one database; the others get the first's keys."""
    first = tmp / "replica-1"
    process, url = start_traced_platform(first, tmp / "trace-1.json", database)
    started = [(process, url, tmp / "trace-1.json")]
    for n in range(2, count + 1):
        data = tmp / f"replica-{n}"
        shutil.copytree(first, data, ignore=shutil.ignore_patterns("port", "*.log", "*.db*"))
        process, url = start_traced_platform(data, tmp / f"trace-{n}.json", database)
        started.append((process, url, tmp / f"trace-{n}.json"))
    return started


def platform_records(replicas: list[tuple[Any, str, Path]]) -> dict[str, Any]:
    """Every replica's records so far: requests by nonce, collections, loop lateness."""
    served: dict[str, Any] = {}
    gcs: list[Any] = []
    lags: list[Any] = []
    for process, _url, trace in replicas:
        trace.unlink(missing_ok=True)
        process.send_signal(signal.SIGUSR1)
        for _ in range(400):
            if trace.exists():
                break
            time.sleep(0.05)
        data = json.loads(trace.read_text())
        served.update({r["nonce"]: r for r in data["requests"] if r["nonce"]})
        gcs += data["gc"]
        lags += data["lag"]
    return {"served": served, "gc": gcs, "lag": lags}


def cut_rounds(traced: list[Any], platform: dict[str, Any], since: float) -> dict[str, list[Any]]:
    """Each simulator process's rounds in pieces, by kind."""
    cut: dict[str, list[dict[str, float]]] = {"upload": [], "status": []}
    gcs = [g for g in platform["gc"] if g[0] >= since]
    for rounds, sent, collections in traced:
        by_thread: dict[int, list[Any]] = {}
        for nonce, start, end, ident in sent:
            by_thread.setdefault(ident, []).append((nonce, start, end))
        for kind, start, end, cpu, ident in rounds:
            inside = [r for r in by_thread.get(ident, []) if start <= r[1] <= end]
            one = pieces({"start": start, "end": end, "requests": inside}, platform["served"],
                         gcs, collections)  # fmt: skip
            one.update(cpu=cpu, requests_n=float(len(inside)) / 1000)
            cut[kind].append(one)
    return cut


def report(kind: str, cut: list[dict[str, float]], say: Any) -> None:
    cut.sort(key=lambda c: c["round"])
    times = [c["round"] for c in cut]
    tail = cut[int(len(cut) * 0.95) :]
    body = cut[len(cut) // 4 : len(cut) * 3 // 4 + 1]
    say(
        f" {kind}: {len(cut)} rounds, p50 {quantile(times, 0.5) * 1000:.1f} ms, p90 "
        f"{quantile(times, 0.9) * 1000:.1f}, p99 {quantile(times, 0.99) * 1000:.1f}"
    )
    say("  ms of a round:        " + " ".join(f"{k[:8]:>8}" for k in SHOWN))
    for name, group in (
        ("middle half", body),
        ("slowest 5 %", tail),
        ("slowest 1 %", tail[-len(tail) // 5 :]),
    ):
        if group:
            mean = {k: statistics.fmean(c[k] for c in group) * 1000 for k in SHOWN}
            say(f"  {name:<21} " + " ".join(f"{mean[k]:>8.2f}" for k in SHOWN))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.fleet_load")
    parser.add_argument("--speeds", default="1,2,5,10")
    parser.add_argument("--seconds", type=float, default=20.0, help="wall seconds per speed")
    parser.add_argument("--devices", type=int, default=DEVICES)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--save", help="keep every record in this JSON file")
    args = parser.parse_args()
    print(raise_priority(True, PLATFORM_RT_PRIORITY), flush=True)  # as fleet_run (split)
    sys.setswitchinterval(0.0005)  # as fleet_run.run
    from reference_platform.storage import PlatformStorage
    from tests.postgres import Cluster

    cluster = Cluster(durable=True, folder="/dev/shm")
    database = cluster.new_database()
    saved: list[Any] = []
    with (
        tempfile.TemporaryDirectory(prefix="ieum-load-") as tmp,
        tempfile.TemporaryDirectory(prefix="ieum-load-kiosks-", dir="/dev/shm") as disks,
    ):
        replicas = start_replicas(Path(tmp), database, args.replicas)
        print(kiosks_below_platform("split"), flush=True)
        sims = None
        try:
            storage = PlatformStorage(Path(tmp) / "replica-1", database=database)
            tokens = [
                storage.devices.new_token(time.time(), f"load {n}") for n in range(args.devices)
            ]
            storage.close()
            urls = [url for _p, url, _t in replicas]
            sims = Simulators(urls, Path(disks), args.devices, PROCESSES, ThreadTracedClient)
            failed = sims.enroll(tokens)
            if failed:
                raise SystemExit(f"enrollment failed: {failed[0].failure}")
            sims.trace()
            peak = PEAK_HOUR * 3600.0
            rng = random.Random(20261205)
            for speed in (float(s) for s in args.speeds.split(",")):
                since = now()
                day = (peak, peak + args.seconds * speed)
                rounds, seconds, _cpu = sims.phase(day, speed, rng.randrange(2**32), False, peak)
                traced = sims.trace()
                platform = platform_records(replicas)
                lags = sorted(d for s, d in platform["lag"] if s >= since)
                failures = sum(1 for r in rounds if r.failure)
                print(
                    f"{speed:.0f}x: {len(rounds) / seconds:.0f} rounds/s, {failures} failed; "
                    f"event loops late >2 ms {len(lags)} times, longest "
                    f"{lags[-1] * 1000 if lags else 0:.1f} ms",
                    flush=True,
                )
                cut = cut_rounds(traced, platform, since)
                for kind, kind_cut in cut.items():
                    report(kind, kind_cut, lambda t: print(t, flush=True))
                saved.append({"speed": speed, "cut": cut})
        finally:
            if sims is not None:
                sims.close()
            for process, _url, _trace in replicas:
                process.terminate()
                process.wait(timeout=30)
            cluster.stop()
    if args.save:
        Path(args.save).write_text(json.dumps(saved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
