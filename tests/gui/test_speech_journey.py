"""Speech in the kiosk, through real taps: the real engine (espeak-ng in its worker) and
Qt Multimedia playing into the session's silent sound server (tests/gui/conftest.py).

What reached the engine is what `SpeechService.engine_text` reports: the exact text
handed to it. Each test's kiosk has a fresh speech cache, so nothing is played from an
earlier test's audio without passing the engine first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from forms.languages import LANGUAGE_CODES
from kiosk.app import Kiosk
from kiosk.i18n import Words
from kiosk.journey import Journey
from kiosk.screens.front_door import FrontDoorScreen
from kiosk.screens.language import LanguageScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.review import ReviewScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.speech.service import SpeechService
from kiosk.speech.settings import RATE_SLOW, SPEECH_CONTROL, SpeechSettings
from kiosk.speech.voices import NO_VOICE
from kiosk.spoken import spell
from tests.gui.taps import answer_by_tapping, answer_pad, primary, tap, through_front_door
from tools.null_sink import NullSink
from tools.screenshot import fake_answer

pytestmark = pytest.mark.gui

PHONE = "01024681357"
RESIDENT_NUMBER = "5001011357924"


class Heard:
    """Everything the kiosk's speech service reported, in order."""

    def __init__(self, speech: SpeechService) -> None:
        self.engine: list[tuple[str, str]] = []
        self.unavailable: list[tuple[str, str]] = []
        self.started = 0
        self.finished: list[bool] = []
        speech.engine_text.connect(lambda code, text: self.engine.append((code, text)))
        speech.unavailable.connect(lambda code, why: self.unavailable.append((code, why)))
        speech.started.connect(self._started)
        speech.finished.connect(self.finished.append)

    def _started(self) -> None:
        self.started += 1

    def said(self, language: str | None = None) -> str:
        return "\n".join(text for code, text in self.engine if language in (None, code))


@pytest.fixture
def heard(sound: NullSink, kiosk: Kiosk) -> Iterator[Heard]:
    assert kiosk.speech is not None
    assert kiosk.speech.available("ko").ok, "Qt Multimedia sees no audio output"
    yield Heard(kiosk.speech)


def speech_of(kiosk: Kiosk) -> SpeechService:
    assert kiosk.speech is not None
    return kiosk.speech


def toggles(journey: Journey) -> tuple[QPushButton, QPushButton]:
    """The text-size screen's "Read the screens aloud" and "Read more slowly"."""
    assert journey.speaking.toggles is not None
    _screen, on, slow = journey.speaking.toggles
    return on, slow


def to_text_size(qtbot: QtBot, kiosk: Kiosk, language: str) -> TextSizeScreen:
    journey = kiosk.journey
    assert isinstance(journey.screen, WelcomeScreen)
    tap(qtbot, primary(kiosk))
    assert isinstance(journey.screen, LanguageScreen)
    tap(qtbot, journey.screen.buttons[language])
    assert isinstance(journey.screen, TextSizeScreen)
    return journey.screen


