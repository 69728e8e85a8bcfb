"""A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` package, initdb
and pg_ctl on a free loopback port, one fresh database per test, removed at the end.

PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user in a
folder it owns. Durability settings are off for the tests (the cluster dies with the
session); the platform's own crash tests kill the platform, not the database.
`Cluster(durable=True)` keeps PostgreSQL's own (fsync, synchronous commit, full page
writes), for the fleet benchmark, whose figures must include each commit's flush.

A test run killed half-way (SIGKILL, CI's time limit, a developer's kill of the whole
process group) never reaches `stop()`: the server ran on, port and folder taken, until
someone found it. So each cluster has a reaper, a small process in a session of its own
that waits on a pipe from the process that made the cluster and, when that pipe closes
for whatever reason, stops the server and removes its folder.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"{name} not found: install Debian's postgresql package")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One PostgreSQL server; `new_database()` gives each test its own database URL."""

    def __init__(
        self, durable: bool = False, folder: str | None = None, settings: str = ""
    ) -> None:
        """`folder`: where the cluster lives (default /tmp as root, else the temporary
        folder); `durable`: PostgreSQL's durability settings as shipped; `settings`: more
        server options (`-c name=value ...`)."""
        as_root = os.geteuid() == 0
        # As root, in /tmp itself: the postgres user must be able to reach the folder.
        where = folder or ("/tmp" if as_root else None)
        self.root = Path(tempfile.mkdtemp(prefix="ieum-pg-", dir=where))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as = ["runuser", "-u", "postgres", "--"] if as_root else []
        if self._as:
            shutil.chown(self.root, "postgres")
        self._names = itertools.count(1)
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories="
            " -c max_connections=300 -c shared_buffers=32MB"
        )
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if settings:
            options += " " + settings
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                  "-o", options, "-w", "-t", "60", "start")  # fmt: skip
        self._reaper = subprocess.Popen(
            [sys.executable, "-c", _REAPER, str(self.root), *self._as, _bin("pg_ctl")],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not killed with the test run's process group
        )
        import psycopg  # here: only the tests that use PostgreSQL need it

        self.admin: Any = psycopg.connect(self.url("postgres"), autocommit=True)

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as, *command], check=True, capture_output=True, cwd=self.root)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"ieum_{next(self._names)}"
        self.admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self, keep_log: Path | None = None) -> None:
        """Stop and remove the cluster; its server log copied to `keep_log` first."""
        self.admin.close()
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        if keep_log is not None:
            shutil.copy(self.root / "log", keep_log)
        shutil.rmtree(self.root, ignore_errors=True)
        assert self._reaper.stdin is not None
        self._reaper.stdin.close()  # nothing left for it to do
        self._reaper.wait(timeout=60)


_REAPER = """
import shutil, subprocess, sys
root, command = sys.argv[1], sys.argv[2:]
sys.stdin.buffer.read()  # until the pipe closes: stop() or the test run's end, however
data = root + "/data"
subprocess.run([*command, "-D", data, "-m", "immediate", "-w", "stop"], capture_output=True)
shutil.rmtree(root, ignore_errors=True)
"""
"""The reaper's whole program (`python -c`): nothing of the tests imported, so that it
starts in milliseconds and cannot fail on the tests' own imports."""
