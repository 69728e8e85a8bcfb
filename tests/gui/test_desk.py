"""The navigator's desk by real taps: sign in, the dashboard's figures against the store,
sending a set-aside application again, the audit log and a tampered one, settings for
administrators only, the diagnostics zip, and signing out by hand and when idle."""

from __future__ import annotations

import sqlite3
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.staff.audit_view import AuditScreen
from kiosk.staff.dashboard import DashboardScreen
from kiosk.staff.desk import StaffDesk
from kiosk.staff.settings import SettingsScreen
from kiosk.staff.sign_in import SignInScreen
from sync import audit
from sync.device_settings import load_settings
from sync.health import queue_health
from sync.navigators import Navigator, create_navigator
from sync.store import QUARANTINED, WAITING, Store
from tests.gui.taps import tap, through_front_door
from tests.unit.test_health import a_queue_in_every_state

pytestmark = pytest.mark.gui

ADMIN_PIN = "482916"
NAVIGATOR_PIN = "735104"


@pytest.fixture
def desk(qtbot: QtBot, kiosk: Kiosk) -> Iterator[StaffDesk]:
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    running = StaffDesk(kiosk.journey, kiosk.backend, versions={"ieum": "test"})
    yield running
    running.close()


@pytest.fixture
def store(kiosk: Kiosk) -> Iterator[Store]:
    """The test's own look into the kiosk's store (the desk has no connection of its own)."""
    looking = Store(kiosk.config.data.store, check=False)
    yield looking
    looking.close()


def settled(qtbot: QtBot, desk: StaffDesk) -> None:
    """Every operation the desk asked for has answered (they run on the store's worker)."""
    qtbot.waitUntil(lambda: desk.owner.pending == 0, timeout=15_000)


def staff(store: Store) -> tuple[Navigator, Navigator]:
    now = time.time()
    admin = create_navigator(store, "Test Admin", ADMIN_PIN, now, role="administrator")
    helper = create_navigator(store, "Test Navigator", NAVIGATOR_PIN, now)
    return admin, helper


def sign_in(qtbot: QtBot, desk: StaffDesk, who: Navigator, pin: str) -> DashboardScreen:
    desk.show_sign_in()
    settled(qtbot, desk)
    screen = desk.screen
    assert isinstance(screen, SignInScreen)
    tap(qtbot, screen.name_buttons[who.navigator_id])
    for digit in pin:
        tap(qtbot, screen.pad.keys[digit])
    tap(qtbot, screen.sign_in_button)
    qtbot.waitUntil(lambda: isinstance(desk.screen, DashboardScreen), timeout=10_000)
    assert isinstance(desk.screen, DashboardScreen)
    return desk.screen


def test_the_dashboards_figures_equal_the_stores(
    qtbot: QtBot, desk: StaffDesk, store: Store
) -> None:
    admin, _ = staff(store)
    queue = a_queue_in_every_state(store)
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    rows = store.outbox()
    shown = {name: int(label.text()) for name, label in page.figures.items()}
    assert shown == {
        "waiting": sum(1 for i in rows if i.state == WAITING and i.attempts == 0),
        "retrying": sum(1 for i in rows if i.state == WAITING and i.attempts > 0),
        "quarantined": sum(1 for i in rows if i.state == QUARANTINED),
        "sent": store.counts()["receipts"],
        "drafts": store.counts()["drafts"],
    }
    assert shown == {"waiting": 3, "retrying": 2, "quarantined": 2, "sent": 4, "drafts": 2}
    assert set(page.requeue_buttons) == set(queue.quarantined)
    text = " ".join(w.text() for w in page.findChildren(type(page.oldest)))
    assert "does_not_open" in text  # the platform's reason, for the help desk
    assert "TEST ANSWER" not in text  # sealed answers are never read


def test_a_set_aside_application_is_sent_again_by_a_tap(
    qtbot: QtBot, desk: StaffDesk, store: Store
) -> None:
    admin, _ = staff(store)
    queue = a_queue_in_every_state(store)
    desk.backend.platform_url = ""  # offline: the requeued application waits to be sent
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    first = queue.quarantined[0]
    tap(qtbot, page.requeue_buttons[first])
    settled(qtbot, desk)
    [item] = [i for i in store.outbox() if i.submission_id == first]
    assert item.state == WAITING and item.attempts == 0
    entry = next(e for e in audit.recent(store.conn) if e["event"] == "application_requeued")
    assert entry["navigator"] == admin.navigator_id
    page = desk.screen
    assert isinstance(page, DashboardScreen)
    assert int(page.figures["quarantined"].text()) == queue_health(store).quarantined == 1


