"""Nothing on the GUI thread touches SQLite, the disk's diagnostics, the PIN hashing,
the audit chain or the network — through a resident's visit, an assisted visit, staff
sign-in and the navigator's desk (dashboard, audit verification, settings, diagnostics).

Every connection the program opens while watched is traced: each SQL statement records
the thread that runs it. The slow calls are wrapped where the kiosk calls them. A frozen
screen is what a statement on the GUI thread risks (a commit on the sync thread holds
the database for a moment), so one such statement is a failure.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

import sync.audit
from kiosk.app import Kiosk
from kiosk.screens.receipt import ReceiptScreen
from kiosk.staff import desk as desk_module
from kiosk.staff import sign_in as sign_in_module
from kiosk.staff.audit_view import AuditScreen
from kiosk.staff.dashboard import DashboardScreen
from kiosk.staff.desk import StaffDesk
from kiosk.staff.settings import SettingsScreen
from kiosk.staff.sign_in import SignInScreen
from reference_platform.local import LocalPlatform
from sync.navigators import create_navigator
from sync.store import Store
from tests.gui.navigator_steps import (
    add_navigator,
    answer_first_half,
    answer_second_half,
    begin_assisted,
    sign_in_from_welcome,
)
from tests.gui.taps import finish, primary, tap, to_review_by_taps

pytestmark = pytest.mark.gui

ADMIN_PIN = "604817"


@dataclass
class Watch:
    """What ran where while the watch was on."""

    on: bool = False
    statements: list[tuple[str, str]] = field(default_factory=list)
    """(thread name, SQL) of every statement."""
    calls: list[tuple[str, str]] = field(default_factory=list)
    """(thread name, what) of every slow call."""

    def on_gui_thread(self) -> list[str]:
        main = threading.main_thread().name
        return [f"{what}" for thread, what in (*self.statements, *self.calls) if thread == main]


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Iterator[Watch]:
    seen = Watch()
    real_connect = sqlite3.connect

    def statement(sql: str) -> None:
        if seen.on:
            seen.statements.append((threading.current_thread().name, sql))

    def traced_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        statement("connect")
        conn.set_trace_callback(statement)
        return conn

    monkeypatch.setattr(sqlite3, "connect", traced_connect)

    def wrapped(owner: object, name: str, label: str) -> None:
        real: Callable[..., Any] = getattr(owner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            if seen.on:
                seen.calls.append((threading.current_thread().name, label))
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, call)

    wrapped(sign_in_module, "sign_in", "PIN check (Argon2id)")
    wrapped(desk_module, "export", "diagnostics zip")
    wrapped(sync.audit, "verify", "audit chain verification")
    wrapped(httpx.Client, "send", "a platform request")
    yield seen


@pytest.fixture
def kiosk(watch: Watch, kiosk: Kiosk) -> Kiosk:
    """The kiosk of tests/gui/conftest.py, started after the watch, so that the
    connections it opens as it starts are traced too."""
    return kiosk


def _until(qtbot: QtBot, condition: Callable[[], bool]) -> None:
    qtbot.waitUntil(condition, timeout=20_000)


def test_the_gui_thread_never_waits_on_the_store_or_the_network(
    watch: Watch, qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform
) -> None:
    """`watch` first: it traces the connections the kiosk opens as it starts."""
    add_navigator(kiosk)  # set-up, outside the watch, as an administrator would
    journey = kiosk.journey
    watch.on = True

    # 1. A resident's own visit, submitted and synced.
    to_review_by_taps(qtbot, kiosk, "digital-tutor-class")
    tap(qtbot, primary(kiosk))
    _until(qtbot, lambda: isinstance(journey.screen, ReceiptScreen))
    kiosk.backend.sync_now()
    _until(qtbot, lambda: kiosk.owner.pending == 0)
    finish(qtbot, kiosk)

    # 2. Sign-in at the kiosk and an assisted visit.
    sign_in_from_welcome(qtbot, kiosk)
    begin_assisted(qtbot, kiosk)
    answer_first_half(qtbot, kiosk)
    answer_second_half(qtbot, kiosk)
    tap(qtbot, primary(kiosk))
    _until(qtbot, lambda: isinstance(journey.screen, ReceiptScreen))
    finish(qtbot, kiosk)  # the navigator is signed out with the visit
    _until(qtbot, lambda: kiosk.owner.pending == 0)

    # 3. The desk: sign-in, dashboard, audit verification, settings, diagnostics (with
    # an administrator added outside the watch).
    watch.on = False
    store = Store(kiosk.config.data.store)
    try:
        admin = create_navigator(store, "Test Admin", ADMIN_PIN, 0.0, role="administrator")
    finally:
        store.close()
    watch.on = True
    desk = StaffDesk(journey, kiosk.backend, entrance=kiosk.staff)
    try:
        desk.show_sign_in()
        _until(qtbot, lambda: isinstance(desk.screen, SignInScreen))
        screen = desk.screen
        assert isinstance(screen, SignInScreen)
        tap(qtbot, screen.name_buttons[admin.navigator_id])
        for digit in ADMIN_PIN:
            tap(qtbot, screen.pad.keys[digit])
        tap(qtbot, screen.sign_in_button)
        _until(qtbot, lambda: isinstance(desk.screen, DashboardScreen))
        dashboard = desk.screen
        assert isinstance(dashboard, DashboardScreen)
        tap(qtbot, dashboard.menu[journey.words._("Audit log")])
        _until(qtbot, lambda: isinstance(desk.screen, AuditScreen))
        tap(qtbot, kiosk.window.back_button)
        _until(qtbot, lambda: isinstance(desk.screen, DashboardScreen))
        dashboard = desk.screen
        assert isinstance(dashboard, DashboardScreen)
        tap(qtbot, dashboard.menu[journey.words._("Settings")])
        _until(qtbot, lambda: isinstance(desk.screen, SettingsScreen))
        settings = desk.screen
        assert isinstance(settings, SettingsScreen)
        tap(qtbot, settings.groups["language"]["vi"])
        tap(qtbot, settings.save_button)
        _until(qtbot, lambda: isinstance(desk.screen, DashboardScreen))
        dashboard = desk.screen
        assert isinstance(dashboard, DashboardScreen)
        tap(qtbot, dashboard.diagnostics_button)
        _until(qtbot, lambda: dashboard.notice.isVisible())
        _until(qtbot, lambda: kiosk.owner.pending == 0)
    finally:
        watch.on = False
        desk.close()

    # The watch saw the work (it can fail), and none of it on the GUI thread.
    labels = {what for _thread, what in watch.calls}
    assert labels >= {
        "PIN check (Argon2id)", "diagnostics zip", "audit chain verification",
        "a platform request",
    }  # fmt: skip
    assert any("INSERT INTO" in sql and "outbox" in sql for _t, sql in watch.statements)
    assert watch.on_gui_thread() == []


def test_the_watch_sees_a_statement_on_the_gui_thread(watch: Watch, kiosk: Kiosk) -> None:
    """The check above can fail: a store opened on the GUI thread is caught."""
    watch.on = True
    store = Store(kiosk.config.data.store, check=False)
    try:
        store.setting("anything")
    finally:
        store.close()
        watch.on = False
    assert any("settings" in what for what in watch.on_gui_thread())
