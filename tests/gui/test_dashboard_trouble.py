"""The dashboard names a full disk, unreadable applications and lost entries in plain
words, in every language, with what to do (issue 17)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.i18n import LANGUAGE_CODES, Words
from kiosk.staff.dashboard import DashboardScreen, failure_words
from kiosk.theme import Theme
from sync.client import FailureKind
from sync.health import QueueHealth

GENERIC = "Sending failed. Please tell the help desk."


def _health(kind: str, lost: int = 0, damaged: int = 0) -> QueueHealth:
    return QueueHealth(
        waiting=3, retrying=2, quarantined=1, sent=5, drafts=0, oldest_waiting_seconds=60.0,
        last_sync=None, consecutive_failures=1, last_failure_kind=kind, waiting_until=0.0,
        lost_entries=lost, possibly_lost=["SEOUL-TEST-0001"] if lost else [],
        damaged_rows=damaged,
    )  # fmt: skip


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_failure_kind_has_its_own_words(code: str) -> None:
    words = Words(code)
    generic = words._(GENERIC)
    shown = {failure_words(words, kind) for kind in FailureKind}
    assert generic not in shown and len(shown) == len(FailureKind)
    if code != "en":
        assert "disk is full" not in failure_words(words, FailureKind.DISK_FULL)


def test_the_dashboard_says_disk_full_and_what_to_do(qtbot: QtBot) -> None:
    screen = DashboardScreen(Theme(), Words("en"), _health("disk_full"), True, "2026.1", {})
    qtbot.addWidget(screen)
    text = screen.connection.text()
    assert "disk is full" in text and "Free space" in text
    assert not hasattr(screen, "lost")


def test_the_dashboard_warns_of_lost_entries(qtbot: QtBot) -> None:
    screen = DashboardScreen(Theme(), Words("ko"), _health("", lost=2), True, "2026.1", {})
    qtbot.addWidget(screen)
    assert "헬프데스크" in screen.lost.text()


def test_the_dashboard_says_when_rows_were_unreadable(qtbot: QtBot) -> None:
    screen = DashboardScreen(Theme(), Words("ru"), _health("", damaged=1), True, "2026.1", {})
    qtbot.addWidget(screen)
    assert screen.damaged.text() == failure_words(Words("ru"), "damaged")
    assert "поддержки" in screen.damaged.text()