def test_the_audit_log_and_a_tampered_one(qtbot: QtBot, desk: StaffDesk, store: Store) -> None:
    admin, _ = staff(store)
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    tap(qtbot, page.menu[desk.journey.words._("Audit log")])
    settled(qtbot, desk)
    audit_page = desk.screen
    assert isinstance(audit_page, AuditScreen)
    assert desk.journey.words._("Staff signed in") in audit_page.rows[0].text()
    assert "Test Admin" in audit_page.rows[0].text()
    assert audit_page.verdict.objectName() != "error"
    # Someone edits an entry behind the kiosk's back (the append-only triggers first).
    raw = sqlite3.connect(store.path)
    triggers = raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (name,) in triggers:
        raw.execute(f"DROP TRIGGER {name}")
    raw.execute("UPDATE audit SET navigator = 'someone-else' WHERE seq = 1")
    raw.commit()
    raw.close()
    tap(qtbot, desk.window.back_button)
    settled(qtbot, desk)
    page = desk.screen
    assert isinstance(page, DashboardScreen)
    tap(qtbot, page.menu[desk.journey.words._("Audit log")])
    settled(qtbot, desk)
    audit_page = desk.screen
    assert isinstance(audit_page, AuditScreen)
    assert audit_page.verdict.objectName() == "error"
    assert "1" in audit_page.verdict.text()


def test_settings_are_for_administrators_and_saved_by_a_tap(
    qtbot: QtBot, desk: StaffDesk, store: Store
) -> None:
    admin, helper = staff(store)
    _ = desk.journey.words._
    page = sign_in(qtbot, desk, helper, NAVIGATOR_PIN)
    assert _("Settings") not in page.menu
    tap(qtbot, page.menu[_("Sign out")])
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    tap(qtbot, page.menu[_("Settings")])
    settled(qtbot, desk)
    settings = desk.screen
    assert isinstance(settings, SettingsScreen)
    tap(qtbot, settings.groups["language"]["vi"])
    tap(qtbot, settings.groups["idle_seconds"][180.0])
    settings.dpi.setText("9000")  # a misreporting screen, mistyped
    tap(qtbot, settings.save_button)
    assert settings.error.isVisible() and "400" in settings.error.text()
    assert load_settings(store).language == "ko"  # nothing saved
    settings.dpi.setText("94")
    tap(qtbot, settings.save_button)
    settled(qtbot, desk)
    saved = load_settings(store)
    assert (saved.language, saved.idle_seconds, saved.dpi) == ("vi", 180.0, 94.0)
    # From the next resident on: the session that ends now returns to the new defaults.
    desk.journey.end_session()
    assert (desk.journey.language, desk.journey.idle.idle_seconds) == ("vi", 180.0)
    assert desk.journey.theme.dpi == 94.0
    entry = next(e for e in audit.recent(store.conn) if e["event"] == "settings_changed")
    assert entry["navigator"] == admin.navigator_id


def test_enrolling_with_a_used_token_says_so(
    qtbot: QtBot, desk: StaffDesk, kiosk: Kiosk, store: Store
) -> None:
    admin, _ = staff(store)
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    tap(qtbot, page.menu[desk.journey.words._("Settings")])
    settled(qtbot, desk)
    settings = desk.screen
    assert isinstance(settings, SettingsScreen)
    settings.token.setText("NOT-A-REAL-TOKEN")
    tap(qtbot, settings.enroll_button)
    qtbot.waitUntil(lambda: settings.error.isVisible(), timeout=15_000)
    assert settings.error.text() != ""
    assert "NOT-A-REAL-TOKEN" not in settings.error.text()


