"""The walking skeleton, end to end, through real widgets and taps.

welcome → language → text size → service → four questions → review (one change) →
submit → receipt with a QR code → the platform holds exactly that application.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.screens.language import LanguageScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.review import ReviewScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.widgets import ArrowButton
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.store import Store
from tests.gui.taps import answer_pad, finish, primary, tap, through_front_door

pytestmark = pytest.mark.gui


def current_question(kiosk: Kiosk, question_id: str) -> QuestionScreen:
    screen = kiosk.journey.screen
    assert isinstance(screen, QuestionScreen), type(screen)
    assert screen.question.id == question_id
    return screen


def test_one_application_through_every_layer(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform, tmp_path: Path
) -> None:
    journey = kiosk.journey
    assert isinstance(journey.screen, WelcomeScreen)
    tap(qtbot, primary(kiosk))

    assert isinstance(journey.screen, LanguageScreen)
    tap(qtbot, journey.screen.buttons["vi"])

    assert isinstance(journey.screen, TextSizeScreen)
    assert journey.screen.findChild(QPushButton, "primary").text() == "Tiếp tục"
    tap(qtbot, journey.screen.buttons["large"])
    assert isinstance(journey.screen, TextSizeScreen) and journey.text_size == "large"
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)

    services = journey.screen
    assert isinstance(services, ServicesScreen)
    assert not primary(kiosk).isEnabled()  # nothing chosen yet
    tap(qtbot, services.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))

    # Shared questions first, in profile order: a number on the pad (25 is too many),
    # then a yes/no.
    screen = current_question(kiosk, "household_size")
    answer_pad(qtbot, screen, "25")
    tap(qtbot, screen.next_button)
    assert screen.error.isVisible() and "20" in screen.error.text()
    answer_pad(qtbot, screen, "3")
    tap(qtbot, screen.next_button)
    screen = current_question(kiosk, "receives_livelihood_support")
    tap(qtbot, screen.choice_buttons[False])
    tap(qtbot, screen.next_button)

    # A choice: Next without choosing shows only how to fix it, right under the question's
    # title (issue 18: repeating the whole question pushed the answers out of view at the
    # largest text; the title above already names it, and speech names it aloud).
    screen = current_question(kiosk, "device")
    tap(qtbot, screen.next_button)
    assert screen.error.isVisible() and screen.error.text() == journey.words._(
        "Please answer this question to go on."
    )
    assert "thiết bị" in screen.title.text()
    assert (
        screen.title.mapTo(screen, screen.title.rect().bottomLeft()).y()
        <= screen.error.mapTo(screen, screen.error.rect().topLeft()).y()
    )
    tap(qtbot, screen.choice_buttons["tablet"])
    tap(qtbot, screen.next_button)

    # Short text from the keyboard, then a phone number on the pad.
    screen = current_question(kiosk, "name_for_loan")
    assert screen.entry is not None
    qtbot.keyClicks(screen.entry, "Test Resident")
    tap(qtbot, screen.next_button)
    screen = current_question(kiosk, "contact_phone")
    answer_pad(qtbot, screen, "0100000")
    tap(qtbot, screen.next_button)
    assert screen.error.isVisible()
    answer_pad(qtbot, screen, "01000000000")
    assert screen.entry is not None and screen.entry.text() == "010-0000-0000"
    tap(qtbot, screen.next_button)

    # Records instead of papers, then consent (required: Next alone is refused).
    screen = current_question(kiosk, "records_lookup")
    tap(qtbot, screen.choice_buttons[True])
    tap(qtbot, screen.next_button)
    screen = current_question(kiosk, "agree_terms")
    tap(qtbot, screen.next_button)
    assert screen.error.isVisible()
    tap(qtbot, screen.choice_buttons[True])
    tap(qtbot, screen.next_button)

    # Review: change the household size to 4 and come straight back.
    review = journey.screen
    assert isinstance(review, ReviewScreen)
    tap(qtbot, review.change_buttons["household_size"])
    screen = current_question(kiosk, "household_size")
    assert screen.entry is not None and screen.entry.text() == "3"
    answer_pad(qtbot, screen, "4")
    tap(qtbot, screen.next_button)
    assert isinstance(journey.screen, ReviewScreen)
    tap(qtbot, primary(kiosk))

    # The receipt appears only once the sealed application is committed.
    qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=15_000)
    receipt = journey.screen
    assert isinstance(receipt, ReceiptScreen)
    [reference] = receipt.references
    store = Store(kiosk.config.data.store)
    queued = {item.reference for item in store.outbox()}
    assert reference in queued or store.receipt(reference) is not None
    assert journey.session is None  # answers in memory are gone

    # The QR code decodes, with a real decoder, to the reference.
    qr_png = tmp_path / "qr.png"
    assert receipt.qr_codes[0].pixmap().save(str(qr_png))
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbar-tools is part of the set-up (packaging/bootstrap.sh)"
    decoded = subprocess.run(
        [zbarimg, "--raw", "-q", str(qr_png)], capture_output=True, text=True, check=True
    )
    assert decoded.stdout.strip() == reference

    # Sync: the platform gets exactly one submission with exactly these answers,
    # and the device keeps a receipt but no sealed payload.
    kiosk.backend.sync_now()
    qtbot.waitUntil(lambda: store.receipt(reference) is not None, timeout=15_000)
    assert store.outbox() == []
    assert store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
    storage = PlatformStorage(platform.data)
    [stored] = storage.submissions()
    application = json.loads(storage.open(stored))
    assert application["answers"] == {
        "receives_livelihood_support": False,
        "household_size": 4,
        "device": "tablet",
        "name_for_loan": "Test Resident",
        "contact_phone": "01000000000",
        "records_lookup": True,
        "agree_terms": True,
    }
    assert application["language"] == "vi"
    assert application["service"]["id"] == "digital-device-access"
    assert store.receipt(reference).platform_receipt == stored.receipt_number
    storage.close()
    store.close()

    # Finish: back to the welcome screen, in the default language, nothing kept.
    finish(qtbot, kiosk)
    assert isinstance(journey.screen, WelcomeScreen)
    assert (journey.language, journey.text_size) == ("ko", "standard")
    assert not any("Test Resident" in w.text() for w in kiosk.window.findChildren(QLineEdit))


def test_start_over_asks_once_then_clears(qtbot: QtBot, kiosk: Kiosk) -> None:
    journey = kiosk.journey
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons["ru"])
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    screen = current_question(kiosk, "household_size")
    answer_pad(qtbot, screen, "2")
    tap(qtbot, screen.next_button)
    tap(qtbot, kiosk.window.home_button)
    assert journey.session is not None  # it asked first
    # The safe answer is the big one (issue 18, finding 5); the destructive one is quiet.
    assert primary(kiosk).text() == "Нет, вернуться"
    tap(qtbot, primary(kiosk))
    current_question(kiosk, "receives_livelihood_support")
    tap(qtbot, kiosk.window.home_button)
    yes = [
        b
        for b in journey.screen.findChildren(QPushButton)
        if b.objectName() != "primary" and not isinstance(b, ArrowButton)
    ]
    assert [b.text() for b in yes] == ["Да, начать заново"]
    tap(qtbot, yes[0])
    assert isinstance(journey.screen, WelcomeScreen)
    assert journey.session is None and journey.language == "ko" and journey.picked == []
