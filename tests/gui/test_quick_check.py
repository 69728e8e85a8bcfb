"""Journey A with the quick check and two services at once, in Thai and Mongolian, by taps."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.screens.question import QuestionScreen
from kiosk.screens.ranked import RankedScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.review import ReviewScreen
from kiosk.screens.services import ServicesScreen
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.store import Store
from tests.gui.taps import answer_by_tapping, primary, tap, through_front_door
from tools.screenshot import fake_answer

pytestmark = pytest.mark.gui

PROFILE = {
    "birth_year": "1995",
    "residence": "seoul",
    "household_size": "1",
    "income_band": "under_50",
    "employment": "unemployed",
    "receives_livelihood_support": False,
}


@pytest.mark.parametrize("language", ["th", "mn"])
def test_quick_check_then_two_services_sharing_answers(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform, language: str
) -> None:
    journey = kiosk.journey
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons[language])
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    services = journey.screen
    assert isinstance(services, ServicesScreen)
    tap(qtbot, services.check_button)

    for expected_id, value in PROFILE.items():
        screen = journey.screen
        assert isinstance(screen, QuestionScreen) and screen.question.id == expected_id
        answer_by_tapping(qtbot, screen, value)

    results = journey.screen
    assert isinstance(results, RankedScreen)
    eligible = {f.service.id for f in results.findings if f.status == "eligible"}
    assert {"seoul-youth-allowance", "youth-monthly-rent", "youth-transport"} <= eligible
    assert "senior-transport-welfare" not in eligible
    for service_id, box in results.buttons.items():
        if box.isChecked() != (service_id in ("youth-monthly-rent", "youth-transport")):
            tap(qtbot, box)
    assert set(results.picked()) == {"youth-monthly-rent", "youth-transport"}
    tap(qtbot, primary(kiosk))

    asked = []
    while isinstance(journey.screen, QuestionScreen):
        screen = journey.screen
        asked.append(screen.question.id)
        assert len(asked) < 40, asked
        answer_by_tapping(qtbot, screen, fake_answer(screen.question))
    assert not set(asked) & set(PROFILE), "profile answers from the quick check were asked again"
    assert "card_number" in asked and "monthly_rent" in asked

    assert isinstance(journey.screen, ReviewScreen)
    tap(qtbot, primary(kiosk))
    qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=15_000)
    receipt = journey.screen
    assert isinstance(receipt, ReceiptScreen) and len(receipt.references) == 2

    store = Store(kiosk.config.data.store)
    kiosk.backend.sync_now()
    qtbot.waitUntil(lambda: all(store.receipt(r) for r in receipt.references), timeout=15_000)
    storage = PlatformStorage(platform.data)
    opened = {}
    for stored in storage.submissions():
        application = json.loads(storage.open(stored))
        opened[application["service"]["id"]] = application
    assert set(opened) == {"youth-monthly-rent", "youth-transport"}
    for application in opened.values():
        assert application["answers"]["birth_year"] == 1995
        assert application["answers"]["residence"] == "seoul"
        assert application["language"] == language
    assert opened["youth-transport"]["answers"]["card_number"] == "0" * 16
    storage.close()
    store.close()
