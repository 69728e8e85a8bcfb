"""FormSession: one question per page, relevance, review, several services at once."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.answers import check_answer
from forms.definition import Service
from forms.loader import parse_service
from forms.session import PAYLOAD_FORMAT, SHARED, FormSession
from tests.unit.forms_fixtures import TODAY, catalog, service_document

GOOD: dict[str, Any] = {
    "household_size": "3",
    "receives_livelihood_support": True,
    "device": "tablet",
    "name_for_loan": "  Test   Resident ",
    "contact_phone": "010-0000-0000",
    "records_lookup": True,
    "agree_terms": True,
}


def _service(name: str = "digital-device-access") -> Service:
    return catalog().service(name)


def _session(*services: Service, **kwargs: Any) -> FormSession:
    return FormSession(services or (_service(),), catalog().profile, "vi", today=TODAY, **kwargs)


def _answer_all(session: FormSession, answers: dict[str, Any] = GOOD) -> None:
    while session.current is not None:
        assert session.answer(answers[session.current.id]).accepted, session.current.id
        assert session.next()


def test_shared_questions_first_then_the_service_then_review_then_payload() -> None:
    session = _session()
    seen = []
    while session.current is not None:
        seen.append((session.current.id, session.step))
        session.answer(GOOD[session.current.id])
        session.next()
    assert [s[0] for s in seen] == [
        "household_size", "receives_livelihood_support", "device", "name_for_loan",
        "contact_phone", "records_lookup", "agree_terms",
    ]  # fmt: skip
    assert [s[1] for s in seen] == [(n, 7) for n in range(1, 8)]
    [payload] = session.finalize()
    assert payload["format"] == PAYLOAD_FORMAT
    assert payload["service"] == {"id": "digital-device-access", "version": "2026.1"}
    assert payload["answers"]["household_size"] == 3
    assert payload["answers"]["name_for_loan"] == "Test Resident"
    assert payload["answers"]["contact_phone"] == "01000000000"


def test_next_refuses_without_an_accepted_answer() -> None:
    session = _session()
    assert not session.next()
    assert session.answer("0").reason == "too_small"
    assert not session.next()
    assert session.current is not None and session.current.id == "household_size"


def test_change_from_review_returns_to_review() -> None:
    session = _session()
    _answer_all(session)
    session.change("household_size", SHARED)
    assert session.answer_for("household_size", SHARED) == 3
    session.answer("5")
    assert session.next() and session.on_review
    assert session.finalize()[0]["answers"]["household_size"] == 5


def test_irrelevant_answers_are_cleared() -> None:
    doc = service_document()
    doc["questions"][3]["relevant"] = {"==": [{"var": "device"}, "tablet"]}  # name_for_loan
    service, _ = parse_service(doc, catalog().profile, "x.json")
    session = _session(service)
    _answer_all(session)
    assert session.answer_for("name_for_loan", service.id) == "Test Resident"
    session.change("device", service.id)
    session.answer("smartphone")
    session.next()
    assert session.on_review
    assert not session.is_answered("name_for_loan", service.id)
    assert "name_for_loan" not in session.finalize()[0]["answers"]


def test_known_profile_answers_are_not_asked_again_but_are_reviewed() -> None:
    session = _session(known={"household_size": 2, "receives_livelihood_support": False})
    assert session.current is not None and session.current.id == "device"
    assert session.step == (1, 5)
    _answer_all(session)
    reviewed = {line.question.id for line in session.review()}
    assert {"household_size", "receives_livelihood_support"} <= reviewed


def test_two_services_ask_shared_questions_once_and_give_two_payloads() -> None:
    doc = service_document()
    doc["id"] = "second-service"
    doc["questions"] = [
        {"shared": "household_size"},
        {"shared": "residence"},
        {"id": "device", "type": "yes_no", "label": {"en": "Own question with a clashing id"}},
    ]
    second, _ = parse_service(doc, catalog().profile, "second.json")
    session = _session(_service(), second)
    asked = []
    answers = dict(GOOD, residence="seoul")
    while session.current is not None:
        page = session.current_page
        assert page is not None
        asked.append((page.scope, page.question.id))
        value = False if page.scope == "second-service" else answers[page.question.id]
        assert session.answer(value).accepted
        session.next()
    assert asked.count((SHARED, "household_size")) == 1
    assert (SHARED, "residence") in asked
    first, other = session.finalize()
    assert (
        first["service"]["id"] == "digital-device-access" and first["answers"]["device"] == "tablet"
    )
    assert other["service"]["id"] == "second-service" and other["answers"]["device"] is False
    assert first["answers"]["household_size"] == other["answers"]["household_size"] == 3
    assert "residence" not in first["answers"] and other["answers"]["residence"] == "seoul"


def test_i_dont_know_where_allowed_only() -> None:
    session = _session(known={"household_size": 1})
    assert session.current is not None and session.current.id == "receives_livelihood_support"
    assert session.answer_unknown().accepted
    session.next()
    assert session.answer_unknown().reason == "unknown_not_allowed"  # device has no unknown


def test_profile_only_session_is_the_quick_check() -> None:
    session = FormSession([], catalog().profile, "en", today=TODAY, profile_only=True)
    ids = []
    while session.current is not None:
        ids.append(session.current.id)
        q = session.current
        session.answer(
            1950 if q.type == "number" and q.id == "birth_year" else
            2 if q.type == "number" else
            q.choices[0].value if q.choices else True
        )  # fmt: skip
        session.next()
    assert ids == [q.id for q in catalog().profile.questions]
    assert session.profile_answers()["birth_year"] == 1950
    assert session.values(SHARED)["age"] == 76


def test_clear_forgets_everything() -> None:
    session = _session()
    _answer_all(session)
    session.clear()
    assert session.review() == [] and session.profile_answers() == {}
    with pytest.raises(ValueError):
        session.finalize()


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.one_of(
            st.text(max_size=30), st.integers(-5, 99), st.booleans(), st.none(),
            st.sampled_from([*GOOD.values(), "smartphone", ["x"], {"year": 2000}]),
        )),
        st.tuples(st.just("unknown"), st.none()),
        st.tuples(st.just("next"), st.none()),
        st.tuples(st.just("back"), st.none()),
        st.tuples(st.just("change"), st.sampled_from(list(GOOD))),
    ),
    max_size=60,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(ACTIONS)
def test_random_taps_never_reach_an_inconsistent_state(actions: list[tuple[str, Any]]) -> None:
    session = _session()
    total = session.step[1]
    for action, arg in actions:
        if action == "answer" and session.current is not None:
            session.answer(arg)
        elif action == "unknown":
            session.answer_unknown()
        elif action == "next":
            session.next()
        elif action == "back":
            session.back()
        elif action == "change" and session.on_review:
            scope = (
                SHARED
                if arg in ("household_size", "receives_livelihood_support")
                else _service().id
            )
            session.change(arg, scope)
        n, m = session.step
        assert 1 <= n <= m
        assert m == total  # the total never jumps (issue 18, finding 7)
        if session.on_review:
            assert session.complete and session.current is None
        else:
            assert session.current is not None
        for line in session.review():
            if line.answer is not None:
                assert check_answer(line.question, line.answer).accepted


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 6))
def test_next_then_back_returns_to_the_same_question(position: int) -> None:
    session = _session()
    for _ in range(position):
        session.answer(GOOD[session.current.id])  # type: ignore[union-attr]
        session.next()
    before = session.current_page
    session.answer(GOOD[session.current.id])  # type: ignore[union-attr]
    assert session.next()
    assert session.back()
    assert session.current_page == before


ANY_ANSWER = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=300),
        st.sampled_from(["", " ", "\x00", "\u202e", "🙂" * 50, "한글 ไทย Монгол 漢字", "9" * 40,
                         "1950-02-30", "0000-00-00", "010-0000-0000", "5001011000000"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(ANY_ANSWER)
def test_any_answer_to_any_question_is_judged_never_crashes(raw: Any) -> None:
    from forms.answers import masked

    for service in catalog().services.values():
        for question in service.questions:
            verdict = check_answer(question, raw)
            assert verdict.status in ("accepted", "required", "invalid")
            if verdict.accepted and verdict.value is not None:
                assert check_answer(question, verdict.value).value == verdict.value
                hidden = masked(question, verdict.value)
                if question.is_personal and len(str(verdict.value)) >= 4:
                    assert str(verdict.value) not in hidden


def _walk(session: FormSession, choose: Any) -> list[tuple[int, int]]:
    """Answer every question with `choose(question)` (or "I don't know" where it is not
    accepted), recording "step N of M" on each page."""
    steps = []
    for _ in range(200):
        question = session.current
        if question is None:
            break
        steps.append(session.step)
        if question.type != "info" and not session.answer(choose(question)).accepted:
            assert session.answer_unknown().accepted, question.id
        assert session.next(), question.id
    steps.append(session.step)
    return steps


def _yes_and_first(question: Any) -> Any:
    kinds = {"number": 1, "phone": "01000000000", "short_text": "Test Resident",
             "date": "1990-01-01", "resident_number": "9001011000000"}  # fmt: skip
    if question.type in ("yes_no", "consent", "records_consent"):
        return True
    if question.type == "number":
        return 1998 if question.id == "birth_year" else question.minimum or 1
    if question.type == "single_choice":
        return question.choices[0].value
    if question.type == "multiple_choice":
        return [question.choices[0].value]
    return kinds.get(question.type)


def _no_and_last(question: Any) -> Any:
    if question.type == "yes_no":
        return False
    if question.type == "single_choice":
        return question.choices[-1].value
    if question.type == "multiple_choice":
        return [question.choices[-1].value]
    return _yes_and_first(question)


def test_the_step_total_never_jumps_whatever_the_answers() -> None:
    """Issue 18, finding 7: the demo's two-service visit showed "Step 22 of 39", then
    "Step 35 of 43" once an answer made more questions relevant."""
    demo = catalog()
    services = [demo.service("youth-monthly-rent"), demo.service("seoul-youth-allowance")]
    totals = set()
    for choose in (_yes_and_first, _no_and_last):
        session = FormSession(services, demo.profile, "ko", today=TODAY)
        steps = _walk(session, choose)
        totals |= {m for _n, m in steps}
        numbers = [n for n, _m in steps]
        assert numbers == sorted(numbers) and numbers[-1] == steps[-1][1]
    assert len(totals) == 1, totals
