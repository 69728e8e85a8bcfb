"""Bench rows for a small machine: cold start to the welcome screen and peak RSS through
a whole session (enrolled kiosk, real reference platform on loopback, one application
answered, sealed, saved and synced), on one core (taskset) under a 1 GB memory limit,
against the same on two cores without a limit, in the same run.

The limit is a cgroup: `systemd-run --scope -p MemoryMax=1G` where systemd runs the
machine; otherwise a memory cgroup made directly (v2 memory.max or v1
memory.limit_in_bytes); the row says which. Goals (issue 9): start <= 2 s, RSS <= 250 MB.

python -m tests.bench.small_machine session DATA URL    one session; prints peak_rss_mb=
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.bench.table import Row

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 1024**3
CGROUP_V1 = Path("/sys/fs/cgroup/memory")
CGROUP_V2 = Path("/sys/fs/cgroup")


@contextmanager
def _limited() -> Iterator[tuple[list[str], str]]:
    """A command prefix that runs on core 0 under a 1 GB memory limit, and its name."""
    pin = ["taskset", "-c", "0"]
    if shutil.which("systemd-run") and Path("/run/systemd/system").is_dir():
        scope = ["systemd-run", "--quiet", "--scope", "-p", f"MemoryMax={LIMIT}"]
        if subprocess.run([*scope, "true"], capture_output=True).returncode == 0:
            yield [*scope, *pin], "systemd-run scope MemoryMax=1G"
            return
    group: Path | None = None
    name = f"ieum-bench-{os.getpid()}"
    if (CGROUP_V2 / "cgroup.controllers").exists():
        group, limit_file = CGROUP_V2 / name, "memory.max"
    elif CGROUP_V1.is_dir():
        group, limit_file = CGROUP_V1 / name, "memory.limit_in_bytes"
    try:
        assert group is not None
        group.mkdir()
        (group / limit_file).write_text(str(LIMIT))
    except (AssertionError, OSError):
        yield pin, "NO memory limit (no cgroup could be made here)"
        return
    try:
        enter = f'echo $$ > {group / "cgroup.procs"} && exec "$@"'
        yield ["sh", "-c", enter, "sh", *pin], f"cgroup {limit_file}=1G"
    finally:
        for _ in range(50):  # the group goes once its last process has exited
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.1)


def _run(command: list[str], env: dict[str, str], marker: str) -> tuple[float, float, str]:
    """(ms from launch to the marker's time, peak RSS MB of the process, its output)."""
    started = time.time()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0 or marker not in output:
        raise RuntimeError(f"{command} failed ({status}): {output[-500:]}")
    value = float(output.split(marker)[1].split()[0])
    return (value - started) * 1000, usage.ru_maxrss / 1024, output


def small_machine_rows(runs: int) -> list[Row]:
    from reference_platform.local import start_local_platform
    from sync.enrollment import enroll_device

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    python = sys.executable
    rows: list[Row] = []
    with (
        tempfile.TemporaryDirectory(prefix="ieum-bench-small-") as tmp,
        _limited() as (
            prefix,
            how,
        ),
    ):
        base = Path(tmp)
        platform = start_local_platform(
            base / "platform", catalog_key=ROOT / "resources/catalog/DEMO-ONLY-signing-key.pub"
        )
        try:
            start = [python, "main.py", "--quit-when-shown", "--platform", "http://127.0.0.1:9"]
            starts: dict[str, list[float]] = {"one": [], "two": []}
            for who, pre in (("one", prefix), ("two", [])):  # warm the disk cache
                _run([*pre, *start, "--data", str(base / f"start-{who}")], env, "shown_at=")
            for _ in range(runs):  # interleaved, so both see the same machine
                for who, pre in (("one", prefix), ("two", [])):
                    data = str(base / f"start-{who}")
                    ms, _, _ = _run([*pre, *start, "--data", data], env, "shown_at=")
                    starts[who].append(ms)
            sessions: dict[str, list[float]] = {"one": [], "two": []}
            for n in range(max(3, runs // 2)):
                for who, pre in (("one", prefix), ("two", [])):
                    data = base / f"session-{who}-{n}"
                    enroll_device(data, platform.url, platform.new_token("bench"))
                    command = [python, "-m", "tests.bench.small_machine", "session"]
                    _, rss, _ = _run([*pre, *command, str(data), platform.url], env, "peak_rss_mb=")
                    sessions[who].append(rss)  # the process's whole life, as wait4 saw it
        finally:
            platform.stop()
    med = statistics.median
    rows.append(
        Row("start, 1 core + 1 GB limit", med(starts["one"]), med(starts["two"]),
            f"2 cores, no limit ({how})", "ms", "<= 2000 ms")
    )  # fmt: skip
    rows.append(
        Row("peak RSS, session, 1 core + 1 GB", med(sessions["one"]), med(sessions["two"]),
            "2 cores, no limit", "MB", "<= 250 MB")
    )  # fmt: skip
    return rows


def session(data: Path, url: str) -> float:
    """One resident's whole visit in a kiosk process, as main.py builds it; peak RSS MB."""
    import resource

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent

    from kiosk.app import Kiosk, application
    from kiosk.config import Defaults, KioskConfig
    from kiosk.input_context import enable_virtual_keyboard
    from tools.screenshot import fake_answer

    enable_virtual_keyboard()
    app = application()
    kiosk = Kiosk(KioskConfig(data, url, Defaults("ko"), sync_every_ms=500), welcome_first=True)
    kiosk.start()
    deadline = time.monotonic() + 30
    while not kiosk.assembled and time.monotonic() < deadline:  # just after the first paint
        app.processEvents()
        time.sleep(0.005)
    journey = kiosk.journey

    def pump(seconds: float, until: str = "") -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            if until and type(journey.screen).__name__ == until:
                return
            time.sleep(0.005)

    pump(0.5)
    journey.show_language()
    journey.choose_language("ko")
    journey.show_services()
    journey.start_applications(["digital-device-access"])
    current = journey.session
    assert current is not None
    while current.current is not None:
        current.answer(fake_answer(current.current))
        current.next()
        journey.show_current()
        app.processEvents()
    journey.show_review()
    pump(0.2)
    journey.receipts.submit()
    pump(30, until="ReceiptScreen")
    if type(journey.screen).__name__ != "ReceiptScreen":
        raise RuntimeError(f"no receipt: {type(journey.screen).__name__}")
    pump(2)  # a sync pass uploads it
    journey.end_session()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    pump(0.5)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kiosk.close()
    return peak


if __name__ == "__main__":
    if sys.argv[1] == "session":
        print(f"peak_rss_mb={session(Path(sys.argv[2]), sys.argv[3]):.1f}", flush=True)
        os._exit(0)
    from tests.bench.table import print_table

    print_table(small_machine_rows(int(sys.argv[2]) if len(sys.argv) > 2 else 5))
