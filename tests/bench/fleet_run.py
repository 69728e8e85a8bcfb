"""Running the fleet benchmark (tests/bench/fleet.py): phases, figures, the books.

python -m tests.bench.fleet_run [--devices 1821] [--realtime 180] [--step 60] [--day]
                                [--database URL]
`make fleet` runs it at full length; `make bench` has a short row (fleet_rows).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sync.client import PlatformClient
from sync.enrollment import current_platform_key, enroll
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_application
from tests.bench.fleet import (
    DAY_APPLICATIONS,
    DEVICES,
    HOURS,
    PEAK_HOUR,
    Fleet,
    Kiosk,
    arrivals,
    day_rate,
    payload,
    play,
    quantile,
    server_p99,
    status_round,
)
from tests.bench.fleet_platform import Replicas, start_replicas, tokens
from tests.bench.table import Row

ROOT = Path(__file__).resolve().parents[2]
SPEEDS = (2, 5, 10, 15, 20, 30, 40, 60, 80, 100, 150, 200)
LATE_LIMIT = 1.0
"""p99 seconds rounds started late: beyond it the simulator, not the platform, is the limit."""
IDLE_SAMPLES = 30
SATURATED = 5
"""Stop the ramp once even the fastest kind of round's p99 is this many idle upload rounds."""
DAY_SPEED_FLOOR = 18.0
"""The service day (9 hours) takes at most 30 minutes, even past the headroom."""


@dataclass
class Idle:
    upload: float
    status: float
    request: float


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

    def held(self, idle: Idle) -> bool:
        return (
            self.failures == 0
            and self.p99["upload"] <= 2 * idle.upload
            and self.p99["status"] <= 2 * idle.status
        )

    def line(self) -> str:
        per_k = self.platform_cpu / self.uploads * 1000 if self.uploads else float("nan")
        return (
            f"{self.name:<18} {self.speed:>5.0f}x {self.uploads / self.seconds:>7.1f} app/s "
            f"{self.rounds / self.seconds:>7.1f} rounds/s  upload p50/p99 "
            f"{self.p50['upload'] * 1000:>6.1f}/{self.p99['upload'] * 1000:>6.1f} ms  status "
            f"{self.p50['status'] * 1000:>6.1f}/{self.p99['status'] * 1000:>6.1f} ms  late p99 "
            f"{self.late_p99 * 1000:>6.0f} ms  platform p99 submissions/status "
            f"{self.server_p99['submissions'] * 1000:.0f}/{self.server_p99['status'] * 1000:.0f}"
            f" ms  cpu platform/simulator {self.platform_cpu / self.seconds:.0%}/"
            f"{self.simulator_cpu / self.seconds:.0%}  cpu/1k apps {per_k:>5.1f} s  errors "
            f"{self.failures}" + (f" ({self.first_failure})" if self.first_failure else "")
        )


def idle_baseline(
    url: str, token: str, folder: Path, samples: int = IDLE_SAMPLES
) -> tuple[Idle, int]:
    """One kiosk alone on the platform: medians of each kind of round, and of one request."""
    store = Store(folder / "ieum.db")
    client = PlatformClient(url)
    enroll(store, client, token)
    rng = random.Random(0)
    times: dict[str, list[float]] = {"upload": [], "status": [], "request": []}
    for _ in range(samples):
        submit_application(store, payload(rng), current_platform_key(store), time.time())
        for kind in ("upload", "status", "request"):
            # A kiosk syncs every few minutes, long after keep-alive: a new connection
            # each time, in the fleet as here.
            fresh = PlatformClient(url, identity=client.identity)
            started = time.perf_counter()
            if kind == "request":
                fresh.status_changes(store.setting("status_cursor") or "0")
            elif kind == "status":
                assert status_round(store, fresh) == ""
            else:
                assert sync_pass(store, fresh, time.time()).failure == ""
            times[kind].append(time.perf_counter() - started)
            fresh.close()
        time.sleep(0.02)
    client.close()
    store.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    return Idle(med["upload"], med["status"], med["request"]), samples


