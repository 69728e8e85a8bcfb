"""Pause an assisted visit into a draft and resume it by its code, through real taps:
the code is shown once with a QR code that decodes to it; the right code brings the
visit back where it was; wrong codes are refused, then lock and wipe the draft; an
expired draft is wiped. The staff's list shows services and dates only."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.screens.draft_saved import DraftSavedScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.speech.settings import SpeechSettings
from kiosk.staff.screens import DraftsScreen, ResumeScreen, StaffMenuScreen
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.drafts import list_drafts
from sync.ids import ALPHABET
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
    strip_button,
)
from tests.gui.taps import primary, tap

pytestmark = pytest.mark.gui

LOCKED = (
    "Too many wrong codes: this paused application was wiped to keep it safe. "
    "The resident needs to apply again."
)
NOT_FOUND = "No paused application has this code. Please check it and try again."
EXPIRED = (
    "This paused application was kept as long as allowed and has been wiped. "
    "The resident needs to apply again."
)


def pause(qtbot: QtBot, kiosk: Kiosk) -> str:
    """Save for later, from the strip; returns the code the screen shows."""
    tap(qtbot, strip_button(kiosk, "pause"))
    qtbot.waitUntil(lambda: isinstance(kiosk.journey.screen, DraftSavedScreen), timeout=15_000)
    screen = kiosk.journey.screen
    assert isinstance(screen, DraftSavedScreen)
    return screen.code


def paused_visit(qtbot: QtBot, kiosk: Kiosk) -> str:
    add_navigator(kiosk)
    sign_in_from_welcome(qtbot, kiosk)
    begin_assisted(qtbot, kiosk, language="vi")
    answer_first_half(qtbot, kiosk)
    question(kiosk, "contact_phone")
    code = pause(qtbot, kiosk)
    assert kiosk.journey.session is None  # the answers are in the draft, and only there
    tap(qtbot, primary(kiosk))  # Finish: the visit ends, the navigator is signed out
    assert isinstance(kiosk.journey.screen, WelcomeScreen) and kiosk.staff.navigator is None
    return code


def to_resume_screen(qtbot: QtBot, kiosk: Kiosk) -> None:
    sign_in_from_welcome(qtbot, kiosk)
    tap(qtbot, kiosk.journey.screen.buttons["resume"])
    assert isinstance(kiosk.journey.screen, ResumeScreen)


def wrong(code: str, n: int) -> str:
    """The same draft (its first two characters), another secret."""
    plain = code.replace("-", "")
    secret = "".join(ALPHABET[(ALPHABET.index(c) + n) % len(ALPHABET)] for c in plain[2:])
    return plain[:2] + secret


def test_pause_then_resume_with_the_code_and_submit(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform, tmp_path: Path
) -> None:
    code = paused_visit(qtbot, kiosk)
    assert len(code) == 11 and code[5] == "-"

    # The drafts list: the service and dates, nothing the resident said.
    sign_in_from_welcome(qtbot, kiosk)
    tap(qtbot, kiosk.journey.screen.buttons["drafts"])
    qtbot.waitUntil(lambda: isinstance(kiosk.journey.screen, DraftsScreen), timeout=5000)
    [row] = kiosk.journey.screen.rows
    service = kiosk.catalog.service("digital-device-access")
    assert row[0] == kiosk.journey.words.text(service.title)
    assert FAKE_NAME not in " ".join(row)
    tap(qtbot, kiosk.window.back_button)
    assert isinstance(kiosk.journey.screen, StaffMenuScreen)

    # One wrong code: refused, with the tries left; then the right one.
    tap(qtbot, kiosk.journey.screen.buttons["resume"])
    enter_code(qtbot, kiosk, wrong(code, 1))
    screen = kiosk.journey.screen
    assert isinstance(screen, ResumeScreen) and "4" in screen.error.text()
    enter_code(qtbot, kiosk, code)
    qtbot.waitUntil(lambda: not isinstance(kiosk.journey.screen, ResumeScreen), timeout=10_000)
    consent(qtbot, kiosk)  # asked again: in the resident's language, Vietnamese
    journey = kiosk.journey
    assert journey.language == "vi"
    screen = question(kiosk, "contact_phone")  # where the visit was paused
    assert journey.session is not None
    assert journey.session.answer_for("name_for_loan", "digital-device-access") == FAKE_NAME
    store = Store(kiosk.config.data.store)
    assert list_drafts(store) == []  # resumed: the draft is gone
    store.close()

    answer_second_half(qtbot, kiosk)
    tap(qtbot, primary(kiosk))
    qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=15_000)
    kiosk.backend.sync_now()
    storage = PlatformStorage(platform.data)
    try:
        qtbot.waitUntil(lambda: len(storage.submissions()) == 1, timeout=15_000)
        application = json.loads(storage.open(storage.submissions()[0]))
    finally:
        storage.close()
    assert application["answers"]["name_for_loan"] == FAKE_NAME
    assert application["answers"]["contact_phone"] == FAKE_PHONE
    assert application["assisted"]["resident_consented"] is True


def test_the_code_is_shown_with_a_qr_code_that_reads_back(
    qtbot: QtBot, kiosk: Kiosk, tmp_path: Path
) -> None:
    add_navigator(kiosk)
    sign_in_from_welcome(qtbot, kiosk)
    begin_assisted(qtbot, kiosk)
    code = pause(qtbot, kiosk)
    screen = kiosk.journey.screen
    assert screen.code_label.text() == code
    png = tmp_path / "code.png"
    assert screen.qr.pixmap().save(str(png))
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbar-tools is part of the set-up (packaging/bootstrap.sh)"
    decoded = subprocess.run(
        [zbarimg, "--raw", "-q", str(png)], capture_output=True, text=True, check=True
    )
    assert decoded.stdout.strip() == code
    # No printer here: the code is never left on the disk as a PDF.
    tap(qtbot, screen.print_button)
    qtbot.waitUntil(screen.printed.isVisible, timeout=10_000)  # painted on the store's worker
    assert screen.printed.isVisible()
    assert not (kiosk.config.data_dir / "printed").exists()


def test_wrong_codes_lock_and_wipe_the_draft(qtbot: QtBot, kiosk: Kiosk) -> None:
    code = paused_visit(qtbot, kiosk)
    to_resume_screen(qtbot, kiosk)
    seen = []
    for n in range(1, 6):
        enter_code(qtbot, kiosk, wrong(code, n))
        seen.append(kiosk.journey.screen.error.text())
    assert "4" in seen[0] and "1" in seen[3]
    assert seen[4] == kiosk.journey.words._(LOCKED)
    enter_code(qtbot, kiosk, code)  # even the right code: the content is gone
    assert kiosk.journey.screen.error.text() == kiosk.journey.words._(LOCKED)
    assert kiosk.journey.session is None
    store = Store(kiosk.config.data.store)
    [info] = list_drafts(store)
    assert info.locked
    assert store.conn.execute("SELECT length(sealed) FROM drafts").fetchone()[0] == 0
    store.close()


def test_a_mistyped_code_of_no_draft_is_explained(qtbot: QtBot, kiosk: Kiosk) -> None:
    add_navigator(kiosk)
    to_resume_screen(qtbot, kiosk)
    tap(qtbot, kiosk.journey.screen.pad.keys["7"])
    tap(qtbot, kiosk.journey.screen.open_button)
    assert "10" in kiosk.journey.screen.error.text()
    enter_code(qtbot, kiosk, "ZZ00000000")
    assert kiosk.journey.screen.error.text() == kiosk.journey.words._(NOT_FOUND)


@pytest.fixture
def short_lived_drafts(qtbot: QtBot, tmp_path: Path, platform: LocalPlatform) -> Iterator[Kiosk]:
    """A kiosk that keeps drafts for two seconds only."""
    config = KioskConfig(
        data_dir=tmp_path / "device",
        platform_url=platform.url,
        enrollment_token=platform.new_token("draft expiry test"),
        defaults=Defaults(language="en"),
        sync_every_ms=60_000,
        speech=SpeechSettings(preload=()),
        draft_ttl=2.0,
    )
    running = Kiosk(config)
    running.start_speech()  # at once, as after the first paint
    running.start()
    yield running
    running.close()


def test_an_expired_draft_is_wiped(qtbot: QtBot, short_lived_drafts: Kiosk) -> None:
    kiosk = short_lived_drafts
    code = paused_visit(qtbot, kiosk)
    qtbot.wait(2200)
    to_resume_screen(qtbot, kiosk)
    enter_code(qtbot, kiosk, code)
    assert kiosk.journey.screen.error.text() == kiosk.journey.words._(EXPIRED)
    store = Store(kiosk.config.data.store)
    assert list_drafts(store) == []
    store.close()
