"""The platform side of the fleet benchmark: one process or replicas on one database."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from reference_platform.local import LocalPlatform, start_local_platform
from tests.bench.fleet import accepted_by_platform, cpu_seconds, server_buckets

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Replicas:
    """One platform process, or several on one database (`--database`, `--replicas`);
    kiosks are spread over them as an L4 load balancer would, each keeping the address it
    enrolled at, so no proxy of ours sits in the measurement."""

    processes: list[LocalPlatform]

    @property
    def urls(self) -> list[str]:
        return [p.url for p in self.processes]

    def cpu(self) -> float:
        return sum(cpu_seconds(p.process.pid) for p in self.processes)

    def buckets(self) -> dict[tuple[str, float], int]:
        total: dict[tuple[str, float], int] = {}
        for url in self.urls:
            for key, n in server_buckets(url).items():
                total[key] = total.get(key, 0) + n
        return total

    def accepted(self) -> int:
        return sum(accepted_by_platform(url) for url in self.urls)

    def stop(self) -> None:
        for p in self.processes:
            p.stop()


def start_replicas(folder: Path, database: str, count: int) -> Replicas:
    """The first process makes the keys; the others get copies of its folder's files (as
    an operator installs them), never of a SQLite database or its log."""
    first = start_local_platform(folder / "replica-1", extra_args=platform_args(database))
    processes = [first]
    for n in range(2, count + 1):
        data = folder / f"replica-{n}"
        data.mkdir(parents=True)
        for source in first.data.iterdir():
            if source.name in ("platform.log", "port") or ".db" in source.name:
                continue
            copy = shutil.copytree if source.is_dir() else shutil.copy2
            copy(source, data / source.name)
        processes.append(start_local_platform(data, extra_args=platform_args(database)))
    return Replicas(processes)


def tokens(platform: LocalPlatform, count: int) -> list[str]:
    from reference_platform.storage import PlatformStorage

    storage = PlatformStorage(platform.data)
    try:
        return [storage.devices.new_token(time.time(), f"fleet kiosk {n}") for n in range(count)]
    finally:
        storage.close()


def platform_args(database: str) -> tuple[str, ...]:
    if not database:
        return ()
    usage = subprocess.run(
        [sys.executable, "-m", "reference_platform", "serve", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    if "--database" not in usage:
        raise SystemExit("this platform has no --database option yet: run without --database")
    return ("--database", database)
