"""Bench rows: a screen is shown -> its first audio, against espeak-ng's command line.

"First audio" is the speech service's `started` signal (Qt Multimedia has the file
buffered and playing), measured from the screen's showEvent, where the journey asks for
speech. Uncached: the WAV is synthesised first (the worker is warm, as in a running
kiosk); cached: the screen's wording was spoken before. The baseline is
`espeak-ng -v VOICE -w out.wav TEXT` on the same text (synthesis alone, no playback), run
interleaved in the same child process. One more row times the first sound that really
reaches the (null) sink, read from its monitor.

The measurements run in a child process with a private PulseAudio null sink, so that
Qt Multimedia, which connects to a sound server once per process, sees it whatever
the rest of the bench did.

    python -m tests.bench.speech_rows [--runs N]     # the child, printing JSON
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.bench.table import Row
from tools.null_sink import MonitorRecorder, NullSink

ROOT = Path(__file__).resolve().parents[2]

KO_SCREEN = (
    "어떤 서비스를 신청하시겠어요? 아래의 큰 단추 가운데 하나를 눌러 주세요. "
    "도움이 필요하시면 도움 단추를 눌러 주세요."
)
JA_SCREEN = (
    "どのサービスを申し込みますか？下の大きなボタンを一つ押してください。"
    "分からないときは、ヘルプを押してください。"
)


def speech_rows(runs: int) -> list[Row]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.speech_rows", "--runs", str(runs)],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"speech bench failed: {result.stderr[-1500:]}")
    m = json.loads(result.stdout.strip().splitlines()[-1])
    cli = "espeak-ng -w, same text"
    return [
        Row("speech shown->audio uncached ko", m["uncached_ko"], m["cli_ko"], cli, "ms",
            "<= 100 ms"),
        Row("speech shown->audio cached ko", m["cached_ko"], m["cli_ko"], cli, "ms",
            "<= 100 ms"),
        Row("speech shown->audio uncached ja", m["uncached_ja"], m["cli_ja"], cli + " (kana)",
            "ms", "<= 100 ms"),
        Row("speech shown->sink sound cached ko", m["sink_ko"], m["cli_ko"], cli, "ms",
            "<= 150 ms"),
    ]  # fmt: skip


def _cli_ms(voice: str, text: str, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(out), text], check=True)
    return (time.perf_counter() - started) * 1000


def _measure(runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="ieum-bench-speech-") as tmp:
        folder = Path(tmp)
        sink = NullSink(folder / "sink").start()
        os.environ["PULSE_SERVER"] = sink.server
        monitor = MonitorRecorder(sink)
        try:
            return _measure_with_sound(runs, folder, monitor)
        finally:
            monitor.close()
            sink.stop()


def _measure_with_sound(runs: int, folder: Path, monitor: MonitorRecorder) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QShowEvent
    from PySide6.QtWidgets import QApplication, QLabel

    from kiosk.speech.packs import Packs
    from kiosk.speech.prepare import japanese
    from kiosk.speech.service import SpeechService

    app = QApplication.instance() or QApplication([])
    speech = SpeechService(folder / "cache", packs=Packs(()))

    def spin(condition: Callable[[], object], timeout_s: float = 10.0) -> None:
        if condition():
            return
        loop = QEventLoop()
        deadline = time.monotonic() + timeout_s
        poll = QTimer()
        poll.setInterval(1)

        def check() -> None:
            if condition() or time.monotonic() > deadline:
                loop.quit()

        poll.timeout.connect(check)
        poll.start()
        loop.exec()
        poll.stop()
        if not condition():
            raise RuntimeError("speech bench: timed out")

    stamps: dict[str, float] = {}
    speech.started.connect(lambda: stamps.setdefault("started", time.perf_counter()))

    class Screen(QLabel):
        def __init__(self, text: str, code: str) -> None:
            super().__init__(text)
            self.code = code

        def showEvent(self, event: QShowEvent) -> None:
            super().showEvent(event)
            stamps["shown"] = time.perf_counter()
            speech.speak(self.text(), self.code)

    def shown_to_audio(text: str, code: str) -> tuple[float, float]:
        stamps.clear()
        screen = Screen(text, code)
        screen.show()
        spin(lambda: "started" in stamps)
        spin(lambda: monitor.first_sound(stamps["shown"], time.perf_counter()) is not None, 3)
        sound = monitor.first_sound(stamps["shown"], time.perf_counter())
        assert sound is not None
        speech.stop()
        screen.close()
        screen.deleteLater()
        app.processEvents()
        return (stamps["started"] - stamps["shown"]) * 1000, (sound - stamps["shown"]) * 1000

    # Warm up as a running kiosk is: worker up, dictionaries loaded, sink monitor flowing.
    spin(lambda: monitor.flowing and speech.worker is not None and speech.worker.ready, 20)
    shown_to_audio("준비", "ko")
    shown_to_audio("じゅんび", "ja")
    samples: dict[str, list[float]] = {
        k: [] for k in ("uncached_ko", "cached_ko", "uncached_ja", "sink_ko", "cli_ko", "cli_ja")
    }
    kana = japanese(JA_SCREEN)
    for _ in range(max(runs, 5)):
        samples["cli_ko"].append(_cli_ms("ko", KO_SCREEN, folder / "cli.wav"))
        samples["cli_ja"].append(_cli_ms("ja", kana, folder / "cli.wav"))
        speech.clear_cache()
        samples["uncached_ko"].append(shown_to_audio(KO_SCREEN, "ko")[0])
        samples["uncached_ja"].append(shown_to_audio(JA_SCREEN, "ja")[0])
        started, sound = shown_to_audio(KO_SCREEN, "ko")  # cached, after another screen
        samples["cached_ko"].append(started)
        samples["sink_ko"].append(sound)
    speech.close()
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.speech_rows")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(_measure(args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
