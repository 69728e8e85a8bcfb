"""The fleet benchmark's yardsticks on a shared machine: the idle platform timed between
load windows (not once at the start), and the run's own scheduling priority.

On a 2-core machine shared with other engineers' test runs, a baseline taken once at
the start and a load window minutes later see different machines. Here one idle kiosk
stays enrolled and times its rounds right before each window, with the fleet quiet, so
each window is judged against the machine as it was then (`Phase`); a speed is judged
on the medians over its windows (`Verdict`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sync.client import PlatformClient
from sync.enrollment import current_platform_key, enroll
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_application
from tests.bench.fleet import payload, quantile, status_round

NICE = -10
"""The run's niceness when real-time scheduling is refused."""
RT_PRIORITY = 1
"""SCHED_RR at the lowest real-time priority: the platform, PostgreSQL and the simulator
(which inherit it) run as soon as they are runnable, ahead of the other engineers' test
runs; the kernel's real-time throttling still leaves others 5 % of each second. A nice
of -10 alone left rounds waiting ~100 ms behind a load of 10-15 (the p99)."""
PLATFORM_RT_PRIORITY = 2
"""`split` (the default): the platform and PostgreSQL one real-time priority above the
kiosks, as on a city's machines, where no kiosk shares the platform's cores. All at
priority 1 (`rr`), every PostgreSQL backend (the postmaster's children inherit its
policy) and replica thread that woke up queued behind whatever simulator thread held
the core, round-robin among equals: per wake-up, backends waited 1.6 ms on average for
a core (schedstat run_delay; 83-87 s a short run against 4-5 s of CPU), replicas 0.8
ms; split, 0.01-0.07 and 0.02-0.04 ms, and the platform's own p99 (/metrics) at 10x
went from the 25 ms bucket to the 5-10 ms ones in 3 alternating pairs of runs. The
kiosks' rounds did not get faster: their threads now wait for the cores instead (2.0-
2.3 ms a wake-up), so each speed also reports its p99 less that wait (Phase.ready_p99).
Kiosks at SCHED_OTHER (`split-other`) left them behind the machine's other work: upload
p99 at 10x 46 ms against 20-27."""


def raise_priority(realtime: bool = True, priority: int = RT_PRIORITY) -> str:
    """Raise this process's scheduling priority before anything is started (threads and
    child processes inherit it on Linux); what was done, for the output."""
    if realtime:
        try:
            os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(priority))
        except (PermissionError, OSError) as exc:
            note = f"SCHED_RR refused ({type(exc).__name__}); "
        else:
            return (
                f"the run at SCHED_RR priority {priority}, which the platform and PostgreSQL "
                "inherit (ahead of the machine's other work; the kernel keeps it 5 %)"
            )
    else:
        note = ""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, NICE)
    except (PermissionError, OSError) as exc:
        return note + f"priority unchanged ({type(exc).__name__}), nice {os.nice(0)}"
    return note + f"platform, PostgreSQL and simulator at nice {os.nice(0)} for the run"


def kiosks_below_platform(mode: str) -> str:
    """After the platform and PostgreSQL have started at PLATFORM_RT_PRIORITY: this
    process (the idle probe) and the simulator processes it forks next drop below them,
    to SCHED_RR priority 1 (`split`) or to SCHED_OTHER at nice -10 (`split-other`), so
    that a kiosk's sealing never holds a core a database backend or a replica is
    waiting for: a city's kiosks run on other machines. Only this one thread (the
    parent has no other yet). Where real-time scheduling was refused, nothing changes."""
    if os.sched_getscheduler(0) != os.SCHED_RR:
        return "kiosks at the platform's priority (real-time scheduling refused)"
    if mode == "split":
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(RT_PRIORITY))
        return f"kiosks (simulator and idle probe) at SCHED_RR priority {RT_PRIORITY}"
    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    with contextlib.suppress(OSError):  # PermissionError included
        os.setpriority(os.PRIO_PROCESS, 0, NICE)
    return f"kiosks (simulator and idle probe) at SCHED_OTHER, nice {os.nice(0)}"


def quiet_collector() -> None:
    """After enrolling: hundreds of simulated kiosks' clients and stores, which live as
    long as the run, out of the collector's way (`gc.freeze`). Otherwise every full
    collection walks all of them and stalls whatever round
    this process is timing: a pause of the simulator's heap (one real kiosk holds one
    store), not of the platform. Python's young-generation threshold stays: its
    collections take ~0.2 ms here, and a larger one only made each pause longer."""
    gc.collect()
    gc.freeze()


@dataclass
class Idle:
    upload: float
    status: float
    request: float


POOL = 200
"""Idle kiosks the probe takes turns with: each round comes from a kiosk the platform has
not seen for over a minute, as in the fleet, where a kiosk syncs every few minutes and
so each of its rounds carries the platform's last-seen write (reference_platform/
devices.py: at most one a minute per device); one kiosk timing round after round would
skip that write and set the bar below what any fleet round can reach."""


