"""A private PulseAudio server with one null sink, for machines without a sound card.

CI, benchmarks and a kiosk image being prepared headless have no audio device, so Qt
Multimedia would list no output and nothing could be played or measured. This starts
`pulseaudio` (Debian package `pulseaudio`) with nothing but a null sink and a socket of
its own, never touching a user's sound server; set PULSE_SERVER to `server` before
Qt Multimedia is first used. The sink's monitor source can be recorded (`parec`) to check
what really reached the "speaker".
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import io
import itertools
import math
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

SINK = "ieum_null"


class NullSinkError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """In the child before exec: the kernel ends it when the process that started it
    dies, so a killed test run leaves no sound server behind (Linux prctl)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG


class NullSink:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "native"
        self.server = f"unix:{self.socket}"
        self.monitor = f"{SINK}.monitor"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 10.0) -> NullSink:
        program = shutil.which("pulseaudio")
        if program is None:
            raise NullSinkError("pulseaudio is not installed (packaging/bootstrap.sh installs it)")
        self.folder.mkdir(parents=True, exist_ok=True)
        runtime = self.folder / "runtime"
        runtime.mkdir(exist_ok=True)
        environment = dict(
            os.environ,
            HOME=str(self.folder),
            XDG_RUNTIME_DIR=str(runtime),
            XDG_CONFIG_HOME=str(self.folder / "config"),
            PULSE_RUNTIME_PATH=str(runtime),
            PULSE_STATE_PATH=str(self.folder / "state"),
        )
        environment.pop("PULSE_SERVER", None)
        command = [
            program,
            "-n",  # no default configuration: only the modules below
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--log-target=stderr",
            "--log-level=error",
            "-L",
            f"module-null-sink sink_name={SINK} rate=44100 channels=2",
            "-L",
            f"module-native-protocol-unix auth-anonymous=1 socket={self.socket}",
        ]
        log = (self.folder / "pulseaudio.log").open("wb")
        self._process = subprocess.Popen(
            command,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
            preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise NullSinkError(f"pulseaudio exited: {self._log_tail()}")
            if self.socket.exists() and self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise NullSinkError(f"pulseaudio did not start in {timeout_s} s: {self._log_tail()}")

    def _answers(self) -> bool:
        result = subprocess.run(
            ["pactl", f"--server={self.server}", "info"],
            capture_output=True,
            timeout=5,
            check=False,
        )
        return result.returncode == 0

    def _log_tail(self) -> str:
        try:
            return (self.folder / "pulseaudio.log").read_text(errors="replace")[-800:]
        except OSError:
            return ""

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


class MonitorRecorder:
    """Everything that reaches the null sink, in ~10 ms chunks stamped (perf_counter) on
    arrival: what a speaker would have played, and when.

    Start it early and keep it: parec delivers its first block only ~2 s after it starts,
    then chunks arrive in real time (a stop shows as silence within one chunk)."""

    RATE = 16000
    CHUNK = 320  # bytes: 160 samples, 10 ms

    def __init__(self, sink: NullSink) -> None:
        self.chunks: list[tuple[float, array.array[int]]] = []
        """(arrival stamp, 16-bit mono samples at RATE)."""
        self._process = subprocess.Popen(
            ["parec", f"--server={sink.server}", f"--device={sink.monitor}",
             "--format=s16le", f"--rate={self.RATE}", "--channels=1", "--raw",
             "--latency-msec=5"],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stream = self._process.stdout
        assert isinstance(stream, io.BufferedReader)
        while data := stream.read1(self.CHUNK):
            self.chunks.append((time.perf_counter(), array.array("h", data[: len(data) // 2 * 2])))

    @property
    def flowing(self) -> bool:
        """Whether chunks arrive yet (parec's first comes ~2 s after it starts)."""
        return bool(self.chunks)

    def _loud(self, start: float, end: float, threshold_db: float) -> list[tuple[float, int]]:
        """(arrival stamp, samples) of each chunk louder than the threshold."""
        loud = []
        for stamp, chunk in list(self.chunks):
            if start <= stamp <= end and chunk:
                power = sum(s * s for s in chunk) / len(chunk)
                if power and 10 * math.log10(power / 32768**2) > threshold_db:
                    loud.append((stamp, len(chunk)))
        return loud

    def sounding_seconds(self, start: float, end: float, threshold_db: float = -45) -> float:
        """How long sound arrived for between two perf_counter stamps."""
        return sum(n for _, n in self._loud(start, end, threshold_db)) / self.RATE

    def last_sound(self, start: float, end: float) -> float | None:
        loud = self._loud(start, end, -45)
        return loud[-1][0] if loud else None

    def dominant_hz(self, start: float, end: float) -> float:
        """Zero crossings per second / 2 over the loud chunks: a pure tone's pitch."""
        crossings = samples = 0
        for stamp, chunk in list(self.chunks):
            if start <= stamp <= end and chunk and max(abs(s) for s in chunk) > 2000:
                samples += len(chunk)
                crossings += sum(1 for a, b in itertools.pairwise(chunk) if (a < 0) != (b < 0))
        return crossings / 2 / (samples / self.RATE) if samples else 0.0

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(5)
        self._reader.join(5)
        assert self._process.stdout is not None
        self._process.stdout.close()

    def first_sound(self, start: float, end: float) -> float | None:
        loud = self._loud(start, end, -45)
        return loud[0][0] if loud else None
