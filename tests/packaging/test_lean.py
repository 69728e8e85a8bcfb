"""What packaging/trim.py took out of the package's virtualenv is not missed: babel still
formats in every kiosk language exactly as the full babel does, and Qt Multimedia plays
through the FFmpeg libraries that are now stored once (the rest symlinks)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.null_sink import NullSink, NullSinkError

pytestmark = pytest.mark.timeout(600)

FORMATS = r"""
import datetime, json, sys
from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal, format_percent
from forms.languages import LANGUAGES

day = datetime.date(2026, 3, 7)
moment = datetime.datetime(2026, 3, 7, 14, 5)
out = {}
for lang in LANGUAGES:
    locale = Locale.parse(lang.cldr_locale)
    out[lang.code] = [
        locale.get_display_name(),
        format_date(day, format="long", locale=locale),
        format_date(day, format="full", locale=locale),
        format_datetime(moment, format="medium", locale=locale),
        format_time(moment, format="short", locale=locale),
        format_decimal(1234567.891, locale=locale),
        format_percent(0.256, locale=locale),
        format_currency(1234.5, "KRW", locale=locale),
        format_currency(1234.5, "USD", locale=locale),
        [locale.plural_form(n) for n in (0, 1, 2, 5, 11, 21, 101)],
    ]
json.dump(out, sys.stdout, ensure_ascii=False)
"""

PLAY = r"""
import json, sys, wave
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

path = sys.argv[1]
with wave.open(path, "wb") as w:  # half a second of silence
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(22050)
    w.writeframes(b"\0\0" * 11025)
app = QGuiApplication([])
player = QMediaPlayer()
output = QAudioOutput()
player.setAudioOutput(output)
errors = []
player.errorOccurred.connect(lambda error, text: (errors.append(text), app.exit(2)))
player.mediaStatusChanged.connect(
    lambda status: app.quit() if status == QMediaPlayer.MediaStatus.EndOfMedia else None
)
player.setSource(QUrl.fromLocalFile(path))
player.play()
QTimer.singleShot(20000, lambda: app.exit(3))
code = app.exec()
maps = open("/proc/self/maps").read()
json.dump({
    "code": code,
    "errors": errors,
    "duration_ms": player.duration(),
    "outputs": len(QMediaDevices.audioOutputs()),
    "libavcodec": sorted({line.split()[-1] for line in maps.splitlines() if "libavcodec" in line}),
}, sys.stdout)
"""


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unpacked")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def _run_installed(root: Path, code: str, *args: str, env: dict[str, str] | None = None) -> str:
    """A script under the package's own virtualenv, its app folder on the path."""
    python = root / "opt/ieum/venv/bin/python"
    environment = {**os.environ, **(env or {}), "PYTHONPATH": str(root / "opt/ieum/app")}
    done = subprocess.run(
        [str(python), "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_babel_formats_every_language_as_the_full_babel_does(unpacked: Path) -> None:
    site = next(unpacked.glob("opt/ieum/venv/lib/python3*/site-packages"))
    kept = sorted(p.name for p in (site / "babel/locale-data").glob("*.dat"))
    assert 15 <= len(kept) <= 30, kept  # trimmed from over a thousand
    installed = json.loads(_run_installed(unpacked, FORMATS))
    here = subprocess.run(
        [sys.executable, "-c", FORMATS], capture_output=True, text=True, check=True, timeout=60
    )
    assert installed == json.loads(here.stdout)
    assert set(installed) == {"ko", "en", "zh_Hans", "ja", "vi", "th", "mn", "ru"}


def _members(deb: Path, tmp_path: Path) -> Iterator[tarfile.TarInfo]:
    data = tmp_path / "data.tar"
    with data.open("wb") as out:
        subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=out, check=True)
    with tarfile.open(data) as tar:
        yield from tar.getmembers()


def test_each_ffmpeg_library_is_stored_once(deb: Path, tmp_path: Path) -> None:
    """The wheels hold libavcodec.so, .so.61 and .so.61.19.101 as three equal files."""
    ffmpeg = re.compile(r"/PySide6/Qt/lib/lib(av|sw)\w+\.so")
    libs = [m for m in _members(deb, tmp_path) if ffmpeg.search(m.name)]
    files = {Path(m.name).name for m in libs if m.isfile()}
    links = {Path(m.name).name: m.linkname for m in libs if m.issym()}
    assert {re.sub(r"\.so\.\d+$", "", name) for name in files} == {
        "libavcodec", "libavformat", "libavutil", "libswresample", "libswscale"
    }, files  # fmt: skip
    assert len(links) == 2 * len(files) and set(links.values()) == files, links


def test_qt_multimedia_plays_through_the_deduplicated_ffmpeg(
    unpacked: Path, tmp_path: Path
) -> None:
    try:
        sink = NullSink(tmp_path / "pulse").start()
    except NullSinkError as exc:
        pytest.skip(f"no sound server to play to: {exc}")
    try:
        out = _run_installed(
            unpacked,
            PLAY,
            str(tmp_path / "silence.wav"),
            env={"PULSE_SERVER": sink.server, "QT_QPA_PLATFORM": "offscreen"},
        )
    finally:
        sink.stop()
    played = json.loads(out.strip().splitlines()[-1])
    assert played["code"] == 0 and not played["errors"], played
    assert played["outputs"] >= 1 and 400 <= played["duration_ms"] <= 600, played
    # The library the plugin loaded is the one copy, under the name its SONAME gives.
    assert played["libavcodec"] and all(
        p.endswith("/libavcodec.so.61") for p in played["libavcodec"]
    ), played
