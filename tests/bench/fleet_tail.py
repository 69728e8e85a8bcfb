"""Where the tail of one idle round comes from: the fleet benchmark's idle probe, timed
piece by piece on both sides of the wire.

python -m tests.bench.fleet_tail [--rounds 300] [--database URL|sqlite] [--durable]

One platform process (on a throwaway PostgreSQL cluster by default) runs with tracing
hooks installed before it serves (`--platform`): per request, when the ASGI app got it
and finished answering, each hop to the thread pool (its wait and its run), the SQL in
it, each transaction's begin and commit, and the garbage collector's pauses and the
event loop's lateness with timestamps. The probe side times every HTTP request of each
round (matched to the platform's records by the signature's nonce) and its own garbage
collections. For the slowest rounds it says which piece grew: the client's own work,
the wire (connection, uvicorn, scheduling), the thread pool's queue, SQL, commits, or a
collector pause on either side. A measuring tool: nothing of it runs in the product.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import httpx

from sync.auth import NONCE
from sync.client import PlatformClient
from tests.bench.fleet_probe import IdleProbe, raise_priority

now = time.monotonic  # CLOCK_MONOTONIC: one clock for the probe and the platform process


def gc_tracer(events: list[tuple[float, float, int, int]]) -> None:
    """Record (start, seconds, generation, objects freed) of every collection here."""
    started: list[float] = [0.0]

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = now()
        else:
            events.append((started[0], now() - started[0], info["generation"], info["collected"]))

    gc.callbacks.append(callback)


# -- the platform side -------------------------------------------------------------------
def _install_platform_hooks(trace: Path) -> None:
    """Before `serve`: wrap the app, the thread-pool hop and the database's sessions."""
    import contextvars

    from reference_platform import database, server

    requests: list[dict[str, Any]] = []
    gcs: list[tuple[float, float, int, int]] = []
    lags: list[tuple[float, float]] = []
    current: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
        "current", default=None
    )
    local = threading.local()
    gc_tracer(gcs)

    original_off = server.run_in_threadpool

    async def traced_off(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        record = current.get()
        called = now()
        times: dict[str, float] = {}

        def run() -> Any:
            times["start"] = now()
            local.sql = 0.0
            local.commit = 0.0
            local.begin = 0.0
            try:
                return func(*args, **kwargs)
            finally:
                times.update(end=now(), sql=local.sql, commit=local.commit, begin=local.begin)

        try:
            return await original_off(run)
        finally:
            if record is not None:
                record["hops"].append(
                    {
                        "name": getattr(func, "__name__", "?"),
                        "wait": times.get("start", called) - called,
                        "run": times.get("end", 0.0) - times.get("start", 0.0),
                        "back": now() - times.get("end", called),
                        "sql": times.get("sql", 0.0),
                        "commit": times.get("commit", 0.0),
                        "begin": times.get("begin", 0.0),
                    }
                )

    server.run_in_threadpool = traced_off  # create_app binds it when serve calls it

    def timed_execute(original: Callable[..., Any]) -> Callable[..., Any]:
        def execute(self: Any, sql: str, params: Any = ()) -> Any:
            started = now()
            try:
                return original(self, sql, params)
            finally:
                local.sql = getattr(local, "sql", 0.0) + now() - started

        return execute

    for session in (database._PgSession, database._SqliteSession):
        session.execute = timed_execute(session.execute)  # type: ignore[method-assign]

    def timed_transaction(original: Callable[..., Any]) -> Callable[..., Any]:
        @contextmanager
        def transaction(self: Any) -> Iterator[Any]:
            started = now()
            manager = original(self)
            session = manager.__enter__()
            local.begin = getattr(local, "begin", 0.0) + now() - started
            try:
                yield session
            except BaseException:
                if not manager.__exit__(*sys.exc_info()):
                    raise
            else:
                ending = now()
                manager.__exit__(None, None, None)
                local.commit = getattr(local, "commit", 0.0) + now() - ending

        return transaction

    for db in (database.PostgresDatabase, database.SqliteDatabase):
        db.transaction = timed_transaction(db.transaction)  # type: ignore[method-assign]

    import reference_platform.metrics as metrics

    original_instrument = metrics.instrument

    def instrument(app: Any, *args: Any) -> Any:
        inner = original_instrument(app, *args)

        async def traced(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await inner(scope, receive, send)
                return
            headers = dict(scope.get("headers", []))
            record = {
                "nonce": headers.get(NONCE.lower().encode(), b"").decode(),
                "path": scope["path"],
                "in": now(),
                "hops": [],
            }
            current.set(record)
            if not hasattr(instrument, "lag"):
                instrument.lag = asyncio.get_running_loop().create_task(_watch_loop(lags))  # type: ignore[attr-defined]
            await inner(scope, receive, send)
            record["out"] = now()
            requests.append(record)

        return traced

    metrics.instrument = instrument

    def dump(*_args: object) -> None:  # uvicorn's own SIGTERM exit skips atexit
        trace.with_suffix(".tmp").write_text(
            json.dumps({"requests": requests, "gc": gcs, "lag": lags})
        )
        trace.with_suffix(".tmp").replace(trace)

    signal.signal(signal.SIGUSR1, dump)


async def _watch_loop(lags: list[tuple[float, float]]) -> None:
    """The event loop's lateness: a 5 ms timer that fires late means something held it."""
    while True:
        before = now()
        await asyncio.sleep(0.005)
        late = now() - before - 0.005
        if late > 0.002:
            lags.append((before, late))


# -- the probe side ----------------------------------------------------------------------
class TracedClient(PlatformClient):
    """The kiosk's client, timing each request it sends (by the signature's nonce)."""

    log: ClassVar[list[tuple[str, float, float]]] = []

    def _receive(self, request: httpx.Request, limit: int) -> httpx.Response:
        started = now()
        try:
            return super()._receive(request, limit)
        finally:
            self.log.append((request.headers.get(NONCE, ""), started, now()))


def start_traced_platform(folder: Path, trace: Path, database: str) -> tuple[Any, str]:
    """A platform traced into `trace`, on `folder` (made if new; a replica's folder
    already holds its keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    port_file = folder / "port"
    args = ["--data", str(folder), "--port", "0", "--port-file", str(port_file)]
    args += ["--database", database] if database else []
    from reference_platform.local import NO_DEVICE_LIMITS

    command = [sys.executable, "-m", "tests.bench.fleet_tail", "--platform", str(trace)]
    process = subprocess.Popen([*command, "serve", *args, *NO_DEVICE_LIMITS])
    for _ in range(600):
        if port_file.exists():
            url = f"http://127.0.0.1:{port_file.read_text().strip()}"
            try:
                if httpx.get(url + "/v1/health", timeout=2).status_code == 200:
                    return process, url
            except httpx.HTTPError:
                pass
        time.sleep(0.05)
    process.kill()
    raise SystemExit("the traced platform did not start")


def pieces(
    round_: dict[str, Any], served: dict[str, dict[str, Any]], gcs: list[Any], own_gc: list[Any]
) -> dict[str, float]:
    """One round cut into pieces (seconds)."""
    start, end = round_["start"], round_["end"]
    out = {"round": end - start, "requests": 0.0, "platform": 0.0, "wait": 0.0, "run": 0.0}
    out.update(sql=0.0, commit=0.0, begin=0.0, back=0.0)
    for nonce, sent, got in round_["requests"]:
        out["requests"] += got - sent
        record = served.get(nonce)
        if record is None:
            continue
        out["platform"] += record["out"] - record["in"]
        for hop in record["hops"]:
            for key in ("wait", "run", "sql", "commit", "begin", "back"):
                out[key] += hop[key]
    out["client"] = out["round"] - out["requests"]
    out["wire"] = out["requests"] - out["platform"]
    out["handler"] = out["platform"] - out["wait"] - out["run"] - out["back"]
    out["platform_gc"] = sum(d for s, d, *_ in gcs if s < end and s + d > start)
    out["client_gc"] = sum(d for s, d, *_ in own_gc if s < end and s + d > start)
    return out


SHOWN = ("round", "client", "wire", "platform", "handler", "wait", "run", "back")
SHOWN += ("sql", "begin", "commit", "platform_gc", "client_gc")


def report(kind: str, cut: list[dict[str, float]], say: Callable[[str], None]) -> None:
    cut.sort(key=lambda c: c["round"])
    tail = cut[int(len(cut) * 0.95) :]
    body = cut[: len(cut) // 2 + 1][-len(cut) // 4 :]  # around the median
    q = statistics.quantiles([c["round"] for c in cut], n=100, method="inclusive")
    say(
        f"{kind}: {len(cut)} rounds, p50 {q[49] * 1000:.1f} ms, p90 {q[89] * 1000:.1f}, "
        f"p99 {q[98] * 1000:.1f}, max {cut[-1]['round'] * 1000:.1f} ms "
        f"(p99/p50 {q[98] / q[49]:.2f})"
    )
    say("  ms of a round:     " + " ".join(f"{k:>8}" for k in SHOWN))
    for name, group in (("around median", body), ("slowest 5 %", tail)):
        mean = {k: statistics.fmean(c[k] for c in group) * 1000 for k in SHOWN}
        say(f"  {name:<18} " + " ".join(f"{mean[k]:>8.2f}" for k in SHOWN))
    for c in cut[-3:]:
        say("  one of the slowest " + " ".join(f"{c[k] * 1000:>8.2f}" for k in SHOWN))


def probe(url: str, tokens: list[str], rounds: int, folder: Path) -> dict[str, Any]:
    """The benchmark's own idle probe (fleet_probe.IdleProbe), each kind of round `rounds`
    times, its clients' requests timed; which requests belong to which round."""
    idle = IdleProbe(url, tokens, folder, client_type=TracedClient)
    own_gc: list[tuple[float, float, int, int]] = []
    gc_tracer(own_gc)
    try:
        idle.measure(rounds)
    finally:
        idle.close()
    done: dict[str, list[dict[str, Any]]] = {"upload": [], "status": [], "request": []}
    for kind, start, end in idle.log:
        inside = [r for r in TracedClient.log if start <= r[1] <= end]
        done[kind].append({"start": start, "end": end, "requests": inside})
    return {"rounds": done, "gc": own_gc}


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--platform":
        _install_platform_hooks(Path(sys.argv[2]))
        from reference_platform.__main__ import main as platform_main

        return platform_main(sys.argv[3:])
    parser = argparse.ArgumentParser(prog="python -m tests.bench.fleet_tail")
    parser.add_argument("--rounds", type=int, default=300, help="rounds of each kind")
    parser.add_argument("--pool", type=int, default=0, help="idle kiosks (default: 3 x rounds)")
    parser.add_argument("--database", default="", help="URL or sqlite; default a throwaway PG")
    parser.add_argument(
        "--cluster",
        choices=("memory", "disk", "tests"),
        default="memory",
        help="the throwaway cluster: durable in memory (as the fleet benchmark runs it), "
        "durable on /tmp's disk, or the tests' (fsync and synchronous commit off)",
    )
    parser.add_argument("--priority", choices=("rr", "nice", "none"), default="rr")
    parser.add_argument("--save", help="keep both sides' records in this JSON file")
    args = parser.parse_args()
    if args.priority != "none":  # as the fleet benchmark runs (fleet_probe.raise_priority)
        print(raise_priority(args.priority == "rr"))
    cluster = None
    database = args.database
    if not database:
        from tests.postgres import Cluster

        durable = args.cluster != "tests"
        cluster = Cluster(durable, "/dev/shm" if args.cluster == "memory" else None)
        database = cluster.new_database()
        print(f"PostgreSQL in {cluster.root}, durable: {durable}")
    if database == "sqlite":
        database = ""
    with tempfile.TemporaryDirectory(prefix="ieum-tail-") as tmp:
        trace = Path(tmp) / "trace.json"
        process, url = start_traced_platform(Path(tmp) / "platform", trace, database)
        try:
            from reference_platform.storage import PlatformStorage

            storage = PlatformStorage(Path(tmp) / "platform", database=database or None)
            pool = args.pool or 3 * args.rounds
            tokens = [storage.devices.new_token(time.time(), f"tail {n}") for n in range(pool)]
            storage.close()
            with tempfile.TemporaryDirectory(prefix="ieum-tail-kiosks-", dir="/dev/shm") as disks:
                found = probe(url, tokens, args.rounds, Path(disks))
            process.send_signal(signal.SIGUSR1)
            for _ in range(200):
                if trace.exists():
                    break
                time.sleep(0.05)
        finally:
            process.terminate()
            process.wait(timeout=30)
            if cluster is not None:
                cluster.stop()
        data = json.loads(trace.read_text())
    if args.save:
        Path(args.save).write_text(json.dumps({"platform": data, "probe": found}))
    served = {r["nonce"]: r for r in data["requests"] if r["nonce"]}
    for kind, rounds in found["rounds"].items():
        cut = [pieces(r, served, data["gc"], found["gc"]) for r in rounds]
        report(kind, cut, print)
    lags = sorted(d for _s, d in data["lag"])
    gen = [g for _s, _d, g, _n in data["gc"]]
    print(
        f"platform: {len(data['gc'])} collections (gen2 {gen.count(2)}, longest "
        f"{max((d for _s, d, *_ in data['gc']), default=0) * 1000:.1f} ms); event loop late "
        f">2 ms {len(lags)} times, longest {lags[-1] * 1000 if lags else 0:.1f} ms; probe: "
        f"{len(found['gc'])} collections, longest "
        f"{max((d for _s, d, *_ in found['gc']), default=0) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
