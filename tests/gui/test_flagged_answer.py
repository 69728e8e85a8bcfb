"""A changed answer that makes another one wrong is flagged, said, and blocks sending.

Issue 19's stale constraint, at the kiosk: the deposit must be at least the monthly
rent minus 100; the rent is raised from the review page; the kiosk shows the deposit
question with its reason; back on the review the deposit is marked with that reason and
Send does nothing until it is fixed; then it sends.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from forms.package import build_package, new_signing_key
from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.screens.question import QuestionScreen
from kiosk.screens.review import ReviewScreen
from kiosk.speech.settings import SpeechSettings
from kiosk.speech.utterance import part_text
from reference_platform.local import LocalPlatform
from tests.gui.taps import answer_by_tapping, tap, to_review_by_taps
from tests.unit.forms_fixtures import SOURCE

SERVICE = "youth-monthly-rent"
MESSAGE = "The deposit cannot be that much smaller than the rent."


@pytest.fixture
def kiosk(qtbot: QtBot, tmp_path: Path, platform: LocalPlatform) -> Iterator[Kiosk]:
    source = tmp_path / "catalog"
    shutil.copytree(SOURCE, source)
    path = source / "services" / f"{SERVICE}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    deposit = next(q for q in document["questions"] if q.get("id") == "deposit")
    deposit["constraint"] = {"<=": [{"var": "monthly_rent"}, {"+": [{"var": "deposit"}, 100]}]}
    deposit["constraint_message"] = {"en": MESSAGE}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    private, public = new_signing_key()
    (tmp_path / "catalog.ieumcat").write_bytes(build_package(source, private))
    (tmp_path / "catalog.pub").write_text(public)
    config = KioskConfig(
        data_dir=tmp_path / "device",
        platform_url=platform.url,
        enrollment_token=platform.new_token("gui test kiosk"),
        defaults=Defaults(language="ko"),
        sync_every_ms=60_000,
        speech=SpeechSettings(preload=()),
        bundled_catalog=tmp_path / "catalog.ieumcat",
        catalog_key=tmp_path / "catalog.pub",
    )
    running = Kiosk(config)
    running.start()
    yield running
    running.close()


def _question(kiosk: Kiosk) -> QuestionScreen:
    screen = kiosk.journey.screen
    assert isinstance(screen, QuestionScreen)
    return screen


def test_raising_the_rent_on_review_flags_the_deposit_until_it_is_fixed(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    to_review_by_taps(qtbot, kiosk, SERVICE)
    review = kiosk.journey.screen
    assert isinstance(review, ReviewScreen)
    tap(qtbot, review.change_buttons[f"{SERVICE}.monthly_rent"])
    answer_by_tapping(qtbot, _question(kiosk), 250)  # the deposit was 0: 250 > 0 + 100

    screen = _question(kiosk)  # not the review: the answer that no longer holds
    assert screen.question.id == "deposit"
    assert screen.error.isVisible() and MESSAGE in screen.error.text()
    tap(qtbot, kiosk.window.back_button)  # back to the review, the deposit still wrong
    review = kiosk.journey.screen
    assert isinstance(review, ReviewScreen)
    session = kiosk.journey.visit.session
    assert session is not None and session.flags()
    # The review marks the deposit with its reason, and Send waits until it is fixed.
    key = f"{SERVICE}.deposit"
    assert key in review.problems and MESSAGE in review.problems[key].text()
    assert review.problems[key].isVisibleTo(review) and review.flag_notice.isVisibleTo(review)
    assert set(review.problems) == {key}
    said = kiosk.journey.speaking.said
    assert said is not None
    words = [part_text(part) for part in said().parts]
    assert words[0].startswith("Some answers no longer fit together.") and MESSAGE in words[1]
    send = review.findChild(QPushButton, "primary")
    assert send is review.send_button and not send.isEnabled()
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)  # a tap on it: nothing is sent
    assert kiosk.journey.screen is review
    assert kiosk.journey.visit.session is session and session.flags()
    tap(qtbot, review.change_buttons[key])
    screen = _question(kiosk)
    assert screen.question.id == "deposit" and MESSAGE in screen.error.text()
    with pytest.raises(ValueError):
        session.finalize()
    answer_by_tapping(qtbot, _question(kiosk), 200)
    review = kiosk.journey.screen
    assert isinstance(review, ReviewScreen)
    assert session.flags() == [] and session.complete
    assert review.problems == {} and review.send_button.isEnabled()
    assert review.flag_notice.isHidden()
    [payload] = session.finalize()
    assert payload["answers"]["monthly_rent"] == 250 and payload["answers"]["deposit"] == 200
