"""Journey D: a resident comes back with a reference and sees that one application only.

Real store, real reference platform over loopback; staff change the status with the
platform's own command line, as they would; the resident taps, types or scans.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.i18n import Words
from kiosk.screens.question import QuestionScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.review import ReviewScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.status_check import EXAMPLE, StatusCheckScreen
from kiosk.screens.status_result import StatusResultScreen, applied_on
from kiosk.screens.welcome import WelcomeScreen
from kiosk.widgets import ArrowButton
from reference_platform.local import LocalPlatform
from sync.store import Receipt, Store
from tests.gui.taps import answer_by_tapping, finish, primary, tap, through_front_door
from tools.screenshot import fake_answer

pytestmark = pytest.mark.gui

SERVICES = ("digital-device-access", "digital-tutor-class")


def apply_for(qtbot: QtBot, kiosk: Kiosk, service_ids: tuple[str, ...]) -> list[str]:
    """Apply through the journey with obviously fake answers; the receipt's references."""
    journey = kiosk.journey
    tap(qtbot, primary(kiosk))  # Start
    tap(qtbot, journey.screen.buttons["ko"])
    tap(qtbot, primary(kiosk))  # text size: Continue
    through_front_door(qtbot, kiosk)
    services = journey.screen
    assert isinstance(services, ServicesScreen)
    for service_id in service_ids:
        tap(qtbot, services.buttons[service_id])
    tap(qtbot, primary(kiosk))
    while isinstance(journey.screen, QuestionScreen):
        screen = journey.screen
        answer_by_tapping(qtbot, screen, fake_answer(screen.question))
    assert isinstance(journey.screen, ReviewScreen)
    tap(qtbot, primary(kiosk))
    qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=15_000)
    receipt = journey.screen
    assert isinstance(receipt, ReceiptScreen)
    references = list(receipt.references)
    finish(qtbot, kiosk)
    assert isinstance(journey.screen, WelcomeScreen)
    return references


def synced_receipt(qtbot: QtBot, kiosk: Kiosk, reference: str, status: str) -> Receipt:
    """Sync until the device's store holds this receipt with this status."""
    store = Store(kiosk.config.data.store)
    try:

        def arrived() -> bool:
            kiosk.backend.sync_now()  # ignored while a pass is running
            found = store.receipt(reference)
            return found is not None and found.status == status

        qtbot.waitUntil(arrived, timeout=20_000)
        receipt = store.receipt(reference)
        assert receipt is not None
        return receipt
    finally:
        store.close()


def set_status(platform: LocalPlatform, receipt_number: str, status: str) -> None:
    """What staff at the city do: the platform's command line, in its own process."""
    command = [sys.executable, "-m", "reference_platform", "set-status"]
    subprocess.run(
        [*command, "--data", str(platform.data), receipt_number, status],
        check=True,
        capture_output=True,
        timeout=60,
    )


def open_status_check(qtbot: QtBot, kiosk: Kiosk, language: str) -> StatusCheckScreen:
    """From the welcome screen: the second button, a language, a text size."""
    journey = kiosk.journey
    welcome = journey.screen
    assert isinstance(welcome, WelcomeScreen)
    tap(qtbot, welcome.status_button)
    tap(qtbot, journey.screen.buttons[language])
    tap(qtbot, primary(kiosk))  # text size: Continue
    screen = journey.screen
    assert isinstance(screen, StatusCheckScreen)
    return screen


def tap_reference(qtbot: QtBot, screen: StatusCheckScreen, reference: str) -> None:
    tap(qtbot, screen.pad.keys["clear"])
    for char in reference.replace("-", ""):
        tap(qtbot, screen.pad.keys[char])


def scan(qtbot: QtBot, kiosk: Kiosk, screen: StatusCheckScreen, text: str) -> None:
    """A USB scanner: key presses to whatever has the keyboard focus, then Enter."""
    target = kiosk.window.focusWidget()
    assert target is not None and (target is screen or screen.isAncestorOf(target))
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def shown_text(kiosk: Kiosk) -> str:
    """Every piece of text on the screen, hyphens as typed (the screen never breaks them)."""
    widgets: list[QWidget] = [
        *kiosk.window.findChildren(QLabel),
        *kiosk.window.findChildren(QAbstractButton),
        *kiosk.window.findChildren(QLineEdit),
    ]
    texts = [w.text() for w in widgets if w.isVisible()]  # type: ignore[attr-defined]
    return "\n".join(texts).replace("\u2011", "-")


def result_screen(qtbot: QtBot, kiosk: Kiosk) -> StatusResultScreen:
    qtbot.waitUntil(lambda: isinstance(kiosk.journey.screen, StatusResultScreen), timeout=10_000)
    screen = kiosk.journey.screen
    assert isinstance(screen, StatusResultScreen)
    return screen


def test_an_approved_application_and_nothing_about_the_other(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform
) -> None:
    approved_ref, other_ref = apply_for(qtbot, kiosk, SERVICES)
    approved = synced_receipt(qtbot, kiosk, approved_ref, "received")
    other = synced_receipt(qtbot, kiosk, other_ref, "received")
    set_status(platform, approved.platform_receipt, "approved")
    approved = synced_receipt(qtbot, kiosk, approved_ref, "approved")

    screen = open_status_check(qtbot, kiosk, "en")
    tap_reference(qtbot, screen, approved_ref)
    assert screen.display.text() == approved_ref
    tap(qtbot, screen.look_up_button)

    result = result_screen(qtbot, kiosk)
    assert result.status_label.text() == "Your application was approved."
    words = Words("en")
    title = words.text(kiosk.catalog.service(SERVICES[0]).title)
    other_title = words.text(kiosk.catalog.service(SERVICES[1]).title)
    shown = shown_text(kiosk)
    assert title in shown
    assert f"Applied on: {applied_on(words, approved.created)}" in shown
    assert f"City receipt number: {approved.platform_receipt}" in shown
    assert f"Reference number: {approved_ref}" in shown
    # Nothing about the other application of the same visit.
    assert other_ref not in shown and other.platform_receipt not in shown
    assert other_title not in shown and "received" not in shown

    # Finish wipes the visit, as at the end of an application.
    tap(qtbot, primary(kiosk))
    assert isinstance(kiosk.journey.screen, WelcomeScreen)
    assert (kiosk.journey.language, kiosk.journey.text_size) == ("ko", "standard")
    assert approved_ref not in shown_text(kiosk)