def test_diagnostics_are_saved_with_no_answers_in_them(
    qtbot: QtBot, desk: StaffDesk, tmp_path: Path, store: Store
) -> None:
    admin, _ = staff(store)
    a_queue_in_every_state(store)
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    tap(qtbot, page.diagnostics_button)
    settled(qtbot, desk)
    assert page.notice.isVisible()
    [made] = list((desk.data.diagnostics).glob("*.zip"))
    with zipfile.ZipFile(made) as archive:
        names = archive.namelist()
        everything = b"".join(archive.read(n) for n in names)
    assert {"queue.json", "audit.json", "about.json"} <= set(names)
    assert b"TEST ANSWER" not in everything and ADMIN_PIN.encode() not in everything
    assert b'"quarantined": 2' in everything


def test_sign_out_by_hand_and_when_left_alone(qtbot: QtBot, desk: StaffDesk, store: Store) -> None:
    admin, _ = staff(store)
    page = sign_in(qtbot, desk, admin, ADMIN_PIN)
    tap(qtbot, page.menu[desk.journey.words._("Sign out")])
    assert desk.navigator is None
    qtbot.waitUntil(lambda: isinstance(desk.screen, SignInScreen), timeout=10_000)
    sign_in(qtbot, desk, admin, ADMIN_PIN)
    desk.idle._last_input -= desk.idle.idle_seconds + desk.idle.warning_seconds + 1
    qtbot.waitUntil(lambda: isinstance(desk.screen, SignInScreen), timeout=5_000)
    assert desk.navigator is None
    events = [e["event"] for e in audit.recent(store.conn, 10)]
    assert events.count("navigator_signed_out") == 2
    QApplication.processEvents()


def test_saved_settings_apply_at_the_next_start(qtbot: QtBot, tmp_path: Path) -> None:
    from kiosk.config import Defaults, KioskConfig
    from kiosk.speech.settings import SpeechSettings
    from sync.device_settings import DeviceSettings, save_settings

    data = tmp_path / "device"
    store = Store(data / "ieum.db")
    chosen = DeviceSettings(
        language="th",
        text_size="extra_large",
        speech_rate=0.85,
        idle_seconds=300.0,
        platform_url="https://platform.invalid",
    )
    save_settings(store, chosen, "admin-1")
    store.close()
    config = KioskConfig(
        data, "http://127.0.0.1:9", Defaults(language="en"), speech=SpeechSettings(preload=())
    )
    kiosk = Kiosk(config)
    kiosk.start_speech()  # at once, as after the first paint
    try:
        journey = kiosk.journey
        assert (journey.language, journey.text_size) == ("th", "extra_large")
        assert journey.idle.idle_seconds == 300.0
        assert kiosk.speech is not None and kiosk.speech.settings.rate == 0.85
        assert kiosk.backend.platform_url == "https://platform.invalid"
    finally:
        kiosk.close()


def test_help_a_resident_from_the_desk_asks_consent_and_comes_back(
    qtbot: QtBot, kiosk: Kiosk, store: Store
) -> None:
    """With the kiosk's staff entrance, the desk's "Help a resident apply" asks the
    resident's consent, shows "assisted by", and returns to the desk at the end."""
    from kiosk.screens.receipt import ReceiptScreen
    from tests.gui.navigator_steps import answer_first_half, answer_second_half, consent
    from tests.gui.taps import finish, primary

    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    desk = StaffDesk(kiosk.journey, kiosk.backend, entrance=kiosk.staff)
    try:
        admin, _helper = staff(store)
        page = sign_in(qtbot, desk, admin, ADMIN_PIN)
        tap(qtbot, page.menu[desk.journey.words._("Help a resident apply")])
        journey = kiosk.journey
        tap(qtbot, journey.screen.buttons["en"])  # type: ignore[union-attr]
        tap(qtbot, primary(kiosk))
        consent(qtbot, kiosk)
        through_front_door(qtbot, kiosk)
        tap(qtbot, journey.screen.buttons["digital-device-access"])  # type: ignore[union-attr]
        tap(qtbot, primary(kiosk))
        assert kiosk.window.staff_strip.text.text() == "Assisted by Test Admin"
        answer_first_half(qtbot, kiosk)
        answer_second_half(qtbot, kiosk)
        tap(qtbot, primary(kiosk))
        qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=15_000)
        finish(qtbot, kiosk)
        qtbot.waitUntil(lambda: isinstance(desk.screen, DashboardScreen), timeout=5000)
        assert desk.navigator == admin and desk.idle.armed
        assert (
            int(desk.screen.figures["waiting"].text()) + int(desk.screen.figures["sent"].text())
            == 1
        )
    finally:
        desk.close()