class IdleProbe:
    """Kiosks of their own on the platform, timing each kind of round alone."""

    def __init__(
        self,
        url: str,
        tokens: list[str],
        folder: Path,
        client_type: type[PlatformClient] = PlatformClient,
    ) -> None:
        self.url = url
        self.kiosks: list[tuple[Store, PlatformClient]] = []
        for n, token in enumerate(tokens):
            store = Store(folder / f"idle-{n:03d}" / "ieum.db")
            client = client_type(url)
            enroll(store, client, token)
            self.kiosks.append((store, client))
        quiet_collector()
        self.turn = 0
        self.rng = random.Random(0)
        self.sent = 0
        self.windows: list[Idle] = []
        self.every: dict[str, list[float]] = {"upload": [], "status": [], "request": []}
        """Every idle round timed: their own spread (p99) with no fleet at all."""
        self.log: list[tuple[str, float, float]] = []
        """(kind, start, end) of every round on the monotonic clock (fleet_tail.py)."""

    def _next(self) -> tuple[Store, PlatformClient]:
        self.turn += 1
        return self.kiosks[self.turn % len(self.kiosks)]

    def measure(self, samples: int) -> Idle:
        """Medians of `samples` rounds of each kind; kept in `windows`.

        Each kiosk keeps its one client, as a kiosk does (and the fleet's do): a client
        made per round cost 16 ms to make (its TLS context) and, freed in a cycle, a
        collection of 50-120 ms in some later round, the idle rounds' own p99. A
        kiosk's turn comes back after POOL rounds, long after the platform's 5 s
        keep-alive closed its connection: a new connection each round, as in the fleet."""
        times: dict[str, list[float]] = {"upload": [], "status": [], "request": []}
        for _ in range(samples):
            for kind in ("upload", "status", "request"):
                store, client = self._next()
                if kind == "upload":
                    key = current_platform_key(store)
                    submit_application(store, payload(self.rng), key, time.time())
                    self.sent += 1
                started = time.monotonic()
                if kind == "request":
                    client.status_changes(store.setting("status_cursor") or "0")
                elif kind == "status":
                    assert status_round(store, client) == ""
                else:
                    assert sync_pass(store, client, time.time()).failure == ""
                ended = time.monotonic()
                times[kind].append(ended - started)
                self.log.append((kind, started, ended))
                time.sleep(0.01)
        for kind, values in times.items():
            self.every[kind] += values
        med = {k: statistics.median(v) for k, v in times.items()}
        idle = Idle(med["upload"], med["status"], med["request"])
        self.windows.append(idle)
        return idle

    def close(self) -> None:
        for store, client in self.kiosks:
            client.close()
            store.close()


def median_idle(windows: list[Idle]) -> Idle:
    return Idle(
        statistics.median(w.upload for w in windows),
        statistics.median(w.status for w in windows),
        statistics.median(w.request for w in windows),
    )


@dataclass
class Phase:
    name: str
    speed: float
    seconds: float
    uploads: int
    rounds: int
    p50: dict[str, float]
    p99: dict[str, float]
    late_p99: float
    failures: int
    first_failure: str
    platform_cpu: float
    simulator_cpu: float
    server_p99: dict[str, float]
    """The platform's own p99 per route (to its histogram bucket), client side left out."""
    idle: Idle
    """The idle platform timed right before this window."""
    ready_p99: dict[str, float] | None = None
    """p99 of each kind of round less the time the kiosk's own thread waited for a core
    (fleet.Round.queued): the round as a kiosk on a machine of its own would see it."""

    def ratio(self, kind: str) -> float:
        return self.p99[kind] / getattr(self.idle, kind)

    def line(self) -> str:
        per_k = self.platform_cpu / self.uploads * 1000 if self.uploads else float("nan")
        return (
            f"{self.name:<15} {self.speed:>4.0f}x {self.uploads / self.seconds:>5.1f} app/s "
            f"{self.rounds / self.seconds:>5.1f} rounds/s  upload p50/p99 "
            f"{self.p50['upload'] * 1000:.0f}/{self.p99['upload'] * 1000:.0f} ms (idle "
            f"{self.idle.upload * 1000:.0f}, {self.ratio('upload'):.2f}x)  status "
            f"{self.p50['status'] * 1000:.0f}/{self.p99['status'] * 1000:.0f} ms (idle "
            f"{self.idle.status * 1000:.0f}, {self.ratio('status'):.2f}x)  late p99 "
            f"{self.late_p99 * 1000:.0f} ms  platform p99 subm/status "
            f"{self.server_p99['submissions'] * 1000:.0f}/{self.server_p99['status'] * 1000:.0f}"
            f" ms  cpu platform/simulator {self.platform_cpu / self.seconds:.0%}/"
            f"{self.simulator_cpu / self.seconds:.0%}  cpu/1k apps {per_k:.1f} s  errors "
            f"{self.failures}" + (f" ({self.first_failure})" if self.first_failure else "")
        )


