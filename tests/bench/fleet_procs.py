"""The simulated kiosks in several processes, so that the simulator is not the limit.

One Python process with 32 threads spent one to two times the platform's CPU and fell
behind (~1 s) before the platform did: the interpreter lock serialises sealing, signing
and each kiosk's SQLite work. Here the kiosks are shared out over `count` processes
(kiosk n in process n % count), each a `Fleet` of a few threads. Every process draws the
same phase from the same seed and plays only its own kiosks' events against a common
start on the monotonic clock, so together they play exactly the one schedule.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sync.client import PlatformClient
from tests.bench.fleet import Fleet, Kiosk, Round, arrivals, day_rate, play
from tests.bench.fleet_probe import quiet_collector
from tests.bench.fleet_tail import gc_tracer

PROCESSES = 3


def _phase_rate(whole_day: bool, peak_second: float) -> Any:
    if whole_day:
        return day_rate
    peak = day_rate(peak_second)
    return lambda _t: peak


def _serve(
    pipe: Connection,
    urls: list[str],
    folder: Path,
    devices: int,
    me: int,
    count: int,
    client_type: type[PlatformClient],
) -> None:
    """One simulator process: its share of the kiosks, commands from the parent."""
    fleet = Fleet(urls, folder, devices, client_type=client_type)
    collections: list[tuple[float, float, int, int]] = []
    mine = range(me, devices, count)
    while True:
        command, args = pipe.recv()
        if command == "enroll":
            for n in mine:
                fleet.send((0.0, n, "enroll", args[n]))
            fleet.wait()
            quiet_collector()
            pipe.send(fleet.take_rounds())  # only failures land here
        elif command == "phase":
            day, speed, seed, whole_day, peak_second, start = args
            rate = _phase_rate(whole_day, peak_second)
            events = (
                e
                for e in arrivals(day, speed, random.Random(seed), devices, rate)
                if e[1] % count == me
            )
            cpu = time.process_time()
            seconds = play(fleet, events, start)
            pipe.send((fleet.take_rounds(), seconds, time.process_time() - cpu))
        elif command == "drain":
            for n in mine:
                fleet.send((0.0, n, "drain", ""))
            fleet.wait()
            pipe.send(
                [
                    (
                        n,
                        fleet.kiosks[n].references,
                        fleet.kiosks[n].receipts,
                        fleet.kiosks[n].left_in_outbox,
                    )
                    for n in mine
                ]
            )
        elif command == "trace":  # fleet_load.py: start, or hand over and start again
            if fleet.log is None:
                gc_tracer(collections)
            sent = getattr(client_type, "log", [])
            pipe.send((fleet.log or [], list(sent), list(collections)))
            fleet.log = []
            sent.clear()
            collections.clear()
        else:
            fleet.close()
            pipe.send(None)
            return


class Simulators:
    """The fleet over `count` processes; the parent only hands out phases and sums up."""

    def __init__(
        self,
        urls: list[str],
        folder: Path,
        devices: int,
        count: int = PROCESSES,
        client_type: type[PlatformClient] = PlatformClient,
    ):
        context = multiprocessing.get_context("fork")  # the parent has no threads yet
        self.devices = devices
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        for me in range(count):
            parent, child = context.Pipe()
            process = context.Process(
                target=_serve,
                args=(child, urls, folder, devices, me, count, client_type),
                daemon=True,
            )
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def _all(self, command: str, args: object = None) -> list[Any]:
        for pipe in self.pipes:
            pipe.send((command, args))
        return [pipe.recv() for pipe in self.pipes]

    def trace(self) -> list[Any]:
        """Per process: (rounds, requests, collections) since the last call (fleet_load.py)."""
        return self._all("trace")

    def enroll(self, tokens: list[str]) -> list[Round]:
        return [r for rounds in self._all("enroll", tokens) for r in rounds]

    def phase(
        self, day: tuple[float, float], speed: float, seed: int, whole_day: bool, peak: float
    ) -> tuple[list[Round], float, float]:
        """(rounds, wall seconds, simulator CPU seconds) of one stretch of the day."""
        start = time.monotonic() + 0.2
        answers = self._all("phase", (day, speed, seed, whole_day, peak, start))
        rounds = [r for a in answers for r in a[0]]
        return rounds, max(a[1] for a in answers), sum(a[2] for a in answers)

    def drain(self, folder: Path) -> list[Kiosk]:
        """Every kiosk's queue sent; what each holds (references, receipts, left over)."""
        found = [k for answer in self._all("drain") for k in answer]
        return [
            Kiosk(folder, references=refs, receipts=receipts, left_in_outbox=left)
            for _n, refs, receipts, left in sorted(found)
        ]

    def close(self) -> None:
        try:
            self._all("close")
        finally:
            for process in self.processes:
                process.join(timeout=30)
                if process.is_alive():
                    process.kill()