def to_first_question(qtbot: QtBot, kiosk: Kiosk, language: str, speech: bool) -> QuestionScreen:
    """Start, a language, speech on (or not) on the text-size screen, one service."""
    journey = kiosk.journey
    to_text_size(qtbot, kiosk, language)
    if speech:
        tap(qtbot, toggles(journey)[0])
        assert journey.speech_on
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    services = journey.screen
    assert isinstance(services, ServicesScreen)
    tap(qtbot, services.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    screen = journey.screen
    assert isinstance(screen, QuestionScreen)
    return screen


@pytest.mark.parametrize("language", ["ko", "en"])
def test_each_question_is_read_in_the_language_shown(
    qtbot: QtBot, kiosk: Kiosk, heard: Heard, language: str
) -> None:
    screen = to_first_question(qtbot, kiosk, language, speech=True)
    words = Words(language)
    label = words.text(screen.question.label)
    assert label in heard.said(language)
    assert {code for code, _ in heard.engine} == {language}
    # The next question too, with its help and every answer offered.
    heard.engine.clear()
    answer_pad(qtbot, screen, "3")
    tap(qtbot, screen.next_button)
    screen = kiosk.journey.screen
    assert isinstance(screen, QuestionScreen) and screen.question.type == "yes_no"
    said = heard.said(language)
    assert words.text(screen.question.label) in said
    assert words._("Yes") in said and words._("No") in said
    qtbot.waitUntil(lambda: heard.started > 0, timeout=10_000)  # and it is heard


def test_an_error_is_read_and_names_the_question(qtbot: QtBot, kiosk: Kiosk, heard: Heard) -> None:
    screen = to_first_question(qtbot, kiosk, "en", speech=True)
    heard.engine.clear()
    answer_pad(qtbot, screen, "25")  # too many people
    tap(qtbot, screen.next_button)
    assert screen.error.isVisible()
    # Aloud, the question is named with the fix; on the page, only the fix (under the
    # question's title, which names it): issue 18, the whole question again pushed the
    # answers out of view at the largest text.
    label = Words("en").text(screen.question.label)
    assert label not in screen.error.text()
    assert screen.error.text() in heard.said("en")
    assert label in heard.said("en")


def test_a_tap_stops_speech_and_read_aloud_pauses_resumes_and_repeats(
    qtbot: QtBot, kiosk: Kiosk, heard: Heard
) -> None:
    speech, window = speech_of(kiosk), kiosk.window
    screen = to_first_question(qtbot, kiosk, "en", speech=True)
    qtbot.waitUntil(lambda: heard.started > 0, timeout=10_000)
    assert speech.speaking and window.read_button.text() == "Pause"
    assert window.read_button.property(SPEECH_CONTROL)
    tap(qtbot, window.read_button)
    assert speech.speaking and speech.paused and window.read_button.text() == "Resume"
    tap(qtbot, window.read_button)
    assert speech.speaking and not speech.paused
    tap(qtbot, screen.pad.keys["7"])  # any tap: silence at once
    assert not speech.speaking and heard.finished[-1] is False
    assert screen.entry is not None and screen.entry.text() == "7"  # the tap did its job
    assert window.read_button.text() == "Read aloud"
    asked = heard.started
    tap(qtbot, window.read_button)  # the same screen again, from the start
    qtbot.waitUntil(lambda: heard.started > asked, timeout=10_000)
    assert kiosk.journey.speech_on


def test_read_aloud_in_the_bar_turns_speech_on_from_any_screen(
    qtbot: QtBot, kiosk: Kiosk, heard: Heard
) -> None:
    journey, window = kiosk.journey, kiosk.window
    assert isinstance(journey.screen, WelcomeScreen) and not journey.speech_on
    assert window.read_button.isVisible() and not window.speech_off_button.isVisible()
    tap(qtbot, window.read_button)  # on the welcome screen, in the default language
    assert journey.speech_on and journey.idle.armed  # it ends with the session
    assert Words("ko")._("Welcome to Ieum") in heard.said("ko")
    assert window.speech_off_button.isVisible()
    tap(qtbot, primary(kiosk))  # Start: the language screen is read
    assert Words("ko")._("Choose your language") in heard.said("ko")
    tap(qtbot, window.speech_off_button)
    assert not journey.speech_on and not speech_of(kiosk).speaking
    heard.engine.clear()
    tap(qtbot, journey.screen.buttons["en"])  # type: ignore[union-attr]
    assert heard.engine == []  # off: nothing more is read
    on, _slow = toggles(journey)
    assert on.text() == "☐ Read the screens aloud" and not on.isChecked()


def test_personal_answers_are_never_given_to_the_engine(
    qtbot: QtBot, kiosk: Kiosk, heard: Heard
) -> None:
    """A phone number and a resident registration number, typed on the pad; the review
    is read: their digits never reach the engine, only that they were entered."""
    journey = kiosk.journey
    to_text_size(qtbot, kiosk, "en")
    tap(qtbot, toggles(journey)[0])
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    services = journey.screen
    assert isinstance(services, ServicesScreen)
    tap(qtbot, services.buttons["digital-device-access"])
    tap(qtbot, services.buttons["resident-registration-certificate"])
    tap(qtbot, primary(kiosk))
    typed = {"phone": PHONE, "resident_number": RESIDENT_NUMBER}
    while isinstance(screen := journey.screen, QuestionScreen):
        question = screen.question
        answer_by_tapping(qtbot, screen, typed.get(question.type, fake_answer(question)))
        assert journey.screen is not screen, f"{question.id} was refused"
    review_screen = journey.screen
    assert isinstance(review_screen, ReviewScreen)

    def review_said() -> str:  # fixed words and answers go in separate segments
        texts = [text for _, text in heard.engine]
        [start] = [i for i, text in enumerate(texts) if text.startswith("Check your answers")]
        return " ".join(texts[start:])

    # Two services: each one's own answers are folded, and the review says how many
    # are behind each title; opening one reads them.
    qtbot.waitUntil(lambda: "Send the application" in heard.said(), timeout=30_000)
    assert list(review_screen.sections) == [
        "digital-device-access", "resident-registration-certificate"]  # fmt: skip
    assert "Tap to see them." in review_said()
    assert "Which device would you like?" not in review_said()
    phone = "Which phone number should we call when the device is ready? "
    number = (
        "Enter your resident registration number "
        "(foreign residents: foreigner registration number). "
    )
    for fold, opened in zip(review_screen.sections.values(),
                            ("Which device would you like?", number), strict=True):  # fmt: skip
        tap(qtbot, fold)
        qtbot.waitUntil(lambda said=opened: said in review_said(), timeout=30_000)
    review = review_said()
    assert phone + "entered, not read aloud." in review
    assert number + "entered, not read aloud." in review
    assert "Which device would you like? Smartphone." in review  # answers not personal are
    # A choice is read in its spoken form: no Korean term for the English voice.
    assert "Which certificate do you need? Abstract of resident registration." in review
    assert not re.search("[가-힣]", review)
    for said in (heard.said(), review):
        assert not re.search(r"[*•]", said)
        for number in re.findall(r"\d+", said):
            assert len(number) < 3 or (number not in PHONE and number not in RESIDENT_NUMBER)


@pytest.mark.parametrize("language", ["th", "mn"])
def test_no_voice_means_a_notice_in_the_language_and_silence(
    qtbot: QtBot, kiosk: Kiosk, heard: Heard, language: str
) -> None:
    journey, window = kiosk.journey, kiosk.window
    to_text_size(qtbot, kiosk, language)
    tap(qtbot, toggles(journey)[0])
    notice = window.overlay
    assert isinstance(notice, NoticeScreen) and notice.isVisible()
    words = Words(language)
    title = words._("Spoken guidance is not available in this language.")
    assert title != "Spoken guidance is not available in this language."  # translated
    shown = [label.text() for label in notice.findChildren(type(window.name))]
    assert title in shown and words._("Please ask a member of staff here for help.") in shown
    assert speech_of(kiosk).available(language).reason == NO_VOICE
    tap(qtbot, primary_of(notice))  # OK
    assert window.overlay is None
    tap(qtbot, primary(kiosk))  # on through the screens: no notice again, nothing said
    assert isinstance(journey.screen, FrontDoorScreen) and window.overlay is None
    tap(qtbot, window.read_button)  # asked for again: told again
    assert isinstance(window.overlay, NoticeScreen)
    assert heard.engine == [] and heard.started == 0


def primary_of(widget: NoticeScreen) -> QPushButton:
    [button] = [b for b in widget.findChildren(QPushButton) if b.objectName() == "primary"]
    return button


def test_the_end_of_a_session_turns_speech_off_at_the_default_rate_and_volume(
    qtbot: QtBot, kiosk: Kiosk, heard: Heard
) -> None:
    journey, speech = kiosk.journey, speech_of(kiosk)
    defaults = SpeechSettings()
    to_text_size(qtbot, kiosk, "en")
    on, slow = toggles(journey)
    assert not slow.isVisible()  # only once speech is on
    tap(qtbot, on)
    tap(qtbot, slow)
    assert speech.rate == RATE_SLOW and slow.text() == "☑ Read more slowly"
    journey.show_speech_settings(journey.show_text_size)
    settings = journey.screen
    assert isinstance(settings, NoticeScreen)
    [louder] = [b for b in settings.findChildren(QPushButton) if b.text() == "Louder"]
    tap(qtbot, louder)
    assert speech.volume > defaults.volume and journey.speech_on
    journey.end_session()
    assert (speech.rate, speech.volume) == (defaults.rate, defaults.volume)
    assert not journey.speech_on and not speech.speaking
    assert isinstance(journey.screen, WelcomeScreen)
    assert not kiosk.window.speech_off_button.isVisible()
    assert kiosk.window.read_button.text() == Words("ko")._("Read aloud")
    heard.engine.clear()
    tap(qtbot, primary(kiosk))  # the next resident: nothing is read unless asked
    assert heard.engine == []


def test_the_idle_warning_and_the_receipt_are_read(
    qtbot: QtBot, kiosk: Kiosk, heard: Heard
) -> None:
    journey = kiosk.journey
    screen = to_first_question(qtbot, kiosk, "en", speech=True)
    assert screen is journey.screen
    journey.idle.idle_seconds = 0.2
    journey.idle.warning_seconds = 5
    journey.idle.touch()
    heard.engine.clear()
    qtbot.waitUntil(lambda: "Are you still there?" in heard.said(), timeout=5000)
    # 5, or fewer when a loaded machine shows the warning a tick late.
    assert re.search(r"this screen will start over in [1-5] seconds?", heard.said())
    journey.idle.disarm()
    kiosk.window.hide_overlay()
    heard.engine.clear()
    journey.receipts.show([("Digital device loan", "ABCD-1234-EF")])
    said = heard.said("en")
    assert "Your application has been received" in said
    assert "A B C D, 1 2 3 4, E F" in said and "ABCD" not in said


def test_references_are_spelled() -> None:
    assert spell("ABCD-1234-EF") == "A B C D, 1 2 3 4, E F"
    assert spell("ABCD\u20111234\u2011EF") == "A B C D, 1 2 3 4, E F"


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_speech_control_has_its_own_words(language: str) -> None:
    words = Words(language)
    captions = ["Read aloud", "Pause", "Resume", "Speech off", "Read the screens aloud"]
    translated = [words._(c) for c in captions]
    assert len(set(translated)) == len(captions)
    if language != "en":
        assert not set(translated) & set(captions)