@dataclass
class Verdict:
    """Several windows at one speed, each against the idle platform timed before it:
    medians over windows, so one window disturbed by the shared machine does not decide."""

    windows: list[Phase]

    def median(self, kind: str, what: str = "ratio") -> float:
        if what == "ratio":
            return statistics.median(w.ratio(kind) for w in self.windows)
        if what == "idle":
            return statistics.median(getattr(w.idle, kind) for w in self.windows)
        if what == "ready_p99":
            return statistics.median((w.ready_p99 or w.p99)[kind] for w in self.windows)
        return statistics.median(getattr(w, what)[kind] for w in self.windows)

    @property
    def failures(self) -> int:
        return sum(w.failures for w in self.windows)

    @property
    def late(self) -> float:
        return max(w.late_p99 for w in self.windows)

    def held(self) -> bool:
        return self.failures == 0 and all(self.median(k) <= 2 for k in ("upload", "status"))

    def line(self) -> str:
        parts = [
            f"{k} p50/p99 {self.median(k, 'p50') * 1000:.0f}/{self.median(k, 'p99') * 1000:.0f}"
            f" ms against idle {self.median(k, 'idle') * 1000:.0f} ms: {self.median(k):.2f}x"
            for k in ("upload", "status")
        ]
        return (
            f"  {self.windows[0].speed:.0f}x, medians of {len(self.windows)} windows: "
            + "; ".join(parts)
            + f"; errors {self.failures}: {'HELD' if self.held() else 'not held'}"
        )


def held_like_for_like(verdict: Verdict, idle_p99: dict[str, float]) -> bool:
    """No errors and each kind's p99 (median over windows) within 2x the idle rounds' own
    p99: the same percentile on both sides."""
    return verdict.failures == 0 and all(
        verdict.median(k, "p99") <= 2 * idle_p99[k] for k in ("upload", "status")
    )


def headroom(
    verdicts: list[Verdict], held: Callable[[Verdict], bool], late_limit: float
) -> tuple[float, str]:
    """The highest speed up to which every speed tried held (real time first), and why it
    stopped there; a simulator that fell behind makes it a lower bound."""
    best = 0.0
    for verdict in verdicts:
        speed = verdict.windows[0].speed
        if verdict.late > late_limit:
            return best, f"the simulator fell behind at {speed:.0f}x (a lower bound)"
        if not held(verdict):
            return best, f"passed 2x (or errors) at {speed:.0f}x" if best else "not at real time"
        best = speed
    return best, "held at every speed tried"


def both_rules(verdicts: list[Verdict], idle_p99: dict[str, float]) -> list[str]:
    """Each speed's p99 against the idle median (the issue's rule, strict) and against the
    idle rounds' own p99 (like for like), as lines for the output."""
    lines = []
    for v in verdicts:
        parts = [
            f"{k} p99 {v.median(k, 'p99') * 1000:.0f} ms = {v.median(k):.2f}x idle median, "
            f"{v.median(k, 'p99') / idle_p99[k]:.2f}x idle p99"
            for k in ("upload", "status")
        ]
        ready = ", ".join(
            f"{k} {v.median(k, 'ready_p99') * 1000:.0f} ms = "
            f"{v.median(k, 'ready_p99') / v.median(k, 'idle'):.2f}x idle median"
            for k in ("upload", "status")
        )
        lines.append(
            f"  {v.windows[0].speed:>4.0f}x: "
            + "; ".join(parts)
            + f"; errors {v.failures}; less the kiosks' own wait for a core: {ready}"
        )
    return lines


def judge(
    verdicts: list[Verdict],
    every: dict[str, list[float]],
    late_limit: float,
    say: Callable[[str], None],
) -> tuple[float, float, dict[str, float]]:
    """Both headrooms, said with the figures behind them: (strict, like for like, the
    idle rounds' own p99 per kind over every idle round of the run)."""
    spread = {k: quantile(every[k], 0.99) for k in ("upload", "status")}
    middle = {k: statistics.median(every[k]) for k in ("upload", "status")}
    say(
        f"the idle rounds' own p99 over {len(every['upload'])} of each, no fleet running: "
        + ", ".join(
            f"{k} {spread[k] * 1000:.1f} ms ({spread[k] / middle[k]:.2f}x their median)"
            for k in ("upload", "status")
        )
    )
    say("each speed's p99 against the idle median (strict) and the idle p99 (like for like):")
    for line in both_rules(verdicts, spread):
        say(line)
    strict, why = headroom(verdicts, Verdict.held, late_limit)
    like, why_like = headroom(verdicts, lambda v: held_like_for_like(v, spread), late_limit)
    say(f"headroom, p99 <= 2x the idle median (the issue's rule): {strict:.0f}x: {why}")
    say(f"headroom, p99 <= 2x the idle p99 (like for like): {like:.0f}x: {why_like}")
    return strict, like, spread
