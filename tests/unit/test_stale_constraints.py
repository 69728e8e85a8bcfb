"""Constraints that name other answers are judged again whenever those answers change.

The case from issue 19: pension 600,000 "at most income", then income lowered to
500,000 on the review page. The old engine checked a constraint only when its own
question was answered, so the payload held a pension above the income.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms import expressions as ex
from forms.definition import Profile, Service
from forms.loader import parse_profile, parse_service
from forms.session import SHARED, FormSession, InvalidAnswers

TODAY = dt.date(2026, 11, 22)
EN = {"en": "x"}


def _profile() -> Profile:
    profile, _ = parse_profile(
        {
            "format": "ieum.shared/1",
            "questions": [
                {"id": "income", "type": "number", "min": 0, "max": 10_000_000, "label": EN},
                {"id": "savings", "type": "number", "min": 0, "max": 10_000_000, "label": EN,
                 "allow_unknown": True,
                 "constraint": {"<=": [{"var": "savings"}, {"*": [{"var": "income"}, 2]}]},
                 "constraint_message": EN},
            ],
            "calculations": [{"id": "yearly", "expression": {"*": [{"var": "income"}, 12]}}],
        },
        "shared.json",
    )  # fmt: skip
    return profile


def _service(profile: Profile) -> Service:
    service, _ = parse_service(
        {
            "format": "ieum.service/1", "id": "pension-top-up", "version": "1",
            "category": "welfare", "title": EN, "summary": EN,
            "questions": [
                {"shared": "income"},
                {"id": "has_pension", "type": "yes_no", "label": EN},
                {"id": "pension", "type": "number", "min": 0, "max": 10_000_000, "label": EN,
                 "relevant": {"var": "has_pension"},
                 "constraint": {"<=": [{"var": "pension"}, {"var": "income"}]},
                 "constraint_message": {"en": "The pension is part of the income: at most it."}},
                {"id": "rent", "type": "number", "min": 0, "max": 10_000_000, "label": EN,
                 "allow_unknown": True,
                 "constraint": {"<": [{"var": "rent"}, {"-": [{"var": "income"}, {"if": [
                     {"answered": "pension"}, {"var": "pension"}, 0]}]}]}},
            ],
            "calculations": [
                {"id": "pension_or_0",
                 "expression": {"if": [{"answered": "pension"}, {"var": "pension"}, 0]}},
                {"id": "left", "expression": {"-": [{"var": "income"}, {"var": "pension_or_0"}]},
                 "in_payload": True},
            ],
        },
        profile,
        "services/pension-top-up.json",
    )  # fmt: skip
    return service


PROFILE = _profile()
SERVICE = _service(PROFILE)


def _session() -> FormSession:
    return FormSession([SERVICE], PROFILE, "en", today=TODAY)


def _answer(session: FormSession, value: Any) -> None:
    if value is None:
        assert session.answer_unknown().accepted
    else:
        assert session.answer(value).accepted, (session.current, value)
    assert session.next()


def test_lowering_income_on_review_flags_the_pension_and_refuses_submission() -> None:
    session = _session()
    for value in (1_000_000, True, 600_000, None):
        _answer(session, value)
    assert session.on_review and session.complete and not session.flags()
    assert session.finalize()[0]["calculated"] == {"left": 400_000}

    session.change("income", SHARED)
    _answer(session, 500_000)  # accepted: income itself has no quarrel
    [flag] = session.flags()
    assert (flag.question.id, flag.scope) == ("pension", SERVICE.id)
    assert flag.verdict.reason == "constraint"
    assert flag.question.constraint_message["en"].startswith("The pension")
    assert not session.complete
    with pytest.raises(InvalidAnswers) as refused:
        session.finalize()
    assert [f.question.id for f in refused.value.flags] == ["pension"]
    # Not back to review: the resident is taken to what needs fixing.
    assert not session.on_review and session.current is not None
    assert session.current.id == "pension"
    assert not session.answer(600_000).accepted
    _answer(session, 300_000)
    assert session.on_review and session.complete
    [payload] = session.finalize()
    assert payload["answers"]["pension"] == 300_000
    assert payload["calculated"] == {"left": 200_000}


def test_a_flag_goes_away_when_what_it_depends_on_changes_back() -> None:
    session = _session()
    for value in (1_000_000, True, 600_000, None):
        _answer(session, value)
    session.change("income", SHARED)
    _answer(session, 500_000)
    assert [f.question.id for f in session.flags()] == ["pension"]
    session.back()  # from the pension page, back to the review page, flags shown there
    assert session.on_review and session.flags()
    session.change("income", SHARED)
    _answer(session, 700_000)
    assert session.on_review and session.flags() == []


def test_a_shared_question_may_carry_a_constraint() -> None:
    session = _session()
    _answer(session, 100)
    assert session.current is not None and session.current.id == "has_pension"
    assert PROFILE.question("savings") is not None
    both = FormSession([], PROFILE, "en", today=TODAY, profile_only=True)
    _answer(both, 100)
    verdict = both.answer(300)
    assert verdict.reason == "constraint"
    _answer(both, 200)
    assert both.on_review


def _violations(session: FormSession, payload: dict[str, Any]) -> list[str]:
    """Every constraint of the payload's service that its own answers break."""
    values: dict[str, Any] = dict(session.profile_answers())
    for calc in PROFILE.calculations:
        values[calc.id] = ex.evaluate(calc.expression, values, TODAY)
    values.update(payload["answers"])
    for calc in SERVICE.calculations:
        values[calc.id] = ex.evaluate(calc.expression, values, TODAY)
    broken = []
    for question in (*PROFILE.questions, *SERVICE.questions):
        value = values.get(question.id)
        if question.constraint is None or value is None:
            continue
        if ex.evaluate(question.constraint, values, TODAY) is not True:
            broken.append(question.id)
    for calc in SERVICE.calculations:
        if calc.in_payload:
            assert payload["calculated"][calc.id] == values[calc.id], "stale calculation"
    return broken