def run_phase(
    fleet: Fleet,
    platform: Replicas,
    name: str,
    speed: float,
    day: tuple[float, float],
    rng: random.Random,
) -> Phase:
    rate = day_rate if name == "day" else (lambda _t: day_rate(PEAK_HOUR * 3600.0))
    cpu = platform.cpu()
    own = time.process_time()
    buckets = platform.buckets()
    seconds = play(fleet, arrivals(day, speed, rng, len(fleet.kiosks), rate))
    cpu = platform.cpu() - cpu
    own = time.process_time() - own
    after = platform.buckets()
    server = {r: server_p99(buckets, after, f"/v1/{r}") for r in ("submissions", "status")}
    rounds = fleet.take_rounds()
    failed = [r for r in rounds if r.failure]
    by_kind = {
        k: [r.seconds for r in rounds if r.kind == k and not r.failure]
        for k in ("upload", "status")
    }
    return Phase(
        name,
        speed,
        seconds,
        sum(r.kind == "upload" for r in rounds),
        len(rounds),
        {k: quantile(v, 0.5) for k, v in by_kind.items()},
        {k: quantile(v, 0.99) for k, v in by_kind.items()},
        quantile([r.late for r in rounds], 0.99),
        len(failed),
        failed[0].failure if failed else "",
        cpu,
        own,
        server,
    )


def run(
    devices: int = DEVICES,
    realtime: float = 180,
    step: float = 60,
    day: bool = False,
    database: str = "",
    replicas: int = 1,
    speeds: tuple[int, ...] = SPEEDS,
    say: Callable[[str], None] = print,
    idle_samples: int = IDLE_SAMPLES,
) -> dict[str, float]:
    """The whole benchmark; prints as it goes and returns the headline figures."""
    rng = random.Random(20261204)
    sys.setswitchinterval(0.0005)  # 32 threads: let one that has its answer run soon
    peak = (PEAK_HOUR * 3600.0, PEAK_HOUR * 3600.0)
    with tempfile.TemporaryDirectory(prefix="ieum-fleet-") as tmp:
        folder = Path(tmp)
        if replicas > 1 and not database:
            raise SystemExit("replicas share one database: give --database too")
        platform = start_replicas(folder / "platform", database, replicas)
        first = platform.processes[0]
        fleet: Fleet | None = None
        try:
            idle, sent = idle_baseline(
                first.url, tokens(first, 1)[0], folder / "idle", idle_samples
            )
            say(
                f"idle platform: upload round {idle.upload * 1000:.1f} ms, status round "
                f"{idle.status * 1000:.1f} ms, one signed request {idle.request * 1000:.1f} ms"
            )
            started = time.monotonic()
            fleet = Fleet(platform.urls, folder / "kiosks", devices)
            for n, token in enumerate(tokens(first, devices)):
                fleet.send((0.0, n, "enroll", token))
            fleet.wait()
            say(f"{devices} kiosks enrolled in {time.monotonic() - started:.0f} s")
            phases = [
                run_phase(fleet, platform, "peak, real time", 1, (peak[0], peak[0] + realtime), rng)
            ]
            say(phases[0].line())
            headroom, why = (1.0, "") if phases[0].held(idle) else (0.0, "not at real time")
            for speed in speeds:
                phase = run_phase(
                    fleet, platform, "peak, sped up", speed, (peak[0], peak[0] + step * speed), rng
                )
                phases.append(phase)
                say(phase.line())
                if phase.late_p99 > LATE_LIMIT:
                    why = why or f"the simulator fell behind at {speed}x (a lower bound)"
                    break
                if not phase.held(idle):
                    why = why or f"p99 passed 2x idle (or errors) at {speed}x"
                elif not why:
                    headroom = speed
                if phase.failures or min(phase.p99.values()) > SATURATED * max(idle.upload, 0.001):
                    break  # past any doubt: no need to push the machine further
            say(f"headroom {headroom:.0f}x: {why or 'held at every speed tried'}")
            real = phases[0]
            share = real.platform_cpu / real.seconds
            say(
                f"platform CPU at real time: {share:.1%} of one core, so one core would carry "
                f"~{1 / share if share else float('inf'):.0f}x this load by CPU alone"
            )
            if day:
                speed = max(headroom / 2, DAY_SPEED_FLOOR)
                hours = sorted(HOURS)
                phase = run_phase(
                    fleet,
                    platform,
                    "day",
                    speed,
                    (hours[0] * 3600.0, (hours[-1] + 1) * 3600.0),
                    rng,
                )
                phases.append(phase)
                say(phase.line())
            for n in range(devices):
                fleet.send((0.0, n, "drain", ""))
            fleet.wait()
            books = check_books(fleet.kiosks, platform.accepted() - sent)
            say(f"books: {books}")
            again, _ = idle_baseline(
                first.url, tokens(first, 1)[0], folder / "idle-after", idle_samples
            )
            say(
                f"idle platform again, after the fleet: upload round {again.upload * 1000:.1f} ms,"
                f" status round {again.status * 1000:.1f} ms (the machine's own drift)"
            )
            uploads = sum(p.uploads for p in phases)
            cpu = sum(p.platform_cpu for p in phases)
            return {
                "idle_upload": idle.upload,
                "idle_status": idle.status,
                "idle_request": idle.request,
                "p50_upload": real.p50["upload"],
                "p99_upload": real.p99["upload"],
                "p50_status": real.p50["status"],
                "p99_status": real.p99["status"],
                "errors": sum(p.failures for p in phases),
                "headroom": headroom,
                "cpu_headroom": 1 / share if share else 0.0,
                "cpu_per_1000": cpu / uploads * 1000 if uploads else 0,
                "simulator_cpu_per_1000": (
                    sum(p.simulator_cpu for p in phases) / uploads * 1000 if uploads else 0
                ),
                "applications": uploads,
                "day_share": uploads / DAY_APPLICATIONS,
                **books,
            }
        finally:
            if fleet is not None:
                fleet.close()
            platform.stop()


