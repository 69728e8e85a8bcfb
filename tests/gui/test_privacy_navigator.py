"""Obviously fake personal data goes through full journeys (assisted, paused and resumed,
paused and locked by wrong codes, left idle), then every file the device wrote, every
log line and the help desk's diagnostics zip are searched for it: it is only ever inside
sealed or encrypted payloads, so no byte sequence of it may be found anywhere."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.staff.screens import ResumeScreen
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.diagnostics import export
from sync.store import Store
from tests.gui.navigator_steps import (
    FAKE_NAME,
    FAKE_PHONE,
    add_navigator,
    answer_first_half,
    answer_second_half,
    begin_assisted,
    consent,
    enter_code,
    question,
    sign_in_from_welcome,
)
from tests.gui.taps import finish, primary, tap, through_front_door
from tests.gui.test_drafts_kiosk import pause, wrong

pytestmark = pytest.mark.gui

SEEDS = (FAKE_NAME, FAKE_PHONE, "010-0000-0000", FAKE_NAME.title())


def traces(data: bytes) -> list[str]:
    """Which seeds are in `data`, in UTF-8 or UTF-16 (either byte order)."""
    found = []
    for seed in SEEDS:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if seed.encode(encoding) in data or seed.upper().encode(encoding) in data:
                found.append(f"{seed!r} as {encoding}")
    return found


@pytest.fixture
def every_log_line(tmp_path: Path) -> Iterator[Path]:
    """Every log record of every logger, at every level, written to a file."""
    path = tmp_path / "all.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


def submit_and_finish(qtbot: QtBot, kiosk: Kiosk) -> None:
    tap(qtbot, primary(kiosk))
    qtbot.waitUntil(lambda: isinstance(kiosk.journey.screen, ReceiptScreen), timeout=15_000)
    finish(qtbot, kiosk)
    assert isinstance(kiosk.journey.screen, WelcomeScreen)


def test_no_trace_of_the_resident_outside_sealed_and_encrypted_payloads(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform, every_log_line: Path
) -> None:
    add_navigator(kiosk)
    journey = kiosk.journey

    # 1. An assisted application, straight through.
    sign_in_from_welcome(qtbot, kiosk)
    begin_assisted(qtbot, kiosk, language="ko")
    answer_first_half(qtbot, kiosk)
    answer_second_half(qtbot, kiosk)
    submit_and_finish(qtbot, kiosk)

    # 2. Paused into a draft, resumed after a wrong code, finished.
    sign_in_from_welcome(qtbot, kiosk)
    begin_assisted(qtbot, kiosk, language="th")
    answer_first_half(qtbot, kiosk)
    code = pause(qtbot, kiosk)
    tap(qtbot, primary(kiosk))
    sign_in_from_welcome(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["resume"])
    enter_code(qtbot, kiosk, wrong(code, 3))
    enter_code(qtbot, kiosk, code)
    qtbot.waitUntil(lambda: not isinstance(journey.screen, ResumeScreen), timeout=10_000)
    consent(qtbot, kiosk)
    answer_second_half(qtbot, kiosk)
    submit_and_finish(qtbot, kiosk)

    # 3. Paused, then locked by wrong codes (its content wiped).
    sign_in_from_welcome(qtbot, kiosk)
    begin_assisted(qtbot, kiosk, language="mn")
    answer_first_half(qtbot, kiosk)
    answer_second_half(qtbot, kiosk)
    locked = pause(qtbot, kiosk)
    tap(qtbot, primary(kiosk))
    sign_in_from_welcome(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["resume"])
    for n in range(1, 6):
        enter_code(qtbot, kiosk, wrong(locked, n))

    # 4. A paused draft left waiting (encrypted), and a visit left idle halfway.
    tap(qtbot, kiosk.window.back_button)
    tap(qtbot, journey.screen.buttons["assist"])
    tap(qtbot, journey.screen.buttons["en"])
    tap(qtbot, primary(kiosk))
    consent(qtbot, kiosk)
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    answer_first_half(qtbot, kiosk)
    pause(qtbot, kiosk)
    tap(qtbot, primary(kiosk))
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons["vi"])
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    answer_first_half(qtbot, kiosk)
    question(kiosk, "contact_phone")
    journey.idle.idle_seconds, journey.idle.warning_seconds = 0.2, 0.3
    journey.idle.touch()
    qtbot.waitUntil(lambda: isinstance(journey.screen, WelcomeScreen), timeout=5000)

    # Everything reaches the platform, where the answers are (decrypted there).
    kiosk.backend.sync_now()
    storage = PlatformStorage(platform.data)
    try:
        qtbot.waitUntil(lambda: len(storage.submissions()) == 2, timeout=15_000)
        opened = [storage.open(s) for s in storage.submissions()]
    finally:
        storage.close()
    assert all(FAKE_NAME.encode() in plain for plain in opened)  # the seeds are real data
    store = Store(kiosk.config.data.store)
    qtbot.waitUntil(lambda: store.outbox() == [], timeout=15_000)
    assert store.conn.execute("SELECT count(*) FROM drafts").fetchone()[0] == 2
    # The help desk's zip, as a navigator saves it, with the log lines of this visit.
    diagnostics = export(store, kiosk.config.data_dir.parent / "diagnostics.zip",
                         log_file=every_log_line)  # fmt: skip
    store.close()
    qtbot.waitUntil(lambda: kiosk.owner.pending == 0, timeout=5000)

    # Now search: every file under the device's data folder, and every log line.
    files = [p for p in kiosk.config.data_dir.rglob("*") if p.is_file()]
    files += [every_log_line, platform.data / "platform.log"]
    assert any(p.name == "ieum.db" for p in files)
    found = {str(p): traces(p.read_bytes()) for p in files}
    with zipfile.ZipFile(diagnostics) as archive:
        assert "log.txt" in archive.namelist() and archive.read("log.txt")
        for member in archive.namelist():
            found[f"{diagnostics}:{member}"] = traces(archive.read(member))
    assert {p: t for p, t in found.items() if t} == {}
    assert every_log_line.stat().st_size > 0
