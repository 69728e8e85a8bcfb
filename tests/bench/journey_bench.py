"""Bench rows measured in a kiosk process of their own: tap → next question painted, and a
soak of many simulated sessions for memory growth.

python -m tests.bench.journey_bench taps N     prints p95 ms for the kiosk and a bare window
python -m tests.bench.journey_bench soak N     prints RSS MB after warm-up and after N sessions
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from tests.bench.table import Row

ROOT = Path(__file__).resolve().parents[2]
WARM_UP = 50


class _PaintWatch(QObject):
    """Notes when a widget is first painted."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_at = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted_at:
            self.painted_at = time.perf_counter()
        return False


def _until_painted(app: QApplication, page: QWidget, started: float) -> float:
    watch = _PaintWatch()
    page.installEventFilter(watch)
    deadline = started + 5
    while not watch.painted_at and time.perf_counter() < deadline:
        app.processEvents()
    page.removeEventFilter(watch)
    # What the running event loop does after each event: free the pages left behind.
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return (watch.painted_at - started) * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _answer(screen, value) -> None:  # type: ignore[no-untyped-def]
    """Answer a question screen by tapping, as a resident would, short of Next."""
    kind = screen.question.type
    if kind in ("single_choice", "yes_no", "consent", "records_consent"):
        QTest.mouseClick(screen.choice_buttons[value], Qt.MouseButton.LeftButton)
    elif kind == "multiple_choice":
        for choice in value:
            QTest.mouseClick(screen.choice_buttons[choice], Qt.MouseButton.LeftButton)
    elif screen.pad is not None:
        for key in ["clear", *str(value).replace("-", "")]:
            QTest.mouseClick(screen.pad.keys[key], Qt.MouseButton.LeftButton)
    elif screen.entry is not None:
        QTest.keyClicks(screen.entry, str(value))


def _kiosk(data: Path, language: str = "en", text_size: str = "standard"):  # type: ignore[no-untyped-def]
    from kiosk.app import Kiosk
    from kiosk.config import Defaults, KioskConfig

    defaults = Defaults(language=language, text_size=text_size)
    kiosk = Kiosk(KioskConfig(data, "http://127.0.0.1:9", defaults))
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    return kiosk


def taps(count: int, text_size: str = "standard") -> tuple[float, float]:
    """p95 ms from tapping Next to the next question painted; the same for a bare window.
    From Large up each page measures and reflows itself (kiosk.screens.question_fit)."""
    from kiosk.screens.question import QuestionScreen
    from tools.screenshot import fake_answer

    app = QApplication.instance() or QApplication(sys.argv[:1])
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as data:
        kiosk = _kiosk(Path(data), text_size=text_size)
        journey = kiosk.journey
        while len(samples) < count:
            journey.start_applications(["digital-device-access", "digital-tutor-class"])
            app.processEvents()
            while isinstance(journey.screen, QuestionScreen):
                screen = journey.screen
                before = journey.screen
                _answer(screen, fake_answer(screen.question))  # set-up, not measured
                started = time.perf_counter()
                QTest.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
                if journey.screen is before or journey.screen is None:
                    break
                samples.append(_until_painted(app, journey.screen, started))
            journey.end_session()
        kiosk.close()
    bare = _bare_taps(app, count)
    return _p95(samples), _p95(bare)


def _bare_taps(app: QApplication, count: int) -> list[float]:
    """The floor: a bare window whose button replaces a one-label page."""
    window = QWidget()
    layout = QVBoxLayout(window)
    go = QPushButton("Next")
    layout.addWidget(go)
    holder: list[QWidget] = [QLabel("page 0")]
    layout.addWidget(holder[0])

    def swap() -> None:
        old = holder[0]
        holder[0] = QLabel(f"page {len(samples)}")
        layout.replaceWidget(old, holder[0])
        old.deleteLater()

    go.clicked.connect(swap)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    samples: list[float] = []
    for _ in range(count):
        started = time.perf_counter()
        QTest.mouseClick(go, Qt.MouseButton.LeftButton)
        samples.append(_until_painted(app, holder[0], started))
    window.close()
    return samples


def soak(sessions: int) -> tuple[float, float]:
    """RSS after warm-up and after `sessions` whole visits, each ending in a wipe."""
    from tools.screenshot import fake_answer

    app = QApplication.instance() or QApplication(sys.argv[:1])
    languages = ["ko", "en", "zh_Hans", "ja", "vi", "th", "mn", "ru"]
    with tempfile.TemporaryDirectory() as data:
        kiosk = _kiosk(Path(data))
        journey = kiosk.journey
        warm = 0.0
        for n in range(sessions + WARM_UP):
            if n == WARM_UP:
                warm = _rss_mb()
            journey.show_language()
            journey.choose_language(languages[n % len(languages)])
            journey.show_services()
            journey.start_applications(["digital-device-access"])
            session = journey.session
            assert session is not None
            while session.current is not None:
                session.answer(fake_answer(session.current))
                session.next()
                journey.show_current()
                app.processEvents()
            journey.show_review()
            app.processEvents()
            journey.end_session()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
        after = _rss_mb()
        kiosk.close()
    return warm, after


def journey_rows(runs: int, soak_sessions: int = 1000) -> list[Row]:
    """Run both measures in fresh processes (so one does not disturb the other)."""

    def run(*args: str) -> tuple[float, float]:
        result = subprocess.run(
            [sys.executable, "-m", "tests.bench.journey_bench", *args],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        a, b = result.stdout.split()[-2:]
        return float(a), float(b)

    tap_runs = [run("taps", "300") for _ in range(max(3, runs // 2))]
    large_runs = [run("taps", "300", "extra_large") for _ in range(max(3, runs // 2))]
    warm, after = run("soak", str(soak_sessions))
    return [
        Row("tap -> next question painted, p95", statistics.median(t[0] for t in tap_runs),
            statistics.median(t[1] for t in tap_runs), "bare window page swap", "ms",
            "<= 50 ms"),
        Row("the same at Extra-large (reflowed)", statistics.median(t[0] for t in large_runs),
            statistics.median(t[1] for t in large_runs), "bare window page swap", "ms",
            "<= 50 ms"),
        Row(f"RSS after {soak_sessions} sessions", after, warm,
            f"after {WARM_UP} warm-up sessions", "MB", "growth <= 10 MB"),
    ]  # fmt: skip


if __name__ == "__main__":
    what, n = sys.argv[1], int(sys.argv[2])
    a, b = taps(n, *sys.argv[3:4]) if what == "taps" else soak(n)
    print(f"{a:.3f} {b:.3f}", flush=True)
    os._exit(0)  # the figures are out; skip tearing down Qt objects in GC order