def check_books(kiosks: list[Kiosk], accepted: int) -> dict[str, float]:
    """Every application once: a receipt each, all distinct, as many accepted as sent."""
    sent = sum(len(k.references) for k in kiosks)
    receipts = [r for k in kiosks for r in k.receipts]
    given = [r for r in receipts if r]
    lost = len(receipts) - len(given) + sum(k.left_in_outbox for k in kiosks)
    return {
        "sent": sent,
        "lost": lost,
        "duplicated": len(given) - len(set(given)),
        "platform_accepted_minus_sent": accepted - sent,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.fleet_run")
    parser.add_argument("--devices", type=int, default=DEVICES)
    parser.add_argument("--realtime", type=float, default=180, help="seconds at real time")
    parser.add_argument("--step", type=float, default=60, help="seconds at each speed-up")
    parser.add_argument("--day", action="store_true", help="then the whole day at half headroom")
    parser.add_argument("--database", default="", help="the platform's database URL")
    parser.add_argument("--replicas", type=int, default=1, help="platform processes (--database)")
    args = parser.parse_args()
    print(
        f"fleet: {args.devices} kiosks, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    figures = run(
        args.devices,
        args.realtime,
        args.step,
        args.day,
        args.database,
        args.replicas,
        say=lambda text: print(text, flush=True),
    )
    ok = figures["errors"] == 0 and figures["lost"] == 0 and figures["duplicated"] == 0
    return 0 if ok and figures["platform_accepted_minus_sent"] == 0 else 1


def fleet_rows(runs: int) -> list[Row]:
    """The short version for `make bench`: all kiosks, 30 s at real time, 10 s steps."""
    f = run(DEVICES, realtime=30, step=10, say=lambda text: print(f"  fleet: {text}", flush=True))
    return [
        Row(
            "fleet p99 upload round, real time",
            f["p99_upload"] * 1000,
            f["idle_upload"] * 1000,
            "same round, idle platform",
            "ms",
            "<= 2x",
        ),
        Row(
            "fleet p99 status round, real time",
            f["p99_status"] * 1000,
            f["idle_status"] * 1000,
            "same round, idle platform",
            "ms",
            "<= 2x",
        ),
        Row(
            "fleet headroom (p99 <= 2x idle)",
            f["headroom"],
            1.0,
            "real-time peak hour",
            "x ",
            ">= 10x",
        ),
        Row(
            "fleet platform CPU / 1,000 apps",
            f["cpu_per_1000"],
            f["simulator_cpu_per_1000"],
            "the simulated kiosks' CPU",
            "s ",
        ),
        Row(
            "fleet platform CPU headroom",
            f["cpu_headroom"],
            1.0,
            "real-time peak, one core",
            "x ",
        ),
        Row(
            "fleet errors+lost+duplicated",
            f["errors"] + f["lost"] + f["duplicated"],
            f["sent"],
            "applications sent",
            "  ",
            "0",
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
