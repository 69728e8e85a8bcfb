"""The speech service end to end: real espeak-ng, real Qt Multimedia, a real sound server.

This machine has no sound card, so the test session's private PulseAudio server with a
null sink plays it (tests/gui/conftest.py starts it before anything in the run can
initialise Qt Multimedia, which connects to the sound server once per process and never
retries). Its monitor is recorded with `parec` to check what really reached the
"speaker", and `pactl subscribe` timestamps when the kiosk's audio stream disappears
from the server.
"""

from __future__ import annotations

import array
import atexit
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from forms.answers import check_answer, masked
from forms.definition import Question
from kiosk.speech.client import WorkerClient
from kiosk.speech.keys import message_key
from kiosk.speech.packs import Packs
from kiosk.speech.service import SpeechService
from kiosk.speech.settings import RATE_SLOWEST, SPEECH_CONTROL, SpeechSettings
from kiosk.speech.taps import StopOnInput
from kiosk.speech.utterance import Entered, Say, answer_part, utterance
from kiosk.speech.voices import NO_AUDIO_OUTPUT, NO_VOICE, PERSONAL_REFUSED
from tests.conftest import ROOT
from tests.gui.conftest import sound_server
from tools.null_sink import MonitorRecorder, NullSink

pytestmark = pytest.mark.gui

_SINK = sound_server()  # the session's (tests/gui/conftest.py), before Qt Multimedia starts
_HEARD = MonitorRecorder(_SINK)
atexit.register(_HEARD.close)  # at exit: before the sound server stops

LONG_KO = (
    "안녕하세요. 이 키오스크에서는 여러 가지 복지 서비스를 신청할 수 있습니다. "
    "화면에 보이는 큰 단추 가운데 하나를 눌러 주세요. 도움이 필요하시면 도움 단추를 "
    "누르시면 직원이 와서 도와 드립니다. 언제든지 처음으로 단추를 누르면 처음부터 다시 "
    "시작할 수 있습니다."
)
SHORT_EN = "Please choose a service."


