from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.answers import check_answer
from forms.definition import load_service
from forms.session import PAYLOAD_FORMAT, FormSession
from tests.conftest import ROOT

SERVICE = load_service(ROOT / "resources" / "services" / "digital-device-access.json")
GOOD = {
    "device": "tablet",
    "receives_livelihood_support": True,
    "household_size": "3",
    "name_for_loan": "  Test   Resident ",
}


def _answer_all(session: FormSession) -> None:
    while session.current is not None:
        assert session.answer(GOOD[session.current.id]).accepted
        assert session.next()


def test_one_question_per_page_then_review_then_payload() -> None:
    session = FormSession(SERVICE, "vi")
    seen = []
    while session.current is not None:
        seen.append((session.current.id, session.step))
        session.answer(GOOD[session.current.id])
        session.next()
    assert seen == [
        ("device", (1, 4)),
        ("receives_livelihood_support", (2, 4)),
        ("household_size", (3, 4)),
        ("name_for_loan", (4, 4)),
    ]
    assert session.on_review
    payload = session.finalize()
    assert payload == {
        "format": PAYLOAD_FORMAT,
        "service": {"id": "digital-device-access", "version": "2026.1"},
        "language": "vi",
        "answers": {
            "device": "tablet",
            "receives_livelihood_support": True,
            "household_size": 3,
            "name_for_loan": "Test Resident",
        },
    }


def test_next_refuses_without_an_accepted_answer() -> None:
    session = FormSession(SERVICE, "en")
    assert not session.next()
    assert session.answer("laptop").reason == "not_a_choice"
    assert not session.next()
    assert session.current is not None and session.current.id == "device"


def test_change_from_review_returns_to_review() -> None:
    session = FormSession(SERVICE, "en")
    _answer_all(session)
    session.change("household_size")
    assert session.current is not None and session.current.id == "household_size"
    assert session.answer_for("household_size") == 3
    session.answer("5")
    assert session.next()
    assert session.on_review
    assert session.finalize()["answers"]["household_size"] == 5  # type: ignore[index]


def test_back_from_first_question_leaves_and_clear_forgets() -> None:
    session = FormSession(SERVICE, "en")
    assert not session.back()
    _answer_all(session)
    session.clear()
    assert session.review() == []
    assert session.current is not None and session.current.id == "device"
    with pytest.raises(ValueError):
        session.finalize()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "required"),
        ("   ", "required"),
        (None, "required"),
        ("0", "too_small"),
        ("21", "too_large"),
        ("-3", "not_a_number"),
        ("3.5", "not_a_number"),
        ("１２３４５６７８９０１２３", "not_a_number"),
        (True, "not_a_number"),
        ("٣", "not_a_number"),
    ],
)
def test_number_answers(raw: object, reason: str) -> None:
    verdict = check_answer(SERVICE.questions[2], raw)
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Thị Test", "Nguyễn Thị Test"),
        ("테스트 주민", "테스트 주민"),
        ("Тест 🙂", "Тест 🙂"),
        ("e\u0301", "\u00e9"),
    ],
)
def test_text_answers_are_normalised(raw: str, expected: str) -> None:
    verdict = check_answer(SERVICE.questions[3], raw)
    assert verdict.accepted and verdict.value == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("a\x00b", "bad_characters"),
        ("x" * 61, "too_long"),
        ("\u202ename", "bad_characters"),
        (7, "not_text"),
    ],
)
def test_bad_text_answers(raw: object, reason: str) -> None:
    assert check_answer(SERVICE.questions[3], raw).reason == reason


ACTIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("answer"),
            st.one_of(
                st.text(max_size=80),
                st.integers(),
                st.booleans(),
                st.none(),
                st.sampled_from(list(GOOD.values())),
            ),
        ),
        st.tuples(st.just("next"), st.none()),
        st.tuples(st.just("back"), st.none()),
        st.tuples(st.just("change"), st.sampled_from([q.id for q in SERVICE.questions])),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(ACTIONS)
def test_random_taps_never_reach_an_inconsistent_state(actions: list[tuple[str, object]]) -> None:
    session = FormSession(SERVICE, "th")
    for action, arg in actions:
        if action == "answer" and session.current is not None:
            session.answer(arg)
        elif action == "next":
            session.next()
        elif action == "back":
            session.back()
        elif action == "change" and session.on_review:
            session.change(str(arg))
        n, m = session.step
        assert 1 <= n <= m == 4
        if session.on_review:
            assert session.complete and session.current is None
            assert len(session.review()) == 4
        else:
            assert session.current is not None
        for line in session.review():
            assert check_answer(line.question, line.answer).accepted