VALUES = st.sampled_from([0, 100_000, 500_000, 600_000, 1_000_000, True, False]) | st.integers(
    0, 2_000_000
)
TARGETS = [("income", SHARED), ("has_pension", SERVICE.id),
           ("pension", SERVICE.id), ("rent", SERVICE.id)]  # fmt: skip
CHANGES = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), VALUES),
        st.tuples(st.just("unknown"), st.none()),
        st.tuples(st.just("back"), st.none()),
        st.tuples(st.just("change"), st.tuples(st.sampled_from(TARGETS), VALUES)),
        st.tuples(st.just("submit"), st.none()),
    ),
    max_size=40,
)
"""What a resident does: answer the current question (and tap next), "I don't know",
back, change an answer from the review page, submit."""


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, min_size=5, max_size=12), CHANGES)
def test_no_submitted_payload_ever_violates_a_constraint(
    first: list[Any], changes: list[tuple[str, Any]]
) -> None:
    session = _session()
    for value in first:  # a first way through the form, some answers refused
        if session.current is not None and session.answer(value).accepted:
            session.next()
    for action, arg in changes:
        if action == "answer" and session.current is not None:
            session.answer(arg)
            session.next()
        elif action == "unknown":
            session.answer_unknown()
            session.next()
        elif action == "back":
            session.back()
        elif action == "change" and session.on_review:
            target, value = arg
            page = next(p for p in session.pages if (p.question.id, p.scope) == target)
            if session.is_relevant(page):
                session.change(*target)
                session.answer(value)
                session.next()
        elif action == "submit":
            try:
                payloads = session.finalize()
            except ValueError:
                assert not session.complete
                continue
            assert session.complete and session.flags() == []
            for payload in payloads:
                assert _violations(session, payload) == []
        if session.on_review and session.flags():
            with pytest.raises(InvalidAnswers):
                session.finalize()
