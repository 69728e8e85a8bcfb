"""The navigator's desk, issue 18 finding 11: who is signed in, a quieter Sign out apart
from the everyday places, "command line" in the navigator's language, a resume code
whose places can be counted, look-up by reference with a reprint, and dates, times and
durations in each language's CLDR form (babel), never "{date} HH:MM" by hand."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QGridLayout
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.i18n import Words
from kiosk.screens.status_check import StatusCheckScreen
from kiosk.staff.audit_view import AuditScreen
from kiosk.staff.desk import StaffDesk
from kiosk.staff.formats import duration_words, moment_words, when_words
from kiosk.staff.lookup import FoundScreen, copy_receipt, place_words
from kiosk.staff.screens import shown_code, typed_words
from sync.lookup import SENT, WAITING, Found, find_application
from sync.navigators import create_navigator, list_navigators
from sync.store import Store
from tests.gui.taps import tap
from tests.gui.test_desk import ADMIN_PIN, settled, sign_in, staff
from tests.unit.test_health import a_queue_in_every_state

pytestmark = pytest.mark.gui

AT = dt.datetime(2026, 12, 4, 15, 5, 9).timestamp()


@pytest.fixture
def desk(qtbot: QtBot, kiosk: Kiosk) -> Iterator[StaffDesk]:
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    running = StaffDesk(kiosk.journey, kiosk.backend, versions={"ieum": "test"})
    yield running
    running.close()


@pytest.fixture
def store(kiosk: Kiosk) -> Iterator[Store]:
    looking = Store(kiosk.config.data.store, check=False)
    yield looking
    looking.close()


def test_signed_in_as_and_a_quieter_sign_out_apart_from_the_places(
    qtbot: QtBot, desk: StaffDesk, store: Store
) -> None:
    admin, _helper = staff(store)
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    _ = desk.journey.words._
    assert page.signed_in is not None
    assert page.signed_in.text() == _("Signed in as {name}").format(name="Test Admin")
    leave = page.menu[_("Sign out")]
    everyday = page.menu[_("Audit log")]
    grids = [item for item in page.findChildren(QGridLayout) if item.indexOf(everyday) >= 0]
    assert grids and grids[0].indexOf(leave) < 0  # not among the everyday places
    assert leave.width() < everyday.width()  # smaller, and muted with a dotted edge
    assert "dotted" in leave.styleSheet() and leave.objectName() != "primary"
    tap(qtbot, leave)
    settled(qtbot, desk)
    assert desk.navigator is None


def test_command_line_is_in_the_navigators_language(
    qtbot: QtBot, desk: StaffDesk, store: Store, kiosk: Kiosk
) -> None:
    create_navigator(store, "Test Admin", ADMIN_PIN, time.time(), role="administrator",
                     by="command line")  # fmt: skip
    desk.journey.visit.language = "ko"
    [admin] = list_navigators(store)
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    tap(qtbot, page.menu[Words("ko")._("Audit log")])
    qtbot.waitUntil(lambda: isinstance(desk.screen, AuditScreen), timeout=10_000)
    assert isinstance(desk.screen, AuditScreen)
    rows = [row.text() for row in desk.screen.rows]
    assert any("명령줄" in row for row in rows), rows
    assert not any("command line" in row for row in rows)


def test_the_resume_codes_places_can_be_counted() -> None:
    space = " "
    assert shown_code("") == space.join("_____–_____")
    assert shown_code("A7K") == space.join("A7K__–_____")
    assert shown_code("A7KQ2XYZ34") == space.join("A7KQ2–XYZ34")
    assert typed_words(Words("en"), "A7K") == "3 of 10 typed"
    assert typed_words(Words("ko"), "A7K") == "10자 중 3자 입력"


def test_dates_times_and_durations_follow_each_languages_cldr_forms() -> None:
    assert moment_words(Words("en"), AT) == "Dec 4, 2026, 3:05\u202fPM"  # 12-hour in en_US
    assert moment_words(Words("ko"), AT) == "2026. 12. 4. 오후 3:05"  # and in Korean
    assert moment_words(Words("vi"), AT) == "15:05 4 thg 12, 2026"  # time first
    assert moment_words(Words("en"), AT, seconds=True) == "Dec 4, 2026, 3:05:09\u202fPM"
    assert duration_words(Words("ru"), 22 * 60) == "22 минуты"  # Russian's plural forms
    assert duration_words(Words("ru"), 25 * 60) == "25 минут"
    assert duration_words(Words("ru"), 21 * 3600) == "21 час"
    assert duration_words(Words("en"), 3 * 86400) == "3 days"
    assert when_words(Words("en"), AT, AT + 60) == "today, 3:05\u202fPM"


def test_look_up_by_reference_and_print_the_receipt_again(
    qtbot: QtBot, desk: StaffDesk, store: Store, kiosk: Kiosk
) -> None:
    queue = a_queue_in_every_state(store)
    [reference] = [
        item.reference for item in store.outbox() if item.submission_id == queue.waiting[0]
    ]
    admin, _helper = staff(store)
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    words = desk.journey.words
    tap(qtbot, page.menu[words._("Find an application by reference")])
    screen = desk.screen
    assert isinstance(screen, StatusCheckScreen)
    screen.pad.type_text("ZZZZ9999ZZ")  # well formed, made nowhere
    tap(qtbot, screen.look_up_button)
    settled(qtbot, desk)
    assert screen.error.text() == words._(
        "No application with this reference number was made on this kiosk."
    )
    screen.pad.press("clear")
    screen.pad.type_text(reference)
    tap(qtbot, screen.look_up_button)
    qtbot.waitUntil(lambda: isinstance(desk.screen, FoundScreen), timeout=10_000)
    found = desk.screen
    assert isinstance(found, FoundScreen) and found.found.reference == reference
    # Where it is now, as the store says (the kiosk's real sync may have sent it on, and
    # the test platform refuses these fake applications, so it is waiting or set aside).
    now = find_application(store, reference)
    assert now is not None and found.lines[2] == place_words(words, now)
    assert found.lines[2] in (words._("Waiting to be sent"),
                              words._("Refused by the platform, set aside"))  # fmt: skip
    # The copy in the resident's language, picked on the screen (the desk's by default).
    assert found.copy_language == words.code
    tap(qtbot, found.language_buttons["mn"])
    assert found.copy_language == "mn"
    assert found.language_buttons["mn"].text().startswith("✓ ")
    assert not found.language_buttons[words.code].isChecked()
    tap(qtbot, found.print_button)
    qtbot.waitUntil(found.printed.isVisible, timeout=20_000)
    copies = list(Path(kiosk.config.data.printed).glob("receipt-copy-*.pdf"))
    assert len(copies) == 1 and reference in copies[0].name, found.printed.text()
    text = pdf_text(copies[0])
    mongolian = Words("mn")
    assert mongolian._("Your reference number:") in text, text
    assert words._("Your reference number:") not in text
    # What the desk is told stays in the desk's language.
    kept = words._("There is no printer here: the copy was kept as {path}.")
    assert found.printed.text().startswith(kept.split("{path}")[0])


def pdf_text(path: Path) -> str:
    """The words of a PDF, as a reader's copy-and-paste would have them."""
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(document.getAllText(n).text() for n in range(document.pageCount()))
    document.close()
    return text


@pytest.mark.parametrize("language", ["en", "mn"])
def test_a_staff_copy_says_what_the_residents_receipt_says(language: str) -> None:
    """Received (this kiosk keeps it, sends it when online) or sent to the city, as the
    resident's own receipt says it now; not the old "saved"."""
    words = Words(language)
    made = dt.datetime(2026, 11, 22, 10, 30).timestamp()
    waiting = copy_receipt(words, Found("TEST-0000-A0", "test", made, WAITING), "Test", [])
    sent = copy_receipt(words, Found("TEST-0000-A0", "test", made, SENT), "Test", [])
    assert waiting.heading == words.n_(
        "Your application has been received", "Your applications have been received", 1
    )
    assert sent.heading == words.n_(
        "Your application has been sent to the city",
        "Your applications have been sent to the city",
        1,
    )
    keeps = words.n_(
        "This kiosk keeps it safely and sends it to the city as soon as it is online.",
        "This kiosk keeps them safely and sends them to the city as soon as it is online.",
        1,
    )
    assert keeps in waiting.lines_before and keeps not in sent.lines_before
    assert waiting.lines_before[0] == words.date(dt.date(2026, 11, 22))
