"""Every screen of the resident's journeys, visited in order, for the screenshot audit.

The tour drives a real kiosk the way the journeys go (with obviously fake answers from
tools.screenshot): welcome, language, text size, the quick check question by question
and its findings, every question of every service in the catalog, review, receipt, the
status check and its three results, and what can appear over any screen (help, speech
settings, Start over, the idle warning). Each stop is shown and laid out before it is
yielded, so the caller can look at it: take a picture, audit it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QApplication

from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.screens.question import QuestionScreen
from kiosk.speech.settings import SpeechSettings
from tools.in_view import out_of_view
from tools.screen_audit import Finding, audit
from tools.screenshot import fake_answer, saved_for, show_status

REFERENCE_SCREEN = (1920, 1080)
REFERENCE_DPI = 102.0
"""The reference screen of ACCESSIBILITY.md: 21.5 inches, 1920×1080 (102.5 px per inch)."""
SCREENS: dict[str, tuple[tuple[int, int], float]] = {
    "1920x1080": (REFERENCE_SCREEN, REFERENCE_DPI),
    "1280x720": ((1280, 720), 94.0),
}
"""The two screens ACCESSIBILITY.md names, each at a real panel's DPI: the 21.5-inch
reference, and a 15.6-inch 1280×720 panel (1468.6 px diagonal / 15.6 in = 94 px per inch)."""


@dataclass(frozen=True)
class Stop:
    """One screen seen on the tour."""

    name: str
    """Unique within a tour: e.g. `question-07-phone`, `status_result`."""


def _settle() -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):  # layouts that depend on other layouts settle in a few passes
        app.processEvents()
    # The screens shown before are deleted now, as the kiosk's own event loop would:
    # processEvents() never deletes them, and a tour of ~700 screens kept them all
    # (2 GB; the next kiosk's start in the same process spent 15 s destroying them).
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def tour(kiosk: Kiosk) -> Iterator[Stop]:
    """Show every screen in turn; each is on the window when its stop is yielded."""
    journey = kiosk.journey

    def at(name: str, show: Callable[[], object] | None = None) -> Stop:
        if show is not None:
            show()
        _settle()
        return Stop(name)

    yield at("welcome", journey.start)
    yield at("language", journey.show_language)
    yield at("text_size", journey.show_text_size)
    yield at("front_door", journey.show_services)
    yield at("services", journey.show_service_list)
    yield at("search", journey.front.show_search)
    yield at("ranked", lambda: journey.front.show_ranked(("event", "turning_65")))
    yield at("help", journey.show_help)
    if kiosk.speech is not None:
        yield at("speech_settings", lambda: journey.show_speech_settings(None))

    journey.start_check()
    check = journey.check
    assert check is not None
    n = 0
    while check.current is not None:
        name = f"check-{n:02d}-{check.current.id}"
        yield at(name)
        yield from _answer_pages(kiosk, name)
        yield from _with_error(kiosk, name)
        check.answer(fake_answer(check.current))
        check.next()
        journey.show_current()  # the next question's page, as Next would show it
        n += 1
    yield at("eligibility", journey.show_current)  # no page left: the findings
    yield at("ranked_checked", lambda: journey.front.show_ranked(("search", "교통")))
    yield at("ranked_unfolded", lambda: _unfold(kiosk))

    journey.start_applications(sorted(journey.catalog.services))
    session = journey.session
    assert session is not None
    n = 0
    while session.current is not None:
        name = f"question-{n:02d}-{session.current.id}"
        yield at(name)
        yield from _answer_pages(kiosk, name)
        yield from _with_error(kiosk, name)
        if n == 0:
            yield at("start_over", journey.ask_start_over)
            journey.show_current()
        session.answer(fake_answer(session.current))
        session.next()
        journey.show_current()
        n += 1
    yield at("review")
    yield at("review_unfolded", lambda: _open_sections(kiosk))
    journey.idle.warning.emit(25)
    yield at("idle_warning")
    journey.idle.resumed.emit()
    yield at("receipt", lambda: journey.show_receipts(saved_for(sorted(journey.catalog.services))))

    yield at("status_check", lambda: show_status(kiosk, "status_check"))
    for name in ("status_result", "status_needs_information", "status_not_found"):
        yield at(name, functools.partial(show_status, kiosk, name))
    journey.end_session()


def _unfold(kiosk: Kiosk) -> None:
    """The ranked list with "Not for you (N)" opened."""
    from kiosk.screens.ranked import RankedScreen

    screen = kiosk.journey.screen
    if isinstance(screen, RankedScreen) and screen.fold is not None:
        screen.fold.click()


def _open_sections(kiosk: Kiosk) -> None:
    """The review with every service's folded answers opened."""
    from kiosk.screens.review import ReviewScreen

    screen = kiosk.journey.screen
    if isinstance(screen, ReviewScreen):
        for fold in screen.sections.values():
            fold.click()


