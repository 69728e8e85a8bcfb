"""Issue 19, acceptance 2: one application for all eight demo services, by real taps.

Each shared question (the profile, the phone, the records consent, the agreement) is
asked once; the records consent lists each service's records with its service; the
review groups the shared answers and names their services; Send gives one receipt with
a line per service, and the real reference platform (over loopback) receives eight
applications that each hold the shared answers.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel
from pytestqt.qtbot import QtBot

from forms.answers import Answer
from kiosk.app import Kiosk
from kiosk.screens.question import QuestionScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.review import ReviewScreen
from kiosk.screens.services import ServicesScreen
from kiosk.speech.utterance import Say
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.store import Store
from tests.gui.taps import answer_by_tapping, finish, primary, tap, through_front_door
from tools.screenshot import fake_answer

pytestmark = pytest.mark.gui


def test_eight_services_in_one_visit_ask_each_shared_question_once(
    qtbot: QtBot, kiosk: Kiosk, platform: LocalPlatform
) -> None:
    journey = kiosk.journey
    catalog = journey.catalog
    everything = list(catalog.services)
    assert len(everything) == 8
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons["en"])  # type: ignore[union-attr]
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    services = journey.screen
    assert isinstance(services, ServicesScreen)
    for service_id in everything:
        tap(qtbot, services.buttons[service_id])
    assert primary(kiosk).text() == "Apply for 8 services"
    tap(qtbot, primary(kiosk))
    session = journey.visit.session
    assert session is not None
    everything_in_order = [s.id for s in session.services]

    asked: Counter[str] = Counter()  # a shared question by its meaning, a profile one by id
    given: dict[str, Answer] = {}
    totals = set()
    steps: list[int] = []
    while isinstance(journey.screen, QuestionScreen):
        screen = journey.screen
        question = screen.question
        session = journey.visit.session
        assert session is not None and session.current_page is not None
        totals.add(session.step[1])
        steps.append(session.step[0])
        meaning = question.shares or (question.id if question.shared else "")
        value: Any = fake_answer(question)
        if meaning:
            asked[meaning] += 1
            given[meaning] = value
        if question.shares == "records_consent":  # one screen: whose records, which ones
            shown = "\n".join(w.text() for w in screen.more_words)
            for service_id in everything:
                service = catalog.service(service_id)
                for record in service.records:
                    assert f"{service.title['en']}: {record.label['en']}" in shown
        if question.shares == "contact_phone":  # the meaning's words, not one service's
            [phone] = [m for m in catalog.meanings if m.id == "contact_phone"]
            assert question.label["en"] == phone.asked["en"]
        if question.shares == "agreement":  # every service's conditions, not the first's
            agree = "Do you agree to the conditions of each of these services?"
            assert question.label["en"] == agree
            shown = "\n".join(w.text() for w in screen.more_words)
            for service_id in everything:
                assert catalog.service(service_id).title["en"] in shown
        answer_by_tapping(qtbot, screen, value)
    # The step counter: its total never moved, and it only ever went forward.
    [total] = totals
    assert steps == sorted(set(steps)) and steps[-1] <= total

    profile = {q.id for s in everything for q in catalog.service(s).questions if q.shared}
    assert set(asked) == profile | {"contact_phone", "records_consent", "agreement"}
    assert all(count == 1 for count in asked.values()), asked

    review = journey.screen
    assert isinstance(review, ReviewScreen)
    assert review.problems == {} and review.send_button.isEnabled()
    # Keys are "<the service that asks it first>.<its question id>": found, not assumed.
    [phone_key] = [k for k in review.change_buttons if k.endswith(".contact_phone")]
    [agreement_key] = [k for k in review.change_buttons if k.endswith(".agree_terms")]
    [records_key] = [k for k in review.change_buttons if k.endswith(".records_lookup")]
    phone_for = review.services_named[phone_key].text()
    for service_id in ("digital-device-access", "digital-tutor-class", "emergency-welfare"):
        assert catalog.service(service_id).short_title["en"] in phone_for
    assert review.services_named[agreement_key].text() == "Used for all your applications"
    # The number grouped as the resident writes it, not eleven digits in a row.
    phone = str(given["contact_phone"])
    assert review.answers[phone_key].text() == f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    # Read aloud as shown: each shared answer followed by the services it goes to.
    assert journey.speaking.said is not None
    heard = [  # each said as a sentence of its own (a full stop is added)
        part.text.rstrip(".") for part in journey.speaking.said().parts if isinstance(part, Say)
    ]
    assert phone_for in heard and "Used for all your applications" in heard
    asked_phone = "Which phone number can we call you on about your applications?"
    assert heard.index(phone_for) == heard.index(asked_phone) + 1
    with_records = [s for s in everything if catalog.service(s).records]
    records_for = review.services_named[records_key].text()
    assert all(catalog.service(s).short_title["en"] in records_for for s in with_records)
    # Grouped by topic: about you, then the answers for several services, then each one's.
    headings = [w.text() for w in review.findChildren(QLabel) if w.objectName() == "section"]
    assert headings == ["About you", "Answers for more than one service"]
    # Each service's own answers folded behind a button with its title and how many
    # (all eight open were ~35 screens at the largest text on 1280x720).
    assert list(review.sections) == everything_in_order
    for service_id, fold in review.sections.items():
        title = catalog.service(service_id).title["en"]
        count = review.folded[service_id]
        assert fold.accessibleName() == f"{title} · {count} answer{'s' * (count > 1)}"
        assert fold.isVisible() and not review.section_bodies[service_id].isVisible()
        behind = [
            k
            for k in review.change_buttons
            if k.startswith(f"{service_id}.")
            and review.section_bodies[service_id].isAncestorOf(review.change_buttons[k])
        ]
        assert len(behind) == count, (service_id, behind)  # fmt: skip
    said = [p.text.rstrip(".") for p in journey.speaking.said().parts if isinstance(p, Say)]
    last = everything_in_order[-1]
    heard_last = said[said.index(catalog.service(last).title["en"]) + 1]
    assert heard_last.startswith(f"{review.folded[last]} answer")
    # Opened, a service's answers show under its button; coming back from changing one
    # of them, it is still open (the others still folded).
    tap(qtbot, review.sections[last])
    assert review.section_bodies[last].isVisible() and last not in review.folded
    first = review.section_bodies[last].findChild(
        QFrame, "", Qt.FindChildOption.FindDirectChildrenOnly
    )
    viewport = review.scroll_area.viewport()

    def first_in_view() -> bool:  # scrolled to, if the button was low on the screen
        top = first.mapTo(viewport, QPoint(0, 0)).y()
        return top >= 0 and top + first.height() <= viewport.height()

    qtbot.waitUntil(first_in_view, timeout=5_000)
    [own_key] = [k for k in review.change_buttons if k.startswith(f"{last}.")][:1]
    assert review.change_buttons[own_key].isVisible()
    tap(qtbot, review.change_buttons[own_key])
    assert not isinstance(journey.screen, ReviewScreen)
    tap(qtbot, primary(kiosk))  # the same answer again: Next
    qtbot.waitUntil(lambda: isinstance(journey.screen, ReviewScreen), timeout=10_000)
    review = journey.screen
    assert isinstance(review, ReviewScreen)
    assert review.sections[last].isChecked() and review.section_bodies[last].isVisible()
    assert set(review.folded) == set(everything_in_order) - {last}
    tap(qtbot, review.send_button)

    qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=15_000)
    receipt = journey.screen
    assert isinstance(receipt, ReceiptScreen)
    assert len(receipt.references) == len(set(receipt.references)) == 8
    assert len(receipt.qr_codes) == 8
    assert receipt.scroll_area.widget().width() <= receipt.scroll_area.viewport().width()
    shown_words = [w.text() for w in receipt.findChildren(QLabel)]
    assert shown_words.count("Your reference numbers, one for each service:") == 1
    for service_id in everything:  # a line per service: its title, then its number
        title = catalog.service(service_id).title["en"]
        assert shown_words.count(title) == 1
    for reference in receipt.references:
        assert reference in shown_words
    assert receipt.heading.text() in (  # one receipt for the eight, in the plural
        "Your applications have been received",
        "Your applications have been sent to the city",
    )

    store = Store(kiosk.config.data.store)
    kiosk.backend.sync_now()
    qtbot.waitUntil(
        lambda: all(store.receipt(r) is not None for r in receipt.references), timeout=30_000
    )
    qtbot.waitUntil(lambda: receipt.sent, timeout=30_000)
    assert receipt.heading.text() == "Your applications have been sent to the city"
    storage = PlatformStorage(platform.data)
    try:
        applications = [json.loads(storage.open(s)) for s in storage.submissions()]
    finally:
        storage.close()
        store.close()
    assert sorted(a["service"]["id"] for a in applications) == sorted(everything)
    for application in applications:
        service = catalog.service(application["service"]["id"])
        assert sorted(application["visit_services"]) == sorted(everything)
        for question in service.questions:
            meaning = question.shares or (question.id if question.shared else "")
            if meaning and question.id in application["answers"]:
                assert application["answers"][question.id] == given[meaning], question.id
            if question.shares:  # the shared ones are never left out
                assert application["answers"][question.id] == given[question.shares]
    finish(qtbot, kiosk)


@pytest.mark.parametrize("language", ["th", "mn", "ko"])
def test_eight_receipts_fit_the_width_at_extra_large(qtbot: QtBot, language: str) -> None:
    """One line per service and the eight codes in rows: nothing runs off the side of a
    1280x720 screen at the largest text (in one row, the codes took 2,600 px and more)."""
    from tools.screenshot import shown

    everything = (
        "emergency-welfare", "seoul-youth-allowance", "youth-monthly-rent", "youth-transport",
        "senior-transport-welfare", "digital-device-access", "digital-tutor-class",
        "resident-registration-certificate",
    )  # fmt: skip
    with shown("receipt", language, "extra_large", services=everything, size=(1280, 720)) as k:
        receipt = k.journey.screen
        assert isinstance(receipt, ReceiptScreen) and len(receipt.qr_codes) == 8
        viewport = receipt.scroll_area.viewport()
        assert receipt.scroll_area.widget().width() <= viewport.width()
        for code in receipt.qr_codes:
            right = code.mapTo(viewport, code.rect().topRight()).x()
            assert 0 <= right <= viewport.width(), right