class StreamWatch:
    """Timestamps (perf_counter) of the sound server's events on playback streams."""

    def __init__(self, sink: NullSink) -> None:
        self.events: list[tuple[float, str]] = []
        self._process = subprocess.Popen(
            ["pactl", f"--server={sink.server}", "subscribe"],
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        time.sleep(0.2)  # subscribed before anything is measured

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            if "sink-input" in line:
                self.events.append((time.perf_counter(), line.split("'")[1]))

    def first(self, kind: str, after: float, timeout_s: float = 2.0) -> float | None:
        def found() -> float | None:
            return next((t for t, what in list(self.events) if what == kind and t >= after), None)

        spin_until(lambda: found() is not None, timeout_s)
        return found()

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(5)
        self._reader.join(5)
        assert self._process.stdout is not None
        self._process.stdout.close()


class Recorder:
    """Every signal of a service, in order, with perf_counter stamps."""

    def __init__(self, speech: SpeechService) -> None:
        self.events: list[tuple[float, str, tuple[object, ...]]] = []
        self.speech = speech
        self._links: list[tuple[object, Callable[..., None]]] = []
        for name in ("started", "finished", "unavailable", "failed", "engine_text"):
            signal_ = getattr(speech, name)

            def record(*args: object, _name: str = name) -> None:
                self.events.append((time.perf_counter(), _name, args))

            signal_.connect(record)
            self._links.append((signal_, record))

    def names(self) -> list[str]:
        return [name for _, name, _ in self.events]

    def of(self, name: str) -> list[tuple[object, ...]]:
        return [args for _, n, args in self.events if n == name]

    def stamp(self, name: str) -> float:
        return next(t for t, n, _ in self.events if n == name)

    def wait_for(self, name: str, count: int = 1, timeout_s: float = 10.0) -> tuple[object, ...]:
        """The arguments of the `count`-th such signal, once it came."""
        if spin_until(lambda: len(self.of(name)) >= count, timeout_s):
            return self.of(name)[count - 1]
        raise AssertionError(f"no {name} in {timeout_s} s; saw {self.names()}")

    def close(self) -> None:
        for signal_, slot in self._links:
            signal_.disconnect(slot)  # type: ignore[attr-defined]


def spin_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Run the real Qt event loop until `condition` holds or time is up; whether it held."""
    if condition():
        return True
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
    return condition()


def wait(ms: int) -> None:
    """Let the event loop run for `ms` milliseconds."""
    deadline = time.monotonic() + ms / 1000
    spin_until(lambda: time.monotonic() >= deadline, ms / 1000 + 1)


@pytest.fixture(scope="module")
def speech(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpeechService]:
    service = SpeechService(tmp_path_factory.mktemp("speech-cache"), packs=Packs(()))
    assert service.available("ko").ok, "Qt Multimedia sees no audio output"
    assert spin_until(lambda: _HEARD.flowing, 10), "nothing from the sink monitor"
    yield service
    service.close()


@pytest.fixture
def heard(speech: SpeechService) -> Iterator[Recorder]:
    speech.reset()
    recorder = Recorder(speech)
    yield recorder
    recorder.close()
    speech.stop()
    speech.packs = Packs(())


def tone(path: Path, hz: float, seconds: float = 0.5, rate: int = 22050) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = array.array(
        "h",
        (int(12000 * math.sin(2 * math.pi * hz * n / rate)) for n in range(int(rate * seconds))),
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


# -- languages -----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["th", "mn"])
def test_no_voice_and_no_pack_means_a_reason_and_silence(
    speech: SpeechService, heard: Recorder, code: str
) -> None:
    availability = speech.available(code)
    assert not availability.ok and availability.reason == NO_VOICE
    begin = time.perf_counter()
    assert speech.speak(Say("ทดสอบ / Туршилт", message_key("Test")), code) is False
    wait(300)
    assert heard.of("unavailable") == [(code, NO_VOICE)]
    assert "engine_text" not in heard.names() and "started" not in heard.names()
    assert _HEARD.sounding_seconds(begin, time.perf_counter()) == 0


@pytest.mark.parametrize(("code", "hz"), [("th", 440.0), ("mn", 660.0)])
def test_a_recorded_pack_is_played_for_a_language_without_voice(
    speech: SpeechService, heard: Recorder, tmp_path: Path, code: str, hz: float
) -> None:
    key = message_key("Please choose a service.")
    tone(tmp_path / code / f"{key}.wav", hz)
    speech.packs = Packs((tmp_path,))
    assert speech.available(code).source == "pack"
    begin = time.perf_counter()
    assert speech.speak(utterance(Say("...", key)), code)
    heard.wait_for("started")
    assert heard.wait_for("finished") == (True,)
    end = time.perf_counter()
    assert "engine_text" not in heard.names()
    assert 0.4 <= _HEARD.sounding_seconds(begin, end) <= 0.6
    assert abs(_HEARD.dominant_hz(begin, end) - hz) < hz * 0.03
    other = speech.available(code, utterance(Say("...", message_key("Something else"))))
    assert other.reason == "pack_incomplete"


def test_synthesised_speech_really_reaches_the_speaker(
    speech: SpeechService, heard: Recorder
) -> None:
    begin = time.perf_counter()
    assert speech.speak(SHORT_EN, "en")
    assert heard.wait_for("finished") == (True,)
    assert heard.of("engine_text") == [("en", SHORT_EN)]
    assert 0.8 <= _HEARD.sounding_seconds(begin, time.perf_counter()) <= 3.0


# -- interruption and responsiveness ------------------------------------------------------


def test_stop_silences_within_100_ms(speech: SpeechService, heard: Recorder) -> None:
    watch = StreamWatch(_SINK)
    reported: list[float] = []
    server: list[float] = []
    silent: list[float] = []
    try:
        for _ in range(5):
            heard.events.clear()
            assert speech.speak(LONG_KO, "ko")
            heard.wait_for("started")
            wait(300)
            assert speech.speaking
            before = time.perf_counter()
            speech.stop()
            reported.append((time.perf_counter() - before) * 1000)
            assert heard.of("finished") == [(False,)] and not speech.speaking
            removed = watch.first("remove", after=before)
            assert removed is not None, "the audio stream was not closed"
            server.append((removed - before) * 1000)
            wait(200)
            assert _HEARD.sounding_seconds(before - 0.2, before) > 0.1  # it was sounding
            last = _HEARD.last_sound(before, time.perf_counter())
            silent.append(max(0.0, ((last or before) - before) * 1000))
    finally:
        watch.close()
    print(f"\nstop -> player stopped: max {max(reported):.2f} ms, median "
          f"{statistics.median(reported):.2f} ms; stop -> stream gone from the sound server: "
          f"max {max(server):.1f} ms, median {statistics.median(server):.1f} ms; "
          f"stop -> last sound from the sink monitor (10 ms chunks): max {max(silent):.1f} ms, "
          f"median {statistics.median(silent):.1f} ms")  # fmt: skip
    assert max(reported) < 100
    assert max(server) < 100
    assert max(silent) < 100


def test_new_speech_interrupts_the_old(speech: SpeechService, heard: Recorder) -> None:
    assert speech.speak(LONG_KO, "ko")
    heard.wait_for("started")
    assert speech.speak(SHORT_EN, "en")
    assert heard.of("finished") == [(False,)]
    assert heard.wait_for("finished", count=2) == (True,)
    assert heard.of("started") and len(heard.of("started")) == 2


def test_a_tap_anywhere_stops_speech_but_not_on_speech_controls(
    speech: SpeechService, heard: Recorder, qtbot: QtBot
) -> None:
    screen = QWidget()
    layout = QVBoxLayout(screen)
    pause = QPushButton("||")
    pause.setProperty(SPEECH_CONTROL, True)
    pause.clicked.connect(speech.pause)
    other = QPushButton("Next")
    layout.addWidget(pause)
    layout.addWidget(other)
    qtbot.addWidget(screen)
    screen.show()
    taps = StopOnInput(speech)
    try:
        assert speech.speak(LONG_KO, "ko")
        heard.wait_for("started")
        qtbot.mouseClick(pause, Qt.MouseButton.LeftButton)
        assert speech.speaking and speech.paused
        qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
        assert not speech.speaking and heard.of("finished") == [(False,)]
    finally:
        taps.remove()


def test_gui_thread_stays_responsive_while_preparing_synthesising_and_playing(
    speech: SpeechService, heard: Recorder
) -> None:
    speech.clear_cache()  # everything below is synthesised, kana and pinyin prepared
    texts = [
        ("ja", "こんにちは。サービスを選んでください。分からないときは、職員を呼んでください。"),
        ("zh_Hans", "您好！请选择您要申请的服务。需要帮助时，请点击帮助，工作人员会来。"),
        ("ko", LONG_KO),
    ]
    lateness: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(10)
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        lateness.append(max(0.0, now - last[0] - 10))
        last[0] = now

    ticker.timeout.connect(tick)
    clock.start()
    ticker.start()
    for code, text in texts:
        assert speech.speak(text, code)
        heard.wait_for("started")
        wait(700)
    ticker.stop()
    speech.stop()
    lateness = lateness[1:]
    print(f"\nevent-loop lateness during speech ({len(lateness)} ticks): "
          f"max {max(lateness):.1f} ms, median {statistics.median(lateness):.2f} ms")  # fmt: skip
    assert len(heard.of("engine_text")) == 3
    assert max(lateness) < 50


# -- what is said ---------------------------------------------------------------------


def test_a_masked_answer_is_never_passed_to_the_engine(
    speech: SpeechService, heard: Recorder
) -> None:
    phone_q = Question("phone", "phone", {"en": "Phone number"})
    rrn_q = Question("rrn", "resident_number", {"en": "Resident registration number"})
    phone = str(check_answer(phone_q, "010-0000-0000").value)
    rrn = str(check_answer(rrn_q, "000101-3000000").value)
    review = utterance(
        Say("Phone number:"),
        answer_part(phone_q, masked(phone_q, phone), neutral="entered, not read aloud"),
        Say("Resident registration number:"),
        answer_part(rrn_q, rrn, neutral="entered, not read aloud"),
    )
    assert speech.speak(review, "en")
    heard.wait_for("started")
    speech.stop()
    said = " ".join(str(args[1]) for args in heard.of("engine_text"))
    assert "entered, not read aloud" in said
    assert not any(ch.isdigit() or ch in "*•" for ch in said), said

    heard.events.clear()
    for leaky in (f"Your number is {masked(phone_q, phone)}", f"Number {rrn}", Entered(phone)):
        assert speech.speak(utterance(leaky), "en") is False
    assert heard.of("unavailable") == [("en", PERSONAL_REFUSED)] * 3
    assert "engine_text" not in heard.names()


def test_repeat_plays_from_the_cache(speech: SpeechService, heard: Recorder) -> None:
    assert speech.speak(SHORT_EN, "en")
    assert heard.wait_for("finished") == (True,)
    heard.events.clear()
    asked = time.perf_counter()
    assert speech.repeat()
    heard.wait_for("started")
    assert "engine_text" not in heard.names()
    assert heard.stamp("started") - asked < 0.1
    speech.stop()


def test_pause_silences_and_resume_goes_on(speech: SpeechService, heard: Recorder) -> None:
    assert speech.speak(LONG_KO, "ko")
    heard.wait_for("started")
    wait(300)
    paused = time.perf_counter()
    speech.pause()
    assert speech.paused and speech.speaking
    wait(600)
    resumed = time.perf_counter()
    speech.resume()
    assert not speech.paused
    wait(600)
    assert "finished" not in heard.names()
    speech.stop()
    assert _HEARD.sounding_seconds(paused - 0.3, paused) >= 0.2
    # Pausing lets the ~0.1 s already queued in the sound server play out; stopping does not.
    assert _HEARD.sounding_seconds(paused + 0.2, resumed) == 0
    assert _HEARD.sounding_seconds(resumed + 0.2, resumed + 0.6) >= 0.25


def test_reset_restores_defaults_and_deletes_the_session_audio(
    speech: SpeechService, heard: Recorder
) -> None:
    speech.set_rate(RATE_SLOWEST)
    speech.set_volume(0.2)
    assert speech.speak(utterance(Say("You said"), Entered("three")), "en")
    heard.wait_for("started")
    session = speech._cache.session_folder
    assert list(session.glob("*.wav"))
    speech.reset()
    assert heard.of("finished") == [(False,)]
    assert (speech.rate, speech.volume) == (SpeechSettings().rate, SpeechSettings().volume)
    assert not list(session.iterdir())
    assert speech.repeat() is False


# -- failures -------------------------------------------------------------------------


def test_a_hung_or_crashed_worker_is_replaced(qapp: QApplication, tmp_path: Path) -> None:
    settings = SpeechSettings(request_timeout_s=0.5, start_timeout_s=0.5, preload=())
    speech = SpeechService(tmp_path / "cache", packs=Packs(()), settings=settings)
    heard = Recorder(speech)
    try:
        worker = speech.worker
        assert worker is not None
        wait_until(lambda: worker.ready)
        os.kill(worker.pid, signal.SIGSTOP)  # hangs like a stuck engine
        assert speech.speak("One.", "en")
        assert heard.wait_for("failed") == ("timeout",)
        assert heard.of("finished") == [(False,)]
        wait_until(lambda: worker.ready)
        os.kill(worker.pid, signal.SIGKILL)  # crashes while idle
        wait_until(lambda: worker.restarts == 2 and worker.ready)
        assert speech.speak("Two.", "en")
        assert heard.wait_for("finished", count=2) == (True,)
    finally:
        heard.close()
        speech.close()


def test_a_worker_that_keeps_failing_is_given_up_until_retried(qapp: QApplication) -> None:
    client = WorkerClient(timeout_s=0.3, start_timeout_s=0.3, max_failures=1, preload=())
    replies: list[tuple[int, bool, str]] = []
    client.replied.connect(lambda *reply: replies.append(reply))
    try:
        wait_until(lambda: client.ready)
        os.kill(client.pid, signal.SIGSTOP)
        with tempfile.TemporaryDirectory() as folder:
            client.request("en", "en", 150, "x", Path(folder) / "x.wav")
            wait_until(lambda: bool(replies))
            assert replies == [(1, False, "timeout")] and client.broken == "timeout"
            client.request("en", "en", 150, "x", Path(folder) / "x.wav")
            wait_until(lambda: len(replies) == 2)
            assert replies[1] == (2, False, "timeout")
            client.retry()
            client.request("en", "en", 150, "Fine.", Path(folder) / "y.wav")
            wait_until(lambda: len(replies) == 3)
            assert replies[2] == (3, True, "")
    finally:
        client.close()


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    assert spin_until(condition, timeout_s), "condition not met in time"


def test_no_audio_output_is_reported_not_ignored(tmp_path: Path) -> None:
    probe = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from kiosk.speech.service import SpeechService\n"
        "app = QApplication([])\n"
        "speech = SpeechService(Path(sys.argv[1]))\n"
        "print(json.dumps(speech.available('ko').reason))\n"
        "speech.close()\n"
    )
    environment = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path / 'nothing-here'}")
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "cache")],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(result.stdout.strip().splitlines()[-1]) == NO_AUDIO_OUTPUT