def _answer_pages(kiosk: Kiosk, name: str) -> Iterator[Stop]:
    """Each further page of a long list of choices, turned with its down arrow as a
    resident would: every page must fit as the first does."""
    pages = getattr(kiosk.journey.screen, "answer_pages", None)
    if pages is None:
        return
    for number in range(2, pages.count() + 1):
        pages.later.click()
        _settle()
        yield Stop(f"{name}-answers-{number}")


def _with_error(kiosk: Kiosk, name: str) -> Iterator[Stop]:
    """The page again after Next was tapped with no answer, its error shown; then the
    page as it was. A question that may be left unanswered has no such error: nothing."""
    journey = kiosk.journey
    screen = journey.screen
    if not isinstance(screen, QuestionScreen) or not screen.question.required:
        return
    if screen.question.type == "info":  # nothing to answer: Next always goes on
        return
    if screen.input.value() not in (None, "", []):
        return  # answered before (a shared answer): Next would go on, not complain
    screen.next_button.click()
    if journey.screen is not screen or not screen.error.isVisibleTo(screen):
        raise AssertionError(f"{name}: Next with no answer showed no error")
    _settle()
    yield Stop(f"{name}-error")
    yield from _answer_pages(kiosk, f"{name}-error")
    journey.show_current()
    _settle()


@dataclass(frozen=True)
class Seen:
    """A finding on one stop of one tour."""

    stop: str
    language: str
    text_size: str
    contrast: str
    finding: Finding
    screen: str = "1920x1080"

    def __str__(self) -> str:
        where = f"{self.screen}/{self.language}/{self.text_size}/{self.contrast}/{self.stop}"
        return f"{where}: {self.finding.kind} {self.finding.widget}: {self.finding.detail}"


def audit_tour(
    language: str,
    text_size: str,
    contrast: str,
    data_dir: Path,
    pictures: Path | None = None,
    screen: str = "1920x1080",
) -> tuple[int, list[Seen]]:
    """Take one tour on one of SCREENS (at its DPI) and audit every stop, the fold check
    included; save a PNG of each into `pictures` if given. Returns (stops seen, findings).
    The on-screen keyboard is audited where the application was started with it."""
    (width, height), dpi = SCREENS[screen]
    config = KioskConfig(
        data_dir=data_dir,
        platform_url="http://127.0.0.1:9",
        defaults=Defaults(language=language, text_size=text_size, contrast=contrast, dpi=dpi),
        speech=SpeechSettings(preload=()),
    )
    kiosk = Kiosk(config)
    kiosk.start_speech()  # at once, as after the first paint
    window = kiosk.window
    window.resize(width, height)
    window.show()
    window.activateWindow()  # as on the kiosk: the focus (and the keyboard) follow
    seen: list[Seen] = []
    stops = 0
    try:
        for stop in tour(kiosk):
            stops += 1
            # As a full-screen window: back to the screen's size, whatever the last stop
            # needed (a window grown past the screen stays grown otherwise).
            window.resize(width, height)
            _settle()
            size = QSize(width, height)
            found = audit(window, kiosk.journey.theme, size) + out_of_view(window, size)
            for finding in found:
                seen.append(Seen(stop.name, language, text_size, contrast, finding, screen))
            if pictures is not None:
                out = pictures / screen / language / f"{text_size}-{contrast}-{stop.name}.png"
                out.parent.mkdir(parents=True, exist_ok=True)
                if not window.grab().save(str(out)):
                    raise OSError(f"could not write {out}")
    finally:
        kiosk.close()
        _settle()
    return stops, seen
