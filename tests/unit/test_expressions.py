"""The expression language: checked before use, total when evaluated, never eval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms import expressions as ex

NAMES = {
    "age": ex.Variable(ex.NUMBER),
    "household_size": ex.Variable(ex.NUMBER),
    "residence": ex.Variable(ex.STRING, frozenset({"seoul", "outside_seoul"})),
    "topics": ex.Variable(ex.LIST, frozenset({"banking", "calls"})),
    "lives_alone": ex.Variable(ex.BOOL),
    "birth_date": ex.Variable(ex.DATE),
}
TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ({"<=": [19, {"var": "age"}, 34]}, {"age": 19}, True),
        ({"<=": [19, {"var": "age"}, 34]}, {"age": 35}, False),
        ({"<=": [19, {"var": "age"}, 34]}, {}, None),
        ({"==": [{"var": "residence"}, "seoul"]}, {"residence": "seoul"}, True),
        (
            {"and": [{"var": "lives_alone"}, {">": [{"var": "age"}, 64]}]},
            {"lives_alone": True, "age": 70},
            True,
        ),
        (
            {"or": [{"var": "lives_alone"}, {">": [{"var": "age"}, 64]}]},
            {"lives_alone": False, "age": 30},
            False,
        ),
        ({"!": {"var": "lives_alone"}}, {"lives_alone": None}, None),
        ({"in": ["banking", {"var": "topics"}]}, {"topics": ["banking"]}, True),
        ({"count": {"var": "topics"}}, {"topics": ["banking", "calls"]}, 2),
        ({"years_since": {"var": "birth_date"}}, {"birth_date": "1960-11-23"}, 65),
        ({"years_since": {"var": "birth_date"}}, {"birth_date": "1960-11-22"}, 66),
        ({"-": [{"today_year": []}, 1990]}, {}, 36),
        ({"/": [{"var": "age"}, 0]}, {"age": 3}, None),
        ({"if": [{"var": "lives_alone"}, 1, 2]}, {"lives_alone": False}, 2),
        ({"answered": "age"}, {"age": None}, False),
    ],
)
def test_values(expression: Any, values: dict[str, Any], expected: Any) -> None:
    ex.check(expression, NAMES)
    assert ex.evaluate(expression, values, TODAY) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ({"var": "nope"}, "unknown question or value 'nope'"),
        ({"eval": "__import__('os')"}, "unknown operator 'eval'"),
        ({"==": [{"var": "residence"}, "busan"]}, "'busan' is not one of the choices"),
        ({">": [{"var": "residence"}, 3]}, "needs number"),
        ({"and": [{"var": "age"}]}, "needs bool"),
        ({"<": [1]}, "takes two values"),
        ({"==": [1, 2], "!=": [1, 2]}, "exactly one operator"),
        ({"count": {"var": "age"}}, "needs list"),
        ({"if": [True, 1, "x"]}, "same kind of value"),
        ({"+": [1] * 600}, "longer than"),
    ],
)
def test_problems_are_found_before_use(expression: Any, message: str) -> None:
    with pytest.raises(ex.ExpressionError, match=message):
        ex.check(expression, NAMES)


def test_deep_nesting_is_refused() -> None:
    node: Any = True
    for _ in range(ex.MAX_DEPTH + 5):
        node = {"!": node}
    with pytest.raises(ex.ExpressionError, match="nested deeper"):
        ex.check(node, NAMES)


LEAVES = st.one_of(
    st.integers(-1000, 1000),
    st.booleans(),
    st.none(),
    st.sampled_from(["seoul", "banking", "1990-01-01", "x"]),
    st.sampled_from([{"var": n} for n in NAMES] + [{"today_year": []}, {"answered": "age"}]),
)
EXPRESSIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(
            lambda op, args: {op: args}, st.sampled_from(ex.OPERATORS), st.lists(inner, max_size=4)
        ),
        st.builds(lambda op, arg: {op: arg}, st.sampled_from(ex.OPERATORS), inner),
        st.lists(inner, max_size=3),
    ),
    max_leaves=25,
)
VALUES = st.fixed_dictionaries(
    {},
    optional={
        "age": st.one_of(st.none(), st.integers(-5, 130)),
        "household_size": st.one_of(st.none(), st.integers(0, 20)),
        "residence": st.one_of(st.none(), st.sampled_from(["seoul", "outside_seoul"])),
        "topics": st.one_of(
            st.none(), st.lists(st.sampled_from(["banking", "calls"]), unique=True)
        ),
        "lives_alone": st.one_of(st.none(), st.booleans()),
        "birth_date": st.one_of(
            st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2026, 1, 1)).map(str)
        ),
    },
)


@settings(max_examples=600, deadline=None)
@given(EXPRESSIONS, VALUES)
def test_a_checked_expression_evaluates_without_error(
    expression: Any, values: dict[str, Any]
) -> None:
    """Anything the checker accepts runs to a value (or null) for any answers of the right kinds."""
    try:
        kind = ex.check(expression, NAMES)
    except ex.ExpressionError:
        return
    result = ex.evaluate(expression, values, TODAY)
    if result is None:
        return
    if kind == ex.BOOL:
        assert isinstance(result, bool)
    elif kind == ex.NUMBER:
        assert isinstance(result, int | float) and not isinstance(result, bool)
    elif kind == ex.LIST:
        assert isinstance(result, list)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.one_of(st.integers(), st.text(max_size=5), st.none(), st.booleans()),
        lambda c: st.one_of(
            st.lists(c, max_size=3), st.dictionaries(st.text(max_size=8), c, max_size=3)
        ),
        max_leaves=30,
    )
)
def test_any_json_is_either_checked_or_refused_cleanly(expression: Any) -> None:
    try:
        ex.check(expression, NAMES)
    except ex.ExpressionError as exc:
        assert exc.path.startswith("$")