def test_a_well_formed_unknown_reference_is_not_found_kindly(qtbot: QtBot, kiosk: Kiosk) -> None:
    screen = open_status_check(qtbot, kiosk, "th")
    tap_reference(qtbot, screen, "0000-0000-00")
    tap(qtbot, screen.look_up_button)
    result = result_screen(qtbot, kiosk)
    words = Words("th")
    assert result.status_label.text() == words._("We could not find this application")
    shown = shown_text(kiosk)
    assert "0000-0000-00" in shown
    assert (
        words._(
            "If you applied today, it may still be waiting to be sent to the city. "
            "Please ask a member of staff here."
        )
        in shown
    )

    # Try again: an empty status check, still in Thai.
    again = [
        b
        for b in result.findChildren(QAbstractButton)
        if b.objectName() != "primary" and not isinstance(b, ArrowButton)
    ]
    tap(qtbot, again[0])
    screen = kiosk.journey.screen
    assert isinstance(screen, StatusCheckScreen) and screen.typed == ""
    assert kiosk.journey.language == "th"


GARBAGE = [
    ("tapped", "7K3M9"),  # too short
    ("typed", "hello!"),  # too short, and not all of it can be typed on the pad
    ("typed", "abcd-efgh-uu"),  # U is not in the reference alphabet
    ("typed", "ABCD-1234-EFGH"),  # too long: refused, never cut to fit
]


@pytest.mark.parametrize(("how", "garbage"), GARBAGE)
def test_what_cannot_be_a_reference_is_explained_and_not_looked_up(
    qtbot: QtBot, kiosk: Kiosk, how: str, garbage: str
) -> None:
    screen = open_status_check(qtbot, kiosk, "ru")
    with qtbot.assertNotEmitted(screen.looked_up, wait=500):  # the only way to a look-up
        if how == "tapped":
            tap_reference(qtbot, screen, garbage)
            tap(qtbot, screen.look_up_button)
        else:
            scan(qtbot, kiosk, screen, garbage)
    assert kiosk.journey.screen is screen
    assert screen.error.isVisible()
    assert screen.error.text() == Words("ru")._(
        "A reference number has 10 letters and numbers, like {example}. "
        "Please check the number on your receipt and enter it again."
    ).format(example=EXAMPLE)

    # Correcting it takes the message away.
    tap(qtbot, screen.pad.keys["delete"])
    assert not screen.error.isVisible()


def test_a_scanned_receipt_code_in_lower_case_with_enter(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform
) -> None:
    [reference] = apply_for(qtbot, kiosk, SERVICES[:1])
    receipt = synced_receipt(qtbot, kiosk, reference, "received")
    set_status(platform, receipt.platform_receipt, "needs_information")
    receipt = synced_receipt(qtbot, kiosk, reference, "needs_information")

    screen = open_status_check(qtbot, kiosk, "mn")
    tap(qtbot, screen.pad.keys["A"])  # started tapping, then reached for the scanner
    tap(qtbot, screen.pad.keys["clear"])
    scan(qtbot, kiosk, screen, reference.lower())

    result = result_screen(qtbot, kiosk)
    words = Words("mn")
    assert result.status_label.text() == words._("The office needs more information from you.")
    shown = shown_text(kiosk)
    assert receipt.platform_receipt in shown and reference in shown
    assert (
        words._(
            "Please contact the office in charge of this service, "
            "or ask a member of staff here for help."
        )
        in shown
    )


@pytest.mark.parametrize("language", ["th", "mn", "ja", "ru"])
def test_at_extra_large_on_a_small_screen_the_whole_pad_is_in_view(
    qtbot: QtBot, language: str
) -> None:
    """1280x720 at 94 DPI, Extra-large: the question, the code typed so far, every key
    (Clear and Delete with their words on one line) and Look it up, with no scrolling.
    The pad was 1,351 px wide there and its rows went below the fold; its help text is
    behind "More" (issue 18)."""
    from tools.screenshot import shown

    with shown("status_check", language, "extra_large", dpi=94.0, size=(1280, 720)) as kiosk:
        screen = kiosk.journey.screen
        assert isinstance(screen, StatusCheckScreen)
        qtbot.waitUntil(lambda: screen.more_button.isVisible())
        window = kiosk.window
        shown_rect = window.rect()
        needed: list[QWidget] = [screen.display, screen.look_up_button, screen.more_button]
        needed += list(screen.pad.keys.values())
        for widget in needed:
            rect = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
            assert shown_rect.contains(rect), (widget.accessibleName(), rect)
            if isinstance(widget, QAbstractButton) and widget.text():
                assert widget.sizeHint().width() <= widget.width() + 2, widget.text()
        assert screen.scroll_column.isHidden()
        assert window.size().width() == 1280 and window.size().height() == 720
        tap(qtbot, screen.more_button)  # the help, when asked for, scrolls into view
        assert screen.more_words[-1].isVisible()
