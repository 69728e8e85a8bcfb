"""The tests' throwaway PostgreSQL cluster goes when the run that made it is killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.postgres import _bin

ROOT = Path(__file__).resolve().parents[2]

MAKER = """
import sys, time
from tests.postgres import Cluster
cluster = Cluster()
print(cluster.root, cluster.port, flush=True)
time.sleep(600)
"""


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_a_killed_test_run_leaves_no_server_and_no_folder_behind() -> None:
    try:
        _bin("pg_ctl")
    except RuntimeError as missing:
        pytest.fail(f"{missing} (packaging/bootstrap.sh installs it for the tests)")
    maker = subprocess.Popen(
        [sys.executable, "-c", MAKER],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert maker.stdout is not None
        root, port = maker.stdout.readline().split()
        assert Path(root, "data", "postmaster.pid").exists() and _listening(int(port))
    finally:
        os.killpg(maker.pid, signal.SIGKILL)  # the whole run, as CI's time limit does
        maker.wait()
        if maker.stdout is not None:
            maker.stdout.close()
    deadline = time.monotonic() + 60
    while (Path(root).exists() or _listening(int(port))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _listening(int(port)), "the server outlived the run that made it"
    assert not Path(root).exists(), "the cluster's folder was left behind"
