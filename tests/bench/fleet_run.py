"""Running the fleet benchmark (tests/bench/fleet.py): phases, figures, the books.

python -m tests.bench.fleet_run [--devices 1821] [--realtime 180] [--step 60] [--day]
                                [--database URL|sqlite] [--replicas 2] [--window 30]
`make fleet` runs it at full length; `make bench` has a short row (fleet_rows). Without
--database the platform is 2 replicas on a throwaway PostgreSQL cluster (tests/postgres.py).
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
from pathlib import Path

from tests.bench.fleet import (
    DAY_APPLICATIONS,
    DEVICES,
    HOURS,
    PEAK_HOUR,
    WORKERS,
    Kiosk,
    quantile,
    server_p99,
)
from tests.bench.fleet_platform import Replicas, start_replicas, tokens
from tests.bench.fleet_probe import (
    PLATFORM_RT_PRIORITY,
    POOL,
    RT_PRIORITY,
    IdleProbe,
    Phase,
    Verdict,
    judge,
    kiosks_below_platform,
    raise_priority,
)
from tests.bench.fleet_procs import PROCESSES, Simulators
from tests.bench.table import Row

ROOT = Path(__file__).resolve().parents[2]
SPEEDS = (2, 5, 10, 15, 20, 30, 40, 60, 80, 100, 150, 200)
LATE_LIMIT = 1.0
"""p99 seconds rounds started late: beyond it the simulator, not the platform, is the limit."""
IDLE_SAMPLES = 20
"""Rounds of each kind the idle probe times before each window (medians)."""
WINDOW = 30.0
"""Wall seconds of one load window; each speed is judged on the median over its windows."""
KIOSK_DISK = "/dev/shm" if os.path.isdir("/dev/shm") else None
"""Where the simulated kiosks keep their stores: 1,821 kiosks have 1,821 disks, not one
shared one whose fsyncs (synchronous=FULL, each kiosk's) queue behind each other and
behind other engineers' I/O; so memory, for the idle probe and the fleet alike. The
platform's folder (and its SQLite file with `--database sqlite`) stays on disk."""
PG_DISK = KIOSK_DISK
"""Where the throwaway PostgreSQL cluster keeps its files. Durable as shipped (each commit
waits for its WAL flush), but in memory: on this machine's one disk, shared with five
engineers' test runs, each commit's flush queued behind their I/O (median commit 1.35
ms on disk against 0.45 ms in memory, tests/bench/fleet_tail.py --cluster disk)."""
PG_LOG = (
    "-c log_min_duration_statement=20 -c log_checkpoints=on"
    " -c log_autovacuum_min_duration=0 -c log_lock_waits=on"
)
"""The bench cluster logs what could make a database hop slow: statements over 20 ms,
checkpoints, autovacuum and lock waits (`--pg-log` keeps the log)."""
KINDS = ("upload", "status")
DAY_SPEED_FLOOR = 18.0
"""The service day (9 hours) takes at most 30 minutes, even past the headroom."""


class Bench:
    """The platform, the simulator processes and the idle probe of one run."""

    def __init__(self, platform: Replicas, sims: Simulators, probe: IdleProbe, seed: int):
        self.platform = platform
        self.sims = sims
        self.probe = probe
        self.rng = random.Random(seed)
        self.idle_samples = IDLE_SAMPLES

    def window(self, name: str, speed: float, day: tuple[float, float]) -> Phase:
        idle = self.probe.measure(self.idle_samples)
        platform = self.platform
        cpu = platform.cpu()
        buckets = platform.buckets()
        whole = name == "day"
        seed = self.rng.randrange(2**32)
        rounds, seconds, own = self.sims.phase(day, speed, seed, whole, PEAK_HOUR * 3600.0)
        cpu = platform.cpu() - cpu
        after = platform.buckets()
        server = {r: server_p99(buckets, after, f"/v1/{r}") for r in ("submissions", "status")}
        failed = [r for r in rounds if r.failure]
        by_kind = {
            k: [r.seconds for r in rounds if r.kind == k and not r.failure]
            for k in ("upload", "status")
        }
        ready = {
            k: [r.seconds - r.queued for r in rounds if r.kind == k and not r.failure]
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
            idle,
            {k: quantile(v, 0.99) for k, v in ready.items()},
        )

    def speed(
        self, name: str, speed: float, start: float, wall: float, window: float, say: Say
    ) -> Verdict:
        """`wall` seconds of the day from `start` at `speed`, cut into windows of `window`
        wall seconds, each with the idle platform timed before it."""
        count = max(1, round(wall / window))
        length = wall / count * speed
        phases = []
        for n in range(count):
            begin = start + n * length
            phases.append(self.window(name, speed, (begin, begin + length)))
            say(phases[-1].line())
        verdict = Verdict(phases)
        say(verdict.line())
        return verdict


Say = Callable[[str], None]


def run(
    devices: int = DEVICES,
    realtime: float = 180,
    step: float = 60,
    day: bool = False,
    database: str = "",
    replicas: int = 2,
    speeds: tuple[int, ...] = SPEEDS,
    say: Say = print,
    window: float = WINDOW,
    processes: int = PROCESSES,
    priority: str = "split",
    idle_samples: int = IDLE_SAMPLES,
    pool: int = POOL,
    pg_log: Path | None = None,
) -> dict[str, float]:
    """The whole benchmark; prints as it goes and returns the headline figures.
    `database`: "" a throwaway PostgreSQL cluster (tests/postgres.py), "sqlite" the
    platform's SQLite file (one process), else a PostgreSQL URL."""
    split = priority.startswith("split")
    if priority != "none":  # "none": the tests, whose process must not stay real-time
        say(raise_priority(priority != "nice", PLATFORM_RT_PRIORITY if split else RT_PRIORITY))
    sys.setswitchinterval(0.0005)  # several threads: let one that has its answer run soon
    peak = PEAK_HOUR * 3600.0
    cluster = None
    if not database:
        from tests.postgres import Cluster

        cluster = Cluster(durable=True, folder=PG_DISK, settings=PG_LOG)
        database = cluster.new_database()
        say(
            f"PostgreSQL: a throwaway cluster on 127.0.0.1:{cluster.port}, {replicas} replicas;"
            f" fsync and synchronous commit on, its files in {cluster.root} (memory: a city's"
            " database has a disk of its own, not one shared with other engineers' test runs)"
        )
    if database == "sqlite":
        database, replicas = "", 1
    with (
        tempfile.TemporaryDirectory(prefix="ieum-fleet-") as tmp,
        tempfile.TemporaryDirectory(prefix="ieum-fleet-kiosks-", dir=KIOSK_DISK) as disks,
    ):
        folder = Path(tmp)
        say(f"kiosk stores in {disks} (each real kiosk has a disk of its own)")
        platform = start_replicas(folder / "platform", database, replicas)
        first = platform.processes[0]
        if split:
            say(kiosks_below_platform(priority))
        sims: Simulators | None = None
        probe: IdleProbe | None = None
        try:
            sims = Simulators(platform.urls, Path(disks) / "kiosks", devices, processes)
            probe = IdleProbe(first.url, tokens(first, pool), Path(disks) / "idle")
            bench = Bench(platform, sims, probe, 20261204)
            bench.idle_samples = idle_samples
            idle = probe.measure(idle_samples)
            say(
                f"idle platform: upload round {idle.upload * 1000:.1f} ms, status round "
                f"{idle.status * 1000:.1f} ms, one signed request {idle.request * 1000:.1f} ms"
                f" (then timed again before each window)"
            )
            started = time.monotonic()
            failed = sims.enroll(tokens(first, devices))
            if failed:
                raise SystemExit(f"enrollment failed: {failed[0].failure}")
            say(
                f"{devices} kiosks enrolled in {time.monotonic() - started:.0f} s, in "
                f"{processes} simulator processes of {WORKERS} threads; an upload round is "
                "timed from after its sealing, as a kiosk seals when the resident finishes"
            )
            real = bench.speed("peak, real time", 1, peak, realtime, window, say)
            verdicts = [real]
            median_held = 1.0  # the speed to which p50 stayed within 2x idle, no errors
            for speed in speeds:
                verdict = bench.speed("peak, sped up", speed, peak, step, window, say)
                verdicts.append(verdict)
                if verdict.late > LATE_LIMIT:
                    break
                p50_ratio = max(verdict.median(k, "p50") / verdict.median(k, "idle") for k in KINDS)
                if verdict.failures or p50_ratio > 2:
                    break  # the platform itself is saturated: no need to push the machine further
                median_held = speed
            strict, like, spread = judge(verdicts, probe.every, LATE_LIMIT, say)
            say(f"p50 within 2x idle and no errors up to {median_held:.0f}x")
            phases = [w for v in verdicts for w in v.windows]
            real_cpu = sum(w.platform_cpu for w in real.windows)
            share = real_cpu / sum(w.seconds for w in real.windows)
            say(
                f"platform CPU at real time: {share:.1%} of one core, so one core would carry "
                f"~{1 / share if share else float('inf'):.0f}x this load by CPU alone"
            )
            if day:
                hours = sorted(HOURS)
                whole = (hours[0] * 3600.0, (hours[-1] + 1) * 3600.0)
                speed = max(strict / 2, DAY_SPEED_FLOOR)
                phases.append(bench.window("day", speed, whole))
                say(phases[-1].line())
            kiosks = sims.drain(folder)
            books = check_books(kiosks, platform.accepted() - probe.sent)
            say(f"books: {books}")
            uploads = sum(p.uploads for p in phases)
            cpu = sum(p.platform_cpu for p in phases)
            return {
                "idle_upload": real.median("upload", "idle"),
                "idle_status": real.median("status", "idle"),
                "idle_request": statistics.median(w.idle.request for w in real.windows),
                "p50_upload": real.median("upload", "p50"),
                "p99_upload": real.median("upload", "p99"),
                "p50_status": real.median("status", "p50"),
                "p99_status": real.median("status", "p99"),
                "ready_p99_upload": real.median("upload", "ready_p99"),
                "ready_p99_status": real.median("status", "ready_p99"),
                "ratio_upload": real.median("upload"),
                "ratio_status": real.median("status"),
                "errors": sum(p.failures for p in phases),
                "headroom": strict,
                "like_headroom": like,
                "like_upload": real.median("upload", "p99") / spread["upload"],
                "like_status": real.median("status", "p99") / spread["status"],
                "median_headroom": median_held,
                "idle_p99_upload": spread["upload"],
                "idle_p99_status": spread["status"],
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
            if sims is not None:
                sims.close()
            if probe is not None:
                probe.close()
            platform.stop()
            if cluster is not None:
                cluster.stop(keep_log=pg_log)


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
    parser.add_argument(
        "--database", default="", help="URL, or sqlite; default: a throwaway PostgreSQL"
    )
    parser.add_argument("--replicas", type=int, default=2, help="platform processes")
    parser.add_argument("--window", type=float, default=WINDOW, help="seconds of one window")
    parser.add_argument("--processes", type=int, default=PROCESSES, help="simulator processes")
    parser.add_argument(
        "--priority",
        choices=("split", "rr", "split-other", "nice"),
        default="split",
        help="SCHED_RR with the platform and PostgreSQL above the kiosks (split), all at "
        "one priority (rr), the kiosks at SCHED_OTHER (split-other), or nice -10",
    )
    parser.add_argument("--pg-log", type=Path, help="keep the PostgreSQL cluster's log here")
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
        window=args.window,
        processes=args.processes,
        priority=args.priority,
        pg_log=args.pg_log,
    )
    ok = figures["errors"] == 0 and figures["lost"] == 0 and figures["duplicated"] == 0
    return 0 if ok and figures["platform_accepted_minus_sent"] == 0 else 1


def fleet_rows(runs: int) -> list[Row]:
    """The short version for `make bench`: all kiosks on 2 replicas on PostgreSQL, three
    20 s windows at real time, one 20 s window at each speed-up."""
    f = run(
        DEVICES,
        realtime=60,
        step=20,
        window=20,
        say=lambda text: print(f"  fleet: {text}", flush=True),
    )
    ms = {k: v * 1000 for k, v in f.items()}
    return [
        Row("fleet p99 upload round, real time", ms["p99_upload"], ms["idle_upload"],
            "same round, idle (windows' medians)", "ms", "<= 2x"),
        Row("fleet p99 status round, real time", ms["p99_status"], ms["idle_status"],
            "same round, idle (windows' medians)", "ms", "<= 2x"),
        Row("fleet p99 upload, like for like", ms["p99_upload"], ms["idle_p99_upload"],
            "idle upload rounds' own p99", "ms", "<= 2x"),
        Row("fleet p99 status, like for like", ms["p99_status"], ms["idle_p99_status"],
            "idle status rounds' own p99", "ms", "<= 2x"),
        Row("fleet p99 upload, kiosk wait out", ms["ready_p99_upload"],
            ms["idle_upload"], "same round, idle (windows' medians)", "ms", "<= 2x"),
        Row("fleet p99 status, kiosk wait out", ms["ready_p99_status"],
            ms["idle_status"], "same round, idle (windows' medians)", "ms", "<= 2x"),
        Row("fleet idle upload round's own p99", ms["idle_p99_upload"], ms["idle_upload"],
            "its median (no fleet running)", "ms"),
        Row("fleet p99 status round / 1 request", ms["p99_status"], ms["idle_request"],
            "one signed request, idle platform", "ms"),
        Row("fleet headroom, p99<=2x idle p50", f["headroom"], 1.0,
            "real-time peak hour (strict)", "x ", ">= 10x"),
        Row("fleet headroom, p99<=2x idle p99", f["like_headroom"], 1.0,
            "real-time peak hour (like for like)", "x ", ">= 10x"),
        Row("fleet speed with p50 <= 2x idle", f["median_headroom"], 1.0,
            "real-time peak hour, 0 errors", "x "),
        Row("fleet platform CPU / 1,000 apps", f["cpu_per_1000"], f["simulator_cpu_per_1000"],
            "the simulated kiosks' CPU", "s "),
        Row("fleet platform CPU headroom", f["cpu_headroom"], 1.0, "real-time peak, one core",
            "x "),
        Row("fleet errors+lost+duplicated", f["errors"] + f["lost"] + f["duplicated"],
            f["sent"], "applications sent", "  ", "0"),
    ]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
