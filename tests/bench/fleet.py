"""Fleet benchmark: 1,821 simulated kiosks replaying a city's busy day against one platform.

python -m tests.bench.fleet [--devices 1821] [--realtime 180] [--step 60] [--day]
                            [--database URL]

Each kiosk is the real client code without Qt: its own SQLite store (sync/store.py),
its own key and signed requests, applications sealed to the platform's key and sent by
`sync_pass`, a status pull every 5 minutes. Seoul: 183 libraries and 424 community
centres, 3 kiosks each; ~60,000 applications on a busy day, 15 % of them in the peak
hour (9,000 an hour, 2.5 a second), with every kiosk's status pull on top (6 a second).

Phases, in one run against 2 replicas on PostgreSQL (tests/bench/fleet_run.py):
1. idle: one kiosk alone times a round with one application, a round with none and a
   single signed request (medians: the baselines), again before every load window;
2. the peak hour at real-time rates for `--realtime` seconds, in windows of `--window`;
3. the same hour sped up 2x, 5x, 10x... `--step` seconds each, until p50 passes 2x idle
   or the simulator falls behind; the headroom is the last speed up to which every
   kind of round's p99 (medians over the windows) stayed within 2x, judged two ways:
   against the idle median (the issue's rule, strict) and against the idle rounds' own
   p99 (like for like), both reported (fleet_probe.judge);
4. with `--day`, the whole service day (09:00-18:00, all ~60,000 applications) sped up
   to half the headroom (but done in 30 minutes at most): every application of a day
   counted through.
Then every kiosk drains its queue and the books are checked: each application has one
receipt, receipts are distinct, the platform accepted exactly as many as were sent.
Heartbeats go along only if `sync_pass` sends them (once the platform has them).
Kiosks are shared out among simulator processes (fleet_procs.py) and, in each, worker
threads, each owning its kiosks' stores (SQLite connections stay in their thread); a
round is timed from its start, and how late rounds start is reported so that a
saturated simulator is not mistaken for a slow platform.
"""

from __future__ import annotations

import os
import queue
import random
import re
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sync.client import PlatformClient, SyncFailure
from sync.enrollment import current_platform_key, enroll
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_application

DEVICES = 1821
DAY_APPLICATIONS = 60_000
HOURS = {9: 0.07, 10: 0.12, 11: 0.13, 12: 0.09, 13: 0.10, 14: 0.15, 15: 0.13, 16: 0.12, 17: 0.09}
"""Share of the day's applications in each hour the sites are open; 14:00 is the peak."""
PEAK_HOUR = max(HOURS, key=lambda h: HOURS[h])
STATUS_EVERY = 300.0
WORKERS = 12
"""Threads sharing out one simulator process's kiosks: rounds mostly wait on the disk
and the network (fleet_procs.py runs several such processes)."""
SERVICES = ("digital-device-access", "library-card", "community-class", "care-voucher")


def payload(rng: random.Random) -> dict[str, object]:
    """An obviously fake application."""
    return {
        "service": {"id": rng.choice(SERVICES), "version": "2026.1"},
        "answers": {"household_size": rng.randint(1, 6), "name": "Test Resident (fake)"},
    }


@dataclass(frozen=True)
class Round:
    kind: str
    """"upload" (an application arrives, then its sync) or "status" (the 5-minute pull)."""
    seconds: float
    late: float
    failure: str
    queued: float = 0.0
    """Of `seconds`, how long the kiosk's own thread was runnable but waiting for a core
    (`queued_seconds`): the simulator's share of this machine, which a kiosk on its own
    machine would not wait for."""


@dataclass
class Kiosk:
    folder: Path
    store: Store | None = None
    client: PlatformClient | None = None
    references: list[str] = field(default_factory=list)
    receipts: list[str] = field(default_factory=list)
    left_in_outbox: int = 0


Job = tuple[float, int, str, str]
"""(due on the wall clock, kiosk index, what, token for enroll)."""


def arrivals(
    day_seconds: tuple[float, float],
    speed: float,
    rng: random.Random,
    devices: int,
    rate: Callable[[float], float],
) -> Iterator[tuple[float, int, str]]:
    """(wall offset, kiosk, kind) for one stretch of the day played at `speed`: Poisson
    arrivals at `rate(day second)` a second on random kiosks, and every kiosk's status
    pull every 5 minutes of day time, staggered."""
    start, end = day_seconds
    events: list[tuple[float, int, str]] = []
    t = start
    while True:
        t += rng.expovariate(max(rate(t), 1e-9))
        if t >= end:
            break
        events.append(((t - start) / speed, rng.randrange(devices), "upload"))
    for kiosk in range(devices):
        t = start + rng.uniform(0, STATUS_EVERY)
        while t < end:
            events.append(((t - start) / speed, kiosk, "status"))
            t += STATUS_EVERY
    events.sort()
    yield from events


