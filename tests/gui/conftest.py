from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.speech.settings import SpeechSettings
from reference_platform.local import LocalPlatform
from tools.null_sink import NullSink, NullSinkError

_SINK: NullSink | None = None
_SINK_PROBLEM = ""


def sound_server() -> NullSink:
    """This process's private, silent sound server (a PulseAudio null sink), started on
    the first call; PULSE_SERVER points at it.

    Qt Multimedia connects to the sound server once, the first time anything in the
    process uses it, and never again: this must run before that (the fixture below does,
    before the first test). Machines without a sound card see an output this way, and
    nothing is ever played through a real speaker.
    """
    global _SINK
    if _SINK is None:
        folder = Path(tempfile.mkdtemp(prefix="ieum-null-sink-"))
        atexit.register(shutil.rmtree, folder, True)  # at exit: last, after the stop
        sink = NullSink(folder).start()
        atexit.register(sink.stop)
        os.environ["PULSE_SERVER"] = sink.server
        _SINK = sink
    return _SINK


@pytest.fixture(scope="session", autouse=True)
def silent_sound_server() -> NullSink | None:
    """Started before any test, whichever test file runs alone. Without pulseaudio the
    other tests still run (the kiosk then has no audio output); speech tests fail."""
    global _SINK_PROBLEM
    try:
        return sound_server()
    except NullSinkError as problem:
        _SINK_PROBLEM = str(problem)
        return None


@pytest.fixture
def sound(silent_sound_server: NullSink | None) -> NullSink:
    """For tests that need audio output: the session's sound server, or a failure."""
    if silent_sound_server is None:
        pytest.fail(f"no sound server for the speech tests: {_SINK_PROBLEM}")
    return silent_sound_server


@pytest.fixture
def kiosk(qtbot: QtBot, tmp_path: Path, platform: LocalPlatform) -> Iterator[Kiosk]:
    """The real kiosk, with its store in tmp_path and the real reference platform."""
    config = KioskConfig(
        data_dir=tmp_path / "device",
        platform_url=platform.url,
        enrollment_token=platform.new_token("gui test kiosk"),
        defaults=Defaults(language="ko"),
        sync_every_ms=60_000,  # tests trigger sync explicitly
        # Japanese and Chinese dictionaries load on first use, not in every test's worker.
        speech=SpeechSettings(preload=()),
    )
    running = Kiosk(config)
    running.start()
    running.start_speech()  # as the kiosk's first event-loop turn would
    # Syncing and the rest, after the first paint (Qt Quick for the keyboard: seconds
    # on a loaded machine).
    qtbot.waitUntil(lambda: running.started, timeout=30_000)
    yield running
    running.close()
