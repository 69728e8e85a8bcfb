"""A small, safe expression language for relevance, constraints, calculations and eligibility.

Expressions are JSON, in the style of JsonLogic: `{"<=": [19, {"var": "age"}, 34]}`.
They are data, never code: nothing is `eval`-ed, every operator is listed below, and an
expression is type-checked against the questions it names when a definition is loaded,
so a typo shows up as a precise error for the administrator, not a crash for a resident.

(We keep our own evaluator: the JsonLogic packages on PyPI are unmaintained, and none
of them checks types or names before running.)

Values: numbers, strings, booleans, null (an unanswered or skipped question), lists
(multiple choice), and dates as "YYYY-MM-DD" strings. Any operation on null gives null
("unknown"); `and`/`or` are three-valued (false and unknown is false, true or unknown
is true). A null condition counts as "not met" for relevance, so a question that
depends on an unanswered one stays hidden, and as "maybe" for eligibility.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32
MAX_NODES = 500

# Types the checker knows; "any" is what a literal null or an unknown gives.
NUMBER, STRING, BOOL, LIST, DATE, ANY = "number", "string", "bool", "list", "date", "any"
TABLE = "table"
"""A table of shared.json (amounts by household size): only `{"table": [id, row]}` reads it."""

_COMPARE = ("==", "!=", "<", "<=", ">", ">=")
_ARITH = ("+", "-", "*", "/", "min", "max")
_LOGIC = ("and", "or")
OPERATORS = (
    "var", *_COMPARE, *_ARITH, *_LOGIC,
    "!", "if", "in", "count", "answered", "years_since", "year_of", "today_year", "table",
)  # fmt: skip


class ExpressionError(Exception):
    """An expression is malformed or does not fit the questions it names."""

    def __init__(self, path: str, message: str, name: str = "") -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.name = name
        """The unknown name, when that is the problem: the loader can say where it is."""


@dataclass(frozen=True)
class Variable:
    """What the checker knows about a name: its type, and its choice values if any."""

    type: str
    choices: frozenset[str] = frozenset()


def _args(node: dict[str, Any], op: str) -> list[Any]:
    value = node[op]
    return value if isinstance(value, list) else [value]


# -- checking ------------------------------------------------------------------------


def check(expression: Any, names: Mapping[str, Variable], path: str = "$") -> str:
    """The type of `expression`, or ExpressionError naming the JSON path of the problem."""
    counter = [0]
    return _check(expression, names, path, 0, counter)


def _check(node: Any, names: Mapping[str, Variable], path: str, depth: int, n: list[int]) -> str:
    n[0] += 1
    if depth > MAX_DEPTH:
        raise ExpressionError(path, f"nested deeper than {MAX_DEPTH} levels")
    if n[0] > MAX_NODES:
        raise ExpressionError(path, f"longer than {MAX_NODES} parts")
    if node is None:
        return ANY
    if isinstance(node, bool):
        return BOOL
    if isinstance(node, int | float):
        return NUMBER
    if isinstance(node, str):
        return DATE if _is_date(node) else STRING
    if isinstance(node, list):
        for i, item in enumerate(node):
            if _check(item, names, f"{path}[{i}]", depth + 1, n) not in (STRING, NUMBER, DATE):
                raise ExpressionError(f"{path}[{i}]", "a list may hold only plain values")
        return LIST
    if not isinstance(node, dict) or len(node) != 1:
        raise ExpressionError(path, "an operation is an object with exactly one operator")
    op = next(iter(node))
    if op not in OPERATORS:
        raise ExpressionError(path, f"unknown operator {op!r}")
    here = f"{path}.{op}"
    if op == "var":
        name = node[op]
        if not isinstance(name, str):
            raise ExpressionError(here, "var takes a question id")
        if name not in names:
            raise ExpressionError(here, f"unknown question or value {name!r}", name)
        return names[name].type
    if op == "answered":
        if not isinstance(node[op], str):
            raise ExpressionError(here, "answered takes a question id")
        if node[op] not in names:
            raise ExpressionError(here, f"unknown question {node[op]!r}", node[op])
        return BOOL
    if op == "today_year":
        if node[op] not in ([], None):
            raise ExpressionError(here, 'today_year takes nothing: {"today_year": []}')
        return NUMBER
    if op == "table":
        table = node[op]
        if not (isinstance(table, list) and len(table) == 2 and isinstance(table[0], str)):
            raise ExpressionError(here, 'table takes a table id and a row: {"table": ["id", 2]}')
        if table[0] not in names or names[table[0]].type != TABLE:
            raise ExpressionError(f"{here}[0]", f"no table {table[0]!r} in shared.json")
        if _check(table[1], names, f"{here}[1]", depth + 1, n) not in (NUMBER, ANY):
            raise ExpressionError(f"{here}[1]", "a table's row is a number (household size)")
        return NUMBER
    args = _args(node, op)
    types = [_check(a, names, f"{here}[{i}]", depth + 1, n) for i, a in enumerate(args)]

    def need(count: Callable[[int], bool], what: str) -> None:
        if not count(len(args)):
            raise ExpressionError(here, f"{op} takes {what}")

    def all_of(wanted: tuple[str, ...]) -> None:
        for i, t in enumerate(types):
            if t not in (*wanted, ANY):
                raise ExpressionError(f"{here}[{i}]", f"{op} needs {' or '.join(wanted)}, not {t}")

    if op in _COMPARE:
        if op in ("==", "!="):
            need(lambda k: k == 2, "two values")
            _check_choice_literal(node[op], names, here)
        else:
            need(lambda k: k in (2, 3) if op in ("<", "<=") else k == 2, "two values")
            all_of((NUMBER,) if NUMBER in types else (DATE,) if DATE in types else (NUMBER, DATE))
        known = {t for t in types if t != ANY}
        if len(known) > 1:
            raise ExpressionError(here, f"compares different kinds of value: {sorted(known)}")
        return BOOL
    if op in _ARITH:
        need(lambda k: k >= (1 if op in ("min", "max") else 2), "numbers")
        all_of((NUMBER,))
        return NUMBER
    if op in _LOGIC:
        need(lambda k: k >= 1, "conditions")
        all_of((BOOL,))
        return BOOL
    if op == "!":
        need(lambda k: k == 1, "one condition")
        all_of((BOOL,))
        return BOOL
    if op == "if":
        need(lambda k: k == 3, "a condition, a then-value and an else-value")
        if types[0] not in (BOOL, ANY):
            raise ExpressionError(f"{here}[0]", "the condition of if must be true or false")
        if ANY not in types[1:] and types[1] != types[2]:
            raise ExpressionError(here, "both branches of if must give the same kind of value")
        return types[1] if types[1] != ANY else types[2]
    if op == "in":
        need(lambda k: k == 2, "a value and a list (or text)")
        if types[1] not in (LIST, STRING, ANY):
            raise ExpressionError(f"{here}[1]", "in looks inside a list or a text")
        return BOOL
    if op == "count":
        need(lambda k: k == 1, "one multiple-choice answer")
        all_of((LIST,))
        return NUMBER
    # years_since / year_of
    need(lambda k: k == 1, "one date")
    all_of((DATE,))
    return NUMBER


def _check_choice_literal(args: list[Any], names: Mapping[str, Variable], path: str) -> None:
    """`{"==": [{"var": "employment"}, "unemployed"]}` must name a real choice."""
    variable = literal = None
    for arg in args:
        if isinstance(arg, dict) and isinstance(arg.get("var"), str):
            variable = names.get(arg["var"])
        elif isinstance(arg, str):
            literal = arg
    if variable and variable.choices and literal is not None and literal not in variable.choices:
        raise ExpressionError(
            path, f"{literal!r} is not one of the choices {sorted(variable.choices)}"
        )


def _is_date(text: str) -> bool:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def names_used(expression: Any) -> set[str]:
    """Every question id an expression reads: for dependency order and cycle checks."""
    found: set[str] = set()
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("var", "answered") and isinstance(value, str):
                    found.add(value)
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return found


# -- evaluating ------------------------------------------------------------------------


def evaluate(expression: Any, values: Mapping[str, Any], today: dt.date) -> Any:
    """The value of a checked expression; null propagates, errors of arithmetic give null."""
    if expression is None or isinstance(expression, bool | int | float | str):
        return expression
    if isinstance(expression, list):
        return [evaluate(item, values, today) for item in expression]
    op, raw = next(iter(expression.items()))
    if op == "var":
        return values.get(raw)
    if op == "answered":
        return values.get(raw) is not None
    if op == "today_year":
        return today.year
    if op == "table":
        rows, key = values.get(raw[0]), evaluate(raw[1], values, today)
        if not isinstance(rows, list | tuple) or isinstance(key, bool) or not isinstance(key, int):
            return None
        return rows[key - 1] if 1 <= key <= len(rows) else None
    args = raw if isinstance(raw, list) else [raw]
    if op in ("and", "or"):
        # Three-valued: an unknown (null) part makes the whole unknown unless another
        # part already decides it, so "maybe eligible" is never reported as "not".
        results = [evaluate(arg, values, today) for arg in args]
        decisive = op == "or"
        if any(r is not None and bool(r) is decisive for r in results):
            return decisive
        return None if any(r is None for r in results) else not decisive
    if op == "if":
        condition = evaluate(args[0], values, today)
        return evaluate(args[1] if condition else args[2], values, today)
    vals = [evaluate(a, values, today) for a in args]
    if any(v is None for v in vals):
        return None
    if op == "==":
        return vals[0] == vals[1]
    if op == "!=":
        return vals[0] != vals[1]
    if op == "!":
        return not vals[0]
    try:
        return _OPS[op](vals, today)
    except (ArithmeticError, TypeError, ValueError):
        return None


def _chain(test: Callable[[Any, Any], bool]) -> Callable[[list[Any], dt.date], bool]:
    return lambda v, _: all(test(a, b) for a, b in itertools.pairwise(v))


def _years_since(v: list[Any], today: dt.date) -> int:
    born = dt.date.fromisoformat(v[0])
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _minus(v: list[Any], _: dt.date) -> Any:
    result = v[0]
    for x in v[1:]:
        result -= x
    return result


def _divide(v: list[Any], _: dt.date) -> float:
    result = float(v[0])
    for x in v[1:]:
        result /= x
    return result


def _times(v: list[Any], _: dt.date) -> Any:
    result = 1
    for x in v:
        result *= x
    return result


_OPS: dict[str, Callable[[list[Any], dt.date], Any]] = {
    "<": _chain(lambda a, b: a < b),
    "<=": _chain(lambda a, b: a <= b),
    ">": _chain(lambda a, b: a > b),
    ">=": _chain(lambda a, b: a >= b),
    "+": lambda v, _: sum(v),
    "-": _minus,
    "*": _times,
    "/": _divide,
    "min": lambda v, _: min(v),
    "max": lambda v, _: max(v),
    "count": lambda v, _: len(v[0]),
    "in": lambda v, _: v[0] in v[1],
    "years_since": _years_since,
    "year_of": lambda v, _: dt.date.fromisoformat(v[0]).year,
}