def day_rate(second: float) -> float:
    """Applications a second at this second of the day (hour profile of HOURS)."""
    return DAY_APPLICATIONS * HOURS.get(int(second // 3600), 0.0) / 3600


def status_round(store: Store, client: PlatformClient) -> str:
    """The 5-minute round: a sync pass, then a heartbeat with the queue's length if the
    client has them (the platform's fleet view); "" or what failed."""
    failure = sync_pass(store, client, time.time()).failure
    beat = getattr(client, "heartbeat", None)
    if beat is not None and not failure:
        try:
            beat({"queued": len(store.outbox())})
        except SyncFailure as exc:
            failure = f"heartbeat: {exc}"
    return failure


class Fleet:
    """The kiosks, their worker threads, and what their rounds measured."""

    def __init__(
        self,
        urls: list[str],
        folder: Path,
        devices: int,
        workers: int = WORKERS,
        client_type: type[PlatformClient] = PlatformClient,
    ) -> None:
        self.urls = urls
        self.client_type = client_type
        self.log: list[tuple[str, float, float, float, int]] | None = None
        """With tracing (fleet_load.py): (kind, start, end, the round thread's CPU, the
        thread) of every round, on the monotonic clock."""
        """Kiosk n enrolls at urls[n % len(urls)]: replicas behind an L4 balancer."""
        self.kiosks = [Kiosk(folder / f"kiosk-{i:04d}") for i in range(devices)]
        self.workers = workers
        self.queues: list[queue.Queue[Job | None]] = [queue.Queue() for _ in range(workers)]
        self.rounds: list[Round] = []
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._work, args=(n,), daemon=True) for n in range(workers)
        ]
        for thread in self.threads:
            thread.start()

    def send(self, job: Job) -> None:
        self.queues[job[1] % self.workers].put(job)

    def wait(self) -> None:
        for q in self.queues:
            q.join()

    def close(self) -> None:
        for n, kiosk in enumerate(self.kiosks):
            if kiosk.store is not None:  # the kiosks of this simulator process
                self.send((0.0, n, "close", ""))
        self.wait()
        for q in self.queues:
            q.put(None)
        for thread in self.threads:
            thread.join()

    def take_rounds(self) -> list[Round]:
        with self.lock:
            taken, self.rounds = self.rounds, []
        return taken

    def _work(self, n: int) -> None:
        rng = random.Random(n)
        while True:
            job = self.queues[n].get()
            if job is None:
                return
            try:
                self._do(job, rng)
            except Exception as exc:  # a failed round is a figure, not the end of the run
                with self.lock:
                    self.rounds.append(Round(job[2], 0.0, 0.0, f"crash: {type(exc).__name__}"))
            finally:
                self.queues[n].task_done()

    def _do(self, job: Job, rng: random.Random) -> None:
        due, index, what, token = job
        kiosk = self.kiosks[index]
        if what == "enroll":
            kiosk.store = Store(kiosk.folder / "ieum.db")
            kiosk.client = self.client_type(self.urls[index % len(self.urls)])
            enroll(kiosk.store, kiosk.client, token)
            return
        store, client = kiosk.store, kiosk.client
        assert store is not None and client is not None
        if what == "close":
            client.close()
            store.close()
            return
        if what == "drain":
            for _ in range(5):
                if not store.outbox():
                    break
                sync_pass(store, client, time.time())
            kiosk.left_in_outbox = len(store.outbox())
            found = [store.receipt(r) for r in kiosk.references]
            kiosk.receipts = [r.platform_receipt if r else "" for r in found]
            return
        started = time.perf_counter()
        late = max(0.0, time.monotonic() - due)
        if what == "upload":
            done = submit_application(store, payload(rng), current_platform_key(store), time.time())
            kiosk.references.append(done.reference)
            started = time.perf_counter()  # the round: from here the kiosk syncs
        mono, cpu, queued = time.monotonic(), time.thread_time(), queued_seconds()
        if what == "upload":
            failure = sync_pass(store, client, time.time()).failure
        else:
            failure = status_round(store, client)
        seconds = time.perf_counter() - started
        queued = queued_seconds() - queued
        with self.lock:
            self.rounds.append(Round(what, seconds, late, failure, queued))
            if self.log is not None:
                cpu = time.thread_time() - cpu
                self.log.append((what, mono, time.monotonic(), cpu, threading.get_ident()))


def queued_seconds() -> float:
    """This thread's time so far runnable but waiting for a core (Linux schedstat's
    run_delay); 0 where the kernel does not keep it."""
    try:
        with open("/proc/thread-self/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def play(
    fleet: Fleet, events: Iterator[tuple[float, int, str]], start: float | None = None
) -> float:
    """Hand each event to its kiosk's worker at its time (offsets from `start` on the
    monotonic clock, which all simulator processes share); wall seconds it took, drained."""
    start = time.monotonic() if start is None else start
    for offset, kiosk, kind in events:
        due = start + offset
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        fleet.send((due, kiosk, kind, ""))
    fleet.wait()
    return time.monotonic() - start


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_buckets(url: str) -> dict[tuple[str, float], int]:
    """The platform's own latency histogram: (route, upper bound) -> cumulative count."""
    text = httpx.get(url + "/metrics", timeout=30).text
    pattern = r'^ieum_request_duration_seconds_bucket\{route="([^"]+)",le="([^"]+)"\} (\d+)'
    return {(m[1], float(m[2])): int(m[3]) for m in re.finditer(pattern, text, re.M)}


def server_p99(
    before: dict[tuple[str, float], int], after: dict[tuple[str, float], int], route: str
) -> float:
    """p99 of the platform's time to answer on `route` between two snapshots, to the
    histogram's bucket: what the platform itself took, without the client's side."""
    bounds = sorted(b for r, b in after if r == route)
    counts = [after[(route, b)] - before.get((route, b), 0) for b in bounds]
    if not counts or counts[-1] == 0:
        return float("nan")
    return next(b for b, c in zip(bounds, counts, strict=True) if c >= 0.99 * counts[-1])


def accepted_by_platform(url: str) -> int:
    text = httpx.get(url + "/metrics", timeout=30).text
    found = re.search(r'^ieum_submission_results_total\{result="accepted"\} (\d+)', text, re.M)
    return int(found[1]) if found else 0
