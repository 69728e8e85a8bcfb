"""Navigator mode on the kiosk, end to end: the staff entrance, sign-in, the resident's
consent, an assisted application that reaches the reference platform with "assisted
by" and the consent inside the sealed payload, and sign-out by idleness."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.staff.screens import StaffMenuScreen
from kiosk.staff.sign_in import SignInScreen
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync import audit
from sync.store import Store
from tests.gui.navigator_steps import (
    FAKE_NAME,
    FAKE_PHONE,
    NAVIGATOR,
    add_navigator,
    answer_first_half,
    answer_second_half,
    begin_assisted,
    consent,
    question,
    sign_in,
    sign_in_from_welcome,
    strip_button,
)
from tests.gui.taps import answer_pad, finish, primary, tap, through_front_door

pytestmark = pytest.mark.gui


def _events(kiosk: Kiosk) -> list[dict[str, object]]:
    store = Store(kiosk.config.data.store)
    try:
        return list(reversed(audit.recent(store.conn, 200)))
    finally:
        store.close()


def test_an_assisted_application_reaches_the_platform_with_consent(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform
) -> None:
    navigator = add_navigator(kiosk)
    journey = kiosk.journey
    strip = kiosk.window.staff_strip
    assert isinstance(journey.screen, WelcomeScreen) and strip.isHidden()
    sign_in_from_welcome(qtbot, kiosk)
    assert strip.isVisible() and NAVIGATOR in strip.text.text()

    begin_assisted(qtbot, kiosk, language="en")
    question(kiosk, "household_size")
    assert strip.text.text() == f"Assisted by {NAVIGATOR}"
    assert strip_button(kiosk, "pause").isVisible()
    answer_first_half(qtbot, kiosk)
    answer_second_half(qtbot, kiosk)
    tap(qtbot, primary(kiosk))
    qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=15_000)
    [reference] = journey.screen.references

    kiosk.backend.sync_now()
    store = Store(kiosk.config.data.store)
    qtbot.waitUntil(lambda: store.receipt(reference) is not None, timeout=15_000)
    store.close()
    storage = PlatformStorage(platform.data)
    try:
        [stored] = storage.submissions()
        application = json.loads(storage.open(stored))
    finally:
        storage.close()
    assisted = application["assisted"]
    assert assisted["navigator_id"] == navigator.navigator_id
    assert assisted["navigator_name"] == NAVIGATOR
    assert assisted["resident_consented"] is True and assisted["consented_at"] > 0
    assert application["answers"]["name_for_loan"] == FAKE_NAME
    assert application["answers"]["contact_phone"] == FAKE_PHONE

    # The audit log: consent, then the application queued under the navigator's id.
    events = _events(kiosk)
    names = [e["event"] for e in events]
    consented = names.index("assistance_consented")
    queued = names.index("application_queued")
    assert consented < queued
    assert events[consented]["navigator"] == navigator.navigator_id
    assert events[queued]["navigator"] == navigator.navigator_id
    assert FAKE_NAME not in json.dumps(events) and FAKE_PHONE not in json.dumps(events)

    # Finish: the navigator is signed out with the visit, the strip goes.
    finish(qtbot, kiosk)
    assert isinstance(journey.screen, WelcomeScreen)
    assert kiosk.staff.navigator is None and journey.assistance is None and strip.isHidden()
    qtbot.waitUntil(lambda: _events(kiosk)[-1]["event"] == "navigator_signed_out", timeout=5000)
    assert _events(kiosk)[-1]["details"] == {"why": "visit_ended"}


def test_an_unassisted_application_says_nothing_of_assistance(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform
) -> None:
    journey = kiosk.journey
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons["en"])
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    answer_first_half(qtbot, kiosk)
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
    assert "assisted" not in application


def test_staff_mid_visit_can_keep_the_visit_and_help(qtbot: QtBot, kiosk: Kiosk) -> None:
    add_navigator(kiosk)
    journey = kiosk.journey
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons["ru"])
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    screen = question(kiosk, "household_size")
    answer_pad(qtbot, screen, "2")
    tap(qtbot, screen.next_button)
    question(kiosk, "receives_livelihood_support")

    # Help → Staff, findable from any screen; then the PIN.
    tap(qtbot, kiosk.window.help_button)
    tap(qtbot, journey.screen.staff_button)
    qtbot.waitUntil(lambda: isinstance(journey.screen, SignInScreen), timeout=10_000)
    sign_in(qtbot, kiosk)
    choice = journey.screen
    assert isinstance(choice, NoticeScreen)
    tap(qtbot, primary(kiosk))  # help with this visit, as it is
    consent(qtbot, kiosk)  # asked in the resident's language, Russian
    question(kiosk, "receives_livelihood_support")
    assert journey.session is not None and journey.session.answer_for("household_size", "") == 2
    assert journey.language == "ru"
    assert kiosk.window.staff_strip.text.text() == f"Помощь оказывает {NAVIGATOR}"


def test_staff_mid_visit_can_clear_it(qtbot: QtBot, kiosk: Kiosk) -> None:
    add_navigator(kiosk)
    journey = kiosk.journey
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons["en"])
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    screen = question(kiosk, "household_size")
    answer_pad(qtbot, screen, "2")
    tap(qtbot, screen.next_button)
    tap(qtbot, kiosk.window.help_button)
    tap(qtbot, journey.screen.staff_button)
    sign_in(qtbot, kiosk)
    choice = journey.screen
    assert isinstance(choice, NoticeScreen)
    [clear] = [b for b in choice.findChildren(type(primary(kiosk))) if b.text() == "Clear it"]
    tap(qtbot, clear)
    assert isinstance(journey.screen, StaffMenuScreen)
    assert journey.session is None and journey.picked == [] and journey.language == "ko"


def test_a_resident_who_declines_goes_on_alone(qtbot: QtBot, kiosk: Kiosk) -> None:
    add_navigator(kiosk)
    journey = kiosk.journey
    sign_in_from_welcome(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["assist"])
    tap(qtbot, journey.screen.buttons["en"])
    tap(qtbot, primary(kiosk))
    notice = journey.screen
    assert isinstance(notice, NoticeScreen)
    [no] = [b for b in notice.findChildren(type(primary(kiosk))) if b.text().startswith("No")]
    tap(qtbot, no)
    assert kiosk.staff.navigator is None and journey.assistance is None
    assert kiosk.window.staff_strip.isHidden()
    qtbot.waitUntil(lambda: _events(kiosk)[-1]["event"] == "navigator_signed_out", timeout=5000)
    assert _events(kiosk)[-1]["details"] == {"why": "resident_declined"}
    assert "assistance_consented" not in [e["event"] for e in _events(kiosk)]


def test_a_navigator_left_idle_is_signed_out(qtbot: QtBot, kiosk: Kiosk) -> None:
    add_navigator(kiosk)
    journey = kiosk.journey
    sign_in_from_welcome(qtbot, kiosk)
    assert kiosk.staff.navigator is not None and journey.idle.armed
    journey.idle.idle_seconds = 0.3  # shortened here only, to keep the test quick
    journey.idle.warning_seconds = 0.5
    journey.idle.touch()
    with qtbot.waitSignal(journey.idle.warning, timeout=3000):
        pass
    with qtbot.waitSignal(journey.session_ended, timeout=3000) as ended:
        pass
    assert ended.args == ["idle"]
    assert kiosk.staff.navigator is None and isinstance(journey.screen, WelcomeScreen)
    assert kiosk.window.staff_strip.isHidden()
    qtbot.waitUntil(lambda: _events(kiosk)[-1]["event"] == "navigator_signed_out", timeout=5000)
    assert _events(kiosk)[-1]["details"] == {"why": "idle"}


def test_a_desk_lends_its_navigator_to_an_assisted_visit(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform
) -> None:
    """The desktop client's "Help a resident": the same consent and "assisted by"; when
    the visit ends the desk gets its screen back, and its navigator stays signed in."""
    navigator = add_navigator(kiosk)
    journey = kiosk.journey
    back: list[bool] = []
    kiosk.staff.assist_as(navigator, lambda: back.append(True))
    tap(qtbot, journey.screen.buttons["en"])
    tap(qtbot, primary(kiosk))
    consent(qtbot, kiosk)
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    assert kiosk.window.staff_strip.text.text() == f"Assisted by {NAVIGATOR}"
    answer_first_half(qtbot, kiosk)
    answer_second_half(qtbot, kiosk)
    tap(qtbot, primary(kiosk))
    qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=15_000)
    finish(qtbot, kiosk)
    qtbot.waitUntil(lambda: back == [True], timeout=2000)
    assert kiosk.staff.navigator is None and kiosk.window.staff_strip.isHidden()
    kiosk.backend.sync_now()
    storage = PlatformStorage(platform.data)
    try:
        qtbot.waitUntil(lambda: len(storage.submissions()) == 1, timeout=15_000)
        application = json.loads(storage.open(storage.submissions()[0]))
    finally:
        storage.close()
    assert application["assisted"]["navigator_id"] == navigator.navigator_id
    events = [e["event"] for e in _events(kiosk)]
    assert "assistance_consented" in events and "navigator_signed_out" not in events
