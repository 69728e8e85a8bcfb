"""The kiosk's side of the speech worker: a QProcess, requests out, replies in, a watchdog.

Everything here runs on the GUI thread without blocking it: QProcess writes and reads
asynchronously, and replies arrive as signals. A worker that stops answering is killed
and started again; one that keeps failing is given up on, so the kiosk says speech is
unavailable instead of waiting for audio that never comes.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]

TIMEOUT = "timeout"
CRASHED = "crashed"
NO_ENGINE = "no_engine"


class WorkerClient(QObject):
    replied = Signal(int, bool, str)
    """Request id, whether the WAV was written, and an error code when not."""
    gave_up = Signal(str)
    """The worker cannot be used (reason code); requests fail at once from now on."""

    def __init__(
        self,
        cache_folder: Path | None = None,
        timeout_s: float = 4.0,
        start_timeout_s: float = 15.0,
        max_failures: int = 3,
        preload: Sequence[str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cache_folder = cache_folder
        self.preload = preload
        """Languages whose dictionaries the worker loads at start (None: its default)."""
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s
        """Allowed for the first reply of a new worker: it may still be loading dictionaries."""
        self.max_failures = max_failures
        self.failures = 0
        """Timeouts and crashes in a row; any good reply sets it back to 0."""
        self.broken = ""
        self.restarts = 0
        self._process: QProcess | None = None
        self._ready = False
        self._answered = False
        self._buffer = b""
        self._next_id = 1
        self._started_at = 0.0
        self._unsent: list[dict[str, Any]] = []
        """Requests waiting for the worker to say it is ready."""
        self._pending: dict[int, float] = {}
        """Requests sent and not answered, with when they were sent."""
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(100)
        self._watchdog.timeout.connect(self._check)
        self._start()

    # -- the process -----------------------------------------------------------------

    def _start(self) -> None:
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        process.setWorkingDirectory(str(ROOT))
        environment = QProcessEnvironment.systemEnvironment()
        path = environment.value("PYTHONPATH", "")
        environment.insert("PYTHONPATH", os.pathsep.join(p for p in (str(ROOT), path) if p))
        process.setProcessEnvironment(environment)
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._exited)
        process.errorOccurred.connect(self._process_error)
        arguments = ["-m", "kiosk.speech.worker"]
        if self.cache_folder is not None:
            arguments += ["--cache", str(self.cache_folder)]
        if self.preload is not None:
            arguments += ["--preload", ",".join(self.preload)]
        self._process = process
        self._ready = False
        self._answered = False
        self._buffer = b""
        self._started_at = time.monotonic()
        process.start(sys.executable, arguments)

    @property
    def pid(self) -> int:
        """The worker's process id (0 when none runs)."""
        return int(self._process.processId()) if self._process is not None else 0

    @property
    def ready(self) -> bool:
        return self._ready

    def close(self) -> None:
        """Stop the worker: end of input first, a kill if it does not go at once."""
        self._watchdog.stop()
        process, self._process = self._process, None
        if process is None:
            return
        process.finished.disconnect(self._exited)
        process.errorOccurred.disconnect(self._process_error)
        if process.state() != QProcess.ProcessState.NotRunning:
            process.closeWriteChannel()
            if not process.waitForFinished(300):
                process.kill()
                process.waitForFinished(1000)
        process.deleteLater()

    # -- requests --------------------------------------------------------------------

    def request(self, language: str, voice: str, wpm: int, text: str, out: Path) -> int:
        """Ask for `text` as a WAV at `out`; the answer comes through `replied`."""
        request_id = self._next_id
        self._next_id += 1
        message = {
            "id": request_id,
            "language": language,
            "voice": voice,
            "wpm": wpm,
            "text": text,
            "out": str(out),
        }
        if self.broken:
            QTimer.singleShot(0, lambda: self.replied.emit(request_id, False, self.broken))
            return request_id
        if self._ready:
            self._send(message)
        else:
            self._unsent.append(message)
        self._watchdog.start()
        return request_id

    def forget(self) -> None:
        """Drop requests not yet sent (speech was stopped); sent ones still answer."""
        self._unsent.clear()

    def _send(self, message: dict[str, Any]) -> None:
        assert self._process is not None
        self._pending[int(message["id"])] = time.monotonic()
        self._process.write((json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))

    def _read(self) -> None:
        if self._process is None:
            return
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                log.warning("speech worker sent something that is not JSON")
                continue
            if isinstance(message, dict):
                self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        if "ready" in message:
            if not message["ready"]:
                self._give_up(str(message.get("error") or NO_ENGINE))
                return
            self._ready = True
            unsent, self._unsent = self._unsent, []
            for request in unsent:
                self._send(request)
            return
        request_id = message.get("id")
        if not isinstance(request_id, int) or self._pending.pop(request_id, None) is None:
            return
        self._answered = True
        self.failures = 0
        ok = bool(message.get("ok"))
        self.replied.emit(request_id, ok, "" if ok else str(message.get("error", "")))

    # -- failures --------------------------------------------------------------------

    def _check(self) -> None:
        if not self._pending and not self._unsent:
            self._watchdog.stop()
            return
        now = time.monotonic()
        if self._pending:
            waited = now - min(self._pending.values())
            allowed = self.timeout_s if self._answered else self.start_timeout_s
        else:
            waited, allowed = now - self._started_at, self.start_timeout_s
        if waited > allowed:
            log.error("speech worker did not answer in %.1f s: restarting it", allowed)
            self._failed(TIMEOUT)

    def _exited(self, code: int, status: QProcess.ExitStatus) -> None:
        if self._process is None or self._process is not self.sender():
            return
        if self.broken:
            return
        log.error("speech worker exited (%s, %s): restarting it", code, status.name)
        self._failed(CRASHED)

    def _process_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._process is self.sender():
            self._give_up(NO_ENGINE)

    def _failed(self, reason: str) -> None:
        """Kill the worker, fail what it held, and start a new one (or give up)."""
        process, self._process = self._process, None
        if process is not None:
            process.finished.disconnect(self._exited)
            process.errorOccurred.disconnect(self._process_error)
            process.kill()
            process.waitForFinished(1000)
            process.deleteLater()
        sent, self._pending = list(self._pending), {}
        for request_id in sent:
            self.replied.emit(request_id, False, reason)
        self.failures += 1
        if self.failures >= self.max_failures:
            self._give_up(reason)
            return
        self.restarts += 1
        self._start()

    def _give_up(self, reason: str) -> None:
        self.broken = reason
        self._watchdog.stop()
        pending = [*self._pending, *(int(m["id"]) for m in self._unsent)]
        self._pending, self._unsent = {}, []
        for request_id in pending:
            self.replied.emit(request_id, False, reason)
        self.gave_up.emit(reason)

    def retry(self) -> None:
        """Try again after giving up (a new session): a fresh worker, failures forgotten."""
        if not self.broken:
            return
        self.broken = ""
        self.failures = 0
        if self._process is None or self._process.state() == QProcess.ProcessState.NotRunning:
            self._start()
