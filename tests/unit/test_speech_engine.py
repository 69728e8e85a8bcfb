"""The speech worker with the real espeak-ng: every voiced language gives plausible audio.

"Plausible" is the ear's proxy: a short prompt lasts 0.3-10 s, is loud enough, and has
sound through most of it (not a click followed by silence, not letter-by-letter
crawling that runs far too long).
"""

from __future__ import annotations

import array
import json
import math
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forms.languages import language
from tests.conftest import ROOT

PROMPTS = {
    "ko": "어떤 서비스를 신청하시겠어요?",
    "en": "Which service would you like to apply for?",
    "zh_Hans": "您想申请哪项服务？",
    "ja": "どのサービスを申し込みますか？",
    "vi": "Bạn muốn đăng ký dịch vụ nào?",
    "ru": "На какую услугу вы хотите подать заявление?",
}


class Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk.speech.worker"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.hello = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the worker closed its output"
        message: dict[str, Any] = json.loads(line)
        return message

    def ask(self, raw: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(raw + "\n")
        self.process.stdin.flush()
        return self._read()

    def synthesize(self, code: str, text: str, out: Path, wpm: int = 150) -> dict[str, Any]:
        voice = language(code).espeak_voice
        request = {"id": 1, "language": code, "voice": voice, "wpm": wpm, "text": text}
        return self.ask(json.dumps({**request, "out": str(out)}, ensure_ascii=False))

    def close(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(10)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    running = Worker()
    yield running
    running.close()


def loudness(path: Path) -> tuple[float, float, float]:
    """(seconds, RMS over the whole file in dBFS, share of 20 ms frames above -40 dBFS)."""
    with wave.open(str(path)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        rate = audio.getframerate()
        samples = array.array("h", audio.readframes(audio.getnframes()))
    frame = rate // 50

    def db(chunk: array.array[int]) -> float:
        power = sum(s * s for s in chunk) / max(len(chunk), 1)
        return 10 * math.log10(power / 32768**2) if power else -120.0

    frames = [samples[i : i + frame] for i in range(0, len(samples) - frame + 1, frame)]
    sounding = sum(1 for f in frames if db(f) > -40) / max(len(frames), 1)
    return len(samples) / rate, db(samples), sounding


def test_worker_says_it_is_ready_without_loading_qt(worker: Worker) -> None:
    assert worker.hello["ready"] is True and worker.hello["sample_rate"] > 8000


@pytest.mark.parametrize("code", list(PROMPTS))
def test_each_voiced_language_gives_plausible_audio(
    worker: Worker, tmp_path: Path, code: str
) -> None:
    out = tmp_path / f"{code}.wav"
    reply = worker.synthesize(code, PROMPTS[code], out)
    assert reply["ok"], reply
    seconds, rms, sounding = loudness(out)
    print(f"{code}: {seconds:.2f} s audio, {rms:.1f} dBFS, {sounding:.0%} sounding, "
          f"synthesised in {reply['ms']:.1f} ms")  # fmt: skip
    assert 0.3 <= seconds <= 10, seconds
    assert rms > -30, rms
    assert sounding > 0.5, sounding


def test_slower_rate_gives_longer_audio(worker: Worker, tmp_path: Path) -> None:
    normal = worker.synthesize("ko", PROMPTS["ko"], tmp_path / "normal.wav", wpm=150)
    slow = worker.synthesize("ko", PROMPTS["ko"], tmp_path / "slow.wav", wpm=105)
    assert slow["seconds"] > normal["seconds"] * 1.2


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "\x00\x01"])
def test_blank_text_is_refused_and_the_worker_lives_on(
    worker: Worker, tmp_path: Path, text: str
) -> None:
    reply = worker.synthesize("en", text, tmp_path / "blank.wav")
    assert reply == {"id": 1, "ok": False, "error": "empty"}
    assert not (tmp_path / "blank.wav").exists()
    assert worker.synthesize("en", "Still here.", tmp_path / "after.wav")["ok"]


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '{"id": 3}', '{"id": 4, "wpm": "fast"}'])
def test_bad_requests_get_an_error_not_a_crash(worker: Worker, raw: str) -> None:
    assert worker.ask(raw)["error"] == "bad_request"
    assert worker.process.poll() is None


def test_unknown_voice_is_an_error(worker: Worker, tmp_path: Path) -> None:
    request = {"id": 9, "language": "th", "voice": "no-such-voice", "wpm": 150, "text": "x"}
    reply = worker.ask(json.dumps({**request, "out": str(tmp_path / "x.wav")}))
    assert reply == {"id": 9, "ok": False, "error": "synthesis_failed"}


def test_worker_never_imports_qt() -> None:
    probe = (
        "import sys, kiosk.speech.worker; print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
