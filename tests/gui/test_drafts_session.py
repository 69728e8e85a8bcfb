"""What a draft keeps of a visit, and how the visit comes back (no Qt needed): the
same answers and place, through JSON; a changed definition drops what it no longer asks;
a draft whose service is gone is refused, not half-restored."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from forms.loader import parse_service
from forms.session import SHARED, FormSession
from kiosk.drafting import DraftUnusable, draft_content, draft_services, resume_draft
from tests.unit.forms_fixtures import catalog, service_document

ANSWERS: dict[str, Any] = {
    "household_size": "3",
    "receives_livelihood_support": True,
    "device": "tablet",
    "name_for_loan": "TEST RESIDENT ZZZ",
}
SERVICE = "digital-device-access"


def _paused() -> FormSession:
    found = catalog()
    session = FormSession([found.service(SERVICE)], found.profile, "th")
    for _ in ANSWERS:
        assert session.answer(ANSWERS[session.current.id]).accepted
        assert session.next()
    assert session.current is not None and session.current.id == "contact_phone"
    return session


def test_a_visit_comes_back_as_it_was_through_json() -> None:
    session = _paused()
    content = json.loads(json.dumps(draft_content(session, "extra_large")))
    assert draft_services(session) == [SERVICE]
    visit = resume_draft(content, catalog())
    again = visit.session
    assert visit.text_size == "extra_large" and again.language == "th"
    assert again.current is not None and again.current.id == "contact_phone"
    assert again.step == session.step
    assert again.review() == session.review()
    assert again.answer_for("household_size", SHARED) == 3
    assert not again.back() or again.current.id == "name_for_loan"


def test_a_finished_visit_comes_back_on_its_review_page() -> None:
    session = _paused()
    for value in ("01000000000", True, True):
        assert session.answer(value).accepted
        session.next()
    assert session.on_review
    visit = resume_draft(draft_content(session, "standard"), catalog())
    assert visit.session.on_review and visit.session.complete


def test_a_changed_definition_drops_what_it_no_longer_asks() -> None:
    document = service_document(SERVICE)
    document["questions"] = [q for q in document["questions"] if q.get("id") != "name_for_loan"]
    document["version"] = "2026.2"
    found = catalog()
    changed, _warnings = parse_service(document, found.profile)
    found = dataclasses.replace(found, services={**found.services, SERVICE: changed})
    snapshot = draft_content(_paused(), "large")
    again = resume_draft(snapshot, found).session
    assert not again.is_answered("name_for_loan", SERVICE)
    assert again.current is not None and again.current.id == "contact_phone"


def test_a_draft_whose_service_is_gone_is_refused() -> None:
    content = draft_content(_paused(), "standard")
    found = catalog()
    found = dataclasses.replace(
        found, services={k: v for k, v in found.services.items() if k != SERVICE}
    )
    with pytest.raises(DraftUnusable):
        resume_draft(content, found)
    with pytest.raises(DraftUnusable):
        resume_draft({"format": "something else"}, catalog())
    content["text_size"] = "enormous"
    assert resume_draft(content, catalog()).text_size == "standard"
