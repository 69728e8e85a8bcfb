"""The front door, by real taps (issue 19, acceptance 1): a life event or a typed word
shows the matching services first, each with its own reasons; a 76-year-old never sees
youth services as "close"."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from forms.eligibility import CLOSE, NOT_ELIGIBLE, reason, rule_text
from kiosk.app import Kiosk
from kiosk.i18n import Words
from kiosk.screens.front_door import FrontDoorScreen, SearchScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.ranked import RankedScreen
from kiosk.screens.services import ServicesScreen
from tests.gui.taps import answer_by_tapping, primary, tap
from tools.screenshot import fake_answer

TURNING_65 = {"senior-transport-welfare", "digital-tutor-class"}
TRANSPORT = {"senior-transport-welfare", "youth-transport"}
YOUTH = {"youth-transport", "seoul-youth-allowance", "youth-monthly-rent"}


def to_front_door(qtbot: QtBot, kiosk: Kiosk, language: str) -> FrontDoorScreen:
    journey = kiosk.journey
    tap(qtbot, primary(kiosk))  # welcome: start
    tap(qtbot, journey.screen.buttons[language])  # type: ignore[union-attr]
    tap(qtbot, primary(kiosk))  # text size as it is
    screen = journey.screen
    assert isinstance(screen, FrontDoorScreen), type(screen)
    return screen


def ranked(kiosk: Kiosk) -> RankedScreen:
    screen = kiosk.journey.screen
    assert isinstance(screen, RankedScreen), type(screen)
    return screen


def assert_own_reasons(kiosk: Kiosk, screen: RankedScreen) -> None:
    """Under each service's button, its own standing and each of its own rules' words."""
    words = Words(kiosk.journey.language)
    profile = kiosk.journey.catalog.profile
    for finding in screen.findings:
        # In one framed card with its button: nothing reads as the next service's.
        frame = screen.frames[finding.service.id]
        assert frame.isAncestorOf(screen.buttons[finding.service.id])
        assert all(frame.isAncestorOf(line) for line in screen.cards[finding.service.id])
        lines = [line.text() for line in screen.cards[finding.service.id]]
        assert len(lines) >= 1 + len(finding.results), finding.service.id
        for result, line in zip(finding.results, lines[1:], strict=False):
            own = reason(rule_text(result), words.code, profile, screen.values)
            assert own in line or (result.met is None and not rule_text(result)), (line, own)


def type_in(entry: QLineEdit, typed: str) -> None:
    """Each letter committed as an input method commits it (the on-screen keyboard's
    Hangul composer does so): QTest's key clicks know ASCII only."""
    for letter in typed:
        event = QInputMethodEvent("", [])
        event.setCommitString(letter)
        QApplication.sendEvent(entry, event)
    assert entry.text() == typed


def search(qtbot: QtBot, kiosk: Kiosk, typed: str) -> RankedScreen:
    front = kiosk.journey.screen
    assert isinstance(front, FrontDoorScreen)
    tap(qtbot, front.search_button)
    screen = kiosk.journey.screen
    assert isinstance(screen, SearchScreen)
    screen.entry.clear()
    type_in(screen.entry, typed)
    tap(qtbot, screen.go_on)
    return ranked(kiosk)


@pytest.mark.parametrize("language", ["ko", "en", "mn", "th"])
def test_turning_65_and_transport_searches_show_matching_services_with_reasons(
    qtbot: QtBot, kiosk: Kiosk, language: str
) -> None:
    front = to_front_door(qtbot, kiosk, language)
    assert front.events["turning_65"].text() == Words(language).text(
        next(e.title for e in kiosk.journey.catalog.life_events if e.id == "turning_65")
    )
    tap(qtbot, front.events["turning_65"])
    screen = ranked(kiosk)
    assert list(screen.buttons)[: len(TURNING_65)] and set(screen.buttons) == TURNING_65
    assert_own_reasons(kiosk, screen)
    for typed in ("교통", "ㄱㅌ"):
        while not isinstance(kiosk.journey.screen, FrontDoorScreen):
            tap(qtbot, kiosk.window.back_button)  # the bar's Back, as a resident would
        screen = search(qtbot, kiosk, typed)
        assert set(screen.buttons) == TRANSPORT, typed
        assert all(b.isVisible() for b in screen.buttons.values() if b.parent() is not None)
        assert_own_reasons(kiosk, screen)


def test_a_76_year_old_sees_youth_services_as_not_for_you_with_why(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    front = to_front_door(qtbot, kiosk, "en")
    tap(qtbot, front.events["lost_job"])
    screen = ranked(kiosk)
    tap(qtbot, screen.check_button)  # the short profile, asked once
    journey = kiosk.journey
    while isinstance(journey.screen, QuestionScreen):
        answer_by_tapping(qtbot, journey.screen, fake_answer(journey.screen.question))
    assert journey.visit.profile_answers["birth_year"] == 1950  # 76 in 2026
    screen = ranked(kiosk)
    status = {f.service.id: f.status for f in screen.findings}
    assert status["seoul-youth-allowance"] == NOT_ELIGIBLE
    assert CLOSE not in {status[s] for s in status if s in YOUTH}
    youth = screen.buttons["seoul-youth-allowance"]
    assert not youth.isVisible()  # collapsed under "Not for you (N)"
    assert screen.fold is not None and "Not for you (1)" in screen.fold.text()
    tap(qtbot, screen.fold)
    assert youth.isVisible()
    why = " ".join(line.text() for line in screen.cards["seoul-youth-allowance"])
    assert "76" in why and "✗" in why


def test_i_know_which_service_leads_to_the_list(qtbot: QtBot, kiosk: Kiosk) -> None:
    front = to_front_door(qtbot, kiosk, "th")
    tap(qtbot, front.list_button)
    assert isinstance(kiosk.journey.screen, ServicesScreen)


def test_income_choices_show_won_for_the_household_size(qtbot: QtBot, kiosk: Kiosk) -> None:
    front = to_front_door(qtbot, kiosk, "en")
    tap(qtbot, front.events["hard_times"])
    tap(qtbot, ranked(kiosk).check_button)
    journey = kiosk.journey
    while isinstance(journey.screen, QuestionScreen):
        screen = journey.screen
        if screen.question.id == "household_size":
            answer_by_tapping(qtbot, screen, 2)
        elif screen.question.id == "income_band":
            shown = [b.text() for b in screen.choice_buttons.values()]
            assert any("2 people: up to " in t and " won a month" in t for t in shown), shown
            assert any("2 people: over " in t for t in shown), shown
            return
        else:
            answer_by_tapping(qtbot, screen, fake_answer(screen.question))
    raise AssertionError("no income question in the short profile")
