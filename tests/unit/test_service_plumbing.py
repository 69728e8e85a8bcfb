"""What the kiosk says to systemd and journald, through the real sockets and streams:
READY=1 and watchdog pings from the event loop, `<N>` priorities on journal lines, and
the recent log for the help desk's zip."""

from __future__ import annotations

import itertools
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.logs import JournalFormatter, to_journal
from sync.diagnostics import recent_log

ROOT = Path(__file__).resolve().parents[2]


def test_journal_lines_carry_priorities_and_no_time() -> None:
    formatter = JournalFormatter()
    warning = logging.LogRecord("sync.runner", logging.WARNING, "", 0, "offline", None, None)
    info = logging.LogRecord("kiosk.app", logging.INFO, "", 0, "two\nlines", None, None)
    assert formatter.format(warning) == "<4>sync.runner: offline"
    assert formatter.format(info) == "<6>kiosk.app: two\n<6>lines"  # a traceback too


def test_the_journal_stream_is_recognised_by_its_device_and_inode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open(tmp_path / "stream", "w") as stream:
        info = os.fstat(stream.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{info.st_dev}:{info.st_ino}")
        assert to_journal(stream)
        monkeypatch.setenv("JOURNAL_STREAM", f"{info.st_dev}:{info.st_ino + 1}")
        assert not to_journal(stream)  # inherited by a child whose stderr is elsewhere
        monkeypatch.delenv("JOURNAL_STREAM")
        assert not to_journal(stream)


def test_main_logs_for_the_journal_when_stderr_is_it(tmp_path: Path) -> None:
    """A real process whose stderr is the file JOURNAL_STREAM names."""
    script = (
        "import logging, os, sys\n"
        "st = os.fstat(2)\n"
        "os.environ['JOURNAL_STREAM'] = f'{st.st_dev}:{st.st_ino}'\n"
        "from kiosk.logs import configure\n"
        "configure()\n"
        "logging.getLogger('kiosk.test').warning('careful')\n"
    )
    with open(tmp_path / "err", "w") as err:
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, stderr=err, check=True)
    assert (tmp_path / "err").read_text() == "<4>kiosk.test: careful\n"


def test_ready_then_watchdog_pings_from_the_event_loop(tmp_path: Path) -> None:
    """The kiosk's watchdog in a real Qt process, against a real notify socket; the pings
    stop when the event loop is blocked."""
    address = str(tmp_path / "notify")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(address)
    server.settimeout(20)
    script = (
        "import time\n"
        "from PySide6.QtCore import QCoreApplication, QTimer\n"
        "from kiosk.watchdog import start_watchdog\n"
        "app = QCoreApplication([])\n"
        "timer = QTimer()\n"
        "assert start_watchdog(timer)\n"
        "import os; assert 'NOTIFY_SOCKET' not in os.environ\n"
        "QTimer.singleShot(1000, lambda: time.sleep(2))\n"
        "QTimer.singleShot(3500, app.quit)\n"
        "app.exec()\n"
    )
    env = dict(os.environ, NOTIFY_SOCKET=address, WATCHDOG_USEC="300000")
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env)
    got: list[tuple[float, str]] = []
    import time

    try:
        while process.poll() is None or len(got) == 0:
            try:
                got.append((time.monotonic(), server.recv(100).decode()))
            except TimeoutError:
                break
            if process.poll() is not None:
                break
    finally:
        process.wait(timeout=30)
        server.close()
    assert process.returncode == 0
    messages = [m for _, m in got]
    assert messages[0] == "READY=1"
    pings = [t for t, m in got if m == "WATCHDOG=1"]
    assert len(pings) >= 3  # every 100 ms for a second
    gaps = [b - a for a, b in itertools.pairwise(pings)]
    assert max(gaps) > 1.5  # none while the loop was blocked for 2 s


def test_without_systemd_nothing_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QTimer

    from kiosk.watchdog import start_watchdog

    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    timer = QTimer()
    assert not start_watchdog(timer)
    assert not timer.isActive()


def test_recent_log_from_a_file_outside_systemd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INVOCATION_ID", raising=False)
    log = tmp_path / "ieum.log"
    log.write_text("".join(f"line {n}\n" for n in range(1000)))
    assert recent_log(3, log) == "line 997\nline 998\nline 999\n"
    assert recent_log(3, tmp_path / "missing.log") == ""


def test_recent_log_from_the_journal_answers_even_without_one() -> None:
    """journalctl for real; where there is no journal (a container) it still gives text,
    never an exception. The booted machine reads a real journal (test_vm_boot.py)."""
    text = recent_log(5, journal=True)
    assert isinstance(text, str)
